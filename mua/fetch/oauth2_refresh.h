// An OAuth2 access token for a fetch account (auth = "oauth2"): the refresh token (and the
// client secret, when it comes from a command) is read by running its command, traded at the
// provider's token endpoint (RFC 6749 section 6), and the reply checked. A token is got per
// fetch and never stored: access tokens live about an hour and a fetch takes less.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "common/config/config.h"
#include "common/util/result.h"
#include "mua/fetch/credential.h"
#include "mua/fetch/https_client.h"

namespace pigeon::mua::fetch {

// Runs a secret's command and gives the first line of its output (sys::SecretFromCommand).
using SecretCommand = std::function<Result<std::string>(const std::string& command)>;

// Errors are one line: "oauth2: token endpoint https://…: invalid_grant: Token has been
// expired or revoked", "oauth2_refresh_token_command: failed (exit status 1)".
Result<BearerToken> RefreshAccessToken(const config::FetchAccount& account, HttpsClient& https,
                                       const SecretCommand& run_command,
                                       std::chrono::seconds timeout);

}  // namespace pigeon::mua::fetch
