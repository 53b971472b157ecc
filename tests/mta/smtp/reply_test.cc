#include "mta/smtp/reply.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace pigeon::mta::smtp {
namespace {

TEST(ReplyTest, FormatsOneLine) {
  EXPECT_EQ(FormatReply({250, "2.1.0", "Ok"}), "250 2.1.0 Ok\r\n");
  EXPECT_EQ(FormatReply({220, "", "mx.example.org ESMTP"}), "220 mx.example.org ESMTP\r\n");
  EXPECT_EQ(FormatReply({334, "", ""}), "334 \r\n");
}

TEST(ReplyTest, FormatsMultipleLines) {
  EXPECT_EQ(FormatMultilineReply(250, "", {"mx", "PIPELINING", "8BITMIME"}),
            "250-mx\r\n250-PIPELINING\r\n250 8BITMIME\r\n");
  EXPECT_EQ(FormatMultilineReply(214, "2.0.0", {"a", "b"}), "214-2.0.0 a\r\n214 2.0.0 b\r\n");
  EXPECT_EQ(FormatMultilineReply(250, "", {"only"}), "250 only\r\n");
  EXPECT_EQ(FormatMultilineReply(250, "2.0.0", {}), "250 2.0.0 \r\n");
}

TEST(ReplyTest, CleansFailureRepliesFromHooks) {
  struct Case {
    const char* name;
    std::string_view got;
    std::optional<std::string> want;
  };
  const Case cases[] = {
      {"plain refusal", "550 5.1.1 <x@y>: no such user", "550 5.1.1 <x@y>: no such user\r\n"},
      {"temporary", "451 4.3.0 try later", "451 4.3.0 try later\r\n"},
      {"code only", "554", "554\r\n"},
      {"crlf injected", "550 5.1.1 a\r\n250 2.0.0 Ok", "550 5.1.1 a  250 2.0.0 Ok\r\n"},
      {"trailing crlf", "550 5.1.1 no\r\n", "550 5.1.1 no\r\n"},
      {"nul and del", std::string_view("550 a\0b\x7f", 8), "550 a b\r\n"},
      {"success is no failure", "250 2.1.5 Ok", std::nullopt},
      {"intermediate", "354 go on", std::nullopt},
      {"no code", "no such user", std::nullopt},
      {"short code", "55 5.1.1", std::nullopt},
      {"code glued to text", "550x", std::nullopt},
      {"empty", "", std::nullopt},
  };
  for (const Case& c : cases) EXPECT_EQ(CleanFailureReply(c.got), c.want) << c.name;
}

TEST(ReplyTest, CutsLongHookRepliesToOneReplyLine) {
  const std::string line = "550 " + std::string(2000, 'x');
  const std::optional<std::string> clean = CleanFailureReply(line);
  ASSERT_TRUE(clean);
  EXPECT_EQ(clean->size(), kMaxReplyLine);
  EXPECT_TRUE(clean->ends_with("x\r\n"));
}

}  // namespace
}  // namespace pigeon::mta::smtp
