#include "mta/sendmail/sendmail_options.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace pigeon::mta::sendmail {
namespace {

Result<SendmailOptions> Parse(std::initializer_list<std::string_view> args,
                              std::string_view program = "sendmail") {
  const std::vector<std::string_view> words(args);
  return ParseSendmailArgs(words, program);
}

SendmailOptions MustParse(std::initializer_list<std::string_view> args,
                          std::string_view program = "sendmail") {
  Result<SendmailOptions> got = Parse(args, program);
  EXPECT_TRUE(got.has_value()) << (got ? "" : got.error().message);
  return got.value_or(SendmailOptions{});
}

using Strings = std::vector<std::string>;

TEST(SendmailOptionsTest, ExitCodesAreSysexits) {
  EXPECT_EQ(static_cast<int>(ExitCode::kOk), 0);
  EXPECT_EQ(static_cast<int>(ExitCode::kUsage), 64);
  EXPECT_EQ(static_cast<int>(ExitCode::kDataErr), 65);
  EXPECT_EQ(static_cast<int>(ExitCode::kNoUser), 67);
  EXPECT_EQ(static_cast<int>(ExitCode::kUnavailable), 69);
  EXPECT_EQ(static_cast<int>(ExitCode::kSoftware), 70);
  EXPECT_EQ(static_cast<int>(ExitCode::kTempFail), 75);
  EXPECT_EQ(static_cast<int>(ExitCode::kConfig), 78);
}

TEST(SendmailOptionsTest, Neomutt) {
  const SendmailOptions got = MustParse({"-oem", "-oi", "-B8BITMIME", "-f", "me@example.org", "--",
                                         "a@example.net", "b@example.net"});
  EXPECT_EQ(got.mode, SendmailMode::kDeliver);
  EXPECT_TRUE(got.ignore_dots);
  EXPECT_EQ(got.body_type, BodyType::k8BitMime);
  EXPECT_EQ(got.sender, "me@example.org");
  EXPECT_EQ(got.recipients, (Strings{"a@example.net", "b@example.net"}));
  EXPECT_FALSE(got.recipients_from_headers);
}

TEST(SendmailOptionsTest, Cron) {
  const SendmailOptions got = MustParse({"-FCronDaemon", "-odi", "-oem", "-oi", "-t"});
  EXPECT_EQ(got.full_name, "CronDaemon");
  EXPECT_TRUE(got.ignore_dots);
  EXPECT_TRUE(got.recipients_from_headers);
  EXPECT_TRUE(got.recipients.empty());
  EXPECT_FALSE(got.sender);
}

TEST(SendmailOptionsTest, GitSendEmail) {
  const SendmailOptions got =
      MustParse({"-i", "-f", "dev@example.org", "list@example.net", "maint@example.com"});
  EXPECT_TRUE(got.ignore_dots);
  EXPECT_EQ(got.sender, "dev@example.org");
  EXPECT_EQ(got.recipients, (Strings{"list@example.net", "maint@example.com"}));
}

TEST(SendmailOptionsTest, BsdMailx) {
  const SendmailOptions got = MustParse({"-i", "root", "bob@example.net"});
  EXPECT_TRUE(got.ignore_dots);
  EXPECT_FALSE(got.sender);
  EXPECT_EQ(got.recipients, (Strings{"root", "bob@example.net"}));
}

TEST(SendmailOptionsTest, ProgramNameSelectsTheMode) {
  EXPECT_EQ(MustParse({}, "mailq").mode, SendmailMode::kListQueue);
  EXPECT_EQ(MustParse({}, "/usr/bin/mailq").mode, SendmailMode::kListQueue);
  EXPECT_EQ(MustParse({"-v"}, "mailq").verbosity, 1);
  EXPECT_EQ(MustParse({}, "newaliases").mode, SendmailMode::kRebuildAliases);
  EXPECT_EQ(MustParse({}, "/usr/sbin/newaliases").mode, SendmailMode::kRebuildAliases);
  for (std::string_view name : {"sendmail", "/usr/sbin/sendmail", "pigeon-sendmail", "mail.x"}) {
    EXPECT_EQ(MustParse({"a@b"}, name).mode, SendmailMode::kDeliver) << name;
  }
  // Other names behave as sendmail: without recipients there is nothing to do.
  EXPECT_FALSE(Parse({}, "sendmail"));
  EXPECT_FALSE(Parse({"a@b"}, "mailq"));
}

TEST(SendmailOptionsTest, Modes) {
  struct Case {
    std::vector<std::string_view> args;
    SendmailMode want;
  };
  const Case cases[] = {
      {{"-bm", "a@b"}, SendmailMode::kDeliver},   {{"-bs"}, SendmailMode::kSmtpOnStdio},
      {{"-bp"}, SendmailMode::kListQueue},        {{"-bi"}, SendmailMode::kRebuildAliases},
      {{"-I"}, SendmailMode::kRebuildAliases},    {{"-bv", "a@b"}, SendmailMode::kVerify},
      {{"-b", "s"}, SendmailMode::kSmtpOnStdio},  {{"-q"}, SendmailMode::kRunQueue},
      {{"-q1h"}, SendmailMode::kRunQueue},        {{"-q30m"}, SendmailMode::kRunQueue},
      {{"-q1h30m"}, SendmailMode::kRunQueue},     {{"-q15"}, SendmailMode::kRunQueue},
      {{"-bs", "-bp"}, SendmailMode::kListQueue},  // the last one wins
  };
  for (const Case& c : cases) {
    Result<SendmailOptions> got = ParseSendmailArgs(c.args, "sendmail");
    ASSERT_TRUE(got) << c.args[0] << ": " << got.error().message;
    EXPECT_EQ(got->mode, c.want) << c.args[0];
  }
}

TEST(SendmailOptionsTest, QueueRunsBySiteAndId) {
  SendmailOptions got = MustParse({"-qRexample.org"});
  EXPECT_EQ(got.mode, SendmailMode::kRunQueue);
  EXPECT_EQ(got.flush_site, "example.org");
  EXPECT_EQ(MustParse({"-qSexample.net"}).flush_site, "example.net");
  got = MustParse({"-qI01JD4Q7ZB2N8XK"});
  EXPECT_EQ(got.flush_queue_id, "01JD4Q7ZB2N8XK");
  EXPECT_FALSE(got.flush_site);
  // -q never takes the next word: "-q" "x@y" is a flush with a stray recipient.
  EXPECT_FALSE(Parse({"-q", "x@y"}));
  EXPECT_FALSE(Parse({"-qR"}));
  EXPECT_FALSE(Parse({"-qfoo"}));
  EXPECT_FALSE(Parse({"-qh1"}));
}

TEST(SendmailOptionsTest, DaemonModeIsRefused) {
  for (std::string_view word : {"-bd", "-bD"}) {
    const std::vector<std::string_view> args{word};
    Result<SendmailOptions> got = ParseSendmailArgs(args, "sendmail");
    ASSERT_FALSE(got) << word;
    EXPECT_EQ(got.error().code, ErrorCode::kUnsupported);
    EXPECT_NE(got.error().message.find("pigeond"), std::string::npos) << got.error().message;
  }
}

TEST(SendmailOptionsTest, Senders) {
  EXPECT_EQ(MustParse({"-fme@example.org", "a@b"}).sender, "me@example.org");
  EXPECT_EQ(MustParse({"-f", "me@example.org", "a@b"}).sender, "me@example.org");
  EXPECT_EQ(MustParse({"-r", "me@example.org", "a@b"}).sender, "me@example.org");
  EXPECT_EQ(MustParse({"-rme@example.org", "a@b"}).sender, "me@example.org");
  EXPECT_EQ(MustParse({"-f", "<me@example.org>", "a@b"}).sender, "me@example.org");
  EXPECT_EQ(MustParse({"-f", "<>", "a@b"}).sender, "");
  EXPECT_EQ(MustParse({"-f<>", "a@b"}).sender, "");
  EXPECT_EQ(MustParse({"-f", "", "a@b"}).sender, "");
  EXPECT_EQ(MustParse({"-f", "one@x", "-f", "two@x", "a@b"}).sender, "two@x");
  EXPECT_FALSE(Parse({"-f"}));
  EXPECT_FALSE(Parse({"-f", "me@x\r\nRCPT TO:<evil@x>", "a@b"}));
}

TEST(SendmailOptionsTest, FullName) {
  EXPECT_EQ(MustParse({"-F", "Cron Daemon", "a@b"}).full_name, "Cron Daemon");
  EXPECT_EQ(MustParse({"-F", "", "a@b"}).full_name, "");
  EXPECT_EQ(MustParse({"-FJöran", "a@b"}).full_name, "Jöran");
  EXPECT_FALSE(Parse({"-F", "x\nBcc: victim@example.org", "a@b"}));
}

TEST(SendmailOptionsTest, BodyType) {
  EXPECT_EQ(MustParse({"-B", "8BITMIME", "a@b"}).body_type, BodyType::k8BitMime);
  EXPECT_EQ(MustParse({"-B7BIT", "a@b"}).body_type, BodyType::k7Bit);
  EXPECT_EQ(MustParse({"-B8bitmime", "a@b"}).body_type, BodyType::k8BitMime);
  EXPECT_EQ(MustParse({"a@b"}).body_type, BodyType::kUnspecified);
  EXPECT_FALSE(Parse({"-BBINARYMIME", "a@b"}));
  EXPECT_FALSE(Parse({"-B", "", "a@b"}));
}

TEST(SendmailOptionsTest, Notify) {
  EXPECT_EQ(MustParse({"-N", "never", "a@b"}).notify, DsnNotify{});
  EXPECT_EQ(MustParse({"-NNEVER", "a@b"}).notify, DsnNotify{});
  EXPECT_EQ(MustParse({"-N", "success,delay,failure", "a@b"}).notify,
            (DsnNotify{.success = true, .delay = true, .failure = true}));
  EXPECT_EQ(MustParse({"-Nfailure", "a@b"}).notify, (DsnNotify{.failure = true}));
  EXPECT_EQ(MustParse({"-N", "delay,success", "a@b"}).notify,
            (DsnNotify{.success = true, .delay = true}));
  EXPECT_FALSE(MustParse({"a@b"}).notify);
  for (std::string_view bad : {"", "never,failure", "failure,", ",delay", "sometimes",
                               "success delay", "failure,,delay"}) {
    EXPECT_FALSE(Parse({"-N", bad, "a@b"})) << bad;
  }
}

TEST(SendmailOptionsTest, ReturnAndEnvelopeId) {
  EXPECT_EQ(MustParse({"-R", "full", "a@b"}).dsn_return, DsnReturn::kFull);
  EXPECT_EQ(MustParse({"-Rhdrs", "a@b"}).dsn_return, DsnReturn::kHeaders);
  EXPECT_EQ(MustParse({"-RHDRS", "a@b"}).dsn_return, DsnReturn::kHeaders);
  EXPECT_FALSE(Parse({"-R", "body", "a@b"}));
  EXPECT_EQ(MustParse({"-V", "QQ314159", "a@b"}).envelope_id, "QQ314159");
  EXPECT_FALSE(Parse({"-V", "has space", "a@b"}));
  EXPECT_FALSE(Parse({"-V", std::string(101, 'x'), "a@b"}));
  EXPECT_TRUE(Parse({"-V", std::string(100, 'x'), "a@b"}));
}

TEST(SendmailOptionsTest, ConfigAliasesVerbosityGateway) {
  EXPECT_EQ(MustParse({"-C", "/etc/pigeon/test.conf", "a@b"}).config_path, "/etc/pigeon/test.conf");
  EXPECT_EQ(MustParse({"-C/tmp/p.conf", "a@b"}).config_path, "/tmp/p.conf");
  EXPECT_FALSE(Parse({"-C", "", "a@b"}));
  EXPECT_EQ(MustParse({"-oA/etc/aliases2"}, "newaliases").alias_file, "/etc/aliases2");
  EXPECT_FALSE(Parse({"-oA"}, "newaliases"));
  EXPECT_EQ(MustParse({"-v", "-v", "-vv", "a@b"}).verbosity, 4);
  EXPECT_TRUE(MustParse({"-G", "a@b"}).gateway);
}

TEST(SendmailOptionsTest, IgnoredOptions) {
  const SendmailOptions got =
      MustParse({"-oem", "-oep",      "-odi", "-odb", "-odq",    "-o7", "-oL9",     "-L",  "label",
                 "-h",   "17",        "-m",   "-n",   "-U",      "-X",  "/tmp/log", "-Am", "-Ac",
                 "-O",   "Timeout=1", "-e",   "x",    "-pESMTP", "-c",  "-x",       "a@b"});
  EXPECT_EQ(got.mode, SendmailMode::kDeliver);
  EXPECT_FALSE(got.ignore_dots);
  EXPECT_EQ(got.recipients, Strings{"a@b"});
  // -o with its value in the next word is still -oi.
  EXPECT_TRUE(MustParse({"-o", "i", "a@b"}).ignore_dots);
  EXPECT_FALSE(Parse({"-Ax", "a@b"}));
}

TEST(SendmailOptionsTest, ClusteredFlagsFollowGetopt) {
  SendmailOptions got = MustParse({"-tiv"});
  EXPECT_TRUE(got.recipients_from_headers);
  EXPECT_TRUE(got.ignore_dots);
  EXPECT_EQ(got.verbosity, 1);
  // An option taking an argument ends the cluster, with the rest or the next word.
  got = MustParse({"-tif", "me@x"});
  EXPECT_EQ(got.sender, "me@x");
  EXPECT_TRUE(got.recipients_from_headers);
  got = MustParse({"-tifme@x"});
  EXPECT_EQ(got.sender, "me@x");
  got = MustParse({"-itF", "Name", "a@b"});
  EXPECT_EQ(got.full_name, "Name");
  got = MustParse({"-vbs"});
  EXPECT_EQ(got.mode, SendmailMode::kSmtpOnStdio);
  EXPECT_EQ(got.verbosity, 1);
  EXPECT_EQ(MustParse({"-vq"}).mode, SendmailMode::kRunQueue);
  EXPECT_EQ(MustParse({"-voi", "a@b"}).ignore_dots, true);
}

TEST(SendmailOptionsTest, DoubleDashEndsOptions) {
  const SendmailOptions got = MustParse({"-i", "--", "-x@example.org", "-f", "--", "b@c"});
  EXPECT_EQ(got.recipients, (Strings{"-x@example.org", "-f", "--", "b@c"}));
  EXPECT_FALSE(got.sender);
  EXPECT_FALSE(Parse({"--"}));  // still no recipient
  EXPECT_EQ(MustParse({"-t", "--"}).recipients, Strings{});
}

TEST(SendmailOptionsTest, CommaSeparatedRecipients) {
  EXPECT_EQ(MustParse({"a@x, b@y,c@z", "d@w"}).recipients, (Strings{"a@x", "b@y", "c@z", "d@w"}));
  EXPECT_EQ(MustParse({"\"Doe, Jane\" <jane@x>, bob@y"}).recipients,
            (Strings{"\"Doe, Jane\" <jane@x>", "bob@y"}));
  EXPECT_EQ(MustParse({"<a,b@x>, c@y"}).recipients, (Strings{"<a,b@x>", "c@y"}));
  EXPECT_EQ(MustParse({"a@x (Smith, J), b@y"}).recipients, (Strings{"a@x (Smith, J)", "b@y"}));
  EXPECT_EQ(MustParse({"\"a\\\", b\"@x, c@y"}).recipients, (Strings{"\"a\\\", b\"@x", "c@y"}));
  EXPECT_EQ(MustParse({",,a@x,, ,"}).recipients, Strings{"a@x"});
  EXPECT_FALSE(Parse({", ,"}));  // no recipient left
  EXPECT_FALSE(Parse({"a@x\nb@y"}));
}

TEST(SendmailOptionsTest, BadUsage) {
  struct Case {
    const char* name;
    std::vector<std::string_view> args;
    std::string_view program = "sendmail";
  };
  const Case cases[] = {
      {"unknown option", {"-Z", "a@b"}},
      {"unknown in a cluster", {"-tZ", "a@b"}},
      {"GNU long option", {"--help"}},
      {"missing argument", {"a@b", "-f"}},
      {"missing argument at end", {"-F"}},
      {"missing -N argument", {"-N"}},
      {"unknown mode", {"-bz", "a@b"}},
      {"mode too long", {"-bmx", "a@b"}},
      {"no recipients", {"-i"}},
      {"nothing at all", {}},
      {"option after a recipient", {"a@b", "-v"}},
      {"lone dash", {"-"}},
      {"recipients with -bs", {"-bs", "a@b"}},
      {"recipients with -bp", {"-bp", "a@b"}},
      {"recipients with -I", {"-I", "a@b"}},
      {"recipients with mailq", {"a@b"}, "mailq"},
      {"recipients with newaliases", {"a@b"}, "newaliases"},
      {"recipients with -q", {"-q", "a@b"}},
      {"verify without recipients", {"-bv"}},
  };
  for (const Case& c : cases) {
    Result<SendmailOptions> got = ParseSendmailArgs(c.args, c.program);
    ASSERT_FALSE(got) << c.name;
    EXPECT_EQ(got.error().code, ErrorCode::kInvalidArgument) << c.name;
    EXPECT_FALSE(got.error().message.empty()) << c.name;
    EXPECT_EQ(got.error().message.find('\n'), std::string::npos) << c.name;
  }
}

TEST(SendmailOptionsTest, ErrorsNameTheOptionPrintably) {
  Result<SendmailOptions> got = Parse({"-\x01", "a@b"});
  ASSERT_FALSE(got);
  EXPECT_NE(got.error().message.find("\\x01"), std::string::npos) << got.error().message;
  got = Parse({"-Z", "a@b"});
  ASSERT_FALSE(got);
  EXPECT_NE(got.error().message.find("-Z"), std::string::npos) << got.error().message;
}

TEST(SendmailOptionsTest, BoundsRecipients) {
  std::string many;
  for (size_t i = 0; i <= kMaxRecipients; ++i) many += "a@b,";
  EXPECT_FALSE(Parse({many}));
  EXPECT_FALSE(Parse({std::string(kMaxArgumentLength + 1, 'a')}));
  EXPECT_FALSE(Parse({"-f", std::string(kMaxArgumentLength + 1, 'a'), "a@b"}));
}

TEST(SendmailOptionsTest, UsageMentionsTheProgramAndOptions) {
  const std::string text = Usage("/usr/sbin/sendmail");
  EXPECT_TRUE(text.starts_with("usage: sendmail "));
  for (std::string_view option :
       {"-t", "-i", "-f", "-F", "-B", "-N", "-R", "-V", "-bp", "-bs", "-q", "-C", "--"}) {
    EXPECT_NE(text.find(option), std::string::npos) << option;
  }
  EXPECT_TRUE(text.ends_with("\n"));
}

}  // namespace
}  // namespace pigeon::mta::sendmail
