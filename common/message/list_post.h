// The List-Post field of mailing-list mail (RFC 2369 §3.4): where a reply to the list goes.
// The value is untrusted: a comma-separated list of <URL>s in angle brackets, comments in
// parentheses allowed, or "NO" for a list that takes no posts. Only mailto: URLs count;
// their headers part ("?subject=…") is dropped and %XX escapes are decoded (RFC 6068).
#pragma once

#include <optional>
#include <string_view>

#include "common/message/address.h"

namespace pigeon::message {

// The first mailto: URL's address that is a full addr-spec (local@domain), or nullopt: none
// given, "NO", or nothing readable.
std::optional<Mailbox> ListPostAddress(std::string_view value);

}  // namespace pigeon::message
