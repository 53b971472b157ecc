#include "mua/ui/index_layout.h"

#include <clocale>
#include <string>

#include <gtest/gtest.h>

#include "common/message/date.h"
#include "common/store/schema.h"
#include "mua/ui/display_width.h"

namespace pigeon::mua::ui {
namespace {

int64_t Utc(int year, unsigned month, unsigned day, int hour = 0, int minute = 0) {
  return message::DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60;
}

store::MessageSummary Summary() {
  store::MessageSummary summary;
  summary.date = Utc(2024, 6, 15, 9, 30);
  summary.size = 4300;
  summary.flags = store::kFlagSeen;
  summary.from_name = "Ada Lovelace";
  summary.from_addr = "ada@example.org";
  summary.to_text = "Charles Babbage <cb@example.org>";
  summary.subject = "Notes on the engine";
  return summary;
}

class IndexLayoutTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(std::setlocale(LC_ALL, "C.UTF-8"), nullptr); }

  // The line `format` gives for `row` in `columns`; the format must parse.
  std::string Render(std::string_view format, const IndexRow& row, int columns,
                     std::string_view date_format = {}) {
    Result<IndexFormat> parsed = IndexFormat::Parse(format, date_format);
    EXPECT_TRUE(parsed) << format << ": " << parsed.error().message;
    if (!parsed) return "";
    const std::string line = parsed->Render(row, columns, clock_);
    EXPECT_EQ(DisplayWidth(line), columns) << format;
    return line;
  }

  const sys::FixedClock clock_{Utc(2024, 6, 15, 12, 0), 120};
  const store::MessageSummary summary_ = Summary();
};

TEST_F(IndexLayoutTest, EmptyFormatAndItsSpellingAreTheDefaultLine) {
  for (int columns : {100, 160}) {
    const IndexRow row{.summary = summary_, .tagged = true};
    const std::string line = IndexFormat::Default().Render(row, columns, clock_);
    EXPECT_EQ(Render("", row, columns), line);
    EXPECT_EQ(Render("%Z %10d  %-20.20L (%4c) %s", row, columns), line);
    EXPECT_EQ(line, FormatIndexLine(row, columns, clock_));
  }
}

TEST_F(IndexLayoutTest, FieldsWithWidthAndPrecision) {
  const IndexRow row{.summary = summary_};
  EXPECT_EQ(Render("%Z|%-5.5n|%8.3a|%c|%%|%s", row, 50),
            "      |Ada L|     ada|4.2K|%|Notes on the engine  ");
  EXPECT_EQ(Render("%6c|%-6c|%.2s|%.s|", row, 20), "  4.2K|4.2K  |No||  ");
  EXPECT_EQ(Render("%L / %F", {.summary = summary_, .show_recipient = true}, 40),
            "To Charles Babbage / To Charles Babbage ");
}

TEST_F(IndexLayoutTest, DatesFollowDateFormatAndBraces) {
  const IndexRow row{.summary = summary_};
  // The clock is UTC+2: 09:30 UTC is 11:30 local.
  EXPECT_EQ(Render("%d", row, 10), "11:30     ");
  EXPECT_EQ(Render("%D|%12d", row, 30, "%Y-%m-%d"), "2024-06-15|  2024-06-15       ");
  EXPECT_EQ(Render("%{%H:%M %z}|%[!%b %d]", row, 24), "11:30 +0200|Jun 15      ");
  EXPECT_EQ(Render("%-8{%H}|", row, 10), "11      | ");
}

TEST_F(IndexLayoutTest, RightAlignedRestAfterFill) {
  const IndexRow row{.summary = summary_};
  EXPECT_EQ(Render("%s%> %c", row, 30), "Notes on the engine       4.2K");
  EXPECT_EQ(Render("%s %>-(%c)", row, 30), "Notes on the engine ----(4.2K)");
  EXPECT_EQ(Render("%s%>\u2500%c", row, 26), "Notes on the engine\u2500\u2500\u25004.2K");
  // Too little room: the left part gives way, the right one keeps the edge.
  EXPECT_EQ(Render("%s%> %c", row, 10), "Notes 4.2K");
  EXPECT_EQ(Render("%s%> %n", row, 8), "Ada Love");
  EXPECT_EQ(Render("%> %c", row, 6), "  4.2K");
}

