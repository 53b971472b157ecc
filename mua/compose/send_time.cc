// See send_time.h. Local civil dates go to and from day numbers with Howard Hinnant's
// days_from_civil / civil_from_days, so no libc time-zone state is touched.
#include "mua/compose/send_time.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <optional>

namespace pigeon::mua::compose {
namespace {

constexpr int64_t kDay = 86400;
constexpr std::string_view kForms = "use +30m, +2h, +1d, HH:MM, tomorrow HH:MM or YYYY-MM-DD HH:MM";

struct Civil {
  int64_t year;
  int month;
  int day;
};

int64_t DaysFromCivil(Civil date) {
  const int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t mp = (date.month + 9) % 12;
  const int64_t doy = (153 * mp + 2) / 5 + date.day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Civil CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return Civil{yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

int64_t LocalSeconds(int64_t utc, const sys::Clock& clock) {
  return utc + int64_t{clock.LocalOffsetMinutes(utc)} * 60;
}

// The UTC second of local time `local`; the offset is taken again at the guess, so a time on
// the other side of a daylight-saving change is right.
int64_t UtcOfLocal(int64_t local, const sys::Clock& clock) {
  const int64_t guess = local - int64_t{clock.LocalOffsetMinutes(local)} * 60;
  return local - int64_t{clock.LocalOffsetMinutes(guess)} * 60;
}

// Digits at the front of `text`, taken off it; nullopt when there are none or too many.
std::optional<int64_t> TakeNumber(std::string_view& text, size_t max_digits) {
  size_t length = 0;
  while (length < text.size() && length < max_digits && text[length] >= '0' &&
         text[length] <= '9') {
    ++length;
  }
  if (length == 0 || (length < text.size() && text[length] >= '0' && text[length] <= '9')) {
    return std::nullopt;
  }
  int64_t value = 0;
  std::from_chars(text.data(), text.data() + length, value);
  text.remove_prefix(length);
  return value;
}

bool TakeChar(std::string_view& text, char c) {
  if (text.empty() || text.front() != c) return false;
  text.remove_prefix(1);
  return true;
}

// "HH:MM" or "HH:MM:SS", the whole of `text`: seconds into the day.
std::optional<int64_t> ParseClockTime(std::string_view text) {
  std::optional<int64_t> hours = TakeNumber(text, 2);
  if (!hours || *hours > 23 || !TakeChar(text, ':')) return std::nullopt;
  std::optional<int64_t> minutes = TakeNumber(text, 2);
  if (!minutes || *minutes > 59) return std::nullopt;
  int64_t seconds = 0;
  if (TakeChar(text, ':')) {
    std::optional<int64_t> taken = TakeNumber(text, 2);
    if (!taken || *taken > 59) return std::nullopt;
    seconds = *taken;
  }
  if (!text.empty()) return std::nullopt;
  return *hours * 3600 + *minutes * 60 + seconds;
}

// "+1h30m": seconds.
std::optional<int64_t> ParseOffset(std::string_view text) {
  int64_t total = 0;
  bool any = false;
  while (!text.empty()) {
    std::optional<int64_t> count = TakeNumber(text, 6);
    if (!count || text.empty()) return std::nullopt;
    const char unit = text.front();
    text.remove_prefix(1);
    switch (unit) {
      case 's':
        total += *count;
        break;
      case 'm':
        total += *count * 60;
        break;
      case 'h':
        total += *count * 3600;
        break;
      case 'd':
        total += *count * kDay;
        break;
      default:
        return std::nullopt;
    }
    any = true;
  }
  if (!any) return std::nullopt;
  return total;
}

// "2026-12-24 09:00" / "2026-12-24T09:00:30": local seconds since the epoch.
std::optional<int64_t> ParseIsoLocal(std::string_view text) {
  std::optional<int64_t> year = TakeNumber(text, 4);
  if (!year || !TakeChar(text, '-')) return std::nullopt;
  std::optional<int64_t> month = TakeNumber(text, 2);
  if (!month || *month < 1 || *month > 12 || !TakeChar(text, '-')) return std::nullopt;
  std::optional<int64_t> day = TakeNumber(text, 2);
  if (!day || *day < 1) return std::nullopt;
  const Civil date{*year, static_cast<int>(*month), static_cast<int>(*day)};
  // A day past the month's end would roll over into the next month.
  if (CivilFromDays(DaysFromCivil(date)).month != date.month) return std::nullopt;
  if (!TakeChar(text, ' ') && !TakeChar(text, 'T')) return std::nullopt;
  std::optional<int64_t> time = ParseClockTime(text);
  if (!time) return std::nullopt;
  return DaysFromCivil(date) * kDay + *time;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

}  // namespace

Result<int64_t> ParseSendTime(std::string_view text, const sys::Clock& clock) {
  text = Trim(text);
  const int64_t now = clock.NowUtcSeconds();
  const int64_t local_now = LocalSeconds(now, clock);
  const int64_t today = local_now - ((local_now % kDay) + kDay) % kDay;
  std::optional<int64_t> when;
  if (text.starts_with('+')) {
    if (std::optional<int64_t> offset = ParseOffset(text.substr(1))) when = now + *offset;
  } else if (text.starts_with("tomorrow ")) {
    if (std::optional<int64_t> time = ParseClockTime(Trim(text.substr(9)))) {
      when = UtcOfLocal(today + kDay + *time, clock);
    }
  } else if (std::optional<int64_t> time = ParseClockTime(text)) {
    when = UtcOfLocal(today + *time, clock);
    if (*when <= now) when = UtcOfLocal(today + kDay + *time, clock);
  } else if (std::optional<int64_t> local = ParseIsoLocal(text)) {
    when = UtcOfLocal(*local, clock);
  }
  if (!when) return MakeError(ErrorCode::kParse, fmt::format("Bad time \"{}\": {}.", text, kForms));
  if (*when <= now) {
    return MakeError(ErrorCode::kParse, fmt::format("{} is in the past.", text));
  }
  return *when;
}

std::string FormatLocalTime(int64_t utc_seconds, int64_t now, const sys::Clock& clock) {
  static constexpr std::array<std::string_view, 7> kWeekdays = {"Thu", "Fri", "Sat", "Sun",
                                                                "Mon", "Tue", "Wed"};
  const int64_t local = LocalSeconds(utc_seconds, clock);
  const int64_t days = (local >= 0 ? local : local - kDay + 1) / kDay;
  const int64_t seconds = local - days * kDay;
  const int hour = static_cast<int>(seconds / 3600);
  const int minute = static_cast<int>(seconds / 60 % 60);
  const int64_t distance = utc_seconds > now ? utc_seconds - now : now - utc_seconds;
  if (distance < 6 * kDay) {
    return fmt::format("{} {:02}:{:02}", kWeekdays[static_cast<size_t>(((days % 7) + 7) % 7)], hour,
                       minute);
  }
  const Civil date = CivilFromDays(days);
  return fmt::format("{}-{:02}-{:02} {:02}:{:02}", date.year, date.month, date.day, hour, minute);
}

}  // namespace pigeon::mua::compose
