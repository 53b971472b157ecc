// The [[fetch]] accounts of pigeon.conf: URLs, defaults, folder mappings and the errors.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <vector>

#include "common/config/config.h"
#include "common/config/config_values.h"

namespace pigeon::config {
namespace {

using std::chrono::seconds;

class FetchConfigTest : public testing::Test {
 protected:
  void SetUp() override {
    setenv("HOME", "/home/tester", 1);
    setenv("USER", "tester", 1);
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("XDG_DATA_HOME");
  }
};

TEST_F(FetchConfigTest, NoAccountsByDefault) { EXPECT_TRUE(DefaultConfig().fetch.empty()); }

TEST_F(FetchConfigTest, MinimalAccountGetsTheDefaults) {
  Result<Config> config = ParseConfig(
      "[[fetch]]\nname = \"work\"\nurl = \"imaps://imap.example.org\"\nuser = \"ada\"\n"
      "password_command = \"pass show mail/work\"\n",
      "t.conf");
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->fetch.size(), 1u);
  const FetchAccount& account = config->fetch[0];
  EXPECT_EQ(account.name, "work");
  EXPECT_EQ(account.url, "imaps://imap.example.org");
  EXPECT_EQ(account.protocol, FetchProtocol::kImap);
  EXPECT_TRUE(account.implicit_tls);
  EXPECT_EQ(account.host, "imap.example.org");
  EXPECT_EQ(account.port, 993);
  EXPECT_EQ(account.user, "ada");
  EXPECT_EQ(account.password, "");
  EXPECT_EQ(account.password_command, "pass show mail/work");
  EXPECT_EQ(account.ca_file, "");
  EXPECT_TRUE(account.starttls);
  EXPECT_EQ(account.folders, (std::vector<FolderMapping>{{"INBOX", "INBOX"}}));
  EXPECT_TRUE(account.keep);
  EXPECT_EQ(account.interval, seconds(300));
}

TEST_F(FetchConfigTest, EveryKey) {
  Result<Config> config = ParseConfig(
      "[[fetch]]\nname = \"home\"\nurl = \"imap://[::1]:1143/\"\nuser = \"ada@example.org\"\n"
      "password = \"secret\"\nca_file = \"~/ca.pem\"\nstarttls = false\nkeep = false\n"
      "interval = \"10m\"\nfolders = { INBOX = \"home\", \"Lists/dev\" = \"lists/dev\" }\n"
      "[[fetch]]\nname = \"old\"\nurl = \"POP3S://Mail.Example.ORG:9995\"\nuser = \"a\"\n"
      "password = \"\"\nfolders = { inbox = \"old\" }\ninterval = 0\n",
      "t.conf");
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->fetch.size(), 2u);
  const FetchAccount& home = config->fetch[0];
  EXPECT_EQ(home.protocol, FetchProtocol::kImap);
  EXPECT_FALSE(home.implicit_tls);
  EXPECT_EQ(home.host, "::1");
  EXPECT_EQ(home.port, 1143);
  EXPECT_EQ(home.password, "secret");
  EXPECT_EQ(home.ca_file, "/home/tester/ca.pem");
  EXPECT_FALSE(home.starttls);
  EXPECT_FALSE(home.keep);
  EXPECT_EQ(home.interval, seconds(600));
  EXPECT_EQ(home.folders,
            (std::vector<FolderMapping>{{"INBOX", "home"}, {"Lists/dev", "lists/dev"}}));
  const FetchAccount& old = config->fetch[1];
  EXPECT_EQ(old.protocol, FetchProtocol::kPop3);
  EXPECT_EQ(old.interval, seconds(0));  // fetched only by hand
  EXPECT_TRUE(old.implicit_tls);
  EXPECT_EQ(old.host, "mail.example.org");
  EXPECT_EQ(old.port, 9995);
  EXPECT_EQ(old.folders, (std::vector<FolderMapping>{{"inbox", "old"}}));
}

