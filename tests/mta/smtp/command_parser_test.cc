#include "mta/smtp/command_parser.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace pigeon::mta::smtp {
namespace {

TEST(CommandParserTest, SplitsVerbAndArgument) {
  struct Case {
    std::string_view got;
    Verb verb;
    std::string_view argument;
  };
  const Case cases[] = {
      {"EHLO mx.example.org", Verb::kEhlo, "mx.example.org"},
      {"ehlo mx.example.org", Verb::kEhlo, "mx.example.org"},
      {"HeLo x", Verb::kHelo, "x"},
      {"MAIL FROM:<a@b.example>", Verb::kMail, "FROM:<a@b.example>"},
      {"rcpt to:<a@b.example>", Verb::kRcpt, "to:<a@b.example>"},
      {"DATA", Verb::kData, ""},
      {"DATA  ", Verb::kData, ""},
      {"RSET", Verb::kRset, ""},
      {"NOOP anything", Verb::kNoop, "anything"},
      {"QUIT", Verb::kQuit, ""},
      {"VRFY user", Verb::kVrfy, "user"},
      {"EXPN list", Verb::kExpn, "list"},
      {"HELP", Verb::kHelp, ""},
      {"STARTTLS", Verb::kStartTls, ""},
      {"starttls now", Verb::kStartTls, "now"},
      {"AUTH PLAIN AGFAAGI=", Verb::kAuth, "PLAIN AGFAAGI="},
      {"MAIL  FROM:<a@b.example>  ", Verb::kMail, "FROM:<a@b.example>"},
      {"GET / HTTP/1.1", Verb::kForbidden, "/ HTTP/1.1"},
      {"POST /x HTTP/1.0", Verb::kForbidden, "/x HTTP/1.0"},
      {"CONNECT host:25 HTTP/1.1", Verb::kForbidden, "host:25 HTTP/1.1"},
      {"MAILFROM:<a@b.example>", Verb::kUnknown, ""},
      {"BDAT 10 LAST", Verb::kUnknown, "10 LAST"},
      {"", Verb::kUnknown, ""},
      {"DAT", Verb::kUnknown, ""},
      {"DATAX", Verb::kUnknown, ""},
      {"\tQUIT", Verb::kQuit, ""},
  };
  for (const Case& c : cases) {
    const CommandLine command = SplitCommand(c.got);
    EXPECT_EQ(command.verb, c.verb) << c.got;
    EXPECT_EQ(command.argument, c.argument) << c.got;
  }
}

struct MailCase {
  const char* name;
  std::string got;
  tl::expected<MailFrom, Reply> want;
};

MailFrom Sender(std::string path) { return MailFrom{.reverse_path = std::move(path)}; }

tl::unexpected<Reply> Refused(int code, std::string status, std::string text) {
  return tl::unexpected(Reply{code, std::move(status), std::move(text)});
}

TEST(CommandParserTest, MailFrom) {
  const auto bad_sender = Refused(501, "5.1.7", "Bad sender address syntax");
  const auto bad_params = Refused(501, "5.5.4", "Syntax error in parameters");
  const auto no_from = Refused(501, "5.5.2", "Syntax: MAIL FROM:<address>");
  const MailCase cases[] = {
      {"plain", "FROM:<a@b.example>", Sender("a@b.example")},
      {"space after colon", "FROM: <a@b.example>", Sender("a@b.example")},
      {"lower case", "from:<a@b.example>", Sender("a@b.example")},
      {"null sender", "FROM:<>", Sender("")},
      {"source route dropped", "FROM:<@relay.example:a@b.example>", Sender("a@b.example")},
      {"size", "FROM:<a@b.example> SIZE=12345",
       MailFrom{.reverse_path = "a@b.example", .declared_size = 12345}},
      {"size saturates", "FROM:<a@b.example> SIZE=99999999999999999999",
       MailFrom{.reverse_path = "a@b.example", .declared_size = UINT64_MAX}},
      {"body 8bit", "FROM:<a@b.example> BODY=8BITMIME",
       MailFrom{.reverse_path = "a@b.example", .body = BodyType::k8BitMime}},
      {"body 7bit lower case", "FROM:<a@b.example> body=7bit",
       MailFrom{.reverse_path = "a@b.example", .body = BodyType::k7Bit}},
      {"smtputf8 and utf-8", "FROM:<j\xc3\xb6rg@b.example> SMTPUTF8",
       MailFrom{.reverse_path = "j\xc3\xb6rg@b.example", .smtputf8 = true}},
      {"all together", "FROM:<a@b.example>  SIZE=1 BODY=8BITMIME  SMTPUTF8 AUTH=<>",
       MailFrom{.reverse_path = "a@b.example",
                .declared_size = 1,
                .body = BodyType::k8BitMime,
                .smtputf8 = true}},
      {"auth xtext ignored", "FROM:<a@b.example> AUTH=a+2Bb@c.example", Sender("a@b.example")},
      {"no from", "<a@b.example>", no_from},
      {"to instead of from", "TO:<a@b.example>", no_from},
      {"nothing", "", no_from},
      {"no brackets", "FROM:a@b.example", bad_sender},
      {"empty", "FROM:", bad_sender},
      {"garbage after path", "FROM:<a@b.example>x", bad_params},
      {"bad keyword", "FROM:<a@b.example> -SIZE=1", bad_params},
      {"empty value", "FROM:<a@b.example> SIZE=", bad_params},
      {"control in value", "FROM:<a@b.example> AUTH=a\x01", bad_params},
      {"bad size", "FROM:<a@b.example> SIZE=12x", Refused(501, "5.5.4", "Bad SIZE parameter")},
      {"size too long", "FROM:<a@b.example> SIZE=123456789012345678901",
       Refused(501, "5.5.4", "Bad SIZE parameter")},
      {"size without value", "FROM:<a@b.example> SIZE",
       Refused(501, "5.5.4", "Bad SIZE parameter")},
      {"duplicate size", "FROM:<a@b.example> SIZE=1 SIZE=2",
       Refused(501, "5.5.4", "Duplicate SIZE parameter")},
      {"bad body", "FROM:<a@b.example> BODY=9BIT", Refused(501, "5.5.4", "Bad BODY parameter")},
      {"binarymime", "FROM:<a@b.example> BODY=BINARYMIME",
       Refused(555, "5.5.4", "BODY=BINARYMIME not supported")},
      {"smtputf8 with value", "FROM:<a@b.example> SMTPUTF8=yes",
       Refused(501, "5.5.4", "Bad SMTPUTF8 parameter")},
      {"dsn ret", "FROM:<a@b.example> RET=HDRS",
       Refused(555, "5.5.4", "Unsupported parameter RET")},
      {"dsn envid", "FROM:<a@b.example> ENVID=x",
       Refused(555, "5.5.4", "Unsupported parameter ENVID")},
      {"unknown", "FROM:<a@b.example> XFOO", Refused(555, "5.5.4", "Unsupported parameter XFOO")},
      {"utf-8 without smtputf8", "FROM:<j\xc3\xb6rg@b.example>",
       Refused(553, "5.6.7", "Non-ASCII addresses not permitted for that sender")},
      {"invalid utf-8 even with smtputf8", "FROM:<j\xf6rg@b.example> SMTPUTF8", bad_sender},
  };
  for (const MailCase& c : cases) EXPECT_EQ(ParseMailFrom(c.got), c.want) << c.name;
}

TEST(CommandParserTest, RcptTo) {
  struct Case {
    const char* name;
    std::string got;
    bool smtputf8;
    tl::expected<std::string, Reply> want;
  };
  const auto bad_recipient = Refused(501, "5.1.3", "Bad recipient address syntax");
  const Case cases[] = {
      {"plain", "TO:<a@b.example>", false, "a@b.example"},
      {"space after colon", "To: <a@b.example>", false, "a@b.example"},
      {"postmaster", "TO:<Postmaster>", false, "Postmaster"},
      {"postmaster lower case", "TO:<postmaster>", false, "postmaster"},
      {"source route dropped", "TO:<@x.example,@y.example:a@b.example>", false, "a@b.example"},
      {"quoted", "TO:<\"a b\"@b.example>", false, "\"a b\"@b.example"},
      {"literal", "TO:<a@[192.0.2.7]>", false, "a@[192.0.2.7]"},
      {"utf-8 with smtputf8", "TO:<\xc3\xa9@b.example>", true, "\xc3\xa9@b.example"},
      {"utf-8 without smtputf8", "TO:<\xc3\xa9@b.example>", false,
       Refused(553, "5.6.7", "Non-ASCII addresses not permitted for that recipient")},
      {"null path", "TO:<>", false, bad_recipient},
      {"no domain", "TO:<root>", false, bad_recipient},
      {"no brackets", "TO:a@b.example", false, bad_recipient},
      {"no to", "<a@b.example>", false, Refused(501, "5.5.2", "Syntax: RCPT TO:<address>")},
      {"from instead of to", "FROM:<a@b.example>", false,
       Refused(501, "5.5.2", "Syntax: RCPT TO:<address>")},
      {"dsn notify", "TO:<a@b.example> NOTIFY=NEVER", false,
       Refused(555, "5.5.4", "Unsupported parameter NOTIFY")},
      {"dsn orcpt", "TO:<a@b.example> ORCPT=rfc822;a@b.example", false,
       Refused(555, "5.5.4", "Unsupported parameter ORCPT")},
      {"bad parameters", "TO:<a@b.example> =", false,
       Refused(501, "5.5.4", "Syntax error in parameters")},
      {"trailing garbage", "TO:<a@b.example>>", false,
       Refused(501, "5.5.4", "Syntax error in parameters")},
  };
  for (const Case& c : cases) EXPECT_EQ(ParseRcptTo(c.got, c.smtputf8), c.want) << c.name;
}

}  // namespace
}  // namespace pigeon::mta::smtp
