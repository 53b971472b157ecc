#include "common/config/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "common/config/config_values.h"
#include "common/config/domain_name.h"
#include "tests/support/temp_directory.h"

namespace pigeon::config {
namespace {

using std::chrono::seconds;

// Every test runs in a known environment: DefaultConfig() reads it.
class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.empty());
    setenv("HOME", "/home/tester", 1);
    setenv("USER", "tester", 1);
    setenv("LOGNAME", "tester-login", 1);
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("XDG_DATA_HOME");
  }

  std::string Write(const std::string& name, std::string_view text) {
    const std::string path = (dir_ / name).string();
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
    return path;
  }

  // A directory of its own: ctest runs the tests of this file as parallel processes.
  testing::TempDirectory temp_{"config-test"};
  const std::filesystem::path dir_{temp_.path()};
};

TEST_F(ConfigTest, DefaultConfigIsTheLocalProfile) {
  const Config config = DefaultConfig();
  EXPECT_EQ(config.path, "");
  EXPECT_EQ(config.owner, "tester@localhost");
  EXPECT_EQ(config.owner_name, "");
  EXPECT_EQ(config.store_path, "/home/tester/.local/share/pigeon/pigeon.db");
  EXPECT_EQ(config.smtpd.listen, (std::vector<ListenAddress>{{"127.0.0.1", 2525}}));
  EXPECT_TRUE(config.smtpd.submission.empty());
  EXPECT_FALSE(config.smtpd.hostname.empty());
  EXPECT_TRUE(NormalizeDomainName(config.smtpd.hostname));
  EXPECT_EQ(config.smtpd.local_domains, std::vector<std::string>{"localhost"});
  EXPECT_EQ(config.smtpd.local_users, std::vector<std::string>{"tester"});
  EXPECT_EQ(config.smtpd.aliases_file, "");
  EXPECT_EQ(config.smtpd.max_message_size, 50u << 20);
  EXPECT_EQ(config.smtpd.max_recipients, 100u);
  EXPECT_EQ(config.smtpd.command_timeout, seconds(300));
  EXPECT_EQ(config.smtpd.data_timeout, seconds(600));
  EXPECT_EQ(config.smtpd.log, "stderr");
  EXPECT_EQ(DefaultConfigPath(), "/home/tester/.config/pigeon/pigeon.conf");
}

TEST_F(ConfigTest, DefaultConfigFollowsTheEnvironment) {
  unsetenv("USER");
  EXPECT_EQ(DefaultConfig().owner, "tester-login@localhost");
  setenv("USER", "bad name@x", 1);  // not a local part: the next source is used
  EXPECT_EQ(DefaultConfig().owner, "tester-login@localhost");

  setenv("XDG_DATA_HOME", "/data", 1);
  EXPECT_EQ(DefaultConfig().store_path, "/data/pigeon/pigeon.db");

  const std::string config_home = (dir_ / "xdg").string();
  setenv("XDG_CONFIG_HOME", config_home.c_str(), 1);
  EXPECT_EQ(DefaultConfigPath(), config_home + "/pigeon/pigeon.conf");
  EXPECT_EQ(DefaultConfig().smtpd.aliases_file, "");  // only when the file exists
  const std::string aliases = Write("xdg/pigeon/aliases", "root: tester\n");
  EXPECT_EQ(DefaultConfig().smtpd.aliases_file, aliases);

  setenv("XDG_CONFIG_HOME", "relative", 1);  // the XDG spec ignores relative paths
  EXPECT_EQ(DefaultConfigPath(), "/home/tester/.config/pigeon/pigeon.conf");
}

struct GoodCase {
  const char* name;
  std::string_view text;
  std::function<void(Config&)> change;  // applied to DefaultConfig() to give the expectation
};

