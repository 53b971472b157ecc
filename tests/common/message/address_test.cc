#include "common/message/address.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace pigeon::message {
namespace {

bool HasDefect(const Defects& defects, DefectKind kind) {
  return std::any_of(defects.begin(), defects.end(),
                     [kind](const Defect& d) { return d.kind == kind; });
}

struct ParseCase {
  const char* name;
  std::string_view input;
  std::vector<Mailbox> expected;  // AddressList::Mailboxes()
};

void CheckCases(const std::vector<ParseCase>& cases) {
  for (const ParseCase& c : cases) {
    const std::vector<Mailbox> got = ParseAddressList(c.input, nullptr).Mailboxes();
    ASSERT_EQ(got.size(), c.expected.size()) << c.name << ": " << c.input;
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].name, c.expected[i].name) << c.name << " #" << i;
      EXPECT_EQ(got[i].local_part, c.expected[i].local_part) << c.name << " #" << i;
      EXPECT_EQ(got[i].domain, c.expected[i].domain) << c.name << " #" << i;
    }
  }
}

TEST(AddressParse, Rfc5322AppendixA) {
  CheckCases({
      {"A.1.1", "John Doe <jdoe@machine.example>", {{"John Doe", "jdoe", "machine.example"}}},
      {"A.1.2 quoted",
       "\"Joe Q. Public\" <john.q.public@example.com>",
       {{"Joe Q. Public", "john.q.public", "example.com"}}},
      {"A.1.2 list",
       "Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>",
       {{"Mary Smith", "mary", "x.test"}, {"", "jdoe", "example.org"}, {"Who?", "one", "y.test"}}},
      {"A.1.2 cc",
       "<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>",
       {{"", "boss", "nil.test"}, {"Giant; \"Big\" Box", "sysservices", "example.net"}}},
      {"A.1.3 group",
       "A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;",
       {{"Ed Jones", "c", "a.test"}, {"", "joe", "where.test"}, {"John", "jdoe", "one.test"}}},
      {"A.1.3 empty group", "Undisclosed recipients:;", {}},
      {"A.5 comments",
       "Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>",
       {{"Pete", "pete", "silly.test"}}},
      {"A.5 group with comments",
       "A Group(Some people)\r\n     :Chris Jones <c@(Chris's host.)public.example>,\r\n"
       "         joe@example.org,\r\n  John <jdoe@one.test> (my dear friend); (the end of the "
       "group)",
       {{"Chris Jones", "c", "public.example"},
        {"", "joe", "example.org"},
        {"John", "jdoe", "one.test"}}},
      {"A.5 empty group", "(Empty list)(start)Hidden recipients  :(nobody(that I know))  ;", {}},
      {"A.6.1 obs-phrase",
       "Joe Q. Public <john.q.public@example.com>",
       {{"Joe Q. Public", "john.q.public", "example.com"}}},
      {"A.6.1 route and empty element",
       "Mary Smith <@node.test:mary@example.net>, , jdoe@test  . example",
       {{"Mary Smith", "mary", "example.net"}, {"", "jdoe", "test.example"}}},
      {"A.6.3 comment in domain",
       "John Doe <jdoe@machine(comment).  example>",
       {{"John Doe", "jdoe", "machine.example"}}},
      {"A.6.3 folded",
       "Mary Smith\r\n  \r\n     <mary@example.net>",
       {{"Mary Smith", "mary", "example.net"}}},
  });
}