TEST(FetchUrl, SchemesAndPorts) {
  struct Case {
    std::string url;
    FetchProtocol protocol;
    bool implicit_tls;
    std::string host;
    uint16_t port;
  };
  const std::vector<Case> cases = {
      {"imaps://h.example", FetchProtocol::kImap, true, "h.example", 993},
      {"imap://h.example", FetchProtocol::kImap, false, "h.example", 143},
      {"pop3s://h.example", FetchProtocol::kPop3, true, "h.example", 995},
      {"pop3://h.example/", FetchProtocol::kPop3, false, "h.example", 110},
      {"imaps://127.0.0.1:2993", FetchProtocol::kImap, true, "127.0.0.1", 2993},
      {"imap://[2001:db8::1]", FetchProtocol::kImap, false, "2001:db8::1", 143},
      {"imaps://localhost", FetchProtocol::kImap, true, "localhost", 993},
  };
  for (const Case& c : cases) {
    FetchAccount account;
    Result<void> parsed = ParseFetchUrl(c.url, &account);
    ASSERT_TRUE(parsed) << c.url << ": " << parsed.error().message;
    EXPECT_EQ(account.protocol, c.protocol) << c.url;
    EXPECT_EQ(account.implicit_tls, c.implicit_tls) << c.url;
    EXPECT_EQ(account.host, c.host) << c.url;
    EXPECT_EQ(account.port, c.port) << c.url;
  }
}

TEST(FetchUrl, Refused) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"https://h.example",
       "\"https://h.example\" is not an imaps://, imap://, pop3s:// or "
       "pop3:// URL"},
      {"imaps://", "\"imaps://\" has no host"},
      {"imaps://ada@h.example", "\"imaps://ada@h.example\" has a user: write it as user = …"},
      {"imaps://h.example/INBOX",
       "\"imaps://h.example/INBOX\" has a path: name remote folders in folders = { … }"},
      {"imaps://h.example:0", "\"imaps://h.example:0\" has a bad port (1 to 65535)"},
      {"imaps://h.example:99999", "\"imaps://h.example:99999\" has a bad port (1 to 65535)"},
      {"imaps://h.example:", "\"imaps://h.example:\" has an empty port"},
      {"imaps://[::1", "\"imaps://[::1\" has an unclosed ["},
      {"imaps://[zz]", "\"imaps://[zz]\" has a bad IPv6 address"},
  };
  for (const auto& [url, error] : cases) {
    FetchAccount account;
    Result<void> parsed = ParseFetchUrl(url, &account);
    ASSERT_FALSE(parsed) << url;
    EXPECT_EQ(parsed.error().message, error) << url;
  }
  FetchAccount account;
  EXPECT_FALSE(ParseFetchUrl("imaps://bad_name.example", &account));
}

TEST_F(FetchConfigTest, PasswordIsTheDefaultAuth) {
  Result<Config> config = ParseConfig(
      "[[fetch]]\nname = \"w\"\nurl = \"imaps://h.example\"\nuser = \"u\"\npassword = \"p\"\n"
      "auth = \"password\"\n",
      "t.conf");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->fetch[0].auth, FetchAuth::kPassword);
  EXPECT_EQ(config->fetch[0].oauth2, OAuth2Settings{});
}

