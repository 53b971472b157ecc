#include "mta/smtp/sasl.h"

#include <gtest/gtest.h>

#include <string>

#include "common/message/codec.h"

namespace pigeon::mta::smtp {
namespace {

using Mechanism = SaslExchange::Mechanism;
using Status = SaslStep::Status;

std::string B64(std::string_view s) { return message::EncodeBase64(s, 0); }

TEST(SaslTest, ParsesMechanisms) {
  EXPECT_EQ(SaslExchange::ParseMechanism("PLAIN"), Mechanism::kPlain);
  EXPECT_EQ(SaslExchange::ParseMechanism("plain"), Mechanism::kPlain);
  EXPECT_EQ(SaslExchange::ParseMechanism("Login"), Mechanism::kLogin);
  EXPECT_EQ(SaslExchange::ParseMechanism("CRAM-MD5"), std::nullopt);
  EXPECT_EQ(SaslExchange::ParseMechanism(""), std::nullopt);
}

TEST(SaslTest, PlainMessages) {
  struct Case {
    const char* name;
    std::string response;
    Status status;
    std::string user, password;
  };
  const Case cases[] = {
      {"no authzid", B64(std::string("\0ada\0secret", 11)), Status::kCredentials, "ada", "secret"},
      {"same authzid", B64(std::string("ada\0ada\0secret", 14)), Status::kCredentials, "ada",
       "secret"},
      {"utf-8 password", B64(std::string("\0ada\0p\xc3\xa4ss", 10)), Status::kCredentials, "ada",
       "p\xc3\xa4ss"},
      {"other authzid", B64(std::string("root\0ada\0secret", 15)), Status::kBadCredentials, "", ""},
      {"empty user", B64(std::string("\0\0secret", 8)), Status::kBadCredentials, "", ""},
      {"empty password", B64(std::string("\0ada\0", 5)), Status::kBadCredentials, "", ""},
      {"one nul", B64(std::string("ada\0secret", 10)), Status::kMalformed, "", ""},
      {"three nuls", B64(std::string("\0ada\0sec\0ret", 12)), Status::kMalformed, "", ""},
      {"empty response", "=", Status::kMalformed, "", ""},
      {"not base64", "!!!!", Status::kMalformed, "", ""},
      {"inner space", "AGFk YQBzZWNyZXQ=", Status::kMalformed, "", ""},
      {"bad padding", "AGFkYQBzZWNyZXQ", Status::kMalformed, "", ""},
      {"cancel", "*", Status::kCancelled, "", ""},
  };
  for (const Case& c : cases) {
    SaslExchange initial(Mechanism::kPlain);
    const SaslStep step = initial.Start(c.response);
    EXPECT_EQ(step.status, c.status) << c.name;
    EXPECT_EQ(step.user, c.user) << c.name;
    EXPECT_EQ(step.password, c.password) << c.name;

    SaslExchange continued(Mechanism::kPlain);
    const SaslStep challenge = continued.Start(std::nullopt);
    EXPECT_EQ(challenge.status, Status::kChallenge);
    EXPECT_EQ(challenge.challenge, "");
    EXPECT_EQ(continued.Respond(c.response).status, c.status) << c.name;
  }
}

TEST(SaslTest, LoginExchange) {
  SaslExchange login(Mechanism::kLogin);
  SaslStep step = login.Start(std::nullopt);
  EXPECT_EQ(step.status, Status::kChallenge);
  EXPECT_EQ(step.challenge, B64("Username:"));
  step = login.Respond(B64("ada"));
  EXPECT_EQ(step.status, Status::kChallenge);
  EXPECT_EQ(step.challenge, B64("Password:"));
  step = login.Respond(B64("secret"));
  EXPECT_EQ(step.status, Status::kCredentials);
  EXPECT_EQ(step.user, "ada");
  EXPECT_EQ(step.password, "secret");
}

TEST(SaslTest, LoginWithInitialResponseAndRefusals) {
  SaslExchange initial(Mechanism::kLogin);
  EXPECT_EQ(initial.Start(B64("ada")).challenge, B64("Password:"));
  EXPECT_EQ(initial.Respond(B64("secret")).status, Status::kCredentials);

  SaslExchange empty_user(Mechanism::kLogin);
  EXPECT_EQ(empty_user.Start("=").status, Status::kChallenge);
  EXPECT_EQ(empty_user.Respond(B64("secret")).status, Status::kBadCredentials);

  SaslExchange nul(Mechanism::kLogin);
  nul.Start(B64(std::string("a\0b", 3)));
  EXPECT_EQ(nul.Respond(B64("secret")).status, Status::kBadCredentials);

  SaslExchange cancelled(Mechanism::kLogin);
  cancelled.Start(std::nullopt);
  EXPECT_EQ(cancelled.Respond("*").status, Status::kCancelled);

  SaslExchange malformed(Mechanism::kLogin);
  malformed.Start(std::nullopt);
  EXPECT_EQ(malformed.Respond("a=b").status, Status::kMalformed);
}

}  // namespace
}  // namespace pigeon::mta::smtp
