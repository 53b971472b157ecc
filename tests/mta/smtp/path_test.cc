#include "mta/smtp/path.h"

#include <gtest/gtest.h>

#include <string>

namespace pigeon::mta::smtp {
namespace {

struct Case {
  const char* name;
  std::string got;
  tl::expected<std::string, PathError> want;
  std::string_view rest = "";
};

const auto kSyntax = tl::unexpected(PathError::kSyntax);
const auto kNonAscii = tl::unexpected(PathError::kNonAscii);

void Check(const Case& c, const PathOptions& options) {
  std::string_view text = c.got;
  EXPECT_EQ(ParsePath(text, options), c.want) << c.name;
  const std::string_view want_rest = c.want ? std::string_view(c.rest) : c.got;
  EXPECT_EQ(text, want_rest) << c.name << ": the path and nothing more is consumed";
}

TEST(PathTest, Mailboxes) {
  const Case cases[] = {
      {"simple", "<user@example.org>", "user@example.org"},
      {"rest kept", "<user@example.org> SIZE=1", "user@example.org", " SIZE=1"},
      {"dots and atext", "<first.last+tag!#$%&'*/=?^_`{|}~-@ex-ample.org>",
       "first.last+tag!#$%&'*/=?^_`{|}~-@ex-ample.org"},
      {"case kept", "<User@Example.ORG>", "User@Example.ORG"},
      {"single label domain", "<root@localhost>", "root@localhost"},
      {"underscore in domain", "<a@mail_server.example>", "a@mail_server.example"},
      {"quoted local part", "<\"john doe\"@example.org>", "\"john doe\"@example.org"},
      {"quoted pair", "<\"a\\\"b\\\\c\"@example.org>", "\"a\\\"b\\\\c\"@example.org"},
      {"quoted specials", "<\"a>b@c\"@example.org>", "\"a>b@c\"@example.org"},
      {"empty quoted", "<\"\"@example.org>", "\"\"@example.org"},
      {"source route", "<@a.example,@b.example:user@d.example>", "user@d.example"},
      {"one hop route", "<@a.example:user@d.example>", "user@d.example"},
      {"ipv4 literal", "<user@[192.0.2.1]>", "user@[192.0.2.1]"},
      {"ipv6 literal", "<user@[IPv6:2001:db8::1]>", "user@[IPv6:2001:db8::1]"},
      {"ipv6 literal lower case tag", "<user@[ipv6:::1]>", "user@[ipv6:::1]"},
      {"long label", "<a@" + std::string(63, 'x') + ".org>", "a@" + std::string(63, 'x') + ".org"},
  };
  for (const Case& c : cases) Check(c, {});
}

TEST(PathTest, Refusals) {
  const std::string long_label = "<a@" + std::string(64, 'x') + ".org>";
  const std::string long_domain = "<a@" + std::string(250, 'x').replace(60, 1, ".") + ".org>";
  const Case cases[] = {
      {"empty", "", kSyntax},
      {"no brackets", "user@example.org", kSyntax},
      {"unclosed", "<user@example.org", kSyntax},
      {"no domain", "<user>", kSyntax},
      {"empty domain", "<user@>", kSyntax},
      {"empty local part", "<@example.org>", kSyntax},
      {"two ats", "<a@b@example.org>", kSyntax},
      {"leading dot", "<.a@example.org>", kSyntax},
      {"trailing dot in local part", "<a.@example.org>", kSyntax},
      {"double dot", "<a..b@example.org>", kSyntax},
      {"trailing dot in domain", "<a@example.org.>", kSyntax},
      {"empty label", "<a@example..org>", kSyntax},
      {"hyphen first", "<a@-example.org>", kSyntax},
      {"hyphen last", "<a@example-.org>", kSyntax},
      {"space", "<a b@example.org>", kSyntax},
      {"space before bracket", "<a@example.org >", kSyntax},
      {"comment", "<a(x)@example.org>", kSyntax},
      {"unclosed quote", "<\"ab@example.org>", kSyntax},
      {"control in quote", "<\"a\tb\"@example.org>", kSyntax},
      {"quoted pair of control", "<\"a\\\x01\"@example.org>", kSyntax},
      {"nul", std::string("<a\0b@example.org>", 18), kSyntax},
      {"cr", "<a\r@example.org>", kSyntax},
      {"null path not allowed", "<>", kSyntax},
      {"postmaster not allowed", "<Postmaster>", kSyntax},
      {"bad literal", "<a@[192.0.2.300]>", kSyntax},
      {"short ipv4 literal", "<a@[192.0.2]>", kSyntax},
      {"bad ipv6 literal", "<a@[IPv6:2001:db8::g]>", kSyntax},
      {"ipv6 without tag", "<a@[2001:db8::1]>", kSyntax},
      {"general literal: no tag is registered", "<a@[x-tag:some.thing]>", kSyntax},
      {"unclosed literal", "<a@[192.0.2.1>", kSyntax},
      {"empty literal", "<a@[]>", kSyntax},
      {"route without mailbox", "<@a.example:>", kSyntax},
      {"route without colon", "<@a.example,user@d.example>", kSyntax},
      {"route with empty hop", "<@a.example,:user@d.example>", kSyntax},
      {"route to literal", "<@[192.0.2.1]:user@d.example>", kSyntax},
      {"label over 63", long_label, kSyntax},
      {"domain over 255", long_domain, kSyntax},
      {"utf-8 without smtputf8", "<j\xc3\xb6rg@example.org>", kNonAscii},
      {"utf-8 domain without smtputf8",
       "<a@b\xc3\xbc"
       "cher.example>",
       kNonAscii},
      {"latin-1 is not utf-8", "<j\xf6rg@example.org>", kSyntax},
  };
  for (const Case& c : cases) Check(c, {});
}

TEST(PathTest, NullPathAndPostmaster) {
  Check({"null sender", "<> SIZE=10", "", " SIZE=10"}, {.allow_null = true});
  Check({"postmaster", "<Postmaster>", "Postmaster"}, {.allow_postmaster = true});
  Check({"postmaster any case", "<pOsTmAsTeR>", "pOsTmAsTeR"}, {.allow_postmaster = true});
  Check({"postmaster with domain", "<postmaster@example.org>", "postmaster@example.org"},
        {.allow_postmaster = true});
  Check({"other bare name", "<root>", kSyntax}, {.allow_postmaster = true});
  Check({"quoted postmaster", "<\"Postmaster\">", kSyntax}, {.allow_postmaster = true});
}

TEST(PathTest, Utf8WithSmtpUtf8) {
  const PathOptions utf8{.smtputf8 = true};
  Check({"utf-8 local part", "<j\xc3\xb6rg@example.org>", "j\xc3\xb6rg@example.org"}, utf8);
  Check({"utf-8 domain", "<a@\xe4\xbe\x8b\xe3\x81\x88.jp>", "a@\xe4\xbe\x8b\xe3\x81\x88.jp"}, utf8);
  Check({"utf-8 in quotes", "<\"\xc3\xa9 t\xc3\xa9\"@x.fr>", "\"\xc3\xa9 t\xc3\xa9\"@x.fr"}, utf8);
  Check({"invalid utf-8", "<\xc3@example.org>", kSyntax}, utf8);
  Check({"overlong utf-8", "<\xc0\xafx@example.org>", kSyntax}, utf8);
  Check({"utf-8 in literal", "<a@[\xc3\xb6]>", kSyntax}, utf8);
}

}  // namespace
}  // namespace pigeon::mta::smtp