TEST_F(FetchConfigTest, OAuth2Account) {
  Result<Config> config = ParseConfig(
      "[[fetch]]\nname = \"gmail\"\nurl = \"imaps://imap.gmail.com\"\nuser = \"ada@gmail.com\"\n"
      "auth = \"oauth2\"\noauth2_token_url = \"https://oauth2.googleapis.com/token\"\n"
      "oauth2_client_id = \"123.apps.googleusercontent.com\"\n"
      "oauth2_client_secret = \"GOCSPX-x\"\n"
      "oauth2_refresh_token_command = \"pass show gmail-refresh\"\n"
      "oauth2_scope = \"https://mail.google.com/\"\noauth2_mechanism = \"xoauth2\"\n"
      "oauth2_ca_file = \"~/google-ca.pem\"\n"
      "[[fetch]]\nname = \"outlook\"\nurl = \"pop3://outlook.office365.com\"\nuser = \"a\"\n"
      "auth = \"oauth2\"\noauth2_token_url = \"HTTPS://[::1]:8443/common/oauth2/v2.0/token?x=1\"\n"
      "oauth2_client_id = \"c\"\noauth2_client_secret_command = \"pass show secret\"\n"
      "oauth2_refresh_token_command = \"pass show r\"\n",
      "t.conf");
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->fetch.size(), 2u);
  const FetchAccount& gmail = config->fetch[0];
  EXPECT_EQ(gmail.auth, FetchAuth::kOAuth2);
  EXPECT_EQ(gmail.password, "");
  EXPECT_EQ(gmail.password_command, "");
  EXPECT_EQ(gmail.oauth2,
            (OAuth2Settings{"https://oauth2.googleapis.com/token", "123.apps.googleusercontent.com",
                            "GOCSPX-x", "", "pass show gmail-refresh", "https://mail.google.com/",
                            "/home/tester/google-ca.pem", OAuth2Mechanism::kXoauth2}));
  const FetchAccount& outlook = config->fetch[1];
  EXPECT_EQ(outlook.oauth2,
            (OAuth2Settings{"HTTPS://[::1]:8443/common/oauth2/v2.0/token?x=1", "c", "",
                            "pass show secret", "pass show r", "", "", OAuth2Mechanism::kAuto}));
  for (const auto& [text, mechanism] : {std::pair{"auto", OAuth2Mechanism::kAuto},
                                        {"oauthbearer", OAuth2Mechanism::kOauthbearer}}) {
    Result<Config> one = ParseConfig(
        std::string("[[fetch]]\nname = \"w\"\nurl = \"imaps://h.example\"\nuser = \"u\"\n"
                    "auth = \"oauth2\"\noauth2_token_url = \"https://t.example/\"\n"
                    "oauth2_client_id = \"c\"\noauth2_refresh_token_command = \"r\"\n"
                    "oauth2_mechanism = \"") +
            text + "\"\n",
        "t.conf");
    ASSERT_TRUE(one) << one.error().message;
    EXPECT_EQ(one->fetch[0].oauth2.mechanism, mechanism) << text;
  }
}

TEST_F(FetchConfigTest, HttpsUrls) {
  for (const char* good : {"https://h.example", "https://h.example:8443/token",
                           "https://127.0.0.1/t?a=b&c=d", "https://[::1]:1/x"}) {
    EXPECT_TRUE(CheckHttpsUrl(good)) << good;
  }
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"http://h.example/token",
       "\"http://h.example/token\" is not an https:// URL (the token endpoint must use TLS)"},
      {"https://", "\"https://\" has no host"},
      {"https:///token", "\"https:///token\" has no host"},
      {"https://u:p@h.example/", "\"https://u:p@h.example/\" has a user part"},
      {"https://h.example/#x", "\"https://h.example/#x\" has a fragment (#)"},
      {"https://h.example/a b",
       "\"https://h.example/a b\" has spaces, control characters or "
       "non-ASCII octets"},
      {"https://[::1/x", "\"https://[::1/x\" has an unclosed ["},
  };
  for (const auto& [url, error] : bad) {
    Result<void> checked = CheckHttpsUrl(url);
    ASSERT_FALSE(checked) << url;
    EXPECT_EQ(checked.error().message, error) << url;
  }
}

