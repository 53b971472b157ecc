#include "mta/policy/recipient_policy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pigeon::mta::policy {
namespace {

constexpr std::string_view kAliases =
    "root: ada\n"
    "abuse: root\n"
    "team: ada, bob, +team\n"
    "lists: +lists\n"
    "dev: ada+dev, +lists/dev\n"
    "both: ada, \\ada, root, ada@example.org, ADA@EXAMPLE.ORG, +INBOX\n"
    "fwd: friend@elsewhere.example\n"
    "fwdcopy: \\ada, friend@Elsewhere.Example, friend@elsewhere.example\n"
    "fwdidn: friend@m\xC3\xBC"
    "nchen.example\n"
    "loop1: loop2\n"
    "loop2: loop1\n"
    "loopmix: loop1, ada\n"
    "self: self\n"
    "carol: carol, carol@elsewhere.example\n"
    "nobody: ghost\n"
    "partial: ghost, bob\n"
    "\"info desk\": +info, \"ada\"@example.org\n"
    "local-address: bob@example.org, ada@localhost\n"
    "relay-name: a%b@example.org\n"
    "tagged: ada+news, ada+NEWS, +lists\n"
    "deep0: deep1\n"
    "deep1: deep2\n"
    "deep2: deep3\n"
    "deep3: deep4\n"
    "deep4: deep5\n"
    "deep5: deep6\n"
    "deep6: deep7\n"
    "deep7: deep8\n"
    "deep8: deep9\n"
    "deep9: bob\n"
    "deeper0: deeper1\n"
    "deeper1: deeper2\n"
    "deeper2: deeper3\n"
    "deeper3: deeper4\n"
    "deeper4: deeper5\n"
    "deeper5: deeper6\n"
    "deeper6: deeper7\n"
    "deeper7: deeper8\n"
    "deeper8: deeper9\n"
    "deeper9: deeper10\n"
    "deeper10: bob\n"
    "diamond: d1, d2\n"
    "d1: d3, d4\n"
    "d2: d3, d4\n"
    "d3: bob, +d\n"
    "d4: bob, +d\n";

config::Config TestConfig() {
  config::Config config;
  config.owner = "ada@example.org";
  config.smtpd.local_domains = {"example.org",
                                "B\xC3\x9C"
                                "CHER.example",
                                "localhost"};
  config.smtpd.local_users = {"ada", "Bob", "carol", "a%b"};  // a%b: dropped, never a user
  return config;
}

RecipientPolicy TestPolicy(std::string_view aliases = kAliases) {
  const Aliases parsed = ParseAliases(aliases);
  EXPECT_TRUE(parsed.problems.empty());
  return RecipientPolicy(TestConfig(), parsed);
}

// What one Resolve must give: a route, or a refusal's reply line when `reply` is set.
struct Want {
  std::vector<LocalDelivery> local;
  std::vector<std::string> remote;
  std::string reply;
};

Want Inbox(std::vector<std::string> keywords = {}) { return {{{"", std::move(keywords)}}, {}, ""}; }
Want Remote(std::string address) { return {{}, {std::move(address)}, ""}; }
Want Refused(std::string reply) { return {{}, {}, std::move(reply)}; }

const std::string kSyntax = "501 5.1.3 Bad recipient address syntax";
std::string NoSuchUser(std::string_view address) {
  return "550 5.1.1 <" + std::string(address) + ">: Recipient address rejected: no such user here";
}
std::string RelayDenied(std::string_view address) {
  return "554 5.7.1 <" + std::string(address) + ">: Relay access denied";
}
std::string AliasFailure(std::string_view address) {
  return "451 4.3.0 <" + std::string(address) +
         ">: Temporary lookup failure: alias loop or nesting deeper than 10 aliases";
}

struct Case {
  std::string address;
  bool authenticated;
  Want want;
};

void Check(const RecipientPolicy& policy, const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    const std::string label =
        "address \"" + c.address + "\"" + (c.authenticated ? " (authenticated)" : "");
    const tl::expected<Route, Refusal> got = policy.Resolve(c.address, c.authenticated);
    if (!c.want.reply.empty()) {
      if (got) {
        ADD_FAILURE() << label << ": accepted, want " << c.want.reply;
      } else {
        EXPECT_EQ(got.error().reply, c.want.reply) << label;
      }
      continue;
    }
    if (!got) {
      ADD_FAILURE() << label << ": refused with " << got.error().reply;
      continue;
    }
    EXPECT_EQ(got->local, c.want.local) << label;
    EXPECT_EQ(got->remote, c.want.remote) << label;
  }
}