TEST_F(ConfigTest, GoodFiles) {
  const std::vector<GoodCase> cases = {
      {"empty file", "", [](Config&) {}},
      {"comments only", "# nothing here\n\n", [](Config&) {}},
      {"owner sets the local user and domain",
       "owner = \"Ada@B\xC3\xBC"
       "cher.Example\"\nowner_name = \"Ada Lovelace\"\n",
       [](Config& c) {
         c.owner = "Ada@xn--bcher-kva.example";
         c.owner_name = "Ada Lovelace";
         c.smtpd.local_domains = {"xn--bcher-kva.example"};
         c.smtpd.local_users = {"Ada"};
       }},
      {"explicit users and domains win over the owner's",
       "owner = \"ada@example.org\"\n[smtpd]\nlocal_domains = [\"Example.ORG\", \"m\xC3\xBC"
       "nchen.example\", \"example.org\", \"localhost\"]\nlocal_users = [\"ada\", \"bob\"]\n",
       [](Config& c) {
         c.owner = "ada@example.org";
         c.smtpd.local_domains = {"example.org", "xn--mnchen-3ya.example", "localhost"};
         c.smtpd.local_users = {"ada", "bob"};
       }},
      {"a plus tag in the owner is not part of the user", "owner = \"ada+pigeon@example.org\"\n",
       [](Config& c) {
         c.owner = "ada+pigeon@example.org";
         c.smtpd.local_domains = {"example.org"};
         c.smtpd.local_users = {"ada"};
       }},
      {"an owner that is no user name is fine with explicit users",
       "owner = \"a%b@example.org\"\nsmtpd.local_users = [\"ada\"]\n",
       [](Config& c) {
         c.owner = "a%b@example.org";
         c.smtpd.local_domains = {"example.org"};
         c.smtpd.local_users = {"ada"};
       }},
      {"no local domains at all", "[smtpd]\nlocal_domains = []\n",
       [](Config& c) { c.smtpd.local_domains = {}; }},
      {"paths with ~/",
       "store = \"~/mail/pigeon.db\"\n[smtpd]\naliases_file = \"~/.aliases\"\n"
       "tls_certificate = \"/etc/ssl/mx.pem\"\ntls_key = \"~\"\n",
       [](Config& c) {
         c.store_path = "/home/tester/mail/pigeon.db";
         c.smtpd.aliases_file = "/home/tester/.aliases";
         c.smtpd.tls_certificate = "/etc/ssl/mx.pem";
         c.smtpd.tls_key = "/home/tester";
       }},
      {"listeners",
       "[smtpd]\nlisten = [\"0.0.0.0:25\", \"[::]:25\", \"[::1]:2525\"]\n"
       "submission = [\"127.0.0.1:587\", \"[2001:db8::1]:587\"]\n",
       [](Config& c) {
         c.smtpd.listen = {{"0.0.0.0", 25}, {"::", 25}, {"::1", 2525}};
         c.smtpd.submission = {{"127.0.0.1", 587}, {"2001:db8::1", 587}};
       }},
      {"no port 25 listener", "[smtpd]\nlisten = []\n", [](Config& c) { c.smtpd.listen = {}; }},
      {"sizes and counts as integers",
       "[smtpd]\nmax_message_size = 1048576\nmax_recipients = 100\nmax_connections = 1\n"
       "max_connections_per_ip = 3\n",
       [](Config& c) {
         c.smtpd.max_message_size = 1048576;
         c.smtpd.max_recipients = 100;
         c.smtpd.max_connections = 1;
         c.smtpd.max_connections_per_ip = 3;
       }},
      {"size in k", "[smtpd]\nmax_message_size = \"10k\"\n",
       [](Config& c) { c.smtpd.max_message_size = 10240; }},
      {"size in M", "[smtpd]\nmax_message_size = \"50M\"\n",
       [](Config& c) { c.smtpd.max_message_size = 50u << 20; }},
      {"size in g", "[smtpd]\nmax_message_size = \"1g\"\n",
       [](Config& c) { c.smtpd.max_message_size = 1u << 30; }},
      {"size string of bytes", "[smtpd]\nmax_message_size = \"123\"\n",
       [](Config& c) { c.smtpd.max_message_size = 123; }},
      {"timeouts as integers", "[smtpd]\ncommand_timeout = 45\ndata_timeout = 86400\n",
       [](Config& c) {
         c.smtpd.command_timeout = seconds(45);
         c.smtpd.data_timeout = seconds(86400);
       }},
      {"timeouts with units", "[smtpd]\ncommand_timeout = \"5m\"\ndata_timeout = \"1h\"\n",
       [](Config& c) {
         c.smtpd.command_timeout = seconds(300);
         c.smtpd.data_timeout = seconds(3600);
       }},
      {"timeouts in s and bare", "[smtpd]\ncommand_timeout = \"30s\"\ndata_timeout = \"90\"\n",
       [](Config& c) {
         c.smtpd.command_timeout = seconds(30);
         c.smtpd.data_timeout = seconds(90);
       }},
      {"accounts",
       "[[smtpd.account]]\nuser = \"ada\"\npassword_hash = \"$y$j9T$salt$hash\"\n"
       "[[smtpd.account]]\nuser = \"bob@example.org\"\npassword_hash = \"$6$salt$hash\"\n",
       [](Config& c) {
         c.smtpd.accounts = {{"ada", "$y$j9T$salt$hash"}, {"bob@example.org", "$6$salt$hash"}};
       }},
      {"inline accounts and an empty list",
       "smtpd.account = [{user = \"ada\", password_hash = \"$y$x\"}]\n",
       [](Config& c) {
         c.smtpd.accounts = {{"ada", "$y$x"}};
       }},
      {"no accounts", "smtpd.account = []\n", [](Config&) {}},
      {"inline smtpd table and dotted keys",
       "smtpd = { hostname = \"MX.Example.org\", log = \"syslog\", user = \"pigeon\" }\n",
       [](Config& c) {
         c.smtpd.hostname = "mx.example.org";
         c.smtpd.log = "syslog";
         c.smtpd.user = "pigeon";
       }},
      {"dotted keys at the top", "smtpd.max_recipients = 1000\n",
       [](Config& c) { c.smtpd.max_recipients = 1000; }},
      {"empty aliases file and TLS paths mean none",
       "[smtpd]\naliases_file = \"\"\ntls_certificate = \"\"\ntls_key = \"\"\n", [](Config&) {}},
      {"delivery through a relay host",
       "[delivery]\nrelayhost = \"smtp.example.org:465\"\nrelay_user = \"ada\"\n"
       "relay_password_command = \"pass show mail\"\ntls = \"verify\"\nport = 2525\n"
       "dns_servers = [\"127.0.0.1:5353\", \"[::1]:53\"]\nhelo_name = \"Mail.Example.org\"\n"
       "retry_first = \"1m\"\nretry_max = \"2h\"\nmax_lifetime = \"3d\"\n"
       "delay_warning = 0\nconnect_timeout = 10\nmax_connections = 50\n"
       "max_connections_per_domain = 2\nprefer_ipv6 = true\n",
       [](Config& c) {
         DeliveryConfig& d = c.delivery;
         d.relayhost = "smtp.example.org:465";
         d.relay_user = "ada";
         d.relay_password_command = "pass show mail";
         d.tls = "verify";
         d.port = 2525;
         d.dns_servers = {"127.0.0.1:5353", "[::1]:53"};
         d.helo_name = "mail.example.org";
         d.retry_first = seconds(60);
         d.retry_max = seconds(7200);
         d.max_lifetime = seconds(3 * 86400);
         d.delay_warning = seconds(0);
         d.connect_timeout = seconds(10);
         d.max_connections = 50;
         d.max_connections_per_domain = 2;
         d.prefer_ipv6 = true;
       }},
      {"the reader forwards as an attachment", "[reader]\nmime_forward = true\n",
       [](Config& c) { c.reader.mime_forward = true; }},
      {"new mail rings and runs a command",
       "[reader]\nnew_mail_bell = true\nnew_mail_command = \"notify-send\"\n",
       [](Config& c) {
         c.reader.new_mail_bell = true;
         c.reader.new_mail_command = "notify-send";
       }},
      {"the sidebar shows at start", "[reader]\nsidebar = true\nsidebar_width = 24\n",
       [](Config& c) {
         c.reader.sidebar = true;
         c.reader.sidebar_width = 24;
       }},
      {"identities",
       "[[identity]]\nfrom = \"Ada <ada@work.example>\"\naddresses = [\"*@work.example\"]\n"
       "signature = \"Ada\"\nfcc = \"Sent/work\"\n",
       [](Config& c) {
         c.identities = {{"Ada <ada@work.example>", {"*@work.example"}, "Ada", "", "Sent/work"}};
       }},
      {"colours, muttrc's color lines", "[reader]\ncolor = [\"indicator black cyan\"]\n",
       [](Config& c) { c.reader.colors = {"indicator black cyan"}; }},
      {"the index sorted by threads", "[reader]\nsort = \"reverse-threads\"\n",
       [](Config& c) { c.reader.sort = "reverse-threads"; }},
      {"mutt's index and date formats",
       "[reader]\nindex_format = \"%Z %{%b %d} %-15.15L %s\"\ndate_format = \"!%d.%m.%y\"\n",
       [](Config& c) {
         c.reader.index_format = "%Z %{%b %d} %-15.15L %s";
         c.reader.date_format = "!%d.%m.%y";
       }},
      {"mailcap files", "[reader]\nmailcap_path = \"~/my.mailcap:/etc/mailcap\"\n",
       [](Config& c) { c.reader.mailcap_path = "~/my.mailcap:/etc/mailcap"; }},
      {"undo send held for a minute", "[reader]\nundo_send_delay = \"1m\"\n",
       [](Config& c) { c.reader.undo_send_delay = seconds(60); }},
      {"undo send off", "[reader]\nundo_send_delay = 0\n",
       [](Config& c) { c.reader.undo_send_delay = seconds(0); }},
      {"key bindings, muttrc's bind lines",
       "[reader]\nbind = [\"index,pager  <Space>\\tnext-page\", \"pager x noop\"]\n",
       [](Config& c) {
         c.reader.bindings = {
             {{"index", "pager"}, "<Space>", "next-page", "index,pager  <Space>\tnext-page"},
             {{"pager"}, "x", "noop", "pager x noop"}};
       }},
  };
  for (const GoodCase& c : cases) {
    Result<Config> got = ParseConfig(c.text, "t.conf");
    if (!got) {
      ADD_FAILURE() << c.name << ": " << got.error().message;
      continue;
    }
    Config want = DefaultConfig();
    want.path = "t.conf";
    c.change(want);
    EXPECT_EQ(*got, want) << c.name;
  }
}

