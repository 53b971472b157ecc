// The byte stream to a mail server once it is connected, secured and logged in: what the IMAP
// and POP3 fetch logic speaks its protocol over. The real one is libcurl's (curl_connection.h);
// tests use a scripted fake. The peer is untrusted; bounds are the reader's.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/util/result.h"

namespace pigeon::mua::fetch {

class MailConnection {
 public:
  virtual ~MailConnection() = default;
  // All of `bytes`, or an error.
  virtual Result<void> Send(std::string_view bytes) = 0;
  // At least one octet into `buffer` (at most `size`); an error when the server closed the
  // connection or went silent past the timeout.
  virtual Result<size_t> Receive(char* buffer, size_t size) = 0;
  // "imap.example.org:993": names the server in errors.
  virtual std::string Describe() const = 0;
};

}  // namespace pigeon::mua::fetch
