// Password hashes for submission accounts, through libcrypt's crypt(3) (Debian libxcrypt):
// yescrypt ("$y$") for new hashes; any method libcrypt knows is accepted when checking.
#pragma once

#include <string>
#include <string_view>

#include "common/util/result.h"

namespace pigeon::mta::auth {

// A new yescrypt hash of `password` with a random salt.
Result<std::string> HashPassword(std::string_view password);

// True when `password` matches `hash`. Constant-time comparison; false for a malformed hash.
bool VerifyPassword(std::string_view password, const std::string& hash);

}  // namespace pigeon::mta::auth