TEST_F(ConfigTest, RealHostExample) {
  // The example of man/pigeon.conf.5.
  constexpr std::string_view kText = R"(owner = "ada@example.org"
owner_name = "Ada Lovelace"

[smtpd]
hostname = "mx.example.org"
listen = ["0.0.0.0:25", "[::]:25"]
submission = ["0.0.0.0:587", "[::]:587"]
local_domains = ["example.org", "lovelace.example"]
local_users = ["ada"]
aliases_file = "~/.config/pigeon/aliases"
tls_certificate = "/etc/letsencrypt/live/mx.example.org/fullchain.pem"
tls_key = "/etc/letsencrypt/live/mx.example.org/privkey.pem"
max_message_size = "50M"
user = "pigeon"
log = "syslog"

[[smtpd.account]]
user = "ada"
password_hash = "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7"
)";
  Result<Config> config = ParseConfig(kText, "/etc/pigeon.conf");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->path, "/etc/pigeon.conf");
  EXPECT_EQ(config->smtpd.listen, (std::vector<ListenAddress>{{"0.0.0.0", 25}, {"::", 25}}));
  EXPECT_EQ(config->smtpd.submission, (std::vector<ListenAddress>{{"0.0.0.0", 587}, {"::", 587}}));
  EXPECT_EQ(config->smtpd.local_domains,
            (std::vector<std::string>{"example.org", "lovelace.example"}));
  EXPECT_EQ(config->smtpd.aliases_file, "/home/tester/.config/pigeon/aliases");
  ASSERT_EQ(config->smtpd.accounts.size(), 1u);
  EXPECT_EQ(config->smtpd.accounts[0].user, "ada");
}

