// mailcap files (mua/ui/mailcap.h): parse any bytes, then look every entry's type up and
// expand its commands; the expansion must never put a shell metacharacter from the mail in.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mua/ui/mailcap.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const pigeon::mua::ui::Mailcap mailcap(pigeon::mua::ui::ParseMailcap(text));
  // The parameter value is the input itself: mail-controlled text.
  const pigeon::message::ParameterizedValue type{"text/html", {{"name", std::string(text)}}};
  const auto no_tests = [](const std::string&) { return true; };
  for (const pigeon::mua::ui::MailcapEntry& entry : mailcap.entries()) {
    const pigeon::message::ParameterizedValue as_entry{entry.type, {}};
    (void)mailcap.Find(as_entry, no_tests, entry.copious_output);
    (void)pigeon::mua::ui::ExpandMailcapCommand(entry.command, "/tmp/f", type);
    (void)pigeon::mua::ui::ExpandMailcapCommand(entry.test, "", type);
  }
  const std::string expanded = pigeon::mua::ui::ExpandMailcapCommand("%{name}", "", type).command;
  if (expanded.find_first_of("'\"`$;&|<>(){}\\ \t\n*?[]~#!") != std::string::npos) std::abort();
  return 0;
}
