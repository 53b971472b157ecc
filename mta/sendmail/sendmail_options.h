// The command line of the sendmail-compatible entry point, with the meanings Postfix's
// sendmail(1) gives it, and the program-name dispatch (mailq, newaliases). POSIX getopt rules:
// clustered flags, option arguments attached or in the next word, "--" ends the options.
// Trust: argv is hostile (any caller may run sendmail): values with control bytes are refused,
// counts and lengths are bounded. Pure: it reads nothing and runs nothing.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.h"

namespace pigeon::mta::sendmail {

// sysexits.h values (mail programs report failures with these), without its macros.
enum class ExitCode : int {
  kOk = 0,
  kUsage = 64,        // EX_USAGE: bad command line
  kDataErr = 65,      // EX_DATAERR: bad input data (a malformed message)
  kNoInput = 66,      // EX_NOINPUT
  kNoUser = 67,       // EX_NOUSER: addressee unknown
  kNoHost = 68,       // EX_NOHOST
  kUnavailable = 69,  // EX_UNAVAILABLE: service unavailable
  kSoftware = 70,     // EX_SOFTWARE: internal error
  kOsErr = 71,        // EX_OSERR
  kOsFile = 72,       // EX_OSFILE
  kCantCreat = 73,    // EX_CANTCREAT
  kIoErr = 74,        // EX_IOERR
  kTempFail = 75,     // EX_TEMPFAIL: try again later
  kProtocol = 76,     // EX_PROTOCOL
  kNoPerm = 77,       // EX_NOPERM
  kConfig = 78,       // EX_CONFIG
};

enum class SendmailMode {
  kDeliver,         // -bm (default): read a message from stdin and queue it
  kSmtpOnStdio,     // -bs: an SMTP session on stdin/stdout
  kListQueue,       // -bp, mailq
  kRebuildAliases,  // -bi, -I, newaliases
  kVerify,          // -bv: check the recipients and mail a report, deliver nothing
  kRunQueue,        // -q…: attempt delivery of the queue now
};

enum class BodyType { kUnspecified, k7Bit, k8BitMime };  // -B

// -N: which events the recipients' DSNs report (RFC 3461 NOTIFY); all false is "never".
struct DsnNotify {
  bool success = false;
  bool delay = false;
  bool failure = false;
  bool operator==(const DsnNotify&) const = default;
};

enum class DsnReturn { kFull, kHeaders };  // -R (RFC 3461 RET)

struct SendmailOptions {
  SendmailMode mode = SendmailMode::kDeliver;
  bool recipients_from_headers = false;  // -t: To, Cc, Bcc add to the command line's
  bool ignore_dots = false;              // -i, -oi: a line with only "." is text, not the end
  std::optional<std::string> sender;     // -f, -r; "" is the null sender ("<>")
  std::optional<std::string> full_name;  // -F
  BodyType body_type = BodyType::kUnspecified;
  std::optional<DsnNotify> notify;            // -N
  std::optional<DsnReturn> dsn_return;        // -R
  std::optional<std::string> envelope_id;     // -V (RFC 3461 ENVID, before xtext encoding)
  std::optional<std::string> config_path;     // -C
  std::optional<std::string> alias_file;      // -oA (newaliases)
  std::optional<std::string> flush_site;      // -qR site, -qS site
  std::optional<std::string> flush_queue_id;  // -qI queue id
  int verbosity = 0;                          // one per -v
  bool gateway = false;                       // -G
  std::vector<std::string> recipients;        // commas split, whitespace trimmed, not parsed
};

// Bounds on what a caller may ask for at once.
inline constexpr size_t kMaxRecipients = 10000;
inline constexpr size_t kMaxArgumentLength = 4096;

// Parses the words after argv[0]. `program` is argv[0] (a path is fine): "mailq" and
// "newaliases" select their mode before the flags are read; any other name is sendmail.
// Every failure is a usage error (exit with ExitCode::kUsage), its message one line naming
// the option; -bd fails with kUnsupported (pigeond is the daemon).
Result<SendmailOptions> ParseSendmailArgs(std::span<const std::string_view> args,
                                          std::string_view program);

// The usage text, several lines ending in "\n", for standard error after a usage error.
std::string Usage(std::string_view program);

}  // namespace pigeon::mta::sendmail