struct BadCase {
  std::string_view text;
  std::string error;
};

TEST_F(ConfigTest, BadFiles) {
  // The cases' text is a view: these outlive it.
  const std::string long_index_format =
      "[reader]\nindex_format = \"" + std::string(257, 'x') + "\"\n";
  const std::string long_date_format = "[reader]\ndate_format = \"" + std::string(65, 'x') + "\"\n";
  const std::vector<BadCase> cases = {
      // TOML itself.
      {"owner = \n", "t.conf:1:9: Error while parsing key-value pair: expected value, saw '\\n'"},
      {"owner = \"a@b.example\"\nowner = \"c@d.example\"\n",
       "t.conf:2:9: Error while parsing key-value pair: cannot redefine existing string "
       "'owner'"},
      {"[smtpd]\n[smtpd]\n",
       "t.conf:2:1: Error while parsing table header: cannot redefine existing table 'smtpd'"},
      {"owner = \"\xff\"\n", "t.conf:1:9: Encountered invalid utf-8 sequence"},
      // toml++ 3.3 met undefined behaviour on these (marzer/tomlplusplus#190).
      {"s = \"\"\"\\\n\xC2\xA7\"\"\"\n", "t.conf:1:1: unknown key 's'"},
      {"subFF\xC3\xBC = 1\n",
       "t.conf:1:6: Error while parsing key-value pair: expected '=', saw '\xC3\xBC'"},
      // Unknown keys, at every level; the first in the file is reported.
      {"foo = 1\n", "t.conf:1:1: unknown key 'foo'"},
      {"store = \"/x\"\nzzz = 1\naaa = 2\n", "t.conf:2:1: unknown key 'zzz'"},
      {"[smtpd]\nlisen = [\"127.0.0.1:25\"]\n", "t.conf:2:1: unknown key 'smtpd.lisen'"},
      {"[smtpd.tls]\ncert = \"x\"\n", "t.conf:1:8: unknown key 'smtpd.tls'"},
      {"smtpd.listn = []\n", "t.conf:1:7: unknown key 'smtpd.listn'"},
      {"[smtpd]\naccounts = []\n", "t.conf:2:1: unknown key 'smtpd.accounts'"},
      {"[reader]\nmime_fwd = true\n", "t.conf:2:1: unknown key 'reader.mime_fwd'"},
      {"[reader]\nsort = \"subject\"\n",
       "t.conf:2:8: reader.sort: expected \"date\", \"reverse-date\", \"threads\" or "
       "\"reverse-threads\""},
      {"[[smtpd.account]]\nuser = \"ada\"\npassword_hash = \"$y$x\"\npassword = \"x\"\n",
       "t.conf:4:1: unknown key 'smtpd.account.password'"},
      // Wrong types.
      {"owner = 5\n", "t.conf:1:9: owner: expected a string, got an integer"},
      {"owner_name = []\n", "t.conf:1:14: owner_name: expected a string, got an array"},
      {"store = true\n", "t.conf:1:9: store: expected a string, got a boolean"},
      {"smtpd = 1\n", "t.conf:1:9: smtpd: expected a table ([smtpd]), got an integer"},
      {"reader = 1\n", "t.conf:1:10: reader: expected a table ([reader]), got an integer"},
      {"[reader]\nmime_forward = \"yes\"\n",
       "t.conf:2:16: reader.mime_forward: expected true or false, got a string"},
      {"[[identity]]\nsignature = \"x\"\n", "t.conf:1:1: identity: missing from"},
      {"[[identity]]\nfrom = \"not an address\"\n",
       "t.conf:2:8: identity.from: expected one address, as \"Name <local@domain>\""},
      {"[[identity]]\nfrom = \"a@b.example\"\nfcc = \"Sent\"\ncolor = 1\n",
       "t.conf:4:1: unknown key 'identity.color'"},
      {"[reader]\nsidebar_width = 0\n",
       "t.conf:2:17: reader.sidebar_width: must be at least 1, got 0"},
      {"[reader]\nsidebar_width = 500\n",
       "t.conf:2:17: reader.sidebar_width: must be at most 200, got 500"},
      {long_index_format, "t.conf:2:16: reader.index_format: must be at most 256 bytes, got 257"},
      {long_date_format, "t.conf:2:15: reader.date_format: must be at most 64 bytes, got 65"},
      {"[reader]\ndate_format = 1\n",
       "t.conf:2:15: reader.date_format: expected a string, got an integer"},
      {"[reader]\nmailcap_path = 1\n",
       "t.conf:2:16: reader.mailcap_path: expected a string, got an integer"},
      {"[reader]\nbind = \"index j next-entry\"\n",
       "t.conf:2:8: reader.bind: expected an array, got a string"},
      {"[reader]\nbind = [\"index j\"]\n",
       "t.conf:2:9: reader.bind: \"index j\": expected \"SCREEN KEY FUNCTION\", as "
       "\"index,pager "
       "<Space> next-page\""},
      {"[reader]\nbind = [\"index,editor j next-entry\"]\n",
       "t.conf:2:9: reader.bind: \"index,editor j next-entry\": unknown screen \"editor\" "
       "(index, pager, attach, outbox or compose)"},
      {"[smtpd]\nlisten = \"127.0.0.1:25\"\n",
       "t.conf:2:10: smtpd.listen: expected an array of \"ADDRESS:PORT\" strings, got a string"},
      {"[smtpd]\nlisten = [25]\n", "t.conf:2:11: smtpd.listen: expected a string, got an integer"},
      {"[smtpd]\nmax_recipients = \"100\"\n",
       "t.conf:2:18: smtpd.max_recipients: expected an integer, got a string"},
      {"[smtpd]\nmax_message_size = 1.5\n",
       "t.conf:2:20: smtpd.max_message_size: expected bytes or a size such as \"50M\", got a "
       "floating-point number"},
      {"[smtpd]\ncommand_timeout = true\n",
       "t.conf:2:19: smtpd.command_timeout: expected seconds or a duration such as \"5m\", got a "
       "boolean"},
      {"[smtpd]\ndata_timeout = 1979-05-27\n",
       "t.conf:2:16: smtpd.data_timeout: expected seconds or a duration such as \"5m\", got a "
       "date"},
      {"[smtpd]\nlocal_domains = \"example.org\"\n",
       "t.conf:2:17: smtpd.local_domains: expected an array, got a string"},
      {"[smtpd]\nlocal_users = [\"ada\", 1]\n",
       "t.conf:2:23: smtpd.local_users: expected a string, got an integer"},
      {"[smtpd.account]\nuser = \"ada\"\n",
       "t.conf:1:1: smtpd.account: expected an array of tables ([[smtpd.account]]), got a table"},
      {"[smtpd]\nlog = 1\n", "t.conf:2:7: smtpd.log: expected a string, got an integer"},
      {"[smtpd]\nhostname = 1\n", "t.conf:2:12: smtpd.hostname: expected a string, got an integer"},
      {"[[smtpd.account]]\nuser = 1\npassword_hash = \"$y$x\"\n",
       "t.conf:2:8: smtpd.account.user: expected a string, got an integer"},
      // Listen addresses.
      {"[smtpd]\nlisten = [\"127.0.0.1:0\"]\n",
       "t.conf:2:11: smtpd.listen: \"127.0.0.1:0\": port must be 1 to 65535"},
      {"[smtpd]\nsubmission = [\"[::1]:65536\"]\n",
       "t.conf:2:15: smtpd.submission: \"[::1]:65536\": port must be 1 to 65535"},
      {"[smtpd]\nlisten = [\"127.0.0.1:x\"]\n",
       "t.conf:2:11: smtpd.listen: \"127.0.0.1:x\" is not ADDRESS:PORT (such as \"127.0.0.1:25\" "
       "or \"[::1]:25\")"},
      {"[smtpd]\nlisten = [\"localhost:25\"]\n",
       "t.conf:2:11: smtpd.listen: \"localhost:25\" is not ADDRESS:PORT (such as \"127.0.0.1:25\" "
       "or \"[::1]:25\")"},
      {"[smtpd]\nlisten = [\"::1:25\"]\n",
       "t.conf:2:11: smtpd.listen: \"::1:25\" is not ADDRESS:PORT (such as \"127.0.0.1:25\" or "
       "\"[::1]:25\")"},
      {"[smtpd]\nlisten = [\"127.0.0.1\"]\n",
       "t.conf:2:11: smtpd.listen: \"127.0.0.1\" is not ADDRESS:PORT (such as \"127.0.0.1:25\" or "
       "\"[::1]:25\")"},
      {"[smtpd]\nlisten = [\"127.0.0.1:25\"]\nsubmission = [\"127.0.0.1:25\"]\n",
       "t.conf:3:15: smtpd.submission: \"127.0.0.1:25\" appears twice in listen and submission"},
      // Sizes, counts and durations.
      {"[smtpd]\nmax_message_size = \"50X\"\n",
       "t.conf:2:20: smtpd.max_message_size: \"50X\" is not a size (bytes, or with a k, M or G "
       "suffix: \"50M\")"},
      {"[smtpd]\nmax_message_size = \"-5M\"\n",
       "t.conf:2:20: smtpd.max_message_size: \"-5M\" is not a size (bytes, or with a k, M or G "
       "suffix: \"50M\")"},
      {"[smtpd]\nmax_message_size = 0\n",
       "t.conf:2:20: smtpd.max_message_size: must be more than 0"},
      {"[smtpd]\nmax_message_size = \"0k\"\n",
       "t.conf:2:20: smtpd.max_message_size: must be more than 0"},
      {"[smtpd]\nmax_message_size = \"99999999999999G\"\n",
       "t.conf:2:20: smtpd.max_message_size: \"99999999999999G\" is too large"},
      {"[smtpd]\nmax_recipients = 99\n",
       "t.conf:2:18: smtpd.max_recipients: must be at least 100 (the RFC 5321 minimum), got 99"},
      {"[smtpd]\nmax_connections = 0\n",
       "t.conf:2:19: smtpd.max_connections: must be at least 1, got 0"},
      {"[smtpd]\nmax_connections_per_ip = -1\n",
       "t.conf:2:26: smtpd.max_connections_per_ip: must be at least 1, got -1"},
      {"[smtpd]\ncommand_timeout = 0\n", "t.conf:2:19: smtpd.command_timeout: must be more than 0"},
      {"[smtpd]\ndata_timeout = \"2d\"\n",
       "t.conf:2:16: smtpd.data_timeout: \"2d\" is not a duration (seconds, or with an s, m or h "
       "suffix: \"5m\")"},
      {"[smtpd]\ndata_timeout = 86401\n",
       "t.conf:2:16: smtpd.data_timeout: must be at most a day (\"24h\")"},
      {"[smtpd]\ndata_timeout = \"25h\"\n",
       "t.conf:2:16: smtpd.data_timeout: must be at most a day (\"24h\")"},
      // Domains and users.
      {"[smtpd]\nlocal_domains = [\"example.org\", \"\"]\n",
       "t.conf:2:33: smtpd.local_domains: empty domain"},
      {"[smtpd]\nlocal_domains = [\"bad..example\"]\n",
       "t.conf:2:18: smtpd.local_domains: \"bad..example\" is not a valid domain name"},
      {"[smtpd]\nlocal_domains = [\"example.org.\"]\n",
       "t.conf:2:18: smtpd.local_domains: \"example.org.\" is not a valid domain name"},
      {"[smtpd]\nlocal_domains = [\"[192.0.2.1]\"]\n",
       "t.conf:2:18: smtpd.local_domains: \"[192.0.2.1]\" is not a valid domain name"},
      {"[smtpd]\nhostname = \"\"\n", "t.conf:2:12: smtpd.hostname: empty domain"},
      {"[smtpd]\nhostname = \"mx_1.example\"\n",
       "t.conf:2:12: smtpd.hostname: \"mx_1.example\" is not a valid domain name"},
      {"[smtpd]\nlocal_users = [\"ada\", \"a+b\"]\n",
       "t.conf:2:23: smtpd.local_users: \"a+b\": '+' separates plus-address tags and cannot be in "
       "a user name"},
      {"[smtpd]\nlocal_users = [\"ada@example.org\"]\n",
       "t.conf:2:16: smtpd.local_users: \"ada@example.org\": write the local part only, without "
       "'@'"},
      {"[smtpd]\nlocal_users = [\"\"]\n",
       "t.conf:2:16: smtpd.local_users: a local user cannot be empty"},
      {"[smtpd]\nlocal_users = [\"a%b\"]\n",
       "t.conf:2:16: smtpd.local_users: \"a%b\": '%' and '!' are relay syntax and cannot be in a "
       "user name"},
      {"[smtpd]\nlocal_users = [\"a b\"]\n",
       "t.conf:2:16: smtpd.local_users: \"a b\" is not a local part (letters, digits, dots between "
       "them, and !#$&'*-/=?^_`{|}~)"},
      {"owner = \"bob\"\n",
       "t.conf:1:9: owner: \"bob\" is not an address such as \"ada@example.org\""},
      {"owner = \"Ada <ada@example.org>\"\n",
       "t.conf:1:9: owner: \"Ada <ada@example.org>\" is not an address such as "
       "\"ada@example.org\""},
      {"owner = \"ada@example.org.\"\n",
       "t.conf:1:9: owner: \"ada@example.org.\" is not an address such as \"ada@example.org\""},
      {"owner = \"ada@[192.0.2.1]\"\n",
       "t.conf:1:9: owner: \"ada@[192.0.2.1]\" is not an address such as \"ada@example.org\""},
      {"owner_name = \"a\\nb\"\n", "t.conf:1:14: owner_name: must be one line"},
      {"owner = \"a%b@example.org\"\n",
       "t.conf:1:9: owner: \"a%b\" cannot be a local user name; list the users in "
       "smtpd.local_users"},
      {"owner = \"\\\"a b\\\"@example.org\"\n",
       "t.conf:1:9: owner: \"a b\" cannot be a local user name; list the users in "
       "smtpd.local_users"},
      {"owner = \"\"\"multi\nline \"quoted\" \\\\\"\"\"\n",
       "t.conf:1:9: owner: \"multi\\nline \\\"quoted\\\" \\\\\" is not an address such as "
       "\"ada@example.org\""},
      {"[smtpd]\nlocal_domains = [\"a\\u0001b\"]\n",
       "t.conf:2:18: smtpd.local_domains: \"a\\x01b\" is not a valid domain name"},
      // TLS, paths, log, accounts, user.
      {"[smtpd]\ntls_certificate = \"/etc/ssl/cert.pem\"\n",
       "t.conf:2:19: smtpd.tls_certificate: smtpd.tls_key is missing (both or neither)"},
      {"[smtpd]\ntls_key = \"/etc/ssl/key.pem\"\n",
       "t.conf:2:11: smtpd.tls_key: smtpd.tls_certificate is missing (both or neither)"},
      {"store = \"relative/pigeon.db\"\n",
       "t.conf:1:9: store: \"relative/pigeon.db\": write an absolute path or one starting with "
       "\"~/\""},
      {"store = \"~bob/pigeon.db\"\n",
       "t.conf:1:9: store: \"~bob/pigeon.db\": write an absolute path or one starting with \"~/\""},
      {"store = \"\"\n", "t.conf:1:9: store: cannot be empty"},
      {"[smtpd]\naliases_file = \"aliases\"\n",
       "t.conf:2:16: smtpd.aliases_file: \"aliases\": write an absolute path or one starting with "
       "\"~/\""},
      {"[smtpd]\nlog = \"file\"\n",
       "t.conf:2:7: smtpd.log: expected \"stderr\" or \"syslog\", got \"file\""},
      {"[[smtpd.account]]\nuser = \"ada\"\npassword_hash = \"secret\"\n",
       "t.conf:3:17: smtpd.account.password_hash: not a crypt(3) hash; make one with pigeond "
       "--hash-password"},
      {"[[smtpd.account]]\nuser = \"ada\"\n",
       "t.conf:1:1: smtpd.account: missing password_hash; make one with pigeond --hash-password"},
      {"[[smtpd.account]]\npassword_hash = \"$y$x\"\n", "t.conf:1:1: smtpd.account: missing user"},
      {"[[smtpd.account]]\nuser = \"ada\"\npassword_hash = \"$y$x\"\n"
       "[[smtpd.account]]\nuser = \"ada\"\npassword_hash = \"$y$z\"\n",
       "t.conf:5:8: smtpd.account: user \"ada\" is defined twice"},
      {"[[smtpd.account]]\nuser = \"a da\"\npassword_hash = \"$y$x\"\n",
       "t.conf:2:8: smtpd.account.user: cannot contain spaces or control characters"},
      {"[smtpd]\nuser = \"\"\n", "t.conf:2:8: smtpd.user: cannot be empty"},
      {"[delivery]\ntls = \"maybe\"\n",
       "t.conf:2:7: delivery.tls: must be \"none\", \"opportunistic\", \"required\" or \"verify\""},
      {"[delivery]\nrelayhost = \"smtp.example.org\"\n",
       "t.conf:2:13: delivery.relayhost: \"smtp.example.org\" is not HOST:PORT (such as "
       "\"smtp.example.org:587\")"},
      {"[delivery]\nport = 70000\n",
       "t.conf:2:8: delivery.port: must be a port number (1 to 65535)"},
      {"[delivery]\nretries = 3\n", "t.conf:2:1: unknown key 'delivery.retries'"},
      {"delivery = 3\n", "t.conf:1:12: delivery: expected a table ([delivery]), got an integer"},
  };
  for (const BadCase& c : cases) {
    Result<Config> got = ParseConfig(c.text, "t.conf");
    if (got) {
      ADD_FAILURE() << "accepted: " << c.text;
      continue;
    }
    EXPECT_EQ(got.error().message, c.error) << c.text;
    EXPECT_EQ(got.error().code, ErrorCode::kParse) << c.text;
  }
}