TEST(AddressParse, RealWorldForms) {
  CheckCases({
      {"quoted comma", "\"Doe, John\" <john@x>", {{"Doe, John", "john", "x"}}},
      {"bare addr-spec", "john@x", {{"", "john", "x"}}},
      {"comment is not a name", "a@b (Real Name)", {{"", "a", "b"}}},
      {"leading comment is not a name", "(Real Name) a@b", {{"", "a", "b"}}},
      {"comment inside phrase", "Joe (the man) Smith <a@b>", {{"Joe Smith", "a", "b"}}},
      {"nested comment", "a@b (x (y (z)) \\( w)", {{"", "a", "b"}}},
      {"whitespace collapsed", "John    Q.   Public <j@x>", {{"John Q. Public", "j", "x"}}},
      {"quoted whitespace kept", "\"John    Smith\" <a@b>", {{"John    Smith", "a", "b"}}},
      {"quoted word in phrase", "Joe \"quoted\" Smith <a@b>", {{"Joe quoted Smith", "a", "b"}}},
      {"quoted-pairs", "\"a\\\\b\\\"c\" <x@y>", {{"a\\b\"c", "x", "y"}}},
      {"dot in phrase", "Joe.Smith <a@b>", {{"Joe.Smith", "a", "b"}}},
      {"empty quoted name", "\"\" <a@b>", {{"", "a", "b"}}},
      {"unquoted comma splits", "Doe, John <john@x>", {{"", "Doe", ""}, {"John", "john", "x"}}},
      {"obs-route", "<@relay1,@relay2:user@host>", {{"", "user", "host"}}},
      {"obs-local-part", "john . smith@example.com", {{"", "john.smith", "example.com"}}},
      {"quoted local part", "\"a b\"@x", {{"", "a b", "x"}}},
      {"mixed local part", "\"a b\".c@x", {{"", "a b.c", "x"}}},
      {"empty elements", "a@b,,c@d", {{"", "a", "b"}, {"", "c", "d"}}},
      {"leading and trailing commas", " , a@b , ", {{"", "a", "b"}}},
      {"missing comma", "a@b c@d", {{"", "a", "b"}, {"", "c", "d"}}},
      {"missing comma before name", "<a@b> Joe <c@d>", {{"", "a", "b"}, {"Joe", "c", "d"}}},
      {"semicolon separator", "a@b; c@d", {{"", "a", "b"}, {"", "c", "d"}}},
      {"trailing junk skipped",
       "Name <a@b> trailing junk, c@d",
       {{"Name", "a", "b"}, {"", "c", "d"}}},
      {"address literal", "user@[1.2.3.4]", {{"", "user", "[1.2.3.4]"}}},
      {"IPv6 literal", "<user@[IPv6:2001:db8::1]>", {{"", "user", "[IPv6:2001:db8::1]"}}},
      {"angle without domain", "<postmaster>", {{"", "postmaster", ""}}},
      {"bare word", "undisclosed-recipients", {{"", "undisclosed-recipients", ""}}},
      {"several bare words", "Undisclosed recipients", {{"", "Undisclosed recipients", ""}}},
      {"words before addr-spec", "John Smith jsmith@x", {{"", "John Smith jsmith", "x"}}},
      {"null path", "<>", {{"", "", ""}}},
      {"name with null path", "Name <>", {{"Name", "", ""}}},
      {"double angles", "Joe <<a@b>>", {{"Joe", "a", "b"}}},
      {"8-bit name", "J\xC3\xBCrgen <j@x.de>", {{"J\xC3\xBCrgen", "j", "x.de"}}},
      {"SMTPUTF8 addr-spec",
       "j\xC3\xBCrgen@b\xC3\xBC"
       "cher.de",
       {{"", "j\xC3\xBCrgen",
         "b\xC3\xBC"
         "cher.de"}}},
      {"trailing dot kept", "a@b.", {{"", "a", "b."}}},
      {"dots kept in local part", "a..b@c", {{"", "a..b", "c"}}},
      {"literal ends at comma", "a@[1.2, b@c", {{"", "a", "[1.2"}, {"", "b", "c"}}},
      {"missing domain", "a@, b@c", {{"", "a", ""}, {"", "b", "c"}}},
      {"literal quoted-pair", "a@[x\\]y], b@c", {{"", "a", "[x\\]y]"}, {"", "b", "c"}}},
      {"literal backslash before break dropped",
       "a@[x\\\r\n y], b@c",
       {{"", "a", "[x y]"}, {"", "b", "c"}}},
      {"empty", "", {}},
      {"only CFWS", "  (comment) \r\n ", {}},
  });
}

