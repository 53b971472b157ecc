// Fuzzes the SMTP command parser. For any line: SplitCommand, ParseMailFrom and ParseRcptTo
// never crash; an accepted path holds no control byte, no CR or LF, and parses again to
// itself between angle brackets (so what the session stores and logs is a valid path);
// non-ASCII passes only with SMTPUTF8; a refusal carries a 5xx reply with a matching
// enhanced status code.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/message/charset.h"
#include "mta/smtp/command_parser.h"
#include "mta/smtp/path.h"

using pigeon::mta::smtp::ParseMailFrom;
using pigeon::mta::smtp::ParsePath;
using pigeon::mta::smtp::ParseRcptTo;
using pigeon::mta::smtp::Reply;

namespace {

bool HasNonAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

void CheckPath(const std::string& path, bool smtputf8, bool allow_postmaster) {
  for (char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) std::abort();
  }
  if (HasNonAscii(path) && (!smtputf8 || !pigeon::message::IsValidUtf8(path))) std::abort();
  if (path.empty()) return;  // the null sender
  const std::string bracketed = "<" + path + ">";
  std::string_view text = bracketed;
  auto again = ParsePath(text, {.allow_postmaster = allow_postmaster, .smtputf8 = smtputf8});
  if (!again || *again != path || !text.empty()) std::abort();
}

void CheckRefusal(const Reply& reply) {
  if (reply.code < 500 || reply.code > 599) std::abort();
  if (reply.status.size() != 5 || reply.status[0] != '5') std::abort();
  if (reply.text.empty() || reply.text.find_first_of("\r\n") != std::string::npos) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const pigeon::mta::smtp::CommandLine command = pigeon::mta::smtp::SplitCommand(line);
  if (command.argument.size() > line.size()) std::abort();

  if (auto mail = ParseMailFrom(line)) {
    CheckPath(mail->reverse_path, mail->smtputf8, false);
  } else {
    CheckRefusal(mail.error());
  }
  for (bool smtputf8 : {false, true}) {
    if (auto rcpt = ParseRcptTo(line, smtputf8)) {
      if (rcpt->empty()) std::abort();
      CheckPath(*rcpt, smtputf8, true);
    } else {
      CheckRefusal(rcpt.error());
    }
  }
  return 0;
}
