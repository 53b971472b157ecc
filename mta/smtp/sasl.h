// The server side of the SASL exchanges SMTP AUTH offers (RFC 4954): PLAIN (RFC 4616) and
// LOGIN (draft-murchison-sasl-login), over base64 lines. It only extracts the credentials;
// checking them is the caller's job. Base64 is decoded strictly: anything but a clean
// encoding is malformed (RFC 4954 §4: 501), and "*" cancels the exchange.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pigeon::mta::smtp {

struct SaslStep {
  enum class Status {
    kChallenge,       // send "334 " + challenge and pass the next line to Respond()
    kCredentials,     // user and password are set
    kBadCredentials,  // well-formed, but unusable: fail as a wrong password does
    kCancelled,       // the client sent "*"
    kMalformed,       // not base64, or not the mechanism's message
  };
  Status status = Status::kMalformed;
  std::string challenge;  // base64
  std::string user;
  std::string password;
};

class SaslExchange {
 public:
  enum class Mechanism { kPlain, kLogin };

  // PLAIN or LOGIN, case-insensitive; nullopt for any other (504 5.5.4).
  static std::optional<Mechanism> ParseMechanism(std::string_view name);

  explicit SaslExchange(Mechanism mechanism) : mechanism_(mechanism) {}

  // The AUTH command's initial response ("=" for an empty one), if it had one.
  SaslStep Start(std::optional<std::string_view> initial_response);
  // The client's line answering the last challenge (without its line break).
  SaslStep Respond(std::string_view line);

 private:
  SaslStep TakePlain(std::string_view message);
  SaslStep TakeLoginUser(std::string_view user);
  SaslStep TakeLoginPassword(std::string_view password);

  Mechanism mechanism_;
  bool have_user_ = false;  // LOGIN: the user name was given, the password is next
  std::string user_;
};

}  // namespace pigeon::mta::smtp
