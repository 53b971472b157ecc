// What a fetch account logs in with: a password (CURLOPT_PASSWORD: PLAIN, LOGIN, USER/PASS…)
// or an OAuth2 access token (SASL OAUTHBEARER or XOAUTH2). Made once per fetch by the command,
// handed to the connector; a secret either way, never logged.
#pragma once

#include <string>
#include <variant>

#include "common/config/config.h"

namespace pigeon::mua::fetch {

struct Password {
  std::string text;
};

struct BearerToken {
  std::string token;  // the access token, visible ASCII
  config::OAuth2Mechanism mechanism = config::OAuth2Mechanism::kAuto;
};

using Credential = std::variant<Password, BearerToken>;

}  // namespace pigeon::mua::fetch
