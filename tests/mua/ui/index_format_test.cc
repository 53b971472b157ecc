#include "mua/ui/index_format.h"

#include <clocale>

#include <gtest/gtest.h>

#include "common/message/date.h"
#include "common/store/schema.h"
#include "mua/ui/display_width.h"
#include "mua/ui/index_layout.h"

namespace pigeon::mua::ui {
namespace {

int64_t Utc(int year, unsigned month, unsigned day, int hour = 0, int minute = 0) {
  return message::DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60;
}

class IndexFormatTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(std::setlocale(LC_ALL, "C.UTF-8"), nullptr); }
};

TEST_F(IndexFormatTest, DateIsTimeTodayMonthDayThisYearElseIsoDate) {
  const sys::FixedClock clock(Utc(2024, 6, 15, 12, 0));
  EXPECT_EQ(FormatIndexDate(Utc(2024, 6, 15, 9, 30), clock), "09:30");
  EXPECT_EQ(FormatIndexDate(Utc(2024, 6, 15, 0, 0), clock), "00:00");
  EXPECT_EQ(FormatIndexDate(Utc(2024, 6, 14, 23, 59), clock), "Jun 14");
  EXPECT_EQ(FormatIndexDate(Utc(2024, 3, 7, 8, 0), clock), "Mar 07");
  EXPECT_EQ(FormatIndexDate(Utc(2024, 1, 1, 0, 0), clock), "Jan 01");
  EXPECT_EQ(FormatIndexDate(Utc(2023, 12, 31, 23, 0), clock), "2023-12-31");
  EXPECT_EQ(FormatIndexDate(Utc(1999, 2, 3), clock), "1999-02-03");
  EXPECT_EQ(FormatIndexDate(Utc(2024, 8, 1), clock), "Aug 01");  // later this year
}

TEST_F(IndexFormatTest, DateUsesTheClocksLocalTime) {
  // UTC+2: 23:45 UTC on the 15th is 01:45 on the 16th, local.
  const sys::FixedClock clock(Utc(2024, 6, 15, 23, 45), 120);
  EXPECT_EQ(FormatIndexDate(Utc(2024, 6, 15, 23, 30), clock), "01:30");
  EXPECT_EQ(FormatIndexDate(Utc(2024, 6, 15, 21, 0), clock), "Jun 15");
  // UTC-5 on New Year's Eve: 03:00 UTC on Jan 1 is still last year, locally.
  const sys::FixedClock west(Utc(2025, 1, 1, 3, 0), -300);
  EXPECT_EQ(FormatIndexDate(Utc(2025, 1, 1, 2, 0), west), "21:00");
  EXPECT_EQ(FormatIndexDate(Utc(2024, 12, 30, 12, 0), west), "Dec 30");
}

TEST_F(IndexFormatTest, SizesAreShortLikeMutts) {
  struct Case {
    int64_t bytes;
    const char* text;
  } cases[] = {
      {0, "0"},           {512, "512"},      {1023, "1023"},    {1024, "1.0K"},
      {4300, "4.2K"},     {10188, "9.9K"},   {10239, "10K"},    {12 * 1024, "12K"},
      {1048000, "1023K"}, {1048576, "1.0M"}, {1572864, "1.5M"}, {230 * 1048576, "230M"},
      {-5, "0"},
  };
  for (const Case& c : cases) EXPECT_EQ(FormatSize(c.bytes), c.text) << c.bytes;
}

store::MessageSummary Summary() {
  store::MessageSummary summary;
  summary.id = 7;
  summary.date = Utc(2024, 6, 15, 9, 30);
  summary.size = 4300;
  summary.from_name = "Ada Lovelace";
  summary.from_addr = "ada@example.org";
  summary.to_text = "Charles Babbage <cb@example.org>, x@example.org";
  summary.subject = "Notes on the engine";
  return summary;
}

TEST_F(IndexFormatTest, FlagsHaveAColumnEach) {
  store::MessageSummary summary = Summary();
  EXPECT_EQ(FormatFlags(summary, false), "N     ");
  summary.flags = store::kFlagSeen | store::kFlagAnswered;
  EXPECT_EQ(FormatFlags(summary, false), " r    ");
  summary.flags = store::kFlagFlagged | store::kFlagDeleted;
  summary.has_attachment = true;
  EXPECT_EQ(FormatFlags(summary, false), "N FD @");
  EXPECT_EQ(FormatFlags(summary, true), "N FD*@");
}