// The same expectation with and without AUTH.
void Both(std::vector<Case>* cases, std::string address, const Want& want) {
  cases->push_back({address, false, want});
  cases->push_back({std::move(address), true, want});
}

TEST(RecipientPolicy, RelayTricksAreNeverRelayed) {
  const std::string long_local(250, 'a');
  std::vector<Case> cases;
  // Routing syntax inside a local part at a local domain: unknown users, not relays.
  Both(&cases, "user%other.example@example.org",
       Refused(NoSuchUser("user%other.example@example.org")));
  Both(&cases, "other.example!user@example.org",
       Refused(NoSuchUser("other.example!user@example.org")));
  Both(&cases, "ada%other.example@example.org",
       Refused(NoSuchUser("ada%other.example@example.org")));
  Both(&cases, "a%b@example.org", Refused(NoSuchUser("a%b@example.org")));
  Both(&cases, "\"user@other.example\"@example.org",
       Refused(NoSuchUser("\"user@other.example\"@example.org")));
  Both(&cases, "\"ada@other.example\"@example.org",
       Refused(NoSuchUser("\"ada@other.example\"@example.org")));
  // Two '@' signs, source routes left in, brackets: not a Mailbox at all.
  Both(&cases, "user@other.example@example.org", Refused(kSyntax));
  Both(&cases, "user@example.org@other.example", Refused(kSyntax));
  Both(&cases, "@example.org:user@other.example", Refused(kSyntax));
  Both(&cases, "<ada@example.org>", Refused(kSyntax));
  // Dots: local. is not local, and empty labels are not domains.
  Both(&cases, "ada@example.org.", Refused(kSyntax));
  Both(&cases, "ada@localhost.", Refused(kSyntax));
  Both(&cases, "ada@example..org", Refused(kSyntax));
  Both(&cases, "ada@.example.org", Refused(kSyntax));
  Both(&cases, "ada@example.org..", Refused(kSyntax));
  Both(&cases, "ada@-example.org", Refused(kSyntax));
  Both(&cases, "ada@exa_mple.org", Refused(kSyntax));
  Both(&cases, "ada@127.0.0.1", Refused(kSyntax));
  Both(&cases,
       "ada@b\xC3\xBC"
       "cher.example.",
       Refused(kSyntax));
  Both(&cases, "ada@example.org\xEF\xBC\x8E", Refused(kSyntax));  // fullwidth full stop
  // Empty or malformed local parts.
  Both(&cases, "@example.org", Refused(kSyntax));
  Both(&cases, "\"\"@example.org", Refused(kSyntax));
  Both(&cases, ".ada@example.org", Refused(kSyntax));
  Both(&cases, "ada.@example.org", Refused(kSyntax));
  Both(&cases, "a..da@example.org", Refused(kSyntax));
  Both(&cases, "ada @example.org", Refused(kSyntax));
  Both(&cases, "ada@exam ple.org", Refused(kSyntax));
  Both(&cases, "\"ada@example.org", Refused(kSyntax));
  Both(&cases, "ada(comment)@example.org", Refused(kSyntax));
  // Control characters (a CR LF would end the reply and inject a command), invalid UTF-8.
  Both(&cases, "ada\r\n@example.org", Refused(kSyntax));
  Both(&cases, "ada@example.org\r\nRCPT TO:<x@other.example>", Refused(kSyntax));
  Both(&cases, std::string("ada\0@example.org", 16), Refused(kSyntax));
  Both(&cases, "ada\x7f@example.org", Refused(kSyntax));
  Both(&cases, "\"a\tb\"@example.org", Refused(kSyntax));
  Both(&cases, "ad\xFF@example.org", Refused(kSyntax));
  Both(&cases, "ada@exa\xC3mple.org", Refused(kSyntax));
  // Length: 254 octets at most, local domain or not.
  Both(&cases, long_local + "@example.org", Refused(kSyntax));
  Both(&cases, long_local + "@other.example", Refused(kSyntax));
  Both(&cases, "", Refused(kSyntax));
  Both(&cases, "ada", Refused(kSyntax));  // a bare name other than postmaster
  Both(&cases, "ada@", Refused(kSyntax));
  Both(&cases, "ada@[]", Refused(kSyntax));
  Both(&cases, "ada@[example.org]", Refused(kSyntax));
  Both(&cases, "ada@[999.0.2.1]", Refused(kSyntax));
  Both(&cases, "ada@[IPv6:fe80::1%eth0]", Refused(kSyntax));
  Both(&cases, "ada@[tag:content]", Refused(kSyntax));
  // Address literals and other hosts: refused without AUTH, relayed with it.
  const std::vector<std::pair<std::string, std::string>> remote = {
      {"user@[192.0.2.1]", "user@[192.0.2.1]"},
      {"user@[127.0.0.1]", "user@[127.0.0.1]"},
      {"user@[IPv6:2001:db8::1]", "user@[IPv6:2001:db8::1]"},
      {"user@[ipv6:::1]", "user@[ipv6:::1]"},
      {"ada@other.example", "ada@other.example"},
      {"Ada@Other.Example", "Ada@other.example"},
      {"ada@example.org.other.example", "ada@example.org.other.example"},
      {"ada@sub.example.org", "ada@sub.example.org"},
      {"ada@example.com", "ada@example.com"},
      {"ada@localhost.localdomain", "ada@localhost.localdomain"},
      {"user%other@elsewhere.example", "user%other@elsewhere.example"},
      {"\"a b\"@other.example", "\"a b\"@other.example"},
      {"postmaster@other.example", "postmaster@other.example"},
      {"user@m\xC3\xBCnchen.example", "user@xn--mnchen-3ya.example"},
  };
  for (const auto& [address, queued] : remote) {
    cases.push_back({address, false, Refused(RelayDenied(address))});
    cases.push_back({address, true, Remote(queued)});
  }
  Check(TestPolicy(), cases);
}

