// See sasl.h.
#include "mta/smtp/sasl.h"

#include "common/message/codec.h"
#include "common/message/header.h"

namespace pigeon::mta::smtp {
namespace {

using Status = SaslStep::Status;

constexpr std::string_view kUsernameChallenge = "VXNlcm5hbWU6";  // "Username:"
constexpr std::string_view kPasswordChallenge = "UGFzc3dvcmQ6";  // "Password:"

bool IsBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/' || c == '=';
}

// RFC 4954 §4: "=" is an empty initial response. nullopt for anything but clean base64.
std::optional<std::string> DecodeStrictly(std::string_view text) {
  if (text == "=") return std::string();
  for (char c : text) {
    if (!IsBase64Char(c)) return std::nullopt;
  }
  message::Defects defects;
  std::string decoded = message::DecodeBase64(text, &defects);
  if (!defects.empty()) return std::nullopt;
  return decoded;
}

SaslStep Challenge(std::string_view challenge) {
  return {.status = Status::kChallenge, .challenge = std::string(challenge)};
}

SaslStep WithStatus(Status status) { return {.status = status}; }

}  // namespace

std::optional<SaslExchange::Mechanism> SaslExchange::ParseMechanism(std::string_view name) {
  if (message::EqualsIgnoreCase(name, "PLAIN")) return Mechanism::kPlain;
  if (message::EqualsIgnoreCase(name, "LOGIN")) return Mechanism::kLogin;
  return std::nullopt;
}

SaslStep SaslExchange::Start(std::optional<std::string_view> initial_response) {
  if (!initial_response) {
    return Challenge(mechanism_ == Mechanism::kPlain ? "" : kUsernameChallenge);
  }
  return Respond(*initial_response);
}

SaslStep SaslExchange::Respond(std::string_view line) {
  if (line == "*") return WithStatus(Status::kCancelled);  // RFC 4954 §4
  std::optional<std::string> decoded = DecodeStrictly(line);
  if (!decoded) return WithStatus(Status::kMalformed);
  if (mechanism_ == Mechanism::kPlain) return TakePlain(*decoded);
  return have_user_ ? TakeLoginPassword(*decoded) : TakeLoginUser(*decoded);
}

// RFC 4616 §2: [authzid] NUL authcid NUL passwd.
SaslStep SaslExchange::TakePlain(std::string_view message) {
  const size_t first = message.find('\0');
  const size_t second = first == std::string_view::npos ? first : message.find('\0', first + 1);
  if (second == std::string_view::npos || message.find('\0', second + 1) != message.npos) {
    return WithStatus(Status::kMalformed);
  }
  const std::string_view authzid = message.substr(0, first);
  const std::string_view user = message.substr(first + 1, second - first - 1);
  const std::string_view password = message.substr(second + 1);
  // Acting for another identity (proxy authorization) is not something we grant.
  if (user.empty() || password.empty() || (!authzid.empty() && authzid != user)) {
    return WithStatus(Status::kBadCredentials);
  }
  return {
      .status = Status::kCredentials, .user = std::string(user), .password = std::string(password)};
}

SaslStep SaslExchange::TakeLoginUser(std::string_view user) {
  user_ = user;
  have_user_ = true;
  return Challenge(kPasswordChallenge);
}

SaslStep SaslExchange::TakeLoginPassword(std::string_view password) {
  const bool usable = !user_.empty() && !password.empty() &&
                      user_.find('\0') == std::string::npos &&
                      password.find('\0') == std::string_view::npos;
  if (!usable) return WithStatus(Status::kBadCredentials);
  return {
      .status = Status::kCredentials, .user = std::move(user_), .password = std::string(password)};
}

}  // namespace pigeon::mta::smtp
