// Date arithmetic of the query language: each DateSpec names a period of whole UTC days
// [first, end); after: starts at first, before: ends at first, date:A..B spans A's first to
// B's end. N months/years ago keeps the day of the month, clamped (Mar 31 - 1m = Feb 28/29).
#include "common/store/query_dates.h"

#include <algorithm>

#include "common/message/date.h"

namespace pigeon::store::query_internal {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kMinNow = -62167219200;  // 0000-01-01T00:00:00Z
constexpr int64_t kMaxNow = 253402300799;  // 9999-12-31T23:59:59Z

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int64_t Days(int64_t year, int month, int day) {
  return message::DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

struct Civil {
  int64_t year;
  int month;
  int day;
};

// The inverse of Days: estimate the year from the mean Gregorian year, then correct it.
Civil CivilFromDays(int64_t days) {
  int64_t year = 1970 + FloorDiv(days * 400, 146097);
  while (Days(year, 1, 1) > days) --year;
  while (Days(year + 1, 1, 1) <= days) ++year;
  int month = 12;
  while (month > 1 && Days(year, month, 1) > days) --month;
  return Civil{year, month, static_cast<int>(days - Days(year, month, 1)) + 1};
}

int64_t DaysInMonth(int64_t year, int month) {
  return month == 12 ? 31 : Days(year, month + 1, 1) - Days(year, month, 1);
}

// `months` before today's date, with the day clamped to the target month's length.
int64_t MonthsAgo(int64_t today, int64_t months) {
  const Civil now = CivilFromDays(today);
  const int64_t index = now.year * 12 + (now.month - 1) - months;
  const int64_t year = FloorDiv(index, 12);
  const int month = static_cast<int>(index - year * 12) + 1;
  return Days(year, month, static_cast<int>(std::min<int64_t>(now.day, DaysInMonth(year, month))));
}

struct DayPeriod {
  int64_t first;
  int64_t end;  // exclusive
};

DayPeriod Period(const DateSpec& spec, int64_t today) {
  switch (spec.kind) {
    case DateSpec::Kind::kDay: {
      const int64_t day = Days(spec.year, spec.month, spec.day);
      return {day, day + 1};
    }
    case DateSpec::Kind::kMonth:
      return {Days(spec.year, spec.month, 1),
              spec.month == 12 ? Days(spec.year + 1, 1, 1) : Days(spec.year, spec.month + 1, 1)};
    case DateSpec::Kind::kYear:
      return {Days(spec.year, 1, 1), Days(spec.year + 1, 1, 1)};
    case DateSpec::Kind::kDaysAgo:
      return {today - spec.count, today - spec.count + 1};
    case DateSpec::Kind::kWeeksAgo:
      return {today - 7 * int64_t{spec.count}, today - 7 * int64_t{spec.count} + 1};
    case DateSpec::Kind::kMonthsAgo: {
      const int64_t day = MonthsAgo(today, spec.count);
      return {day, day + 1};
    }
    case DateSpec::Kind::kYearsAgo: {
      const int64_t day = MonthsAgo(today, 12 * int64_t{spec.count});
      return {day, day + 1};
    }
    case DateSpec::Kind::kToday:
      return {today, today + 1};
    case DateSpec::Kind::kYesterday:
      return {today - 1, today};
  }
  return {today, today + 1};
}

}  // namespace

SecondsRange ResolveDates(const DateTerm& term, int64_t now_utc_seconds) {
  const int64_t today = FloorDiv(std::clamp(now_utc_seconds, kMinNow, kMaxNow), kSecondsPerDay);
  SecondsRange range;
  const auto first = [&](const std::optional<DateSpec>& spec) -> std::optional<int64_t> {
    if (!spec) return std::nullopt;
    return Period(*spec, today).first * kSecondsPerDay;
  };
  const auto end = [&](const std::optional<DateSpec>& spec) -> std::optional<int64_t> {
    if (!spec) return std::nullopt;
    return Period(*spec, today).end * kSecondsPerDay;
  };
  switch (term.op) {
    case DateTerm::Op::kAfter:
      range.from = first(term.first);
      break;
    case DateTerm::Op::kBefore:
      range.until = first(term.first);
      break;
    case DateTerm::Op::kOn:
      range.from = first(term.first);
      range.until = end(term.first);
      break;
    case DateTerm::Op::kRange:
      range.from = first(term.first);
      range.until = end(term.second);
      break;
  }
  return range;
}

}  // namespace pigeon::store::query_internal
