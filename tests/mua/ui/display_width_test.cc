#include "mua/ui/display_width.h"

#include <clocale>

#include <gtest/gtest.h>

namespace pigeon::mua::ui {
namespace {

class DisplayWidthTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(std::setlocale(LC_ALL, "C.UTF-8"), nullptr); }
};

TEST_F(DisplayWidthTest, CountsColumnsNotBytes) {
  struct Case {
    const char* text;
    int width;
  } cases[] = {
      {"", 0},
      {"abc", 3},
      {"caf\xC3\xA9", 4},                           // é precomposed
      {"cafe\xCC\x81", 4},                          // e + combining acute
      {"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 6},  // 日本語: wide
      {"\xF0\x9F\x98\x80", 2},                      // 😀
      {"\xEF\xBC\xA1", 2},                          // fullwidth A
      {"a\x01"
       "b",
       3},              // control: one '?'
      {"\xFF\xFE", 2},  // invalid bytes: one '?' each
      {"a\tb", 3},      // tab: one space
  };
  for (const Case& c : cases) EXPECT_EQ(DisplayWidth(c.text), c.width) << c.text;
}

TEST_F(DisplayWidthTest, PrintableReplacesWhatWouldMoveTheCursor) {
  EXPECT_EQ(Printable("a\x1B[2Jb"), "a?[2Jb");
  EXPECT_EQ(Printable("x\r\ny"), "x??y");
  EXPECT_EQ(Printable("\xC2\x9B"
                      "1m"),
            "?1m");                             // C1 CSI
  EXPECT_EQ(Printable("ok\xE2\x82"), "ok??");   // truncated sequence
  EXPECT_EQ(Printable("\xED\xA0\x80"), "???");  // a UTF-16 surrogate is not UTF-8
}

TEST_F(DisplayWidthTest, TruncateNeverSplitsACharacter) {
  const std::string cjk = "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E";  // 日本語
  EXPECT_EQ(TruncateToWidth(cjk, 6), cjk);
  EXPECT_EQ(TruncateToWidth(cjk, 5), "\xE6\x97\xA5\xE6\x9C\xAC");  // the third would straddle
  EXPECT_EQ(TruncateToWidth(cjk, 1), "");
  EXPECT_EQ(TruncateToWidth("a\xF0\x9F\x98\x80"
                            "b",
                            2),
            "a");
  EXPECT_EQ(TruncateToWidth("a\xF0\x9F\x98\x80"
                            "b",
                            3),
            "a\xF0\x9F\x98\x80");
  EXPECT_EQ(TruncateToWidth("hello", 0), "");
  EXPECT_EQ(TruncateToWidth("hello", -3), "");
}

TEST_F(DisplayWidthTest, TailKeepsTheEndWithoutSplittingACharacter) {
  const std::string cjk = "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E";  // 日本語
  EXPECT_EQ(TailToWidth(cjk, 6), cjk);
  EXPECT_EQ(TailToWidth(cjk, 5), "\xE6\x9C\xAC\xE8\xAA\x9E");  // the first would straddle
  EXPECT_EQ(TailToWidth("word000 word001", 7), "word001");
  EXPECT_EQ(TailToWidth("short", 80), "short");
  // A combining mark goes with its base: e + U+0301 is one column, never the mark alone.
  EXPECT_EQ(TailToWidth("xe\xCC\x81", 1), "e\xCC\x81");
  EXPECT_EQ(TailToWidth("e\xCC\x81", 0), "");
  EXPECT_EQ(TailToWidth("a\x1b[2Jb", 3), "2Jb");  // made printable first: ESC is '?'
  EXPECT_EQ(TailToWidth("hello", -1), "");
}

TEST_F(DisplayWidthTest, FitPadsToExactlyTheWidth) {
  const std::string cjk = "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E";
  for (int columns = 0; columns < 10; ++columns) {
    EXPECT_EQ(DisplayWidth(FitToWidth(cjk, columns)), columns) << columns;
    EXPECT_EQ(DisplayWidth(FitToWidth("ab\xF0\x9F\x98\x80"
                                      "cd",
                                      columns)),
              columns)
        << columns;
  }
  EXPECT_EQ(FitToWidth(cjk, 5), "\xE6\x97\xA5\xE6\x9C\xAC ");
  EXPECT_EQ(FitToWidth("ab", 4), "ab  ");
}

}  // namespace
}  // namespace pigeon::mua::ui
