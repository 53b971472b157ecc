#include "common/message/date.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>

namespace pigeon::message {
namespace {

bool HasDefect(const Defects& defects, DefectKind kind) {
  return std::any_of(defects.begin(), defects.end(),
                     [kind](const Defect& d) { return d.kind == kind; });
}

struct DateCase {
  const char* name;
  std::string_view input;
  std::string_view utc;  // FormatIsoUtc of the result
  int offset;
  bool zone_known;
};

void CheckCases(const DateCase* begin, const DateCase* end) {
  for (const DateCase* c = begin; c != end; ++c) {
    Defects defects;
    std::optional<DateTime> got = ParseDate(c->input, &defects);
    ASSERT_TRUE(got.has_value()) << c->name << ": " << c->input;
    EXPECT_EQ(FormatIsoUtc(got->utc_seconds), c->utc) << c->name;
    EXPECT_EQ(got->zone_offset_minutes, c->offset) << c->name;
    EXPECT_EQ(got->zone_known, c->zone_known) << c->name;
    EXPECT_FALSE(HasDefect(defects, DefectKind::kDateUnparseable)) << c->name;
  }
}

TEST(DateParse, Rfc5322AppendixA) {
  const DateCase cases[] = {
      {"A.1.1", "Fri, 21 Nov 1997 09:55:06 -0600", "1997-11-21T15:55:06Z", -360, true},
      {"A.1.3", "Thu, 13 Feb 1969 23:32:54 -0330", "1969-02-14T03:02:54Z", -210, true},
      {"A.3", "Mon, 24 Nov 1997 14:22:01 -0800", "1997-11-24T22:22:01Z", -480, true},
      {"A.4", "Tue, 1 Jul 2003 10:52:37 +0200", "2003-07-01T08:52:37Z", 120, true},
      {"A.5 folded with comment",
       "Thu,\r\n      13\r\n        Feb\r\n          1969\r\n      23:32\r\n"
       "               -0330 (Newfoundland Time)",
       "1969-02-14T03:02:00Z", -210, true},
      {"A.6.2 obsolete", "21 Nov 97 09:55:06 GMT", "1997-11-21T09:55:06Z", 0, true},
      {"A.6.3 comments in time", "Fri, 21 Nov 1997 09(comment):   55  :  06 -0600",
       "1997-11-21T15:55:06Z", -360, true},
  };
  CheckCases(std::begin(cases), std::end(cases));
}

TEST(DateParse, ObsoleteAndBrokenForms) {
  const DateCase cases[] = {
      {"no day of week", "2 Jun 2009 12:34:56 +0200", "2009-06-02T10:34:56Z", 120, true},
      {"missing seconds", "Tue, 2 Jun 2009 12:34 +0200", "2009-06-02T10:34:00Z", 120, true},
      {"two-digit year 20xx", "Tue, 2 Jun 09 12:34:56 +0000", "2009-06-02T12:34:56Z", 0, true},
      {"two-digit year 49", "2 Jun 49 12:34:56 +0000", "2049-06-02T12:34:56Z", 0, true},
      {"two-digit year 50", "2 Jun 50 12:34:56 +0000", "1950-06-02T12:34:56Z", 0, true},
      {"three-digit year", "Tue, 2 Jun 109 12:34:56 +0000", "2009-06-02T12:34:56Z", 0, true},
      {"EST", "Tue, 2 Jun 2009 12:34:56 EST", "2009-06-02T17:34:56Z", -300, true},
      {"EDT", "Tue, 2 Jun 2009 12:34:56 EDT", "2009-06-02T16:34:56Z", -240, true},
      {"CST", "Tue, 2 Jun 2009 12:34:56 CST", "2009-06-02T18:34:56Z", -360, true},
      {"CDT", "Tue, 2 Jun 2009 12:34:56 CDT", "2009-06-02T17:34:56Z", -300, true},
      {"MST", "Tue, 2 Jun 2009 12:34:56 MST", "2009-06-02T19:34:56Z", -420, true},
      {"MDT", "Tue, 2 Jun 2009 12:34:56 MDT", "2009-06-02T18:34:56Z", -360, true},
      {"PST", "Tue, 2 Jun 2009 12:34:56 PST", "2009-06-02T20:34:56Z", -480, true},
      {"PDT", "Tue, 2 Jun 2009 12:34:56 PDT", "2009-06-02T19:34:56Z", -420, true},
      {"UT", "Tue, 2 Jun 2009 12:34:56 UT", "2009-06-02T12:34:56Z", 0, true},
      {"lowercase gmt", "tue, 2 jun 2009 12:34:56 gmt", "2009-06-02T12:34:56Z", 0, true},
      {"military zone is unknown", "Tue, 2 Jun 2009 12:34:56 A", "2009-06-02T12:34:56Z", 0, false},
      {"-0000 is unknown", "Tue, 2 Jun 2009 12:34:56 -0000", "2009-06-02T12:34:56Z", 0, false},
      {"+0000 is known", "Tue, 2 Jun 2009 12:34:56 +0000", "2009-06-02T12:34:56Z", 0, true},
      {"missing zone", "Tue, 2 Jun 2009 12:34:56", "2009-06-02T12:34:56Z", 0, false},
      {"unknown zone name", "Tue, 2 Jun 2009 12:34:56 CEST", "2009-06-02T12:34:56Z", 0, false},
      {"GMT+0200", "Tue, 2 Jun 2009 12:34:56 GMT+0200", "2009-06-02T10:34:56Z", 120, true},
      {"UTC+2", "Tue, 2 Jun 2009 12:34:56 UTC+2", "2009-06-02T10:34:56Z", 120, true},
      {"GMT-05:00", "Tue, 2 Jun 2009 12:34:56 GMT-05:00", "2009-06-02T17:34:56Z", -300, true},
      {"zone with comment", "Tue, 2 Jun 2009 12:34:56 +0200 (CEST)", "2009-06-02T10:34:56Z", 120,
       true},
      {"zone with colon", "Tue, 2 Jun 2009 12:34:56 +02:00", "2009-06-02T10:34:56Z", 120, true},
      {"half-hour zone", "Tue, 2 Jun 2009 12:34:56 +0530", "2009-06-02T07:04:56Z", 330, true},
      {"full names", "Tuesday, 2 June 2009 12:34:56 +0200", "2009-06-02T10:34:56Z", 120, true},
      {"Sept", "Wed, 2 Sept 2009 12:34:56 +0000", "2009-09-02T12:34:56Z", 0, true},
      {"dots for colons", "Tue, 2 Jun 2009 12.30.45 +0200", "2009-06-02T10:30:45Z", 120, true},
      {"extra commas", "Tue,, 2 Jun 2009, 12:34:56 +0200", "2009-06-02T10:34:56Z", 120, true},
      {"dashes", "Tue, 02-Jun-2009 12:34:56 +0200", "2009-06-02T10:34:56Z", 120, true},
      {"asctime", "Tue Jun  2 12:34:56 2009", "2009-06-02T12:34:56Z", 0, false},
      {"month first with comma", "Tue, Jun 2, 2009 12:34:56 -0700", "2009-06-02T19:34:56Z", -420,
       true},
      {"ISO 8601 Z", "2009-06-02T12:34:56Z", "2009-06-02T12:34:56Z", 0, true},
      {"ISO 8601 fraction", "2009-06-02T12:34:56.789+02:00", "2009-06-02T10:34:56Z", 120, true},
      {"ISO with space", "2009-06-02 12:34:56 +0200", "2009-06-02T10:34:56Z", 120, true},
      {"European numeric", "02.06.2009 12:34:56 +0200", "2009-06-02T10:34:56Z", 120, true},
      {"one-digit hour", "Tue, 2 Jun 2009 2:34:56 +0200", "2009-06-02T00:34:56Z", 120, true},
      {"PM", "2 Jun 2009 1:34:56 PM +0000", "2009-06-02T13:34:56Z", 0, true},
      {"12 AM", "2 Jun 2009 12:04:00 AM +0000", "2009-06-02T00:04:00Z", 0, true},
      {"leap second clamped", "Wed, 31 Dec 2008 23:59:60 +0000", "2008-12-31T23:59:59Z", 0, true},
      {"leap day", "Tue, 29 Feb 2000 00:00:00 +0000", "2000-02-29T00:00:00Z", 0, true},
      {"day wraps at zone", "Mon, 1 Jan 1900 00:00:00 +0100", "1899-12-31T23:00:00Z", 60, true},
      {"year 9999", "31 Dec 9999 23:59:59 -0000", "9999-12-31T23:59:59Z", 0, false},
      {"trailing junk", "Tue, 2 Jun 2009 12:34:56 +0200 (CEST) foo bar", "2009-06-02T10:34:56Z",
       120, true},
      {"unclosed comment", "Tue, 2 Jun 2009 12:34:56 +0200 (CEST", "2009-06-02T10:34:56Z", 120,
       true},
      {"offset out of range", "Tue, 2 Jun 2009 12:34:56 +2500", "2009-06-02T12:34:56Z", 0, false},
  };
  CheckCases(std::begin(cases), std::end(cases));
}

TEST(DateParse, RejectsUnparseableAndOutOfRange) {
  const char* const inputs[] = {
      "",
      "garbage",
      "Tue, 2 Jun 2009",  // no time
      "12:34:56 +0200",   // no date
      "Tue, 31 Jun 2009 12:34:56 +0200",
      "Thu, 29 Feb 2001 12:00:00 +0000",  // not a leap year
      "Fri, 29 Feb 1900 12:00:00 +0000",  // century, not a leap year
      "Tue, 2 Jun 1899 12:34:56 +0000",
      "Tue, 2 Jun 10000 12:34:56 +0000",
      "Tue, 2 Jun 2009 24:00:00 +0000",
      "Tue, 2 Jun 2009 12:60:00 +0000",
      "Tue, 2 Jun 2009 12:34:61 +0000",
      "Tue, 0 Jun 2009 12:34:56 +0000",
      "2009-13-02T12:34:56Z",
      "((((((((((",
  };
  for (const char* input : inputs) {
    Defects defects;
    EXPECT_EQ(ParseDate(input, &defects), std::nullopt) << input;
    EXPECT_TRUE(HasDefect(defects, DefectKind::kDateUnparseable)) << input;
  }
  EXPECT_EQ(ParseDate("garbage", nullptr), std::nullopt);
}

TEST(DateParse, DefectsTellStrictFromRepaired) {
  Defects strict;
  ASSERT_TRUE(ParseDate("Fri, 21 Nov 1997 09:55:06 -0600", &strict));
  EXPECT_TRUE(strict.empty());

  Defects obsolete;
  ASSERT_TRUE(ParseDate("21 Nov 97 09:55:06 GMT", &obsolete));
  EXPECT_TRUE(HasDefect(obsolete, DefectKind::kDateObsoleteSyntax));

  Defects no_zone;
  ASSERT_TRUE(ParseDate("Fri, 21 Nov 1997 09:55:06", &no_zone));
  EXPECT_TRUE(HasDefect(no_zone, DefectKind::kDateUnknownZone));

  Defects unknown_zone;
  ASSERT_TRUE(ParseDate("Fri, 21 Nov 1997 09:55:06 CEST", &unknown_zone));
  EXPECT_TRUE(HasDefect(unknown_zone, DefectKind::kDateUnknownZone));

  Defects range;
  EXPECT_FALSE(ParseDate("Fri, 32 Nov 1997 09:55:06 +0000", &range));
  EXPECT_TRUE(HasDefect(range, DefectKind::kDateOutOfRange));
}

TEST(DateParse, HostileInputIsBounded) {
  const std::string nested(100000, '(');
  EXPECT_EQ(ParseDate(nested, nullptr), std::nullopt);
  std::string many = "Tue, 2 Jun 2009 12:34:56 +0200";
  for (int i = 0; i < 10000; ++i) many += " 1:2:3 +0100 Jun";
  std::optional<DateTime> got = ParseDate(many, nullptr);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->zone_offset_minutes, 120);
  EXPECT_EQ(ParseDate(std::string(100000, '9'), nullptr), std::nullopt);
}

TEST(DaysFromCivil, KnownDays) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(1600, 2, 29), -135081);
  EXPECT_EQ(DaysFromCivil(1900, 1, 1), -25567);
  EXPECT_EQ(DaysFromCivil(1, 1, 1), -719162);
  EXPECT_EQ(DaysFromCivil(9999, 12, 31), 2932896);
}