TEST_F(FetchConfigTest, BadOAuth2Accounts) {
  const std::string head = "[[fetch]]\nname = \"w\"\nurl = \"imaps://h.example\"\nuser = \"u\"\n";
  const std::string oauth2 = head +
                             "auth = \"oauth2\"\noauth2_token_url = \"https://t.example/token\"\n"
                             "oauth2_client_id = \"c\"\noauth2_refresh_token_command = \"r\"\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {head + "auth = \"xoauth\"\n",
       "t.conf:5:8: fetch.auth: expected \"password\" or \"oauth2\", got \"xoauth\""},
      {head + "auth = true\n", "t.conf:5:8: fetch.auth: expected a string, got a boolean"},
      {oauth2 + "oauth2_client = \"x\"\n", "t.conf:9:1: unknown key 'fetch.oauth2_client'"},
      {head + "password = \"p\"\noauth2_client_id = \"c\"\n",
       "t.conf:1:1: fetch \"w\": oauth2_client_id needs auth = \"oauth2\""},
      {oauth2 + "password = \"p\"\n",
       "t.conf:1:1: fetch \"w\": auth = \"oauth2\" takes no password (the refresh token comes "
       "from oauth2_refresh_token_command)"},
      {oauth2 + "password_command = \"p\"\n",
       "t.conf:1:1: fetch \"w\": auth = \"oauth2\" takes no password (the refresh token comes "
       "from oauth2_refresh_token_command)"},
      {head + "auth = \"oauth2\"\noauth2_client_id = \"c\"\noauth2_refresh_token_command = \"r\"\n",
       "t.conf:1:1: fetch \"w\": auth = \"oauth2\" needs oauth2_token_url"},
      {head + "auth = \"oauth2\"\noauth2_token_url = \"https://t.example\"\n"
              "oauth2_refresh_token_command = \"r\"\n",
       "t.conf:1:1: fetch \"w\": auth = \"oauth2\" needs oauth2_client_id"},
      {head + "auth = \"oauth2\"\noauth2_token_url = \"https://t.example\"\n"
              "oauth2_client_id = \"c\"\n",
       "t.conf:1:1: fetch \"w\": auth = \"oauth2\" needs oauth2_refresh_token_command"},
      {oauth2 + "oauth2_client_secret = \"s\"\noauth2_client_secret_command = \"x\"\n",
       "t.conf:1:1: fetch \"w\": give oauth2_client_secret or oauth2_client_secret_command, not "
       "both"},
      {oauth2 + "oauth2_mechanism = \"plain\"\n",
       "t.conf:9:20: fetch.oauth2_mechanism: expected \"auto\", \"xoauth2\" or \"oauthbearer\", "
       "got \"plain\""},
      {head + "oauth2_token_url = \"http://t.example/token\"\n",
       "t.conf:5:20: fetch.oauth2_token_url: \"http://t.example/token\" is not an https:// URL "
       "(the token endpoint must use TLS)"},
      {head + "oauth2_client_id = \"\"\n", "t.conf:5:20: fetch.oauth2_client_id: cannot be empty"},
      {head + "oauth2_refresh_token_command = 1\n",
       "t.conf:5:32: fetch.oauth2_refresh_token_command: expected a string, got an integer"},
      {head + "oauth2_refresh_token_command = \"\"\n",
       "t.conf:5:32: fetch.oauth2_refresh_token_command: cannot be empty"},
      {"[[fetch]]\nname = \"w\"\nurl = \"imap://h.example\"\nuser = \"u\"\nstarttls = false\n"
       "auth = \"oauth2\"\noauth2_token_url = \"https://t.example/token\"\n"
       "oauth2_client_id = \"c\"\noauth2_refresh_token_command = \"r\"\n",
       "t.conf:1:1: fetch \"w\": auth = \"oauth2\" sends a bearer token and needs TLS "
       "(starttls = false)"},
  };
  for (const auto& [text, error] : cases) {
    Result<Config> got = ParseConfig(text, "t.conf");
    if (got) {
      ADD_FAILURE() << "accepted: " << text;
      continue;
    }
    EXPECT_EQ(got.error().message, error) << text;
  }
}

