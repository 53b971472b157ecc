// RFC 5322 §3.3 dates, plus the obsolete syntax of §4.3 (alphabetic zones, two- and three-digit
// years, comments, missing seconds) and the broken forms common in real mail (missing day of
// week or zone, asctime() layout, "GMT+0200", dots for colons, full month and day names, ISO 8601).
// Pure: no time zone database, no locale, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/message/defect.h"

namespace pigeon::message {

struct DateTime {
  int64_t utc_seconds = 0;      // seconds since 1970-01-01T00:00:00Z
  int zone_offset_minutes = 0;  // the zone as written (+0200 → 120)
  bool zone_known = true;       // false for "-0000", a missing zone or an unknown name (UTC used)
  bool operator==(const DateTime&) const = default;
};

// A date without a zone is taken as UTC (zone_known = false). Returns nullopt (and adds
// kDateUnparseable) when no day, month, year and time can be found, or the values are out of
// range (years before 1900 or after 9999).
std::optional<DateTime> ParseDate(std::string_view value, Defects* defects);

// "Sun, 29 Nov 2026 14:03:07 +0100" — the form RFC 5322 asks new messages to use.
std::string FormatRfc5322Date(int64_t utc_seconds, int zone_offset_minutes);
// "2026-11-29T13:03:07Z".
std::string FormatIsoUtc(int64_t utc_seconds);

// Days since 1970-01-01 of a proleptic Gregorian date, and the inverse; pure arithmetic.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);

}  // namespace pigeon::message