TEST(AddressParse, UnclosedConstructsRecoverWithDefects) {
  struct Case {
    std::string_view input;
    DefectKind defect;
    std::vector<Mailbox> expected;
  };
  const Case cases[] = {
      {"\"unclosed <a@b>", DefectKind::kAddressUnclosedQuote, {{"", "unclosed <a@b>", ""}}},
      {"Name (comment <a@b>", DefectKind::kAddressUnclosedComment, {{"", "Name", ""}}},
      {"Name <a@b", DefectKind::kAddressUnclosedAngle, {{"Name", "a", "b"}}},
      {"Name <a@b, c@d>", DefectKind::kAddressUnclosedAngle, {{"Name", "a", "b"}, {"", "c", "d"}}},
      {"<@relay:user@host>", DefectKind::kAddressObsoleteRoute, {{"", "user", "host"}}},
      {"<postmaster>", DefectKind::kAddressMissingDomain, {{"", "postmaster", ""}}},
      {"a@", DefectKind::kAddressMissingDomain, {{"", "a", ""}}},
      {"a@b >, c@d", DefectKind::kAddressInvalidCharacter, {{"", "a", "b"}, {"", "c", "d"}}},
      {"team: a@x, b@y", DefectKind::kAddressInvalidCharacter, {{"", "a", "x"}, {"", "b", "y"}}},
      {"team: , ,;", DefectKind::kAddressEmptyGroup, {}},
      {"@b", DefectKind::kAddressInvalidCharacter, {{"", "", "b"}}},
      {".a@b", DefectKind::kAddressInvalidCharacter, {{"", ".a", "b"}}},
      {"a..b@c", DefectKind::kAddressInvalidCharacter, {{"", "a..b", "c"}}},
  };
  for (const Case& c : cases) {
    Defects defects;
    const std::vector<Mailbox> got = ParseAddressList(c.input, &defects).Mailboxes();
    EXPECT_EQ(got, c.expected) << c.input;
    EXPECT_TRUE(HasDefect(defects, c.defect)) << c.input;
  }
}

TEST(AddressParse, CleanInputHasNoDefects) {
  for (std::string_view input :
       {"John Doe <jdoe@machine.example>", "\"Doe, John\" <john@x>, a@b (Real Name)",
        "undisclosed-recipients:;", "team: a@x, b@y;", "\"a..b\"@x, <\"a b\"@y>"}) {
    Defects defects;
    ParseAddressList(input, &defects);
    EXPECT_TRUE(defects.empty()) << input << ": " << defects.front().detail;
  }
}

TEST(AddressParse, Groups) {
  const AddressList list =
      ParseAddressList("a@x, team: b@y, Carl <c@z>; undisclosed-recipients:;, d@w", nullptr);
  ASSERT_EQ(list.items.size(), 4u);
  EXPECT_EQ(std::get<Mailbox>(list.items[0]), (Mailbox{"", "a", "x"}));
  const Group& team = std::get<Group>(list.items[1]);
  EXPECT_EQ(team.name, "team");
  EXPECT_EQ(team.members, (std::vector<Mailbox>{{"", "b", "y"}, {"Carl", "c", "z"}}));
  EXPECT_EQ(std::get<Group>(list.items[2]), (Group{"undisclosed-recipients", {}}));
  EXPECT_EQ(std::get<Mailbox>(list.items[3]), (Mailbox{"", "d", "w"}));
  EXPECT_EQ(list.Mailboxes().size(), 4u);

  Defects defects;
  const AddressList nested = ParseAddressList("a: b: c@d;", &defects);
  ASSERT_EQ(nested.items.size(), 1u);
  EXPECT_EQ(std::get<Group>(nested.items[0]).members, (std::vector<Mailbox>{{"", "c", "d"}}));
  EXPECT_TRUE(HasDefect(defects, DefectKind::kAddressInvalidCharacter));
}

