// MboxSplitter and MboxReader: case tables over the mbox(5) variants (mboxo, mboxrd, mboxcl,
// mboxcl2), From_ line recognition, separators, CRLF, garbage, Content-Length that lies,
// oversized messages. Every case is also fed one byte at a time and in random chunk sizes and
// must split identically; a 10,000-message stream must stay within a small memory bound.
#include "common/mailbox/mbox_reader.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <random>
#include <string>
#include <vector>

#include "common/mailbox/mbox_writer.h"

namespace pigeon::mailbox {
namespace {

struct Split {
  std::vector<MboxMessage> messages;
  std::vector<MboxWarning> warnings;
};

// chunk == 0: one Feed; chunk == 1: byte by byte; otherwise random sizes 1..chunk.
Split SplitWith(std::string_view input, MboxOptions options, size_t chunk, uint32_t seed = 1) {
  MboxSplitter splitter(options);
  Split out;
  std::mt19937 random(seed);
  auto drain = [&] {
    while (std::optional<MboxMessage> m = splitter.Next()) out.messages.push_back(*m);
  };
  size_t pos = 0;
  while (pos < input.size()) {
    size_t n = chunk == 0 ? input.size() : chunk == 1 ? 1 : 1 + random() % chunk;
    n = std::min(n, input.size() - pos);
    splitter.Feed(input.substr(pos, n));
    pos += n;
    drain();
  }
  splitter.Finish();
  drain();
  out.warnings = splitter.TakeWarnings();
  return out;
}

std::vector<std::string> Datas(const Split& split) {
  std::vector<std::string> datas;
  for (const MboxMessage& m : split.messages) datas.push_back(m.data);
  return datas;
}

void ExpectSameSplit(const Split& a, const Split& b, const std::string& what) {
  ASSERT_EQ(a.messages.size(), b.messages.size()) << what;
  for (size_t i = 0; i < a.messages.size(); ++i) {
    EXPECT_EQ(a.messages[i].data, b.messages[i].data) << what << " #" << i;
    EXPECT_EQ(a.messages[i].offset, b.messages[i].offset) << what << " #" << i;
    EXPECT_EQ(a.messages[i].index, b.messages[i].index) << what << " #" << i;
    EXPECT_EQ(a.messages[i].envelope.sender, b.messages[i].envelope.sender) << what;
    EXPECT_EQ(a.messages[i].envelope.date_text, b.messages[i].envelope.date_text) << what;
  }
  ASSERT_EQ(a.warnings.size(), b.warnings.size()) << what;
  for (size_t i = 0; i < a.warnings.size(); ++i) {
    EXPECT_EQ(a.warnings[i].text, b.warnings[i].text) << what;
  }
}

// Checks `input` and also that every chunking of it gives the one-shot result.
Split CheckedSplit(std::string_view input, MboxOptions options, const std::string& name) {
  const Split whole = SplitWith(input, options, 0);
  ExpectSameSplit(whole, SplitWith(input, options, 1), name + " byte by byte");
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    ExpectSameSplit(whole, SplitWith(input, options, 17, seed), name + " random chunks");
  }
  // Every split point of two chunks.
  for (size_t cut = 0; cut <= input.size() && input.size() < 400; ++cut) {
    MboxSplitter s(options);
    s.Feed(input.substr(0, cut));
    s.Feed(input.substr(cut));
    s.Finish();
    size_t count = 0;
    while (s.Next()) ++count;
    EXPECT_EQ(count, whole.messages.size()) << name << " cut at " << cut;
  }
  return whole;
}

std::string Counted(std::string_view headers, std::string_view body) {
  return "Content-Length: " + std::to_string(body.size()) + "\n" + std::string(headers) + "\n" +
         std::string(body);
}

constexpr auto kAuto = MboxVariant::kAuto;
constexpr auto kRd = MboxVariant::kMboxrd;
constexpr auto kO = MboxVariant::kMboxo;
constexpr auto kCl = MboxVariant::kMboxcl;
constexpr auto kCl2 = MboxVariant::kMboxcl2;
const std::string kF1 = "From alice@example.org Mon Jan  1 10:00:00 2024\n";
const std::string kF2 = "From bob@example.org Tue Jan  2 11:30:00 2024\n";

struct SplitCase {
  const char* name;
  MboxVariant variant;
  std::string input;
  std::vector<std::string> want;
  size_t warnings;
};

const std::string kQuoted = "x\n>From a\n>>From b\n>>>From c\n> From d\n>Frome\n";
const std::string kCl2Body = "From inside\n\nFrom also inside\n>From kept\n";

void RunCases(const std::vector<SplitCase>& cases) {
  for (const SplitCase& c : cases) {
    MboxOptions options;
    options.variant = c.variant;
    const Split split = CheckedSplit(c.input, options, c.name);
    EXPECT_EQ(Datas(split), c.want) << c.name;
    EXPECT_EQ(split.warnings.size(), c.warnings) << c.name;
  }
}

TEST(MboxSplitter, SeparatorsAndEmptyMessages) {
  RunCases({
      {"empty input", kAuto, "", {}, 0},
      {"one message", kAuto, kF1 + "Subject: x\n\nbody\n\n", {"Subject: x\n\nbody\n"}, 0},
      {"no final separator", kAuto, kF1 + "S: x\n\nbody\n", {"S: x\n\nbody\n"}, 0},
      {"missing final newline", kAuto, kF1 + "S: x\n\nbody", {"S: x\n\nbody"}, 0},
      {"two messages", kAuto, kF1 + "a\n\n" + kF2 + "b\n\n", {"a\n", "b\n"}, 0},
      {"message ending in empty line", kAuto, kF1 + "a\n\n\n" + kF2 + "b\n", {"a\n\n", "b\n"}, 0},
      {"empty messages", kAuto, "From a\n\nFrom b\n\nFrom c\n", {"", "", ""}, 0},
      {"empty message, strict next", kAuto, kF1 + kF2, {"", ""}, 0},
  });
}

TEST(MboxSplitter, QuotingAndFromLines) {
  RunCases({
      {"mboxrd unquoting",
       kRd,
       kF1 + kQuoted,
       {"x\nFrom a\n>From b\n>>From c\n> From d\n>Frome\n"},
       0},
      {"auto is mboxrd",
       kAuto,
       kF1 + kQuoted,
       {"x\nFrom a\n>From b\n>>From c\n> From d\n>Frome\n"},
       0},
      {"mboxo unquoting",
       kO,
       kF1 + kQuoted,
       {"x\nFrom a\n>>From b\n>>>From c\n> From d\n>Frome\n"},
       0},
      {"mboxcl2 no unquoting", kCl2, kF1 + kQuoted, {kQuoted}, 0},
      {"From in body, no empty line",
       kAuto,
       kF1 + "a\nFrom here on\nb\n",
       {"a\nFrom here on\nb\n"},
       0},
      {"From in body after empty line", kAuto, kF1 + "a\n\nFrom here on\n", {"a\n", ""}, 0},
      {"strict From_ without empty line", kAuto, kF1 + "a\n" + kF2 + "b\n", {"a\n", "b\n"}, 0},
      {"zone before year",
       kAuto,
       kF1 + "a\nFrom x Wed Feb  3 04:05:06 PST 1999\nb\n",
       {"a\n", "b\n"},
       0},
      {"almost strict: bad month",
       kAuto,
       kF1 + "a\nFrom x Mon Foo  1 10:00:00 2024\n",
       {"a\nFrom x Mon Foo  1 10:00:00 2024\n"},
       0},
      {"almost strict: bad hour",
       kAuto,
       kF1 + "a\nFrom x Mon Jan  1 25:00:00 2024\n",
       {"a\nFrom x Mon Jan  1 25:00:00 2024\n"},
       0},
      {"almost strict: no sender",
       kAuto,
       kF1 + "a\nFrom Mon Jan  1 10:00:00 2024\n",
       {"a\nFrom Mon Jan  1 10:00:00 2024\n"},
       0},
  });
}

TEST(MboxSplitter, CrlfAndGarbage) {
  RunCases({
      {"CRLF",
       kAuto,
       "From a\r\nS: x\r\n\r\nbody\r\n\r\nFrom b\r\nS: y\r\n\r\n>From q\r\n",
       {"S: x\r\n\r\nbody\r\n", "S: y\r\n\r\nFrom q\r\n"},
       0},
      {"CRLF missing final newline", kAuto, "From a\r\nS: x\r\n\r\nb", {"S: x\r\n\r\nb"}, 0},
      {"garbage first", kAuto, "junk\nmore junk\n" + kF1 + "a\n", {"a\n"}, 1},
      {"only garbage", kAuto, "no mbox here\n", {}, 1},
      {"From not at line start", kAuto, kF1 + "a From b\n xFrom c\n", {"a From b\n xFrom c\n"}, 0},
  });
}

TEST(MboxSplitter, ContentLength) {
  RunCases({
      {"cl2 counted body",
       kCl2,
       kF1 + Counted("S: x\n", kCl2Body) + "\n" + kF2 + "b\n",
       {Counted("S: x\n", kCl2Body), "b\n"},
       0},
      {"cl2 counted at EOF", kCl2, kF1 + Counted("", kCl2Body), {Counted("", kCl2Body)}, 0},
      {"cl2 counted, EOF after blank",
       kCl2,
       kF1 + Counted("", kCl2Body) + "\n",
       {Counted("", kCl2Body)},
       0},
      {"cl2 counted, no separator",
       kCl2,
       kF1 + Counted("", "a\n") + "From b\nc\n",
       {Counted("", "a\n"), "c\n"},
       0},
      {"cl2 zero length", kCl2, kF1 + Counted("", "") + "\n" + kF2, {Counted("", ""), ""}, 0},
      {"cl2 CRLF",
       kCl2,
       "From a\r\nContent-Length: 3\r\n\r\nx\r\n\r\nFrom b\r\n",
       {"Content-Length: 3\r\n\r\nx\r\n", ""},
       0},
      {"cl2 length too short",
       kCl2,
       kF1 + "Content-Length: 2\n\nabcdef\n\n" + kF2 + "b\n",
       {"Content-Length: 2\n\nabcdef\n", "b\n"},
       1},
      {"cl2 length too long",
       kCl2,
       kF1 + "Content-Length: 9\n\nab\n\n" + kF2 + "b\n",
       {"Content-Length: 9\n\nab\n", "b\n"},
       1},
      {"cl2 length beyond EOF",
       kCl2,
       kF1 + "Content-Length: 99\n\nab\n",
       {"Content-Length: 99\n\nab\n"},
       1},
      {"cl2 length not a number",
       kCl2,
       kF1 + "Content-Length: 2x\n\nab\n",
       {"Content-Length: 2x\n\nab\n"},
       0},
      {"cl2 duplicate length",
       kCl2,
       kF1 + "Content-Length: 3\ncontent-length: 3\n\nab\n\nFrom in\n",
       {"Content-Length: 3\ncontent-length: 3\n\nab\n", ""},
       0},
      {"cl counted, mboxo unquoted",
       kCl,
       kF1 + Counted("", "From x\n>From y\n>>From z\n") + "\n" + kF2,
       {"Content-Length: 24\n\nFrom x\nFrom y\n>>From z\n", ""},
       0},
      {"auto ignores Content-Length",
       kAuto,
       kF1 + Counted("", "a\n\nFrom x\n"),
       {"Content-Length: 10\n\na\n", ""},
       0},
  });
}

TEST(MboxSplitter, EnvelopeOffsetsAndIndexes) {
  const std::string input = "junk\n" + kF1 + "a\n\n" + "From weird\n";
  const Split split = CheckedSplit(input, {}, "envelope");
  ASSERT_EQ(split.messages.size(), 2u);
  EXPECT_EQ(split.messages[0].index, 0u);
  EXPECT_EQ(split.messages[0].offset, 5u);
  EXPECT_EQ(split.messages[0].envelope.sender, "alice@example.org");
  EXPECT_EQ(split.messages[0].envelope.date_text, "Mon Jan  1 10:00:00 2024");
  ASSERT_TRUE(split.messages[0].envelope.date.has_value());
  EXPECT_EQ(*split.messages[0].envelope.date, 1704103200);
  EXPECT_EQ(split.messages[1].index, 1u);
  EXPECT_EQ(split.messages[1].offset, 5 + kF1.size() + 3);
  EXPECT_EQ(split.messages[1].envelope.sender, "weird");
  EXPECT_EQ(split.messages[1].envelope.date_text, "");
  EXPECT_FALSE(split.messages[1].envelope.date.has_value());
  ASSERT_EQ(split.warnings.size(), 1u);
  EXPECT_EQ(split.warnings[0].offset, 0u);
}

TEST(MboxSplitter, OversizedMessageSkippedWithWarning) {
  MboxOptions options;
  options.max_message_bytes = 50;
  const std::string big(200, 'x');
  const std::string input = kF1 + "a\n\n" + kF2 + big + "\n" + big + "\n\n" + kF1 + "c\n";
  const Split split = CheckedSplit(input, options, "oversized");
  EXPECT_EQ(Datas(split), (std::vector<std::string>{"a\n", "c\n"}));
  ASSERT_EQ(split.warnings.size(), 1u);
  EXPECT_NE(split.warnings[0].text.find("message 1"), std::string::npos);
  EXPECT_EQ(split.messages[1].index, 2u);
}

TEST(MboxSplitter, LongLinesAreNeverFromLines) {
  const std::string long_from = "From " + std::string(kMaxFromLineBytes, 'a') + "\n";
  const std::string long_line(3 * kMaxFromLineBytes, 'z');
  std::string input = long_from + kF1 + long_line + "\n\n" + long_from + "x\n";
  const Split split = CheckedSplit(input, {}, "long lines");
  EXPECT_EQ(Datas(split), (std::vector<std::string>{long_line + "\n\n" + long_from + "x\n"}));
  EXPECT_EQ(split.warnings.size(), 1u);  // the long "From " line before the first message

  MboxOptions small;
  small.max_message_bytes = kMaxFromLineBytes;
  const Split skipped = CheckedSplit(input, small, "long lines, small limit");
  EXPECT_TRUE(skipped.messages.empty());
  EXPECT_EQ(skipped.warnings.size(), 2u);
}

TEST(MboxSplitter, TenThousandMessagesInBoundedMemory) {
  MboxSplitter splitter;
  std::string pending, expected;
  size_t received = 0, max_buffered = 0;
  for (size_t i = 0; i <= 10000; ++i) {
    if (i < 10000) {
      expected = "Subject: " + std::to_string(i) + "\n\n" + std::string(i % 3000, 'b') + "\n";
      AppendMboxrdMessage("a@b", 1700000000 + i, expected, &pending);
    } else {
      splitter.Feed(pending);
      pending.clear();
      splitter.Finish();
    }
    while (pending.size() >= 4096) {
      splitter.Feed(std::string_view(pending).substr(0, 4096));
      pending.erase(0, 4096);
      max_buffered = std::max(max_buffered, splitter.BufferedBytes());
      while (std::optional<MboxMessage> m = splitter.Next()) {
        EXPECT_EQ(m->index, received);
        EXPECT_EQ(m->data.substr(0, 9 + std::to_string(received).size()),
                  "Subject: " + std::to_string(received));
        ++received;
      }
    }
    while (std::optional<MboxMessage> m = splitter.Next()) ++received;
  }
  EXPECT_EQ(received, 10000u);
  EXPECT_LT(max_buffered, 64u * 1024);
  EXPECT_TRUE(splitter.TakeWarnings().empty());
}

// A source that returns at most `step` bytes a read, or fails after `fail_after` bytes.
class StringSource : public ByteSource {
 public:
  StringSource(std::string data, size_t step, size_t fail_after = SIZE_MAX)
      : data_(std::move(data)), step_(step), fail_after_(fail_after) {}
  Result<size_t> Read(char* buffer, size_t size) override {
    if (pos_ >= fail_after_) return MakeError(ErrorCode::kIo, "fake: Input/output error");
    const size_t n = std::min({size, step_, data_.size() - pos_});
    data_.copy(buffer, n, pos_);
    pos_ += n;
    return n;
  }

