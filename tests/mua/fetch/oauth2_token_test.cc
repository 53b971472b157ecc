// The refresh-token grant's form and the token endpoint's replies (RFC 6749 sections 5, 6).
#include "mua/fetch/oauth2_token.h"

#include <gtest/gtest.h>

#include <string>

namespace pigeon::mua::fetch {
namespace {

using std::chrono::seconds;

TEST(FormEncode, KeepsUnreservedAndEscapesTheRest) {
  EXPECT_EQ(FormEncode("abcXYZ019-._*"), "abcXYZ019-._*");
  EXPECT_EQ(FormEncode("a b"), "a+b");
  EXPECT_EQ(FormEncode("1//0g&x=y+z~"), "1%2F%2F0g%26x%3Dy%2Bz%7E");
  EXPECT_EQ(FormEncode("é\n"), "%C3%A9%0A");
  EXPECT_EQ(FormEncode(""), "");
}

TEST(RefreshRequestBody, HasTheGrantAndOnlyTheGivenFields) {
  EXPECT_EQ(RefreshRequestBody({"my-client", "", "1//refresh", ""}),
            "grant_type=refresh_token&refresh_token=1%2F%2Frefresh&client_id=my-client");
  EXPECT_EQ(RefreshRequestBody({"id", "s3cr&t", "r", "https://mail.google.com/ openid"}),
            "grant_type=refresh_token&refresh_token=r&client_id=id&client_secret=s3cr%26t"
            "&scope=https%3A%2F%2Fmail.google.com%2F+openid");
}

TEST(ParseTokenReply, ReadsAToken) {
  Result<AccessToken> token = ParseTokenReply(
      200,
      R"({"access_token":"ya29.a0-_~+/x==","expires_in":3599,"scope":"https://mail.google.com/",
              "token_type":"Bearer"})");
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(token->token, "ya29.a0-_~+/x==");
  EXPECT_EQ(token->expires_in, seconds(3599));
  EXPECT_EQ(token->token_type, "Bearer");
}

TEST(ParseTokenReply, TakesExpiryAsStringAndTypeInAnyCase) {
  Result<AccessToken> token =
      ParseTokenReply(200, R"({"access_token":"t","expires_in":"3600","token_type":"bearer"})");
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(token->expires_in, seconds(3600));
  token = ParseTokenReply(200, R"({"access_token":"t","expires_in":"soon"})");
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(token->expires_in, std::nullopt);
}

TEST(ParseTokenReply, ErrorReplyIsOneLine) {
  Result<AccessToken> token = ParseTokenReply(
      400, R"({"error":"invalid_grant","error_description":"Token has been expired or revoked."})");
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().message, "invalid_grant: Token has been expired or revoked.");
  token = ParseTokenReply(401, R"({"error":"invalid_client"})");
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().message, "invalid_client");
}

TEST(ParseTokenReply, ErrorTextIsMadeSafeAndCut) {
  Result<AccessToken> token =
      ParseTokenReply(400, R"({"error":"bad\u001b[31m\nred","error_description":"x\u009by"})");
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().message, "bad [31m red: x y");
  token = ParseTokenReply(400, R"({"error":")" + std::string(500, 'e') + R"("})");
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().message, std::string(200, 'e') + "…");
}

TEST(ParseTokenReply, RejectsWhatIsNoUsableToken) {
  const struct {
    long status;
    std::string body;
    std::string want;
  } cases[] = {
      {502, "<html>Bad Gateway</html>", "HTTP status 502 (the reply is not JSON)"},
      {200, "<html>captive portal</html>", "the reply is not a JSON object"},
      {200, "[1,2]", "the reply is not a JSON object"},
      {500, "{}", "HTTP status 500"},
      {200, "{}", "no access_token in the reply"},
      {200, R"({"access_token":42})", "no access_token in the reply"},
      {200, R"({"access_token":""})", "the access_token has spaces or control characters"},
      {200, R"({"access_token":"a b"})", "the access_token has spaces or control characters"},
      {200, R"({"access_token":"a\u0001b"})", "the access_token has spaces or control characters"},
      {200, R"({"access_token":"t","token_type":"mac"})", "token_type mac is not Bearer"},
  };
  for (const auto& c : cases) {
    Result<AccessToken> token = ParseTokenReply(c.status, c.body);
    ASSERT_FALSE(token) << c.body;
    EXPECT_EQ(token.error().message, c.want) << c.body;
  }
}

}  // namespace
}  // namespace pigeon::mua::fetch
