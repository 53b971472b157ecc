// See oauth2_token.h.
#include "mua/fetch/oauth2_token.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace pigeon::mua::fetch {
namespace {

constexpr size_t kMaxShown = 200;  // octets of a server's text in an error line

// A JSON string (valid UTF-8, nlohmann checks) made safe for a terminal line: C0 and C1
// controls and DEL become spaces, and it is cut at a character boundary.
std::string Printable(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size() && out.size() < kMaxShown) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      out += ' ';
      ++i;
      continue;
    }
    size_t length = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    length = std::min(length, text.size() - i);
    if (c == 0xc2 && length == 2 && static_cast<unsigned char>(text[i + 1]) < 0xa0) {
      out += ' ';  // U+0080..U+009F
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  if (i < text.size()) out += "…";
  return out;
}

// RFC 6750 section 2.1 b64token is narrower; any visible ASCII is taken, since the token only
// goes into a SASL message, where spaces and controls would break the framing.
bool IsUsableToken(std::string_view token) {
  return !token.empty() && std::all_of(token.begin(), token.end(), [](char c) {
    return c > 0x20 && static_cast<unsigned char>(c) < 0x7f;
  });
}

std::optional<std::chrono::seconds> ExpiresIn(const nlohmann::json& reply) {
  const auto found = reply.find("expires_in");
  if (found == reply.end()) return std::nullopt;
  // Some endpoints send the number as a string.
  if (found->is_string()) {
    const std::string& text = found->get_ref<const std::string&>();
    if (text.empty() || text.size() > 9 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    return std::chrono::seconds(std::stol(text));
  }
  if (found->is_number_unsigned()) {
    return std::chrono::seconds(std::min<uint64_t>(found->get<uint64_t>(), uint64_t{1} << 40));
  }
  if (found->is_number_float()) {
    const double value = found->get<double>();
    if (std::isfinite(value) && value >= 0 && value < 1e12) {
      return std::chrono::seconds(static_cast<int64_t>(value));
    }
  }
  return std::nullopt;
}

}  // namespace

std::string FormEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto octet = static_cast<unsigned char>(c);
    if (std::isalnum(octet) != 0 || c == '-' || c == '.' || c == '_' || c == '*') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[octet >> 4];
      out += kHex[octet & 0xf];
    }
  }
  return out;
}

std::string RefreshRequestBody(const RefreshRequest& request) {
  std::string body = "grant_type=refresh_token&refresh_token=" + FormEncode(request.refresh_token) +
                     "&client_id=" + FormEncode(request.client_id);
  if (!request.client_secret.empty()) {
    body += "&client_secret=" + FormEncode(request.client_secret);
  }
  if (!request.scope.empty()) body += "&scope=" + FormEncode(request.scope);
  return body;
}

Result<AccessToken> ParseTokenReply(long http_status, std::string_view body) {
  const nlohmann::json reply =
      nlohmann::json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  const bool ok_status = http_status >= 200 && http_status < 300;
  if (!reply.is_object()) {
    return MakeError(ErrorCode::kParse,
                     ok_status
                         ? std::string("the reply is not a JSON object")
                         : fmt::format("HTTP status {} (the reply is not JSON)", http_status));
  }
  if (const auto error = reply.find("error"); error != reply.end()) {
    std::string message =
        error->is_string() ? Printable(error->get_ref<const std::string&>()) : "error";
    if (const auto description = reply.find("error_description");
        description != reply.end() && description->is_string()) {
      message += ": " + Printable(description->get_ref<const std::string&>());
    }
    return MakeError(ErrorCode::kInvalidArgument, message);
  }
  if (!ok_status) return MakeError(ErrorCode::kIo, fmt::format("HTTP status {}", http_status));
  AccessToken token;
  const auto access_token = reply.find("access_token");
  if (access_token == reply.end() || !access_token->is_string()) {
    return MakeError(ErrorCode::kParse, "no access_token in the reply");
  }
  token.token = access_token->get<std::string>();
  if (!IsUsableToken(token.token)) {
    return MakeError(ErrorCode::kParse, "the access_token has spaces or control characters");
  }
  if (const auto type = reply.find("token_type"); type != reply.end() && type->is_string()) {
    token.token_type = type->get<std::string>();
  }
  // RFC 6749 section 7.1: a client must not use a token of a type it does not understand.
  std::string lower = token.token_type;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!lower.empty() && lower != "bearer") {
    return MakeError(ErrorCode::kUnsupported,
                     fmt::format("token_type {} is not Bearer", Printable(token.token_type)));
  }
  token.expires_in = ExpiresIn(reply);
  return token;
}

}  // namespace pigeon::mua::fetch
