#include "mta/client/reply_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pigeon::mta::client {
namespace {

// Feeds `bytes` in pieces of `chunk` and collects every reply until the reader wants more.
struct ReadAll {
  std::vector<ServerReply> replies;
  std::optional<std::string> error;
};

ReadAll Read(std::string_view bytes, size_t chunk = 0) {
  ReplyReader reader;
  ReadAll result;
  if (chunk == 0) chunk = bytes.size() + 1;
  for (size_t pos = 0; pos < bytes.size(); pos += chunk) {
    reader.Feed(bytes.substr(pos, chunk));
    while (true) {
      Result<std::optional<ServerReply>> next = reader.Next();
      if (!next) {
        result.error = next.error().message;
        return result;
      }
      if (!*next) break;
      result.replies.push_back(**next);
    }
  }
  return result;
}

TEST(ReplyReader, ReadsOneLineReplyWithStatus) {
  ReadAll r = Read("250 2.1.0 Ok\r\n");
  ASSERT_FALSE(r.error);
  ASSERT_EQ(r.replies.size(), 1u);
  EXPECT_EQ(r.replies[0].code, 250);
  EXPECT_EQ(r.replies[0].status, "2.1.0");
  EXPECT_EQ(r.replies[0].Text(), "Ok");
  EXPECT_EQ(r.replies[0].ToString(), "250 2.1.0 Ok");
}

TEST(ReplyReader, ReadsMultilineReplyStrippingRepeatedStatus) {
  ReadAll r = Read("550-5.1.1 first\r\n550-5.1.1 second\r\n550 5.1.1 third\r\n");
  ASSERT_EQ(r.replies.size(), 1u);
  EXPECT_EQ(r.replies[0].status, "5.1.1");
  EXPECT_EQ(r.replies[0].lines, (std::vector<std::string>{"first", "second", "third"}));
  EXPECT_EQ(r.replies[0].ToString(), "550 5.1.1 first second third");
}

TEST(ReplyReader, SameRepliesWhateverTheChunking) {
  const std::string wire =
      "220 mx.example ESMTP\r\n250-mx.example\r\n250-SIZE 1000\r\n250 8BITMIME\r\n"
      "451 4.3.0 try later\r\n";
  const ReadAll whole = Read(wire);
  ASSERT_EQ(whole.replies.size(), 3u);
  for (size_t chunk : {1u, 2u, 3u, 7u, 13u}) {
    ReadAll split = Read(wire, chunk);
    ASSERT_FALSE(split.error) << chunk;
    EXPECT_EQ(split.replies, whole.replies) << chunk;
  }
}

TEST(ReplyReader, AcceptsEmptyAndBareFinalLines) {
  // Postfix's smtp-sink ends EHLO with "250 " and nothing else; some servers send "250".
  ReadAll r = Read("250-sink\r\n250-PIPELINING\r\n250 \r\n250\r\n221\n");
  ASSERT_FALSE(r.error);
  ASSERT_EQ(r.replies.size(), 3u);
  EXPECT_EQ(r.replies[0].lines, (std::vector<std::string>{"sink", "PIPELINING", ""}));
  EXPECT_EQ(r.replies[1].code, 250);
  EXPECT_EQ(r.replies[1].lines, (std::vector<std::string>{""}));
  EXPECT_EQ(r.replies[1].ToString(), "250");
  EXPECT_EQ(r.replies[2].code, 221);  // a bare LF ends a line too
}

TEST(ReplyReader, StatusOnlyWhenItsClassMatchesTheCode) {
  struct Case {
    std::string line;
    std::string status;
    std::string text;
  };
  const std::vector<Case> cases = {
      {"550 5.7.1 denied\r\n", "5.7.1", "denied"},
      {"550 2.7.1 denied\r\n", "", "2.7.1 denied"},  // class differs: plain text
      {"250 2.0.0\r\n", "2.0.0", ""},
      {"250 2.0 Ok\r\n", "", "2.0 Ok"},
      {"250 2.1234.5 Ok\r\n", "", "2.1234.5 Ok"},
      {"250 2.0.0Ok\r\n", "", "2.0.0Ok"},
      {"452 4.5.3 Too many recipients\r\n", "4.5.3", "Too many recipients"},
  };
  for (const Case& c : cases) {
    ReadAll r = Read(c.line);
    ASSERT_EQ(r.replies.size(), 1u) << c.line;
    EXPECT_EQ(r.replies[0].status, c.status) << c.line;
    EXPECT_EQ(r.replies[0].Text(), c.text) << c.line;
  }
}

TEST(ReplyReader, EnhancedStatusFallsBackToTheClass) {
  EXPECT_EQ(Read("554 no\r\n").replies[0].EnhancedStatus(), "5.0.0");
  EXPECT_EQ(Read("451 4.3.2 no\r\n").replies[0].EnhancedStatus(), "4.3.2");
}

TEST(ReplyReader, MalformedLinesAreProtocolErrors) {
  for (const std::string& bad :
       {std::string("abc\r\n"), std::string("25\r\n"), std::string("2x0 Ok\r\n"),
        std::string("650 Ok\r\n"), std::string("150 Ok\r\n"), std::string("250_Ok\r\n"),
        std::string("250-one\r\n251 two\r\n"), std::string("\r\n"),
        std::string("\x00\x01\x02\r\n", 5)}) {
    ReadAll r = Read(bad);
    EXPECT_TRUE(r.error) << bad;
  }
}

TEST(ReplyReader, ControlBytesInTextAreBlanked) {
  ReadAll r = Read(std::string("250 a\x1b[2Jb\rc\x00", 13) + "\r\n");
  ASSERT_EQ(r.replies.size(), 1u);
  EXPECT_EQ(r.replies[0].Text(), "a [2Jb c ");
}

TEST(ReplyReader, LineLimitIs1000OctetsWithTheLineBreak) {
  const std::string ok = "250 " + std::string(994, 'x') + "\r\n";  // 1,000 octets
  EXPECT_FALSE(Read(ok).error);
  const std::string long_line = "250 " + std::string(995, 'x') + "\r\n";
  EXPECT_TRUE(Read(long_line).error);
  // Without a line break in sight the reader gives up at once, byte by byte too.
  EXPECT_TRUE(Read("250 " + std::string(5000, 'x'), 1).error);
}

TEST(ReplyReader, TooManyLinesIsAnError) {
  std::string reply;
  for (size_t i = 0; i < kMaxReplyLines; ++i) reply += "250-line\r\n";
  EXPECT_TRUE(Read(reply + "250 last\r\n").error.has_value());
  std::string fits;
  for (size_t i = 0; i + 1 < kMaxReplyLines; ++i) fits += "250-line\r\n";
  ReadAll r = Read(fits + "250 last\r\n");
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.replies[0].lines.size(), kMaxReplyLines);
}

TEST(ReplyReader, ErrorIsFinal) {
  ReplyReader reader;
  reader.Feed("xyz\r\n250 Ok\r\n");
  EXPECT_FALSE(reader.Next());
  EXPECT_FALSE(reader.Next());
  EXPECT_TRUE(reader.failed());
}

TEST(ReplyReader, ClearDropsBufferedBytes) {
  ReplyReader reader;
  reader.Feed("220 go ahead\r\n250-inject");
  ASSERT_EQ((*reader.Next())->code, 220);
  reader.Clear();
  reader.Feed("250 real\r\n");
  Result<std::optional<ServerReply>> next = reader.Next();
  ASSERT_TRUE(next && *next);
  EXPECT_EQ((*next)->lines, (std::vector<std::string>{"real"}));
}

TEST(ReplyReader, UnreadDataIsBounded) {
  ReplyReader reader;
  const std::string line = "250 " + std::string(90, 'x') + "\r\n";
  for (size_t fed = 0; fed <= kMaxBufferedReplyBytes; fed += line.size()) reader.Feed(line);
  EXPECT_TRUE(reader.failed());
}

}  // namespace
}  // namespace pigeon::mta::client
