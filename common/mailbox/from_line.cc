#include "common/mailbox/from_line.h"

#include <array>
#include <chrono>
#include <vector>

#include <fmt/format.h>

#include "common/message/date.h"

namespace pigeon::mailbox {
namespace {

constexpr std::string_view kFrom = "From ";
constexpr size_t kMaxSenderBytes = 512;
constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string_view StripLineEnding(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits on runs of spaces; tabs count as word characters (they never appear in the shape).
std::vector<std::string_view> Words(std::string_view s, size_t max_words) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < s.size() && words.size() < max_words) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t start = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > start) words.push_back(s.substr(start, i - start));
  }
  return words;
}

bool IsDigits(std::string_view s, size_t min, size_t max) {
  if (s.size() < min || s.size() > max) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int ToInt(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

bool IsOneOf(std::string_view word, auto const& names) {
  for (std::string_view name : names) {
    if (word == name) return true;
  }
  return false;
}

bool IsTime(std::string_view s) {
  if (s.size() != 8 || s[2] != ':' || s[5] != ':') return false;
  std::string_view h = s.substr(0, 2), m = s.substr(3, 2), sec = s.substr(6, 2);
  return IsDigits(h, 2, 2) && IsDigits(m, 2, 2) && IsDigits(sec, 2, 2) && ToInt(h) < 24 &&
         ToInt(m) < 60 && ToInt(sec) <= 60;
}

// An alphabetic zone name ("PST") or a numeric offset ("+0100"), as old mailers wrote them
// between the time and the year.
bool IsZone(std::string_view s) {
  if (s.size() == 5 && (s[0] == '+' || s[0] == '-')) return IsDigits(s.substr(1), 4, 4);
  if (s.empty() || s.size() > 5) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  }
  return true;
}

}  // namespace

FromLine ParseFromLine(std::string_view line) {
  FromLine result;
  line = StripLineEnding(line);
  if (line.substr(0, kFrom.size()) != kFrom) return result;
  std::string_view rest = Trim(line.substr(kFrom.size()));
  size_t space = rest.find(' ');
  result.sender = std::string(rest.substr(0, space));
  if (space == std::string_view::npos) return result;
  result.date_text = std::string(Trim(rest.substr(space)));
  if (std::optional<message::DateTime> date = message::ParseDate(result.date_text, nullptr)) {
    result.date = date->utc_seconds;
  }
  return result;
}

bool HasStrictFromLineShape(std::string_view line) {
  line = StripLineEnding(line);
  if (line.substr(0, kFrom.size()) != kFrom) return false;
  const std::vector<std::string_view> w = Words(line.substr(kFrom.size()), 7);
  if (w.size() < 6) return false;
  if (!IsOneOf(w[1], kDays) || !IsOneOf(w[2], kMonths)) return false;
  if (!IsDigits(w[3], 1, 2) || ToInt(w[3]) < 1 || ToInt(w[3]) > 31) return false;
  if (!IsTime(w[4])) return false;
  if (IsDigits(w[5], 4, 4)) return true;
  return w.size() >= 7 && IsZone(w[5]) && IsDigits(w[6], 4, 4);
}

std::string FromLineSender(std::string_view sender) {
  bool ok = !sender.empty() && sender.size() <= kMaxSenderBytes;
  for (char c : sender) {
    ok = ok && c > ' ' && c < 0x7f;
  }
  return ok ? std::string(sender) : std::string("MAILER-DAEMON");
}

std::string FormatFromLine(std::string_view sender, int64_t utc_seconds) {
  using namespace std::chrono;
  constexpr int64_t kDay = 86400;
  // Years 1000..9999 keep the four-digit year the reader's strict shape expects.
  constexpr int64_t kMin = -30610224000;  // 1000-01-01T00:00:00Z
  constexpr int64_t kMax = 253402300799;  // 9999-12-31T23:59:59Z
  if (utc_seconds < kMin || utc_seconds > kMax) utc_seconds = 0;
  int64_t days = utc_seconds / kDay, secs = utc_seconds % kDay;
  if (secs < 0) {
    secs += kDay;
    days -= 1;
  }
  const sys_days day{std::chrono::days{days}};
  const year_month_day ymd{day};
  const weekday wd{day};
  return fmt::format("From {} {} {} {:2} {:02}:{:02}:{:02} {:04}\n", FromLineSender(sender),
                     kDays[wd.c_encoding()], kMonths[unsigned{ymd.month()} - 1],
                     unsigned{ymd.day()}, secs / 3600, secs / 60 % 60, secs % 60, int{ymd.year()});
}

}  // namespace pigeon::mailbox
