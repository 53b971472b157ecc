// IMAP mailbox names on the wire: the config names folders in UTF-8, IMAP4rev1 servers expect
// modified UTF-7 (RFC 3501 §5.1.3): printable ASCII as itself ("&" as "&-"), every other run
// of characters as UTF-16BE in base64 with "," for "/", between "&" and "-".
#pragma once

#include <string>
#include <string_view>

#include "common/util/result.h"

namespace pigeon::mua::fetch {

// "Entwürfe" -> "Entw&APw-rfe"; kParse when `utf8` is not valid UTF-8.
Result<std::string> EncodeMailboxName(std::string_view utf8);

}  // namespace pigeon::mua::fetch
