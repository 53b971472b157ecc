// The OAuth2 refresh-token grant on the wire (RFC 6749 section 6): the form a client POSTs to
// the token endpoint, and the endpoint's JSON reply (section 5.1 success, 5.2 error). Pure: no
// network, no secrets read. The reply is untrusted input (a server or a captive portal): any
// bytes give a token or an error, one printable line, never a crash.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/util/result.h"

namespace pigeon::mua::fetch {

struct RefreshRequest {
  std::string client_id;
  std::string client_secret;  // "" = none sent (a public client)
  std::string refresh_token;
  std::string scope;  // "" = none sent
};

// application/x-www-form-urlencoded (WHATWG URL, as RFC 6749 appendix B asks): unreserved
// octets as they are, space as '+', the rest as %XX.
std::string FormEncode(std::string_view text);

// "grant_type=refresh_token&refresh_token=…&client_id=…[&client_secret=…][&scope=…]".
std::string RefreshRequestBody(const RefreshRequest& request);

struct AccessToken {
  std::string token;
  std::optional<std::chrono::seconds> expires_in;  // when the endpoint said
  std::string token_type;                          // "Bearer"
};

// The endpoint's reply with its HTTP status. An error reply gives "ERROR: DESCRIPTION" (RFC 6749
// section 5.2, e.g. "invalid_grant: Token has been expired or revoked"); anything else that is
// no usable token says what is wrong ("HTTP status 502", "no access_token in the reply").
Result<AccessToken> ParseTokenReply(long http_status, std::string_view body);

}  // namespace pigeon::mua::fetch
