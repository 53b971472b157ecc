// Getting an access token for an auth = "oauth2" account: the secrets' commands, the request
// the token endpoint gets, and how its replies and failures read.
#include "mua/fetch/oauth2_refresh.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace pigeon::mua::fetch {
namespace {

using std::chrono::seconds;

// Records each POST and answers with a scripted reply or failure.
class FakeHttpsClient : public HttpsClient {
 public:
  struct Request {
    std::string url, form, ca_file;
    seconds timeout;
  };
  Result<HttpsReply> PostForm(const std::string& url, const std::string& form,
                              const std::string& ca_file, seconds timeout) override {
    requests.push_back({url, form, ca_file, timeout});
    return reply;
  }
  std::vector<Request> requests;
  Result<HttpsReply> reply = HttpsReply{200, R"({"access_token":"fresh","token_type":"Bearer"})"};
};

// Commands and what they print; an unknown command fails like an exit status 1.
SecretCommand Commands(std::map<std::string, std::string> outputs, std::vector<std::string>* ran) {
  return [outputs, ran](const std::string& command) -> Result<std::string> {
    ran->push_back(command);
    const auto found = outputs.find(command);
    if (found == outputs.end()) return MakeError(ErrorCode::kIo, "failed (exit status 1)");
    return found->second;
  };
}

config::FetchAccount OAuth2Account() {
  config::FetchAccount account;
  account.name = "gmail";
  account.user = "ada@example.org";
  account.auth = config::FetchAuth::kOAuth2;
  account.ca_file = "/etc/imap-ca.pem";
  account.oauth2.ca_file = "/etc/test-ca.pem";
  account.oauth2.token_url = "https://oauth2.example.org/token";
  account.oauth2.client_id = "pigeon-client";
  account.oauth2.refresh_token_command = "pass show refresh";
  account.oauth2.mechanism = config::OAuth2Mechanism::kXoauth2;
  return account;
}

TEST(RefreshAccessToken, PostsTheGrantAndReturnsTheToken) {
  FakeHttpsClient https;
  std::vector<std::string> ran;
  Result<BearerToken> token = RefreshAccessToken(
      OAuth2Account(), https, Commands({{"pass show refresh", "1//r e"}}, &ran), seconds(7));
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(token->token, "fresh");
  EXPECT_EQ(token->mechanism, config::OAuth2Mechanism::kXoauth2);
  EXPECT_EQ(ran, std::vector<std::string>{"pass show refresh"});
  ASSERT_EQ(https.requests.size(), 1u);
  EXPECT_EQ(https.requests[0].url, "https://oauth2.example.org/token");
  EXPECT_EQ(https.requests[0].form,
            "grant_type=refresh_token&refresh_token=1%2F%2Fr+e&client_id=pigeon-client");
  EXPECT_EQ(https.requests[0].ca_file, "/etc/test-ca.pem");
  EXPECT_EQ(https.requests[0].timeout, seconds(7));
}

TEST(RefreshAccessToken, SendsSecretAndScope) {
  config::FetchAccount account = OAuth2Account();
  account.oauth2.client_secret_command = "pass show secret";
  account.oauth2.scope = "https://mail.google.com/";
  FakeHttpsClient https;
  std::vector<std::string> ran;
  Result<BearerToken> token = RefreshAccessToken(
      account, https, Commands({{"pass show refresh", "r"}, {"pass show secret", "s"}}, &ran),
      seconds(5));
  ASSERT_TRUE(token) << token.error().message;
  ASSERT_EQ(https.requests.size(), 1u);
  EXPECT_EQ(https.requests[0].form,
            "grant_type=refresh_token&refresh_token=r&client_id=pigeon-client&client_secret=s"
            "&scope=https%3A%2F%2Fmail.google.com%2F");
  account.oauth2.client_secret_command.clear();
  account.oauth2.client_secret = "in-file";
  ASSERT_TRUE(
      RefreshAccessToken(account, https, Commands({{"pass show refresh", "r"}}, &ran), seconds(5)));
  EXPECT_NE(https.requests[1].form.find("&client_secret=in-file&"), std::string::npos);
}

TEST(RefreshAccessToken, EndpointErrorNamesTheEndpoint) {
  FakeHttpsClient https;
  https.reply = HttpsReply{
      400, R"({"error":"invalid_grant","error_description":"Token has been expired or revoked."})"};
  std::vector<std::string> ran;
  Result<BearerToken> token = RefreshAccessToken(
      OAuth2Account(), https, Commands({{"pass show refresh", "r"}}, &ran), seconds(5));
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().message,
            "oauth2: token endpoint https://oauth2.example.org/token: invalid_grant: Token has "
            "been expired or revoked.");
}

TEST(RefreshAccessToken, TransportFailureNamesTheEndpoint) {
  FakeHttpsClient https;
  https.reply = MakeError(ErrorCode::kIo, "certificate of oauth2.example.org not trusted: x");
  std::vector<std::string> ran;
  Result<BearerToken> token = RefreshAccessToken(
      OAuth2Account(), https, Commands({{"pass show refresh", "r"}}, &ran), seconds(5));
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().message,
            "oauth2: token endpoint https://oauth2.example.org/token: certificate of "
            "oauth2.example.org not trusted: x");
}

TEST(RefreshAccessToken, CommandFailuresStopBeforeTheNetwork) {
  FakeHttpsClient https;
  std::vector<std::string> ran;
  Result<BearerToken> token =
      RefreshAccessToken(OAuth2Account(), https, Commands({}, &ran), seconds(5));
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().message, "oauth2_refresh_token_command: failed (exit status 1)");
  token = RefreshAccessToken(OAuth2Account(), https, Commands({{"pass show refresh", ""}}, &ran),
                             seconds(5));
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().message, "oauth2_refresh_token_command: printed nothing");
  config::FetchAccount account = OAuth2Account();
  account.oauth2.client_secret_command = "false";
  token =
      RefreshAccessToken(account, https, Commands({{"pass show refresh", "r"}}, &ran), seconds(5));
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().message, "oauth2_client_secret_command: failed (exit status 1)");
  EXPECT_TRUE(https.requests.empty());
}

}  // namespace
}  // namespace pigeon::mua::fetch
