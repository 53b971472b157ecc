#include "mta/smtp/data_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace pigeon::mta::smtp {
namespace {

using Outcome = DataReader::Outcome;

constexpr uint64_t kLarge = 1 << 20;

struct Result {
  bool done = false;
  size_t used = 0;
  Outcome outcome = Outcome::kComplete;
  std::string content;
  bool operator==(const Result&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Result& r) {
  return out << "{done=" << r.done << " used=" << r.used
             << " outcome=" << static_cast<int>(r.outcome)
             << " content=" << testing::PrintToString(r.content) << "}";
}

// Feeds `input` in pieces of `chunk` bytes (0: whole), as a transport would.
Result Read(std::string_view input, size_t chunk = 0, uint64_t max = kLarge) {
  DataReader reader(max);
  Result result;
  while (result.used < input.size() && !reader.done()) {
    const size_t n = chunk == 0 ? input.size() : chunk;
    const size_t used = reader.Consume(input.substr(result.used, n));
    if (used == 0) break;
    result.used += used;
  }
  result.done = reader.done();
  result.outcome = reader.outcome();
  result.content = reader.TakeContent();
  return result;
}

// An independent model of the rules: the data ends at the first CRLF "." CRLF, counting the
// start as a line start; lines split at LF lose one CR before it and one leading "." when
// longer than one byte, and are stored with CRLF.
Result Model(std::string_view input) {
  const std::string framed = "\r\n" + std::string(input);
  const size_t end = framed.find("\r\n.\r\n");
  Result result;
  result.done = end != std::string::npos;
  result.used = result.done ? end + 3 : input.size();
  std::string_view text = input.substr(0, result.done ? end : input.size());
  while (!text.empty()) {
    const size_t lf = text.find('\n');
    if (lf == std::string_view::npos) break;  // an unfinished line is not stored yet
    std::string_view line = text.substr(0, lf);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > 1 && line[0] == '.') line.remove_prefix(1);
    result.content.append(line).append("\r\n");
    text.remove_prefix(lf + 1);
  }
  return result;
}

TEST(DataReaderTest, CaseTable) {
  struct Case {
    const char* name;
    std::string got;
    Result want;
  };
  const Case cases[] = {
      {"empty message", ".\r\n", {true, 3, Outcome::kComplete, ""}},
      {"one line", "Hi\r\n.\r\n", {true, 7, Outcome::kComplete, "Hi\r\n"}},
      {"stops at the end", "Hi\r\n.\r\nQUIT\r\n", {true, 7, Outcome::kComplete, "Hi\r\n"}},
      {"dot unstuffed", "..\r\n..x\r\n.\r\n", {true, 12, Outcome::kComplete, ".\r\n.x\r\n"}},
      {"dot inside line kept", "a.b\r\n.\r\n", {true, 8, Outcome::kComplete, "a.b\r\n"}},
      {"empty lines", "\r\n\r\n.\r\n", {true, 7, Outcome::kComplete, "\r\n\r\n"}},
      {"bare lf normalised", "a\nb\r\n.\r\n", {true, 8, Outcome::kComplete, "a\r\nb\r\n"}},
      {"bare cr kept", "a\rb\r\n.\r\n", {true, 8, Outcome::kComplete, "a\rb\r\n"}},
      {"8-bit and nul kept",
       std::string("\xff\x00\x80\r\n.\r\n", 8),
       {true, 8, Outcome::kComplete, std::string("\xff\x00\x80\r\n", 5)}},
      {"unfinished", "abc", {false, 3, Outcome::kComplete, ""}},
      {"unfinished after lines", "a\r\nb", {false, 4, Outcome::kComplete, "a\r\n"}},
      {"dot line not yet ended", "a\r\n.", {false, 4, Outcome::kComplete, "a\r\n"}},
      {"dot cr not yet ended", "a\r\n.\r", {false, 5, Outcome::kComplete, "a\r\n"}},
      {"dot then space", "a\r\n. \r\n.\r\n", {true, 10, Outcome::kComplete, "a\r\n \r\n"}},
      {"cr cr lf dot", "a\r\r\n.\r\n", {true, 7, Outcome::kComplete, "a\r\r\n"}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Read(c.got), c.want) << c.name;
    EXPECT_EQ(Read(c.got, 1), c.want) << c.name << " byte by byte";
    EXPECT_EQ(Model(c.got), c.want) << c.name << " (model)";
  }
}

// Every near miss of CRLF "." CRLF: none may end the data, so the commands after it are
// content, and only the real end that follows ends the message.
TEST(DataReaderTest, SmugglingNeverEndsTheData) {
  struct Case {
    const char* separator;
    const char* stored;  // how the separator is kept in the content
  };
  const Case cases[] = {
      {"\n.\n", "\r\n.\r\n"},
      {"\n.\r\n", "\r\n.\r\n"},
      {"\r\n.\n", "\r\n.\r\n"},
      {"\r.\r", "\r.\r"},
      {"\r\n.\r", "\r\n\r"},  // ".\r" + "MAIL…" is one line starting with a stuffed dot
      {"\r.\n", "\r.\r\n"},
      {"\r.\r\n", "\r.\r\n"},
      {"\n.\r\r\n", "\r\n\r\r\n"},
      {"\r\n.\r\r\n", "\r\n\r\r\n"},
      {"\r\n \r\n.\n", "\r\n \r\n.\r\n"},
      {"\n\r\n.\r\n", "\r\n\r\n"},  // a real end: "\n" ends the line "body", "\r\n" an empty one
  };
  const std::string smuggled =
      "MAIL FROM:<evil@attacker.example>\r\nRCPT TO:<v@example.org>\r\n"
      "DATA\r\nsmuggled\r\n";
  for (const Case& c : cases) {
    const std::string input = "Subject: x\r\n\r\nbody" + std::string(c.separator) + smuggled;
    const bool real_end = std::string(c.separator) == "\n\r\n.\r\n";
    const Result result = Read(input);
    EXPECT_EQ(result, Model(input)) << testing::PrintToString(c.separator);
    if (real_end) {
      EXPECT_TRUE(result.done);
      continue;
    }
    EXPECT_FALSE(result.done) << testing::PrintToString(c.separator);
    const Result ended = Read(input + ".\r\nQUIT\r\n");
    EXPECT_TRUE(ended.done);
    EXPECT_EQ(ended.used, input.size() + 3);
    EXPECT_EQ(ended.content, "Subject: x\r\n\r\nbody" + std::string(c.stored) + smuggled)
        << testing::PrintToString(c.separator);
    for (size_t chunk : {1, 2, 3, 7}) EXPECT_EQ(Read(input + ".\r\n", chunk), ended) << chunk;
  }
}

TEST(DataReaderTest, LineLimit) {
  const std::string longest(kMaxTextLine, 'x');
  EXPECT_EQ(Read(longest + "\r\n.\r\n").outcome, Outcome::kComplete);
  EXPECT_EQ(Read(longest + "\n.\r\n").outcome, Outcome::kComplete);
  EXPECT_EQ(Read("." + longest.substr(1) + "\r\n.\r\n").outcome, Outcome::kComplete);

  for (const std::string& got :
       {longest + "x\r\n.\r\n", "." + longest + "\r\n.\r\n", longest + "x\n\r\n.\r\n",
        std::string(100000, 'y') + "\r\n.\r\n"}) {
    for (size_t chunk : {0, 1, 999, 1000}) {
      const Result result = Read(got + "QUIT\r\n", chunk);
      EXPECT_TRUE(result.done);
      EXPECT_EQ(result.used, got.size()) << "read to the real end";
      EXPECT_EQ(result.outcome, Outcome::kLineTooLong);
      EXPECT_EQ(result.content, "");
    }
  }
  // A long line does not hide the end that follows it, nor make a near miss an end.
  const Result near_miss = Read(longest + "xx\n.\r\nmore\r\n.\r\n");
  EXPECT_EQ(near_miss.used, kMaxTextLine + 3 + 3 + 6 + 3);
  EXPECT_EQ(near_miss.outcome, Outcome::kLineTooLong);
}

TEST(DataReaderTest, SizeLimit) {
  EXPECT_EQ(Read("12345678\r\n.\r\n", 0, 10),
            (Result{true, 13, Outcome::kComplete, "12345678\r\n"}));
  EXPECT_EQ(Read("123456789\r\n.\r\n", 0, 10), (Result{true, 14, Outcome::kTooBig, ""}));
  // Unstuffing and normalising count as stored: "..\r\n" is 3 octets, "a\n" too.
  EXPECT_EQ(Read("..\r\n.\r\n", 0, 3).outcome, Outcome::kComplete);
  EXPECT_EQ(Read("..\r\n.\r\n", 0, 2).outcome, Outcome::kTooBig);
  EXPECT_EQ(Read("a\n\r\n.\r\n", 0, 5).outcome, Outcome::kComplete);
  EXPECT_EQ(Read("a\n\r\n.\r\n", 0, 4).outcome, Outcome::kTooBig);

  DataReader reader(1000);
  const std::string line = std::string(98, 'z') + "\r\n";
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(reader.Consume(line), line.size());
  EXPECT_FALSE(reader.done());
  EXPECT_EQ(reader.outcome(), Outcome::kTooBig);
  EXPECT_EQ(reader.size(), 100000u);
  EXPECT_EQ(reader.Consume(".\r\nRSET\r\n"), 3u);
  EXPECT_TRUE(reader.done());
  EXPECT_EQ(reader.TakeContent(), "");
}

TEST(DataReaderTest, PrefixIsKeptAndNotCounted) {
  DataReader reader(4, "Received: x\r\n");
  EXPECT_EQ(reader.Consume("ab\r\n.\r\n"), 7u);
  EXPECT_TRUE(reader.done());
  EXPECT_EQ(reader.outcome(), Outcome::kComplete);
  EXPECT_EQ(reader.prefix_size(), 13u);
  EXPECT_EQ(reader.size(), 4u);
  EXPECT_EQ(reader.TakeContent(), "Received: x\r\nab\r\n");
  EXPECT_EQ(reader.Consume("more\r\n.\r\n"), 0u) << "nothing once done";
}

TEST(DataReaderTest, ReportsBareLf) {
  DataReader crlf(kLarge);
  crlf.Consume("a\r\n.\r\n");
  EXPECT_FALSE(crlf.saw_bare_lf());
  DataReader lf(kLarge);
  lf.Consume("a\nb\r\n.\r\n");
  EXPECT_TRUE(lf.saw_bare_lf());
}

TEST(DataReaderTest, ChunkingNeverChangesTheResult) {
  std::mt19937 rng(5321);
  const std::string alphabet = "\r\n.\r\n.a\xff";
  for (int round = 0; round < 3000; ++round) {
    std::string input(rng() % 40, '\0');
    for (char& c : input) c = alphabet[rng() % alphabet.size()];
    const Result whole = Read(input);
    ASSERT_EQ(whole, Model(input)) << testing::PrintToString(input);
    ASSERT_EQ(Read(input, 1), whole) << testing::PrintToString(input);
    ASSERT_EQ(Read(input, 1 + rng() % 5), whole) << testing::PrintToString(input);
  }
}

}  // namespace
}  // namespace pigeon::mta::smtp
