// Fuzzes the sendmail command line: the input split at NUL bytes is argv after argv[0] (the
// first word names the program). Parsing never crashes; what it accepts holds no control
// byte in any kept value, stays within the bounds, and obeys the mode's recipient rules.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mta/sendmail/sendmail_options.h"

namespace {

using pigeon::mta::sendmail::SendmailMode;
using pigeon::mta::sendmail::SendmailOptions;

bool HasControl(std::string_view s) {
  for (char c : s) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return true;
  }
  return false;
}

void CheckValue(const std::optional<std::string>& value) {
  if (value && (HasControl(*value) || value->size() > pigeon::mta::sendmail::kMaxArgumentLength)) {
    std::abort();
  }
}

void Check(const SendmailOptions& options) {
  CheckValue(options.sender);
  CheckValue(options.full_name);
  CheckValue(options.envelope_id);
  CheckValue(options.config_path);
  CheckValue(options.alias_file);
  CheckValue(options.flush_site);
  CheckValue(options.flush_queue_id);
  if (options.recipients.size() > pigeon::mta::sendmail::kMaxRecipients) std::abort();
  for (const std::string& recipient : options.recipients) {
    if (recipient.empty() || HasControl(recipient)) std::abort();
    if (recipient.front() == ' ' || recipient.back() == ' ') std::abort();
  }
  const bool delivers =
      options.mode == SendmailMode::kDeliver || options.mode == SendmailMode::kVerify;
  if (delivers && options.recipients.empty() && !options.recipients_from_headers) std::abort();
  if (!delivers && !options.recipients.empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> words;
  size_t start = 0;
  while (start <= input.size()) {
    size_t end = input.find('\0', start);
    if (end == std::string_view::npos) end = input.size();
    words.push_back(input.substr(start, end - start));
    start = end + 1;
  }
  const std::string_view program = words.front();
  const std::span<const std::string_view> args(words.data() + 1, words.size() - 1);
  if (auto options = pigeon::mta::sendmail::ParseSendmailArgs(args, program)) {
    Check(*options);
  } else if (options.error().message.empty() ||
             options.error().message.find_first_of("\r\n") != std::string::npos) {
    std::abort();
  }
  (void)pigeon::mta::sendmail::Usage(program);
  return 0;
}
