// SMTP replies on the wire (RFC 5321 §4.2): "CODE SP text CRLF", multi-line as "CODE-text"
// lines closed by one "CODE SP text" line, with an RFC 3463 enhanced status code after the
// reply code (RFC 2034 §3) on every reply except the greeting, EHLO/HELO's and 3xx
// intermediates, whose `status` is left empty.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pigeon::mta::smtp {

// RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets with its CRLF.
inline constexpr size_t kMaxReplyLine = 512;

struct Reply {
  int code = 0;        // 200..599
  std::string status;  // "2.1.0", or "" for none
  std::string text;    // one line, no CR or LF
  bool operator==(const Reply&) const = default;
};

// "250 2.1.0 Ok\r\n" (or "220 text\r\n" without a status).
std::string FormatReply(const Reply& reply);

// "250-first\r\n250-…\r\n250 last\r\n", `status` (when not empty) on every line as RFC 2034
// asks. No lines gives the one-line reply with empty text.
std::string FormatMultilineReply(int code, std::string_view status,
                                 const std::vector<std::string>& lines);

// A failure reply line written by the daemon's hooks ("550 5.1.1 <x@y>: no such user"),
// made safe to send: control bytes (CR and LF included) become spaces, and it is cut to one
// reply line. nullopt when it does not start with a 4xx or 5xx code followed by SP or the
// end: the caller then sends its own fallback.
std::optional<std::string> CleanFailureReply(std::string_view line);

}  // namespace pigeon::mta::smtp