TEST(FolderCounts, ShowsMuttsCountsThatAreNotZero) {
  store::FolderInfo folder;
  EXPECT_EQ(FolderCounts(folder, 0), "Msgs:0");
  folder.total = 120;
  folder.unread = 3;
  folder.flagged = 2;
  folder.deleted = 1;
  EXPECT_EQ(FolderCounts(folder, 4), "Msgs:120 New:3 Del:1 Flag:2 Tag:4");
  folder.unread = 0;
  EXPECT_EQ(FolderCounts(folder, 0), "Msgs:120 Del:1 Flag:2");
  EXPECT_EQ(FolderCounts(folder, 0, 12), "Msgs:12/120 Del:1 Flag:2");  // under a limit
}

TEST_F(IndexFormatTest, PartyIsSenderOrRecipientInSent) {
  store::MessageSummary summary = Summary();
  EXPECT_EQ(IndexParty(summary, false), "Ada Lovelace");
  EXPECT_EQ(IndexParty(summary, true), "To Charles Babbage");
  summary.from_name.clear();
  EXPECT_EQ(IndexParty(summary, false), "ada@example.org");
  summary.to_text = "x@example.org, Y <y@example.org>";
  EXPECT_EQ(IndexParty(summary, true), "To x@example.org");
  summary.to_text = "Doe, John <j@example.org>";
  EXPECT_EQ(IndexParty(summary, true), "To Doe, John");
}

TEST_F(IndexFormatTest, LineHasAllFieldsAndExactWidth) {
  const sys::FixedClock clock(Utc(2024, 6, 15, 12, 0));
  const std::string line = FormatIndexLine({.summary = Summary()}, 100, clock);
  EXPECT_EQ(DisplayWidth(line), 100);
  EXPECT_EQ(line.substr(0, 6), "N     ");
  EXPECT_NE(line.find("09:30"), std::string::npos);
  EXPECT_NE(line.find("Ada Lovelace"), std::string::npos);
  EXPECT_NE(line.find("(4.2K)"), std::string::npos);
  EXPECT_NE(line.find("Notes on the engine"), std::string::npos);
}

TEST_F(IndexFormatTest, WideAndHostileTextKeepsTheColumns) {
  const sys::FixedClock clock(Utc(2024, 6, 15, 12, 0));
  store::MessageSummary cjk = Summary();
  cjk.from_name =
      "\xE5\xB1\xB1\xE7\x94\xB0\xE5\xA4\xAA\xE9\x83\x8E\xE5\xB1\xB1\xE7\x94\xB0"
      "\xE5\xA4\xAA\xE9\x83\x8E\xE5\xB1\xB1\xE7\x94\xB0";  // 山田太郎山田太郎山田
  cjk.subject = "\xF0\x9F\x98\x80 \xE4\xBC\x9A\xE8\xAD\xB0\x1B[31m red";  // 😀 会議 ESC[31m
  store::MessageSummary plain = Summary();
  for (int columns : {1, 7, 20, 41, 80, 100, 203}) {
    const std::string a = FormatIndexLine({.summary = cjk}, columns, clock);
    const std::string b = FormatIndexLine({.summary = plain}, columns, clock);
    EXPECT_EQ(DisplayWidth(a), columns) << columns;
    EXPECT_EQ(DisplayWidth(b), columns) << columns;
    EXPECT_EQ(a.find('\x1B'), std::string::npos);
    if (columns >= 80) {
      // The size column starts at the same column whatever the sender's script.
      const size_t at_a = a.find(" (4.2K)");
      const size_t at_b = b.find(" (4.2K)");
      ASSERT_NE(at_a, std::string::npos);
      EXPECT_EQ(DisplayWidth(a.substr(0, at_a)), DisplayWidth(b.substr(0, at_b)));
    }
  }
}