TEST(DaysFromCivil, ConsecutiveDaysFormatConsecutively) {
  // Walks 1600..2400 day by day, checking the formatted date advances by exactly one day.
  int64_t year = 1600;
  unsigned month = 1;
  unsigned day = 1;
  for (int64_t days = DaysFromCivil(1600, 1, 1); days < DaysFromCivil(2400, 1, 1); ++days) {
    ASSERT_EQ(DaysFromCivil(year, month, day), days);
    const std::string expected = fmt::format("{:04}-{:02}-{:02}T00:00:00Z", year, month, day);
    ASSERT_EQ(FormatIsoUtc(days * 86400), expected);
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const unsigned lengths[] = {31, leap ? 29u : 28u, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (++day > lengths[month - 1]) {
      day = 1;
      if (++month > 12) {
        month = 1;
        ++year;
      }
    }
  }
}

TEST(DateFormat, Rfc5322AndIso) {
  const int64_t t = 1795957387;  // 2026-11-29T13:03:07Z
  EXPECT_EQ(FormatRfc5322Date(t, 60), "Sun, 29 Nov 2026 14:03:07 +0100");
  EXPECT_EQ(FormatRfc5322Date(t, 0), "Sun, 29 Nov 2026 13:03:07 +0000");
  EXPECT_EQ(FormatRfc5322Date(t, -210), "Sun, 29 Nov 2026 09:33:07 -0330");
  EXPECT_EQ(FormatRfc5322Date(t, -840), "Sat, 28 Nov 2026 23:03:07 -1400");
  EXPECT_EQ(FormatIsoUtc(t), "2026-11-29T13:03:07Z");
  EXPECT_EQ(FormatIsoUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIsoUtc(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc5322Date(-27723426, -210), "Thu, 13 Feb 1969 23:32:54 -0330");
  // Values no parse produces still format without crashing.
  EXPECT_FALSE(FormatRfc5322Date(INT64_MAX, 600000).empty());
  EXPECT_FALSE(FormatIsoUtc(INT64_MIN).empty());
}

TEST(DateFormat, RoundTripsThroughParse) {
  const int offsets[] = {0, 60, -210, 330, 840, -720, 1439, -1439};
  for (int64_t t = DaysFromCivil(1900, 1, 2) * 86400; t < DaysFromCivil(9999, 12, 30) * 86400;
       t += 86400 * 7919 + 3607) {
    for (int offset : offsets) {
      const std::string text = FormatRfc5322Date(t, offset);
      Defects defects;
      std::optional<DateTime> got = ParseDate(text, &defects);
      ASSERT_TRUE(got.has_value()) << text;
      EXPECT_EQ(got->utc_seconds, t) << text;
      EXPECT_EQ(got->zone_offset_minutes, offset) << text;
      EXPECT_TRUE(defects.empty()) << text;
    }
  }
}

}  // namespace
}  // namespace pigeon::message
