// Makes an 8-bit message 7-bit for a server without 8BITMIME (RFC 6152 §3: the client must
// convert or bounce). Every leaf whose body has 8-bit bytes is re-encoded: text/* as
// quoted-printable, anything else as base64 (RFC 2045 §6), its Content-Transfer-Encoding
// replaced or added (and MIME-Version added to a message without one). message/rfc822 parts
// are converted inside, multiparts part by part; all other bytes are kept as they were.
// Input is an untrusted message (the queue's copy); nothing here aborts on it.
#pragma once

#include <string>
#include <string_view>

#include "common/util/result.h"

namespace pigeon::mta::client {

// Whether any byte has the high bit set.
bool HasEightBit(std::string_view bytes);

// The converted message (a copy of the input when nothing is 8-bit). Fails with
// ErrorCode::kUnsupported when a header field (of the message or of any part) has 8-bit
// bytes, which no transfer encoding can carry (RFC 6531 §3.2: 5.6.7); with
// ErrorCode::kInvalidArgument when an 8-bit body may not be encoded (a multipart without
// parts, message/external-body, an encoded message/rfc822): RFC 3463 5.6.3.
Result<std::string> DowngradeTo7Bit(std::string_view message);

}  // namespace pigeon::mta::client