TEST_F(IndexFormatTest, LineIsPigeonsOwnLayoutToTheColumn) {
  const sys::FixedClock clock(Utc(2024, 6, 15, 12, 0));
  const std::string wide = FormatIndexLine({.summary = Summary()}, 100, clock);
  EXPECT_EQ(wide, FitToWidth("N     " + std::string(" ") + "     09:30" + "  " +
                                 "Ada Lovelace        " + " (4.2K) " + "Notes on the engine",
                             100));
  // A fifth of 40 columns is 8 for the party; the subject gets what is left.
  EXPECT_EQ(
      FormatIndexLine({.summary = Summary(), .tagged = true, .show_recipient = true}, 40, clock),
      "N   * " + std::string(" ") + "     09:30" + "  " + "To Charl" + " (4.2K) " + "Notes");
  EXPECT_EQ(FormatIndexLine({.summary = Summary(), .subject = "-> Re: x"}, 44, clock),
            "N           09:30  Ada Love (4.2K) -> Re: x ");
  EXPECT_EQ(FormatIndexLine({.summary = Summary()}, 0, clock), "");
}

TEST_F(IndexFormatTest, LocalTimeIsStrftimeAtTheClocksOffset) {
  const int64_t when = Utc(2024, 6, 15, 9, 30);
  const sys::FixedClock india(Utc(2024, 6, 15, 12, 0), 330);
  EXPECT_EQ(FormatLocalTime(when, india, "%Y-%m-%d %H:%M %z %Z"), "2024-06-15 15:00 +0530 +0530");
  const sys::FixedClock west(Utc(2024, 6, 15, 12, 0), -300);
  EXPECT_EQ(FormatLocalTime(when, west, "%a %d %b %I:%M %p %z"), "Sat 15 Jun 04:30 AM -0500");
  const sys::FixedClock utc(Utc(2024, 6, 15, 12, 0));
  EXPECT_EQ(FormatLocalTime(when, utc, "%H%M %z %Z %%"), "0930 +0000 UTC %");
  EXPECT_EQ(FormatLocalTime(when, utc, ""), "");
}

TEST_F(IndexFormatTest, DateFormatIgnoresTodayAndThisYear) {
  const sys::FixedClock clock(Utc(2024, 6, 15, 12, 0), 60);
  for (const int64_t when : {Utc(2024, 6, 15, 9, 30), Utc(2024, 3, 7, 9, 30), Utc(2019, 3, 7)}) {
    const std::string date = FormatMessageDate(when, clock, "%d.%m.%Y %H:%M");
    EXPECT_EQ(date, FormatLocalTime(when, clock, "%d.%m.%Y %H:%M"));
    EXPECT_EQ(date.size(), 16u) << date;
  }
  EXPECT_EQ(FormatMessageDate(Utc(2019, 3, 7), clock, "!%b %y"), "Mar 19");  // mutt's '!'
  EXPECT_EQ(FormatMessageDate(Utc(2024, 6, 15, 9, 30), clock, ""), "10:30");
  EXPECT_EQ(FormatMessageDate(Utc(2024, 6, 15, 9, 30), clock, "!"), "10:30");
  EXPECT_EQ(FormatMessageDate(Utc(2024, 3, 7, 9, 30), clock, ""), "Mar 07");
}

TEST(CheckTimeFormat, TakesPosixConversionsOnly) {
  for (const char* good : {"", "plain", "%Y-%m-%d %H:%M", "%-d %_H %^b %#p %05Y", "%Ey %Od %%",
                           "%c %x %X %z %Z %e %j %U %V %G"}) {
    EXPECT_TRUE(CheckTimeFormat(good)) << good;
  }
  const struct {
    const char* format;
    const char* error;
  } bad[] = {
      {"%s", "\"%s\" is not a time conversion pigeon knows"},
      {"%H:%Q", "\"%Q\" is not a time conversion pigeon knows"},
      {"%123d", "\"%123d\" is not a time conversion pigeon knows"},
      {"%Y %", "\"%\" at the end is not a time conversion"},
      {"%-0", "\"%-0\" at the end is not a time conversion"},
  };
  for (const auto& c : bad) {
    const Result<void> checked = CheckTimeFormat(c.format);
    ASSERT_FALSE(checked) << c.format;
    EXPECT_EQ(checked.error().message, c.error);
  }
}

}  // namespace
}  // namespace pigeon::mua::ui