TEST_F(IndexLayoutTest, WideAndCombiningCharactersKeepTheColumns) {
  store::MessageSummary summary = summary_;
  summary.from_name = "\xE5\xB1\xB1\xE7\x94\xB0\xE5\xA4\xAA\xE9\x83\x8E";  // 山田太郎
  summary.subject = "Cafe\xCC\x81 \xF0\x9F\x98\x80\x1B[31m";               // Café 😀 ESC[31m
  const IndexRow row{.summary = summary};
  EXPECT_EQ(Render("%-6.6n|", row, 7), "\xE5\xB1\xB1\xE7\x94\xB0\xE5\xA4\xAA|");
  // A wide character straddling the precision is left out; the width pads it back.
  EXPECT_EQ(Render("%-5.5n|", row, 7), "\xE5\xB1\xB1\xE7\x94\xB0 | ");
  EXPECT_EQ(Render("%5.3n|", row, 6), "   \xE5\xB1\xB1|");
  // The combining accent stays on its letter; the escape is made harmless.
  EXPECT_EQ(Render("%-7.7s|", row, 8), "Cafe\xCC\x81 \xF0\x9F\x98\x80|");
  EXPECT_EQ(Render("%-6.6s|", row, 7), "Cafe\xCC\x81  |");
  const std::string line = Render("%s%>.%n", row, 30);
  EXPECT_EQ(line.find('\x1B'), std::string::npos);
  EXPECT_EQ(line.substr(line.size() - 12), "\xE5\xB1\xB1\xE7\x94\xB0\xE5\xA4\xAA\xE9\x83\x8E");
}

TEST_F(IndexLayoutTest, ThreadedIndexPassesTheSubjectWithItsTree) {
  const std::string tree = "\xE2\x94\x9C\xE2\x94\x80>";  // ├─>
  const std::string subject = tree + "Re: notes";        // the row only views it
  const IndexRow row{.summary = summary_, .subject = subject};
  EXPECT_EQ(Render("%Z %-12.12s|", row, 20), "       " + tree + "Re: notes|");
  EXPECT_EQ(Render("%s", {.summary = summary_, .subject = ""}, 3), "   ");
}

// Errors quote the format's characters, measured in the UTF-8 locale as the reader runs.
class IndexFormatParse : public testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(std::setlocale(LC_ALL, "C.UTF-8"), nullptr); }
};

TEST_F(IndexFormatParse, RejectsWhatItCannotShow) {
  const struct {
    std::string format;
    std::string error;
  } cases[] = {
      {"%Z %x", "reader.index_format: unknown conversion \"%x\" (at byte 4)"},
      {"%-10\xC3\xA9", "reader.index_format: unknown conversion \"%\xC3\xA9\" (at byte 1)"},
      {"%{%H:%M", "reader.index_format: unterminated %{ (no '}') (at byte 1)"},
      {"ab%[%H", "reader.index_format: unterminated %[ (no ']') (at byte 3)"},
      {"%{%s}", "reader.index_format: \"%s\" is not a time conversion pigeon knows (at byte 1)"},
      {"%s %", "reader.index_format: a lone % at the end (at byte 4)"},
      {"%-12.", "reader.index_format: an unfinished conversion at the end (at byte 1)"},
      {"%1000s", "reader.index_format: a width of more than 999 (at byte 1)"},
      {"%4C %s",
       "reader.index_format: message numbers are not shown: the index pages by key "
       "(at byte 1)"},
      {"%?M?(%M)&?", "reader.index_format: conditionals (%?) are not supported (at byte 1)"},
      {"%s%>", "reader.index_format: %> needs a fill character (at byte 3)"},
      {"%s%>\t%c",
       "reader.index_format: %>'s fill character must be one printable column "
       "(at byte 3)"},
      {"%> %s%>-%c", "reader.index_format: more than one %> (at byte 6)"},
      {std::string(257, 'x'), "reader.index_format: more than 256 bytes (at byte 257)"},
  };
  for (const auto& c : cases) {
    const Result<IndexFormat> parsed = IndexFormat::Parse(c.format);
    ASSERT_FALSE(parsed) << c.format;
    EXPECT_EQ(parsed.error().message, c.error);
  }
  EXPECT_TRUE(IndexFormat::Parse(std::string(256, 'x')));
}

TEST_F(IndexFormatParse, ChecksTheDateFormat) {
  EXPECT_TRUE(IndexFormat::Parse("", "!%a, %d %b %Y"));
  const Result<IndexFormat> bad = IndexFormat::Parse("", "%Y %Q");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message,
            "reader.date_format: \"%Q\" is not a time conversion pigeon knows");
  const Result<IndexFormat> long_one = IndexFormat::Parse("%d", std::string(65, 'x'));
  ASSERT_FALSE(long_one);
  EXPECT_EQ(long_one.error().message, "reader.date_format: more than 64 bytes");
}

}  // namespace
}  // namespace pigeon::mua::ui