TEST(AddressParse, EncodedWordsInDisplayName) {
  CheckCases({
      {"encoded-word", "=?utf-8?q?J=C3=BCrgen?= <j@x>", {{"J\xC3\xBCrgen", "j", "x"}}},
      {"encoded-word and atom",
       "=?utf-8?q?J=C3=BCrgen?= Smith <j@x>",
       {{"J\xC3\xBCrgen Smith", "j", "x"}}},
      {"adjacent encoded-words",
       "=?utf-8?q?J=C3=BC?= =?utf-8?q?rgen?= <j@x>",
       {{"J\xC3\xBCrgen", "j", "x"}}},
      {"base64", "=?UTF-8?B?SsO8cmdlbg==?= <j@x>", {{"J\xC3\xBCrgen", "j", "x"}}},
      {"inside quotes (real world)",
       "\"=?utf-8?q?J=C3=BCrgen?=\" <j@x>",
       {{"J\xC3\xBCrgen", "j", "x"}}},
      {"specials inside the word", "=?utf-8?q?Doe,_J.?= <j@x>", {{"Doe, J.", "j", "x"}}},
      {"not in local part", "\"=?utf-8?q?a?=\"@x", {{"", "=?utf-8?q?a?=", "x"}}},
  });
}

TEST(AddressParse, HostileInputIsBounded) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(ParseAddressList(std::string(200000, '('), nullptr).items.empty());
  ParseAddressList(std::string(200000, '<'), nullptr);
  ParseAddressList(std::string(200000, '"'), nullptr);
  ParseAddressList(std::string(200000, '['), nullptr);
  std::string words;
  for (int i = 0; i < 50000; ++i) words += "a ";
  ParseAddressList(words + "<", nullptr);
  std::string encoded;
  for (int i = 0; i < 20000; ++i) encoded += "=?a?q?,";
  ParseAddressList(encoded, nullptr);

  std::string many;
  for (size_t i = 0; i < kMaxAddresses + 50; ++i) many += "a@b,";
  Defects defects;
  EXPECT_EQ(ParseAddressList(many, &defects).Mailboxes().size(), kMaxAddresses);
  EXPECT_TRUE(HasDefect(defects, DefectKind::kLimitExceeded));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(MailboxAddrSpec, QuotesLocalPartOnlyWhenNotDotAtom) {
  EXPECT_EQ((Mailbox{"", "john.smith", "x"}).AddrSpec(), "john.smith@x");
  EXPECT_EQ((Mailbox{"", "a b", "x"}).AddrSpec(), "\"a b\"@x");
  EXPECT_EQ((Mailbox{"", "a..b", "x"}).AddrSpec(), "\"a..b\"@x");
  EXPECT_EQ((Mailbox{"", ".a", "x"}).AddrSpec(), "\".a\"@x");
  EXPECT_EQ((Mailbox{"", "a\"b\\c", "x"}).AddrSpec(), "\"a\\\"b\\\\c\"@x");
  EXPECT_EQ((Mailbox{"", "", "x"}).AddrSpec(), "\"\"@x");
  EXPECT_EQ((Mailbox{"", "j\xC3\xBCrgen", "x"}).AddrSpec(), "j\xC3\xBCrgen@x");
  EXPECT_EQ((Mailbox{"", "postmaster", ""}).AddrSpec(), "postmaster");
  // A dot-atom that would be read back as an encoded-word is quoted as well.
  EXPECT_EQ((Mailbox{"", "=?a?b", "x"}).AddrSpec(), "\"=?a?b\"@x");
  EXPECT_EQ((Mailbox{"", "user", "[1.2.3.4]"}).AddrSpec(), "user@[1.2.3.4]");
}