TEST(RecipientPolicy, LocalUsersAndDomains) {
  std::vector<Case> cases;
  for (const char* address :
       {"bob@example.org", "Bob@example.org", "BOB@EXAMPLE.ORG", "bob@Example.Org",
        "\"bob\"@example.org", "bob@localhost", "bob@LOCALHOST",
        "bob@b\xC3\xBC"
        "cher.example",
        "bob@B\xC3\x9C"
        "CHER.EXAMPLE",
        "bob@xn--bcher-kva.example", "bob@XN--BCHER-KVA.example",
        "bob@example\xEF\xBC\x8Eorg"}) {  // UTS #46 maps the fullwidth full stop to '.'

    Both(&cases, address, Inbox());
  }
  Both(&cases, "dave@example.org", Refused(NoSuchUser("dave@example.org")));
  Both(&cases, "j\xC3\xBCrgen@example.org", Refused(NoSuchUser("j\xC3\xBCrgen@example.org")));
  Both(&cases, "bob.smith@example.org", Refused(NoSuchUser("bob.smith@example.org")));
  Both(&cases, "\"bob \"@example.org", Refused(NoSuchUser("\"bob \"@example.org")));
  Check(TestPolicy(), cases);
}

TEST(RecipientPolicy, PlusAddressing) {
  std::vector<Case> cases;
  Both(&cases, "bob+lists@example.org", Inbox({"lists"}));
  Both(&cases, "bob+Lists@example.org", Inbox({"lists"}));
  Both(&cases, "bob+a.b-c_d@example.org", Inbox({"a.b-c_d"}));
  Both(&cases, "bob+@example.org", Inbox());
  Both(&cases, "bob+a+b@example.org", Inbox());  // not a plain word: delivered, tag not kept
  Both(&cases, "\"bob+a b\"@example.org", Inbox());
  Both(&cases, "bob+" + std::string(65, 'x') + "@example.org", Inbox());
  Both(&cases, "bob+" + std::string(64, 'x') + "@example.org", Inbox({std::string(64, 'x')}));
  Both(&cases, "+bob@example.org", Refused(NoSuchUser("+bob@example.org")));
  Both(&cases, "dave+x@example.org", Refused(NoSuchUser("dave+x@example.org")));
  Both(&cases, "team+x@example.org", Want{{{"", {"x"}}, {"team", {"x"}}}, {}, ""});
  Both(&cases, "lists+dev@example.org", Want{{{"lists", {"dev"}}}, {}, ""});
  Both(&cases, "root+x@example.org", Inbox({"x"}));
  Both(&cases, "postmaster+x@example.org", Inbox({"x"}));
  Check(TestPolicy(), cases);
}