TEST_F(ConfigTest, LoadConfig) {
  const std::string missing = (dir_ / "missing.conf").string();
  Result<Config> fallback = LoadConfig(missing, /*explicitly_named=*/false);
  ASSERT_TRUE(fallback) << fallback.error().message;
  EXPECT_EQ(*fallback, DefaultConfig());

  Result<Config> named = LoadConfig(missing, /*explicitly_named=*/true);
  ASSERT_FALSE(named);
  EXPECT_EQ(named.error().message, missing + ": No such file or directory");

  const std::string path = Write("pigeon.conf", "owner = \"ada@example.org\"\n");
  Result<Config> loaded = LoadConfig(path, false);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->path, path);
  EXPECT_EQ(loaded->owner, "ada@example.org");

  const std::string bad = Write("bad.conf", "\n[smtpd]\nmax_recipients = 10\n");
  Result<Config> refused = LoadConfig(bad, false);
  ASSERT_FALSE(refused);
  EXPECT_EQ(
      refused.error().message,
      bad + ":3:18: smtpd.max_recipients: must be at least 100 (the RFC 5321 minimum), got 10");
}

TEST(ConfigValues, Sizes) {
  EXPECT_EQ(ParseSize("1"), 1u);
  EXPECT_EQ(ParseSize("10K"), 10240u);
  EXPECT_EQ(ParseSize("2m"), 2u << 20);
  EXPECT_EQ(ParseSize("16383G"), 16383ull << 30);
  EXPECT_EQ(ParseSize("17179869183G"), 17179869183ull << 30);
  EXPECT_FALSE(ParseSize("17179869184G"));  // 2^64 bytes
  for (std::string_view bad :
       {"", "k", "1.5M", " 1", "1 ", "+1", "1MB", "0x10", "0", "99999999999999999999"}) {
    EXPECT_FALSE(ParseSize(bad)) << bad;
  }
}