TEST(ParseMailbox, AcceptsAddrSpecAndAngleAddr) {
  const std::pair<std::string_view, Mailbox> cases[] = {
      {"user@example.org", {"", "user", "example.org"}},
      {"<user@example.org>", {"", "user", "example.org"}},
      {"  <user@example.org>  ", {"", "user", "example.org"}},
      {"\"a b\"@example.org", {"", "a b", "example.org"}},
      {"<@relay:user@example.org>", {"", "user", "example.org"}},
      {"postmaster", {"", "postmaster", ""}},
      {"j\xC3\xBCrgen@b\xC3\xBC"
       "cher.de",
       {"", "j\xC3\xBCrgen",
        "b\xC3\xBC"
        "cher.de"}},
  };
  for (const auto& [input, expected] : cases) {
    Result<Mailbox> got = ParseMailbox(input);
    ASSERT_TRUE(got.has_value()) << input << ": " << got.error().message;
    EXPECT_EQ(*got, expected) << input;
  }
}

TEST(ParseMailbox, RejectsGarbage) {
  for (std::string_view input :
       {"", "   ", "a@b, c@d", "a@b c@d", "group:;", "group: a@b;", "Name <a@b>", "<>", "<a@b",
        "\"a@b", "a@b >", "@b", "<<>>", "a@b junk", "(comment"}) {
    EXPECT_FALSE(ParseMailbox(input).has_value()) << input;
  }
}

struct FormatCase {
  Mailbox mailbox;
  std::string_view formatted;
};

TEST(FormatMailbox, QuotesNameOnlyWhenNeeded) {
  const FormatCase cases[] = {
      {{"", "a", "b"}, "a@b"},
      {{"John Smith", "a", "b"}, "John Smith <a@b>"},
      {{"Doe, John", "a", "b"}, "\"Doe, John\" <a@b>"},
      {{"John Q. Public", "a", "b"}, "\"John Q. Public\" <a@b>"},
      {{"a@b", "a", "b"}, "\"a@b\" <a@b>"},
      {{"x: y;", "a", "b"}, "\"x: y;\" <a@b>"},
      {{"Giant; \"Big\" Box", "a", "b"}, "\"Giant; \\\"Big\\\" Box\" <a@b>"},
      {{"back\\slash", "a", "b"}, "\"back\\\\slash\" <a@b>"},
      {{"two  spaces", "a", "b"}, "\"two  spaces\" <a@b>"},
      {{" lead", "a", "b"}, "\" lead\" <a@b>"},
      {{"O'Brien", "a", "b"}, "O'Brien <a@b>"},
      // Readers decode encoded-words even in quotes: a name that looks encoded is encoded.
      {{"=?utf-8?q?x?=", "a", "b"}, "=?UTF-8?B?PT91dGYtOD9xP3g/PQ==?= <a@b>"},
      {{"Name", "", ""}, "Name <>"},
      {{"", "", ""}, "<>"},
      {{"", "postmaster", ""}, "postmaster"},
      {{"evil\r\nBcc: x@y", "a", "b"}, "\"evil  Bcc: x@y\" <a@b>"},
  };
  for (const FormatCase& c : cases) {
    EXPECT_EQ(FormatMailbox(c.mailbox), c.formatted);
  }
}

TEST(FormatMailbox, RoundTripsNamesNeedingQuotes) {
  for (std::string_view name :
       {"Doe, John", "John Q. Public", "Giant; \"Big\" Box", "a\\b", "(not a comment)", "<angle>",
        "[bracket]", "semi;colon:", "two  spaces", "trailing ", "@", "\""}) {
    const Mailbox mailbox{std::string(name), "local.part", "example.org"};
    const std::vector<Mailbox> got = ParseAddressList(FormatMailbox(mailbox), nullptr).Mailboxes();
    ASSERT_EQ(got.size(), 1u) << name;
    EXPECT_EQ(got[0], mailbox) << FormatMailbox(mailbox);
  }
}

