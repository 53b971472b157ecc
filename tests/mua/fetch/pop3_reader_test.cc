#include "mua/fetch/pop3_reader.h"

#include <gtest/gtest.h>

namespace pigeon::mua::fetch {
namespace {

TEST(Pop3Reader, StatusAndMultilineReplies) {
  Pop3Reader reader;
  reader.Feed(
      "+OK ready\r\n-ERR no such message\r\n+OK\r\n1 aa\r\n2 bb\r\n.\r\n"
      "+OK 20 octets\r\nSubject: x\r\n\r\n..dot\r\n.\r\n");
  Result<std::optional<Pop3Reply>> first = reader.Next(false);
  ASSERT_TRUE(first && *first);
  EXPECT_TRUE((*first)->ok);
  EXPECT_EQ((*first)->text, "ready");
  Result<std::optional<Pop3Reply>> error = reader.Next(true);  // -ERR has no body
  ASSERT_TRUE(error && *error);
  EXPECT_FALSE((*error)->ok);
  EXPECT_EQ((*error)->text, "no such message");
  Result<std::optional<Pop3Reply>> list = reader.Next(true);
  ASSERT_TRUE(list && *list);
  EXPECT_EQ((*list)->text, "");
  EXPECT_EQ((*list)->body, "1 aa\r\n2 bb\r\n");
  Result<std::optional<Pop3Reply>> message = reader.Next(true);
  ASSERT_TRUE(message && *message);
  EXPECT_EQ((*message)->body, "Subject: x\r\n\r\n.dot\r\n");
  Result<std::optional<Pop3Reply>> none = reader.Next(false);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

TEST(Pop3Reader, WaitsForTheEndLineInAnyChunking) {
  const std::string input = "+OK\r\nline 1\r\n..\r\n..hidden\r\n.\r\n+OK bye\r\n";
  for (size_t chunk = 1; chunk <= input.size(); ++chunk) {
    Pop3Reader reader;
    std::vector<Pop3Reply> got;
    for (size_t i = 0; i < input.size(); i += chunk) {
      reader.Feed(std::string_view(input).substr(i, chunk));
      for (;;) {
        Result<std::optional<Pop3Reply>> next = reader.Next(got.empty());
        ASSERT_TRUE(next) << next.error().message;
        if (!*next) break;
        got.push_back(std::move(**next));
      }
    }
    ASSERT_EQ(got.size(), 2u) << chunk;
    EXPECT_EQ(got[0].body, "line 1\r\n.\r\n.hidden\r\n") << chunk;
    EXPECT_EQ(got[1].text, "bye");
  }
}

TEST(Pop3Reader, RefusesMalformedAndOversized) {
  Pop3Reader garbage;
  garbage.Feed("HELLO\r\n");
  ASSERT_FALSE(garbage.Next(false));
  Pop3Reader long_line(Pop3Limits{16, 100});
  long_line.Feed("+OK\r\n" + std::string(17, 'x'));
  Result<std::optional<Pop3Reply>> got = long_line.Next(true);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().message, "malformed POP3 reply: line too long");
  Pop3Reader big(Pop3Limits{16, 20});
  big.Feed("+OK\r\n0123456789\r\n0123456789\r\n0123\r\n.\r\n");
  Result<std::optional<Pop3Reply>> too_big = big.Next(true);
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().message, "malformed POP3 reply: message over the size limit");
}

}  // namespace
}  // namespace pigeon::mua::fetch
