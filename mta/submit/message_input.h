// Reading a message handed to sendmail (or the composer): the bytes up to end of input, or up
// to a line holding only "." unless that rule is off (-i / -oi), with LF or CRLF line ends
// made CRLF (the store's form) and nothing else changed: 8-bit and binary bytes stay. Bounded
// by the size limit while reading, so an oversized message is refused before it is all in.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/mailbox/byte_stream.h"
#include "common/util/result.h"

namespace pigeon::mta::submit {

struct InputOptions {
  bool dot_ends_input = true;  // sendmail's default; -i / -oi turn it off
  uint64_t max_size = 50ull << 20;
};

struct MessageInput {
  std::string raw;  // CRLF line ends
  bool eight_bit = false;
};

// Whether `raw` has the form ReadMessage gives: every line ended by CRLF, no bare LF (a CR
// inside a line is the message's own byte and stays).
// (pigeond checks what another process hands it; see handoff.h.)
bool IsCrlfText(std::string_view raw);
bool HasEightBit(std::string_view raw);

// Errors: kInvalidArgument "message too large (limit N bytes)", or the source's read error.
Result<MessageInput> ReadMessage(mailbox::ByteSource& source, const InputOptions& options);

}  // namespace pigeon::mta::submit
