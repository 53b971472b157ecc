// Secrets kept out of the configuration file: a setting such as password_command names a
// command (`pass show mail`, `secret-tool lookup …`) whose first line of output is the
// password or token. Shared by pigeon fetch (passwords, OAuth2 secrets) and pigeond's relay.
#pragma once

#include <string>
#include <string_view>

#include "common/util/result.h"

namespace pigeon::sys {

// The first line of `command`'s output (run by /bin/sh), without its line end. The rest of the
// output is read and dropped, so the command does not die of SIGPIPE. Errors: it could not be
// started, or it did not exit with status 0 ("failed (exit status 1)").
Result<std::string> SecretFromCommand(const std::string& command);

// `secret` with its error, if any, prefixed by the setting that named the command:
// "password_command: failed (exit status 1)".
Result<std::string> NamingSetting(std::string_view setting, Result<std::string> secret);

}  // namespace pigeon::sys