 private:
  std::string data_;
  size_t step_, fail_after_, pos_ = 0;
};

TEST(MboxReader, ReadsFromSourceInSmallReads) {
  StringSource source("junk\n" + kF1 + "a\n\n" + kF2 + "b\n", 3);
  MboxReader reader(source);
  std::vector<std::string> got;
  for (;;) {
    Result<std::optional<MboxMessage>> m = reader.Next();
    ASSERT_TRUE(m.has_value()) << m.error().message;
    if (!m->has_value()) break;
    got.push_back((*m)->data);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"a\n", "b\n"}));
  EXPECT_EQ(reader.TakeWarnings().size(), 1u);
  Result<std::optional<MboxMessage>> again = reader.Next();
  ASSERT_TRUE(again.has_value());
  EXPECT_FALSE(again->has_value());
}

TEST(MboxReader, PropagatesReadErrors) {
  StringSource source(kF1 + "a\n\n" + kF2 + "b\n", 4, 10);
  MboxReader reader(source);
  Result<std::optional<MboxMessage>> m = reader.Next();
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().code, ErrorCode::kIo);
}

TEST(MboxReader, ReadsARealFile) {
  char path[] = "/tmp/pigeon_mbox_reader_XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  const std::string content = kF1 + "a\n\n" + kF2 + "b\n\n";
  ASSERT_EQ(::write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  ::close(fd);
  Result<std::unique_ptr<FileSource>> source = FileSource::Open(path);
  ASSERT_TRUE(source.has_value()) << source.error().message;
  MboxReader reader(**source);
  size_t count = 0;
  while (true) {
    Result<std::optional<MboxMessage>> m = reader.Next();
    ASSERT_TRUE(m.has_value());
    if (!m->has_value()) break;
    ++count;
  }
  EXPECT_EQ(count, 2u);
  ::unlink(path);
  Result<std::unique_ptr<FileSource>> missing = FileSource::Open(path);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find(path), std::string::npos);
}

}  // namespace
}  // namespace pigeon::mailbox