TEST(RecipientPolicy, Postmaster) {
  std::vector<Case> cases;
  for (const char* address :
       {"postmaster", "Postmaster", "POSTMASTER", "\"postmaster\"", "postmaster@example.org",
        "PostMaster@Example.ORG", "postmaster@localhost",
        "postmaster@b\xC3\xBC"
        "cher.example"}) {
    Both(&cases, address, Inbox());
  }
  Both(&cases, "postmaster@other.example", Refused(RelayDenied("postmaster@other.example")));
  cases.back() = {"postmaster@other.example", true, Remote("postmaster@other.example")};
  Both(&cases, "postmaster ", Refused(kSyntax));
  Check(TestPolicy(), cases);

  // Its alias is followed when there is one; it is accepted even when the alias leads nowhere.
  Check(TestPolicy("postmaster: admin@elsewhere.example\n"),
        {{"postmaster", false, Remote("admin@elsewhere.example")},
         {"POSTMASTER@example.org", false, Remote("admin@elsewhere.example")}});
  Check(TestPolicy("postmaster: ghost\n"), {{"postmaster@example.org", false, Inbox()}});
  Check(TestPolicy("postmaster: a\na: b\nb: a\n"), {{"postmaster", false, Inbox()}});
  Check(TestPolicy("postmaster: postmaster, +admin\n"),
        {{"postmaster", false, Want{{{"", {}}, {"admin", {}}}, {}, ""}}});
}

TEST(RecipientPolicy, Aliases) {
  std::vector<Case> cases;
  Both(&cases, "root@example.org", Inbox());
  Both(&cases, "ROOT@example.org", Inbox());
  Both(&cases, "abuse@localhost", Inbox());
  Both(&cases, "team@example.org", Want{{{"", {}}, {"team", {}}}, {}, ""});
  Both(&cases, "lists@example.org", Want{{{"lists", {}}}, {}, ""});
  Both(&cases, "dev@example.org", Want{{{"", {"dev"}}, {"lists/dev", {}}}, {}, ""});
  Both(&cases, "both@example.org", Inbox());  // six ways to the same INBOX: one copy
  Both(&cases, "tagged@example.org", Want{{{"", {"news"}}, {"lists", {}}}, {}, ""});
  // Forwarding configured by the owner is done for anyone.
  Both(&cases, "fwd@example.org", Remote("friend@elsewhere.example"));
  Both(&cases, "fwdcopy@example.org", Want{{{"", {}}}, {"friend@elsewhere.example"}, ""});
  Both(&cases, "fwdidn@example.org", Remote("friend@xn--mnchen-3ya.example"));
  Both(&cases, "carol@example.org", Want{{{"", {}}}, {"carol@elsewhere.example"}, ""});
  Both(&cases, "local-address@example.org", Inbox());
  Both(&cases, "partial@example.org", Inbox());
  Both(&cases, "\"info desk\"@example.org", Want{{{"info", {}}, {"", {}}}, {}, ""});
  Both(&cases, "\"Info Desk\"@example.org", Want{{{"info", {}}, {"", {}}}, {}, ""});
  Both(&cases, "info.desk@example.org", Refused(NoSuchUser("info.desk@example.org")));
  Both(&cases, "diamond@example.org", Want{{{"", {}}, {"d", {}}}, {}, ""});
  // Broken aliases: loops and depth are the postmaster's to fix (451); dead ends are 550.
  Both(&cases, "loop1@example.org", Refused(AliasFailure("loop1@example.org")));
  Both(&cases, "self@example.org", Refused(AliasFailure("self@example.org")));
  Both(&cases, "loopmix@example.org", Inbox());
  Both(&cases, "deep0@example.org", Inbox());
  Both(&cases, "deeper0@example.org", Refused(AliasFailure("deeper0@example.org")));
  Both(&cases, "deeper1@example.org", Inbox());
  Both(&cases, "nobody@example.org", Refused(NoSuchUser("nobody@example.org")));
  Both(&cases, "relay-name@example.org", Refused(NoSuchUser("relay-name@example.org")));
  Check(TestPolicy(), cases);
}