TEST(ConfigValues, Durations) {
  EXPECT_EQ(ParseDuration("1"), seconds(1));
  EXPECT_EQ(ParseDuration("2M"), seconds(120));
  EXPECT_EQ(ParseDuration("24h"), seconds(86400));
  for (std::string_view bad : {"", "s", "1d", "0s", "86401", "-1", "1h30m", "5 m"}) {
    EXPECT_FALSE(ParseDuration(bad)) << bad;
  }
}

TEST(ConfigValues, ListenAddresses) {
  EXPECT_EQ(ParseListenAddress("192.0.2.1:65535"), (ListenAddress{"192.0.2.1", 65535}));
  EXPECT_EQ(ParseListenAddress("[::ffff:192.0.2.1]:1"), (ListenAddress{"::ffff:192.0.2.1", 1}));
  for (std::string_view bad :
       {"", ":25", "[]:25", "[::1:25", "::1]:25", "127.0.0.1:", "1.2.3:25", "127.0.0.1:025x",
        "127.0.0.1:-1", "[fe80::1%eth0]:25", "127.0.0.1:99999999999999999999"}) {
    EXPECT_FALSE(ParseListenAddress(bad)) << bad;
  }
}

TEST(ConfigValues, Paths) {
  EXPECT_EQ(ExpandPath("~/a", "/home/x"), "/home/x/a");
  EXPECT_EQ(ExpandPath("~/a", "/home/x/"), "/home/x/a");
  EXPECT_EQ(ExpandPath("~", "/home/x"), "/home/x");
  EXPECT_EQ(ExpandPath("/etc/x", "/home/x"), "/etc/x");
  EXPECT_FALSE(ExpandPath("x", "/home/x"));
  EXPECT_FALSE(ExpandPath("~x/y", "/home/x"));
}

