// Server replies as the SMTP client reads them (RFC 5321 §4.2): "CODE SP text", multi-line as
// "CODE-text" lines closed by "CODE SP text", a bare "CODE" line accepted as a final one, and
// the RFC 3463 enhanced status code lifted out of the text when present (RFC 2034 §3).
//
// SECURITY: the bytes come from an untrusted server. Lines are bounded (1,000 octets with the
// line break), replies too (100 lines), and so is what may wait unread; anything malformed is
// a protocol error, which is final: the connection cannot be trusted to be in step any more.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.h"

namespace pigeon::mta::client {

// RFC 5321 §4.5.3.1.6: a text line is at most 1,000 octets with its CRLF.
inline constexpr size_t kMaxReplyLineLength = 1000;
inline constexpr size_t kMaxReplyLines = 100;
// Complete replies waiting to be taken (a long pipelined batch fits many times over).
inline constexpr size_t kMaxBufferedReplyBytes = 256 * 1024;

struct ServerReply {
  int code = 0;                    // 200..599
  std::string status;              // "5.1.1", or "" when the server gave none
  std::vector<std::string> lines;  // each line's text, the status removed, control bytes blanked

  int Class() const { return code / 100; }
  // The text of all lines joined by a space.
  std::string Text() const;
  // "550 5.1.1 text of all lines", one line, for a Diagnostic-Code or mailq.
  std::string ToString() const;
  // The enhanced status, or "C.0.0" from the reply class when the server gave none.
  std::string EnhancedStatus() const;
  bool operator==(const ServerReply&) const = default;
};

// A reply made up locally ("552 5.3.4 …"), in the same shape as a server's.
ServerReply LocalReply(int code, std::string status, std::string text);

// Splits a stream of bytes, in any chunking, into replies.
class ReplyReader {
 public:
  // Appends bytes from the server. Past kMaxBufferedReplyBytes unread, the reader fails.
  void Feed(std::string_view bytes);
  // The next complete reply, nullopt when more bytes are needed, or the protocol error (the
  // same one on every later call).
  Result<std::optional<ServerReply>> Next();
  // Drops everything buffered, complete or not (after STARTTLS: nothing sent in the clear
  // may be read as if it came over TLS). An error stays.
  void Clear();
  bool failed() const { return error_.has_value(); }

 private:
  Result<std::optional<ServerReply>> Fail(std::string message);
  // Adds one line (without its line break) to the reply being built; true when it ended it.
  Result<bool> TakeLine(std::string_view line);

  std::string buffer_;
  size_t pos_ = 0;       // start of the first line not yet taken
  size_t searched_ = 0;  // bytes after pos_ known to hold no LF
  ServerReply partial_;  // lines taken so far of the reply being read
  std::optional<Error> error_;
};

}  // namespace pigeon::mta::client
