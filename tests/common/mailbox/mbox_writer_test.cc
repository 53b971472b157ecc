// MboxWriter and the From_ line: asctime dates in UTC, sender fallback, mboxrd quoting by
// table, the missing-final-newline policy, and round trips through the mboxrd reader (case
// table plus random messages full of "From ", ">From " and ">>From " lines), byte-identical.
#include "common/mailbox/mbox_writer.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <random>
#include <string>
#include <vector>

#include "common/mailbox/from_line.h"
#include "common/mailbox/mbox_reader.h"
#include "tests/support/temp_directory.h"

namespace pigeon::mailbox {
namespace {

std::vector<MboxMessage> ReadBack(std::string_view mbox, MboxVariant variant) {
  MboxOptions options;
  options.variant = variant;
  MboxSplitter splitter(options);
  splitter.Feed(mbox);
  splitter.Finish();
  std::vector<MboxMessage> messages;
  while (std::optional<MboxMessage> m = splitter.Next()) messages.push_back(*m);
  EXPECT_TRUE(splitter.TakeWarnings().empty());
  return messages;
}

TEST(FromLine, FormatsAsctimeInUtc) {
  struct Case {
    std::string_view sender;
    int64_t seconds;
    const char* want;
  } const cases[] = {
      {"a@b", 0, "From a@b Thu Jan  1 00:00:00 1970\n"},
      {"", 1704103200, "From MAILER-DAEMON Mon Jan  1 10:00:00 2024\n"},
      {"x y", 951782400, "From MAILER-DAEMON Tue Feb 29 00:00:00 2000\n"},
      {"a\nb", 1, "From MAILER-DAEMON Thu Jan  1 00:00:01 1970\n"},
      {"a@b", -1, "From a@b Wed Dec 31 23:59:59 1969\n"},
      {"a@b", 253402300799, "From a@b Fri Dec 31 23:59:59 9999\n"},
      {"a@b", 253402300800, "From a@b Thu Jan  1 00:00:00 1970\n"},  // year 10000
      {"a@b", -30610224001, "From a@b Thu Jan  1 00:00:00 1970\n"},  // year 999
  };
  for (const Case& c : cases) {
    const std::string line = FormatFromLine(c.sender, c.seconds);
    EXPECT_EQ(line, c.want) << c.seconds;
    EXPECT_TRUE(HasStrictFromLineShape(line)) << line;
  }
  EXPECT_EQ(FromLineSender(std::string(513, 'a')), "MAILER-DAEMON");
  EXPECT_EQ(FromLineSender(std::string(512, 'a')), std::string(512, 'a'));
}

TEST(FromLine, ParsesEnvelope) {
  const FromLine line = ParseFromLine("From  a@b   Sat Nov 29 13:03:07 2025 \r\n");
  EXPECT_EQ(line.sender, "a@b");
  EXPECT_EQ(line.date_text, "Sat Nov 29 13:03:07 2025");
  ASSERT_TRUE(line.date.has_value());
  EXPECT_EQ(*line.date, 1764421387);
  EXPECT_EQ(ParseFromLine("From \n").sender, "");
  EXPECT_FALSE(ParseFromLine("From x garbage").date.has_value());
}

TEST(MboxWriter, QuotesByTable) {
  struct Case {
    const char* message;
    const char* want_body;  // between the From_ line and the final empty line
  } const cases[] = {
      {"", ""},
      {"\n", "\n"},
      {"a\n", "a\n"},
      {"From x\n", ">From x\n"},
      {">From x\n", ">>From x\n"},
      {">>From x\n", ">>>From x\n"},
      {"From\n", "From\n"},
      {"> From x\n", "> From x\n"},
      {" From x\n", " From x\n"},
      {"a\nFrom x\r\nb\n", "a\n>From x\r\nb\n"},
      {"From ", ">From \n"},
      {"no newline", "no newline\n"},
      {"ends in CR\r", "ends in CR\r\n"},
  };
  for (const Case& c : cases) {
    std::string out;
    AppendMboxrdMessage("s", 0, c.message, &out);
    const std::string from = FormatFromLine("s", 0);
    EXPECT_EQ(out, from + c.want_body + "\n") << c.message;
  }
}

TEST(MboxWriter, RoundTripTable) {
  const char* const messages[] = {
      "",
      "\n",
      "\n\n",
      "Subject: x\n\nbody\n",
      "a\n\n\n",
      "From x\n>From y\n>>From z\n>>>From w\n",
      "From Mon Jan  1 00:00:00 2024\n",
      "x\n\nFrom alice@example.org Mon Jan  1 10:00:00 2024\n\n",
      "S: x\r\n\r\nFrom y\r\n>From z\r\n\r\n",
      "Content-Length: 3\n\nFrom a\n",
  };
  std::string mbox;
  for (const char* m : messages) AppendMboxrdMessage("a@b", 1700000000, m, &mbox);
  for (MboxVariant variant : {MboxVariant::kMboxrd, MboxVariant::kAuto}) {
    const std::vector<MboxMessage> back = ReadBack(mbox, variant);
    ASSERT_EQ(back.size(), std::size(messages));
    for (size_t i = 0; i < back.size(); ++i) {
      EXPECT_EQ(back[i].data, messages[i]) << i;
      EXPECT_EQ(back[i].envelope.sender, "a@b");
      EXPECT_EQ(back[i].envelope.date, 1700000000);
    }
  }
}

TEST(MboxWriter, MissingFinalNewlineIsAdded) {
  std::string mbox;
  AppendMboxrdMessage("", 0, "a\nb", &mbox);
  AppendMboxrdMessage("", 0, "From c", &mbox);
  const std::vector<MboxMessage> back = ReadBack(mbox, MboxVariant::kMboxrd);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].data, "a\nb\n");
  EXPECT_EQ(back[1].data, "From c\n");
  EXPECT_EQ(back[0].envelope.sender, "MAILER-DAEMON");
}