TEST_F(FetchConfigTest, BadAccounts) {
  const std::string head = "[[fetch]]\nname = \"w\"\nurl = \"imaps://h.example\"\nuser = \"u\"\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"fetch = 1\n", "t.conf:1:9: fetch: expected an array of tables ([[fetch]]), got an integer"},
      {"[fetch]\nname = \"w\"\n",
       "t.conf:1:1: fetch: expected an array of tables ([[fetch]]), got a table"},
      {head + "password = \"p\"\npasword = \"x\"\n", "t.conf:6:1: unknown key 'fetch.pasword'"},
      {"[[fetch]]\nurl = \"imaps://h.example\"\n", "t.conf:1:1: fetch: missing name"},
      {"[[fetch]]\nname = \"w\"\nuser = \"u\"\npassword = \"p\"\n",
       "t.conf:1:1: fetch \"w\": missing url"},
      {"[[fetch]]\nname = \"w\"\nurl = \"imaps://h.example\"\npassword = \"p\"\n",
       "t.conf:1:1: fetch \"w\": missing user"},
      {head, "t.conf:1:1: fetch \"w\": give either password or password_command"},
      {head + "password = \"p\"\npassword_command = \"pass x\"\n",
       "t.conf:1:1: fetch \"w\": give either password or password_command"},
      {head + "password = \"p\"\nstarttls = false\n",
       "t.conf:6:12: fetch \"w\": starttls is for imap:// and pop3:// URLs"},
      {"[[fetch]]\nname = \"w\"\nurl = \"pop3s://h.example\"\nuser = \"u\"\npassword = \"p\"\n"
       "folders = { Sent = \"x\" }\n",
       "t.conf:6:11: fetch \"w\": a POP3 server has one folder: folders = { INBOX = \"…\" }"},
      {head + "password = \"p\"\n" + head + "password = \"q\"\n",
       "t.conf:7:8: fetch: account \"w\" is defined twice"},
      {head + "password = \"p\"\nurl = \"imaps://h.example/x\"\n",
       "t.conf:6:7: Error while parsing key-value pair: cannot redefine existing string 'url'"},
      {"[[fetch]]\nname = \"a b\"\n",
       "t.conf:2:8: fetch.name: cannot contain spaces or control "
       "characters"},
      {"[[fetch]]\nname = \"w\"\nurl = \"imaps://h.example/x\"\n",
       "t.conf:3:7: fetch.url: \"imaps://h.example/x\" has a path: name remote folders in "
       "folders = { … }"},
      {head + "password = \"p\"\nkeep = \"no\"\n",
       "t.conf:6:8: fetch.keep: expected true or false, got a string"},
      {head + "password = \"p\"\ninterval = -1\n",
       "t.conf:6:12: fetch.interval: must be 0 (fetched only by hand) or more"},
      {head + "password = \"p\"\ninterval = \"0s\"\n",
       "t.conf:6:12: fetch.interval: must be more than 0"},
      {head + "password = \"p\"\nfolders = {}\n", "t.conf:6:11: fetch.folders: names no folder"},
      {head + "password = \"p\"\nfolders = { INBOX = \"\" }\n",
       "t.conf:6:21: fetch.folders: a folder name cannot be empty"},
      {head + "password = \"p\"\nfolders = { INBOX = 3 }\n",
       "t.conf:6:21: fetch.folders: expected a string, got an integer"},
      {head + "password = \"p\"\nfolders = [\"INBOX\"]\n",
       "t.conf:6:11: fetch.folders: expected a table such as { INBOX = \"INBOX\" }, got an array"},
  };
  for (const auto& [text, error] : cases) {
    Result<Config> got = ParseConfig(text, "t.conf");
    if (got) {
      ADD_FAILURE() << "accepted: " << text;
      continue;
    }
    EXPECT_EQ(got.error().message, error) << text;
    EXPECT_EQ(got.error().code, ErrorCode::kParse) << text;
  }
}

}  // namespace
}  // namespace pigeon::config
