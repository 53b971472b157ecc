// Fuzzes the OAuth2 token endpoint's reply parser (the endpoint's bytes are untrusted). The
// first two bytes pick the HTTP status. For any input: no crash; a token is visible ASCII; an
// error is one line without control characters.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mua/fetch/oauth2_token.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const long status = (data[0] << 8 | data[1]) % 600;
  const std::string_view body(reinterpret_cast<const char*>(data + 2), size - 2);
  const auto token = pigeon::mua::fetch::ParseTokenReply(status, body);
  if (token) {
    if (token->token.empty()) std::abort();
    for (const char c : token->token) {
      if (c <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) std::abort();
    }
  } else {
    for (const char c : token.error().message) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) std::abort();
    }
  }
  // The request side too: any octets encode to the form alphabet alone.
  for (const char c : pigeon::mua::fetch::FormEncode(body)) {
    if (c <= 0x20 || static_cast<unsigned char>(c) >= 0x7f || c == '&' || c == '=') std::abort();
  }
  return 0;
}