TEST(RecipientPolicy, WideAliasFanOutStaysBounded) {
  // Every level names the next one 50 times: without merging this is 50^9 walks.
  std::string aliases;
  for (int level = 0; level < 9; ++level) {
    aliases += "l" + std::to_string(level) + ":";
    for (int i = 0; i < 50; ++i) {
      aliases += " l" + std::to_string(level + 1) + "+t" + std::to_string(i) + ",";
    }
    aliases += "\n";
  }
  aliases += "l9: bob\n";
  const RecipientPolicy policy = TestPolicy(aliases);
  const tl::expected<Route, Refusal> route = policy.Resolve("l0@example.org", false);
  // Either delivered (within the step budget) or refused as a temporary failure: never a hang.
  if (!route) {
    EXPECT_EQ(route.error().reply, AliasFailure("l0@example.org"));
  }
}

TEST(RecipientPolicy, LocalDomainsAreNormalized) {
  const RecipientPolicy policy = TestPolicy();
  EXPECT_EQ(policy.local_domains(),
            (std::vector<std::string>{"example.org", "xn--bcher-kva.example", "localhost"}));
  EXPECT_TRUE(policy.IsLocalDomain("example.org"));
  EXPECT_TRUE(policy.IsLocalDomain("EXAMPLE.org"));
  EXPECT_TRUE(
      policy.IsLocalDomain("b\xC3\xBC"
                           "cher.example"));
  EXPECT_TRUE(policy.IsLocalDomain("xn--bcher-kva.example"));
  EXPECT_FALSE(policy.IsLocalDomain("example.org."));
  EXPECT_FALSE(policy.IsLocalDomain("sub.example.org"));
  EXPECT_FALSE(policy.IsLocalDomain("[127.0.0.1]"));
  EXPECT_FALSE(policy.IsLocalDomain(""));
  EXPECT_FALSE(policy.IsLocalDomain("example.org\n"));
}

TEST(RecipientPolicy, BadConfigValuesAreDropped) {
  config::Config config;
  config.smtpd.local_domains = {"[127.0.0.1]", "local.", "", "Example.ORG", "example.org"};
  config.smtpd.local_users = {"a@b", "a!b", "", "ada"};
  Aliases aliases;
  aliases.entries["x@y"] = {"ada"};
  aliases.entries["fwd"] = {"|cat", "/tmp/x", "ada"};
  const RecipientPolicy policy(config, aliases);
  EXPECT_EQ(policy.local_domains(), std::vector<std::string>{"example.org"});
  Check(policy, {{"ada@example.org", false, Inbox()},
                 {"\"a@b\"@example.org", false, Refused(NoSuchUser("\"a@b\"@example.org"))},
                 {"a!b@example.org", false, Refused(NoSuchUser("a!b@example.org"))},
                 {"\"x@y\"@example.org", false, Refused(NoSuchUser("\"x@y\"@example.org"))},
                 {"fwd@example.org", false, Inbox()},
                 {"ada@[127.0.0.1]", false, Refused(RelayDenied("ada@[127.0.0.1]"))}});
}

}  // namespace
}  // namespace pigeon::mta::policy
