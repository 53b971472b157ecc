#include "mua/compose/send_time.h"

#include <gtest/gtest.h>

namespace pigeon::mua::compose {
namespace {

// 2023-11-14 22:13:20 UTC, a Tuesday; local time is UTC+1 (23:13:20).
constexpr int64_t kNow = 1'700'000'000;
constexpr int64_t kLocalMidnight = 1'699'916'400;  // 2023-11-14 00:00 at UTC+1

TEST(ParseSendTime, AcceptedForms) {
  const sys::FixedClock clock(kNow, 60);
  struct Case {
    std::string_view text;
    int64_t want;
  } cases[] = {
      {"+30m", kNow + 1800},
      {"+2h", kNow + 7200},
      {"+1d", kNow + 86400},
      {"+1h30m", kNow + 5400},
      {" +90s ", kNow + 90},
      {"23:30", kLocalMidnight + 23 * 3600 + 1800},        // later today
      {"09:00", kLocalMidnight + 86400 + 9 * 3600},        // passed: tomorrow
      {"tomorrow 23:30", kLocalMidnight + 86400 + 84600},  //
      {"2023-12-24 09:00", 1'703'404'800},                 // 08:00 UTC
      {"2023-12-24T09:00:30", 1'703'404'830},              //
  };
  for (const Case& c : cases) {
    Result<int64_t> got = ParseSendTime(c.text, clock);
    ASSERT_TRUE(got) << c.text << ": " << got.error().message;
    EXPECT_EQ(*got, c.want) << c.text;
  }
}

TEST(ParseSendTime, RejectsWhatItCannotRead) {
  const sys::FixedClock clock(kNow, 60);
  for (std::string_view text :
       {"", "+", "+5", "+5x", "+-5m", "24:00", "9:60", "12", "tomorrow", "tomorrow 25:00",
        "2023-02-29 10:00", "2023-13-01 10:00", "2023-12-24", "2023-12-24 9", "soon", "+99999999m",
        "12:00 ", "12:00junk"}) {
    if (text == "12:00 ") continue;  // trailing spaces are trimmed (checked below)
    Result<int64_t> got = ParseSendTime(text, clock);
    EXPECT_FALSE(got) << text;
    if (!got) {
      EXPECT_EQ(got.error().code, ErrorCode::kParse) << text;
    }
  }
  EXPECT_TRUE(ParseSendTime("12:00 ", clock));
}

TEST(ParseSendTime, RejectsThePast) {
  const sys::FixedClock clock(kNow, 60);
  Result<int64_t> got = ParseSendTime("2023-11-14 10:00", clock);
  ASSERT_FALSE(got);
  EXPECT_NE(got.error().message.find("in the past"), std::string::npos);
  EXPECT_FALSE(ParseSendTime("+0m", clock));
}

TEST(FormatLocalTime, WeekdayNearbyDateFarAway) {
  const sys::FixedClock clock(kNow, 60);
  EXPECT_EQ(FormatLocalTime(kNow, kNow, clock), "Tue 23:13");
  EXPECT_EQ(FormatLocalTime(kNow + 3600, kNow, clock), "Wed 00:13");
  EXPECT_EQ(FormatLocalTime(1'703'404'800, kNow, clock), "2023-12-24 09:00");
}

}  // namespace
}  // namespace pigeon::mua::compose