std::string RandomMessage(std::mt19937& random) {
  static const char* const kPieces[] = {
      "From ",       ">From ", ">>From ", ">>>From ", "From",
      "> From ",     "\n",     "\n",      "\r\n",     "x",
      "Subject: hi", " ",      "\r",      ">",        "From a Mon Jan  1 00:00:00 2024",
      "\0",          "\xff",   "\n\n"};
  std::string message;
  const size_t pieces = random() % 40;
  for (size_t i = 0; i < pieces; ++i) {
    const size_t k = random() % std::size(kPieces);
    message += k == 15 ? std::string(1, '\0') : std::string(kPieces[k]);
  }
  if (message.empty() || message.back() != '\n') message += '\n';
  return message;
}

TEST(MboxWriter, RandomRoundTripIsByteIdentical) {
  std::mt19937 random(20240601);
  for (int round = 0; round < 50; ++round) {
    std::vector<std::string> messages;
    std::string mbox;
    for (int i = 0; i < 40; ++i) {
      messages.push_back(RandomMessage(random));
      AppendMboxrdMessage("s@x", i, messages.back(), &mbox);
    }
    const std::vector<MboxMessage> back = ReadBack(mbox, MboxVariant::kAuto);
    ASSERT_EQ(back.size(), messages.size()) << "round " << round;
    for (size_t i = 0; i < back.size(); ++i) {
      ASSERT_EQ(back[i].data, messages[i]) << "round " << round << " message " << i;
    }
  }
}

class StringSink : public ByteSink {
 public:
  Result<void> Write(std::string_view bytes) override {
    if (fail) return MakeError(ErrorCode::kIo, "sink: No space left on device");
    data.append(bytes);
    return {};
  }
  Result<void> Sync() override { return {}; }
  std::string data;
  bool fail = false;
};

TEST(MboxWriter, WritesToSinkAndReportsErrors) {
  StringSink sink;
  MboxWriter writer(sink);
  ASSERT_TRUE(writer.Write("a@b", 0, "From x\n").has_value());
  ASSERT_TRUE(writer.Finish().has_value());
  EXPECT_EQ(sink.data, "From a@b Thu Jan  1 00:00:00 1970\n>From x\n\n");
  sink.fail = true;
  Result<void> failed = writer.Write("a@b", 0, "y\n");
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, ErrorCode::kIo);
}

TEST(MboxWriter, FileRoundTrip) {
  const testing::TempDirectory dir("mbox-writer");
  ASSERT_FALSE(dir.path().empty());
  const std::string path = dir.path() + "/out.mbox";
  {
    Result<std::unique_ptr<FileSink>> sink = FileSink::Open(path, /*append=*/false);
    ASSERT_TRUE(sink.has_value()) << sink.error().message;
    MboxWriter writer(**sink);
    ASSERT_TRUE(writer.Write("a@b", 1, "one\nFrom x\n").has_value());
    ASSERT_TRUE(writer.Finish().has_value());
  }
  {
    Result<std::unique_ptr<FileSink>> sink = FileSink::Open(path, /*append=*/true);
    ASSERT_TRUE(sink.has_value());
    MboxWriter writer(**sink);
    ASSERT_TRUE(writer.Write("c@d", 2, ">From two\n").has_value());
    ASSERT_TRUE(writer.Finish().has_value());
  }
  Result<std::unique_ptr<FileSource>> source = FileSource::Open(path);
  ASSERT_TRUE(source.has_value());
  MboxReader reader(**source);
  std::vector<std::string> got;
  for (;;) {
    Result<std::optional<MboxMessage>> m = reader.Next();
    ASSERT_TRUE(m.has_value());
    if (!m->has_value()) break;
    got.push_back((*m)->data);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"one\nFrom x\n", ">From two\n"}));
  // Both gone before the end of the test: the path below is under a missing directory.
  ::unlink(path.c_str());
  ::rmdir(dir.path().c_str());
  Result<std::unique_ptr<FileSink>> bad = FileSink::Open(path + "/no/such/dir", false);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("no/such/dir"), std::string::npos);
}

}  // namespace
}  // namespace pigeon::mailbox