TEST(FormatMailbox, RoundTripsNonAsciiNames) {
  for (std::string_view name :
       {"J\xC3\xBCrgen M\xC3\xBCller", "M\xC3\xBCller, Hans",
        "\xE7\x8E\x8B\xE5\xB0\x8F\xE6\x98\x8E", "Ren\xC3\xA9 \"the one\" D.",
        // Whitespace runs beside plain words must survive phrase parsing too.
        "x  y  \xC3\xA9", "\xC3\xA9  x  !x", "\xC3\xA9 x\ty", "=?utf-8?q?x?= y"}) {
    const Mailbox mailbox{std::string(name), "r", "example.org"};
    const std::string formatted = FormatMailbox(mailbox);
    EXPECT_TRUE(std::all_of(formatted.begin(), formatted.end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x80;
    })) << formatted;
    const std::vector<Mailbox> got = ParseAddressList(formatted, nullptr).Mailboxes();
    ASSERT_EQ(got.size(), 1u) << formatted;
    EXPECT_EQ(got[0], mailbox) << formatted;
  }
}

TEST(FormatAddressList, MailboxesAndGroups) {
  AddressList list;
  list.items.emplace_back(Mailbox{"Doe, John", "john", "x"});
  list.items.emplace_back(Group{"team", {{"", "a", "x"}, {"Bea", "b", "y"}}});
  list.items.emplace_back(Group{"undisclosed-recipients", {}});
  list.items.emplace_back(Mailbox{"", "c", "z"});
  const std::string formatted = FormatAddressList(list);
  EXPECT_EQ(formatted,
            "\"Doe, John\" <john@x>, team: a@x, Bea <b@y>;, undisclosed-recipients:;, c@z");
  const AddressList again = ParseAddressList(formatted, nullptr);
  ASSERT_EQ(again.items.size(), 4u);
  EXPECT_EQ(std::get<Group>(again.items[1]), std::get<Group>(list.items[1]));
  EXPECT_EQ(again.Mailboxes(), list.Mailboxes());
  EXPECT_EQ(FormatAddressList({}), "");
}

TEST(DomainIdn, ConvertsBothWays) {
  EXPECT_EQ(DomainToAscii("b\xC3\xBC"
                          "cher.example")
                .value(),
            "xn--bcher-kva.example");
  EXPECT_EQ(DomainToAscii("B\xC3\x9C"
                          "CHER.example")
                .value(),
            "xn--bcher-kva.example");
  EXPECT_EQ(DomainToAscii("fa\xC3\x9F.de").value(), "xn--fa-hia.de");  // nontransitional
  EXPECT_EQ(DomainToAscii("Example.COM").value(), "example.com");
  EXPECT_EQ(DomainToAscii("[1.2.3.4]").value(), "[1.2.3.4]");
  EXPECT_EQ(DomainToAscii("\xE2\x98\x83.net").value(), "xn--n3h.net");  // transitional fallback
  EXPECT_EQ(DomainToUnicode("xn--bcher-kva.example").value(),
            "b\xC3\xBC"
            "cher.example");
  EXPECT_EQ(DomainToUnicode("XN--BCHER-KVA.Example").value(),
            "b\xC3\xBC"
            "cher.example");
  EXPECT_EQ(DomainToUnicode("example.com").value(), "example.com");
}

TEST(DomainIdn, RefusesInvalidDomains) {
  EXPECT_FALSE(DomainToAscii("b\xC3\xBC-.de").has_value());    // hyphen at label end
  EXPECT_FALSE(DomainToAscii("\xE2\x80\xAE.de").has_value());  // bidi control
  EXPECT_FALSE(DomainToAscii("a\xFF"
                             "b.de")
                   .has_value());  // not UTF-8
  EXPECT_FALSE(DomainToAscii(std::string_view("a\0b", 3)).has_value());
  EXPECT_FALSE(DomainToUnicode("xn--zz.example").has_value());  // bad punycode
}

}  // namespace
}  // namespace pigeon::message