TEST(DomainName, Normalization) {
  EXPECT_EQ(NormalizeDomainName("Example.ORG"), "example.org");
  EXPECT_EQ(NormalizeDomainName("B\xC3\x9C"
                                "CHER.example"),
            "xn--bcher-kva.example");
  EXPECT_EQ(NormalizeDomainName("localhost"), "localhost");
  EXPECT_EQ(NormalizeDomainName("a-b.c0"), "a-b.c0");
  const std::string label63(63, 'a');
  EXPECT_TRUE(NormalizeDomainName(label63 + ".example"));
  for (const std::string& bad :
       {std::string(""), std::string("."), std::string("a..b"), std::string(".a"),
        std::string("a."), std::string("-a.b"), std::string("a-.b"), std::string("a_b.c"),
        std::string("a b"), std::string("[1.2.3.4]"), std::string("1.2.3.4"), std::string("a.123"),
        label63 + "a.example", std::string("a\nb"), std::string("a\0b", 3),
        std::string("example.org\xEF\xBC\x8E")}) {
    EXPECT_FALSE(NormalizeDomainName(bad)) << bad;
  }
  std::string long_name;
  while (long_name.size() < 254) long_name += "abcdefghi.";
  long_name += "example";
  EXPECT_FALSE(NormalizeDomainName(long_name));
}

}  // namespace
}  // namespace pigeon::config
