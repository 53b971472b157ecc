// POP3 server replies (RFC 1939 §3), read incrementally from a connection's bytes: status lines
// ("+OK …", "-ERR …") and, for commands that have one, the multi-line body after "+OK" up to
// the line ".", dot-unstuffed. Pure, no I/O. The server is untrusted: each line and each body
// is bounded, and a malformed reply is an error, never a crash.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/util/result.h"

namespace pigeon::mua::fetch {

struct Pop3Limits {
  size_t max_line = 1 << 20;          // octets of a line (a message's lines too)
  size_t max_body = size_t{1} << 30;  // octets of a multi-line body (a message)
};

struct Pop3Reply {
  bool ok = false;   // +OK or -ERR
  std::string text;  // the rest of the status line
  std::string body;  // multi-line replies: the lines, unstuffed, with CRLF line ends
};

class Pop3Reader {
 public:
  explicit Pop3Reader(Pop3Limits limits = {}) : limits_(limits) {}

  void Feed(std::string_view bytes) { buffer_.append(bytes); }
  // The next complete reply; `multiline` when the command has a body after +OK (UIDL, LIST,
  // RETR). nullopt when more bytes are needed.
  Result<std::optional<Pop3Reply>> Next(bool multiline);

 private:
  Pop3Limits limits_;
  std::string buffer_;
  size_t start_ = 0;    // replies before this offset were returned already
  size_t scanned_ = 0;  // the body of the reply at start_ was checked up to here
};

}  // namespace pigeon::mua::fetch
