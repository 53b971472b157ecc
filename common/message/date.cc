// RFC 5322 §3.3 date-time with the obsolete syntax of §4.3 and the broken layouts real mail
// carries (asctime, ISO 8601, "GMT+0200", dotted times, full names, missing zone). Input is
// untrusted: the value is cut into a bounded number of tokens and read by a single pass that
// fills day, month, year, time and zone in whatever order they come. Pure calendar arithmetic;
// no tz database, locale or clock. Ambiguities are settled like Python's email.utils.
#include "common/message/date.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

namespace pigeon::message {
namespace {

// A real date has about a dozen tokens; trailing junk past this many is ignored.
constexpr size_t kMaxTokens = 48;
constexpr int64_t kSecondsPerDay = 86400;
// Days from 0001-01-01 to 1970-01-01 in the proleptic Gregorian calendar.
constexpr int64_t kDaysBeforeEpoch = 719162;

constexpr std::array<int, 12> kDaysBeforeMonth = {0,   31,  59,  90,  120, 151,
                                                  181, 212, 243, 273, 304, 334};
constexpr std::array<std::string_view, 12> kMonthNames = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};
constexpr std::array<std::string_view, 7> kDayNames = {"sunday",   "monday", "tuesday", "wednesday",
                                                       "thursday", "friday", "saturday"};

struct NamedZone {
  std::string_view name;
  int minutes;
};
// RFC 5322 §4.3 plus what Python's email.utils also knows (Z, UTC, Atlantic).
// clang-format off
constexpr std::array<NamedZone, 14> kNamedZones = {{
    {"ut", 0},     {"utc", 0},    {"gmt", 0},    {"z", 0},      {"est", -300}, {"edt", -240},
    {"cst", -360}, {"cdt", -300}, {"mst", -420}, {"mdt", -360}, {"pst", -480}, {"pdt", -420},
    {"ast", -240}, {"adt", -180}}};
// clang-format on

// Division and remainder rounding toward negative infinity, for instants before 1970.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
int64_t FloorMod(int64_t a, int64_t b) {  // b > 0
  const int64_t r = a % b;
  return r < 0 ? r + b : r;
}

bool IsLeapYear(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int64_t year, int month) {
  static constexpr std::array<int, 12> kLengths = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return kLengths[month - 1] + (month == 2 && IsLeapYear(year) ? 1 : 0);
}

struct Civil {
  int64_t year;
  int month;
  int day;
};

// The inverse of DaysFromCivil: peel off 400-, 100-, 4- and 1-year cycles counted from
// 0001-01-01, then walk the months of the remaining year.
Civil CivilFromDays(int64_t days) {
  const int64_t n = days + kDaysBeforeEpoch;
  const int64_t cycles400 = FloorDiv(n, 146097);
  int64_t rest = n - cycles400 * 146097;
  const int64_t cycles100 = std::min<int64_t>(rest / 36524, 3);  // day 146096 is a 31 Dec
  rest -= cycles100 * 36524;
  const int64_t cycles4 = rest / 1461;
  rest -= cycles4 * 1461;
  const int64_t years = std::min<int64_t>(rest / 365, 3);  // day 1460 is a 31 Dec
  rest -= years * 365;
  Civil civil{1 + 400 * cycles400 + 100 * cycles100 + 4 * cycles4 + years, 1, 1};
  while (civil.month < 12 && rest >= DaysInMonth(civil.year, civil.month)) {
    rest -= DaysInMonth(civil.year, civil.month);
    ++civil.month;
  }
  civil.day = static_cast<int>(rest) + 1;
  return civil;
}

// Adds a zone offset to a UTC instant without overflowing on hostile callers' values.
int64_t LocalSeconds(int64_t utc_seconds, int zone_offset_minutes) {
  int64_t local = 0;
  if (__builtin_add_overflow(utc_seconds, int64_t{zone_offset_minutes} * 60, &local)) {
    return utc_seconds;
  }
  return local;
}

enum class TokenKind { kNumber, kWord, kPunct };

struct Token {
  TokenKind kind;
  std::string text;   // words lower-cased; punctuation is one character
  int64_t value = 0;  // numbers only, saturated
  size_t digits = 0;  // numbers only
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Skips a comment starting at s[i] == '(' (nesting by counter, quoted-pairs honoured); an
// unclosed one runs to the end.
size_t SkipComment(std::string_view s, size_t i) {
  size_t depth = 0;
  for (; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '(') {
      ++depth;
    } else if (s[i] == ')' && --depth == 0) {
      return i + 1;
    }
  }
  return s.size();
}

std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < s.size() && tokens.size() < kMaxTokens) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else if (c == '(') {
      i = SkipComment(s, i);
    } else if (IsDigit(c)) {
      Token token{TokenKind::kNumber, {}};
      for (; i < s.size() && IsDigit(s[i]); ++i, ++token.digits) {
        token.value = std::min<int64_t>(token.value * 10 + (s[i] - '0'), 1'000'000'000);
      }
      tokens.push_back(std::move(token));
    } else if (IsAlpha(c)) {
      Token token{TokenKind::kWord, {}};
      for (; i < s.size() && IsAlpha(s[i]); ++i) {
        if (token.text.size() < 16) token.text += Lower(s[i]);  // longer words match nothing
      }
      tokens.push_back(std::move(token));
    } else {
      tokens.push_back(Token{TokenKind::kPunct, std::string(1, c)});
      ++i;
    }
  }
  return tokens;
}

// Index (1-based) of the month `word` abbreviates ("jun", "june", "sept"), or 0.
int MonthFromName(std::string_view word) {
  if (word.size() < 3) return 0;
  for (size_t m = 0; m < kMonthNames.size(); ++m) {
    if (kMonthNames[m].starts_with(word)) return static_cast<int>(m) + 1;
  }
  return 0;
}

bool IsDayName(std::string_view word) {
  if (word.size() < 3) return false;
  for (std::string_view day : kDayNames) {
    if (day.starts_with(word)) return true;
  }
  return false;
}

class DateParser {
 public:
  explicit DateParser(std::string_view value) : tokens_(Tokenize(value)) {}
  std::optional<DateTime> Run(Defects* defects);

 private:
  const Token* At(size_t i) const { return i < tokens_.size() ? &tokens_[i] : nullptr; }
  bool IsPunct(size_t i, char c) const {
    const Token* t = At(i);
    return t != nullptr && t->kind == TokenKind::kPunct && t->text[0] == c;
  }
  bool IsNumber(size_t i, size_t max_digits) const {
    const Token* t = At(i);
    return t != nullptr && t->kind == TokenKind::kNumber && t->digits <= max_digits;
  }
  void Irregular(const char* why) {
    if (irregular_ == nullptr) irregular_ = why;
  }
  void OnWord();
  void OnNumber();
  void OnPunct();
  bool TryTime();
  bool TryNumericDate();
  void TryZoneOffset(bool after_zone_name);
  std::optional<DateTime> Finish(Defects* defects);

  std::vector<Token> tokens_;
  size_t i_ = 0;
  int64_t year_ = -1;
  size_t year_digits_ = 0;
  int month_ = 0;
  int64_t day_ = 0;
  int64_t hour_ = -1, minute_ = -1, second_ = 0;
  int meridiem_ = 0;  // 0 none, 1 am, 2 pm
  bool zone_set_ = false;
  bool zone_known_ = false;
  bool zone_numeric_ = false;
  bool zone_unknown_name_ = false;
  int zone_minutes_ = 0;
  const char* irregular_ = nullptr;  // first reason the date is not strict RFC 5322
  bool after_day_name_ = false;
};

std::optional<DateTime> DateParser::Run(Defects* defects) {
  while (i_ < tokens_.size()) {
    const size_t start = i_;
    switch (tokens_[i_].kind) {
      case TokenKind::kWord:
        OnWord();
        break;
      case TokenKind::kNumber:
        OnNumber();
        break;
      case TokenKind::kPunct:
        OnPunct();
        break;
    }
    if (i_ == start) ++i_;
  }
  return Finish(defects);
}

void DateParser::OnWord() {
  const std::string& word = tokens_[i_].text;
  const bool was_after_day_name = after_day_name_;
  after_day_name_ = false;
  if (const int month = MonthFromName(word); month != 0 && month_ == 0) {
    month_ = month;
    if (word.size() != 3) Irregular("month name not abbreviated");
    if (day_ == 0) Irregular("month before day");
  } else if (IsDayName(word) && !was_after_day_name) {
    after_day_name_ = true;  // the day of the week is redundant; Python ignores it too
    if (word.size() != 3) Irregular("day name not abbreviated");
  } else if (word == "t" && hour_ < 0) {
    Irregular("ISO 8601");  // the date/time separator of ISO 8601
  } else if ((word == "am" || word == "pm") && hour_ >= 0) {
    meridiem_ = word == "am" ? 1 : 2;
    Irregular("12-hour clock");
  } else if (!zone_numeric_ && hour_ >= 0 && (!zone_set_ || zone_unknown_name_)) {
    zone_set_ = true;
    zone_known_ = false;
    zone_minutes_ = 0;
    zone_unknown_name_ = false;
    for (const NamedZone& zone : kNamedZones) {
      if (zone.name == word) {
        zone_known_ = true;
        zone_minutes_ = zone.minutes;
      }
    }
    Irregular("alphabetic zone");
    // A single letter is a military zone: RFC 5322 §4.3 says to treat it as "-0000".
    if (!zone_known_ && word.size() > 1) zone_unknown_name_ = true;
    ++i_;
    TryZoneOffset(/*after_zone_name=*/true);  // "GMT+0200", "UTC+2"
    return;
  } else {
    Irregular("unexpected word");
  }
  ++i_;
}

void DateParser::OnNumber() {
  after_day_name_ = false;
  if (hour_ < 0 && TryTime()) return;
  if (month_ == 0 && day_ == 0 && year_ < 0 && TryNumericDate()) return;
  const Token& token = tokens_[i_++];
  if (token.digits == 4 && year_ < 0) {
    year_ = token.value;
    year_digits_ = 4;
  } else if (token.digits <= 2 && day_ == 0) {
    day_ = token.value;
  } else if ((token.digits <= 3) && year_ < 0) {
    year_ = token.value;
    year_digits_ = token.digits;
    Irregular("two- or three-digit year");
  } else {
    Irregular("unexpected number");
  }
}

void DateParser::OnPunct() {
  const char c = tokens_[i_].text[0];
  if ((c == '+' || c == '-') && hour_ >= 0 && !zone_numeric_ && IsNumber(i_ + 1, 4)) {
    TryZoneOffset(/*after_zone_name=*/false);
    return;
  }
  if (!(c == ',' && after_day_name_)) Irregular("unexpected punctuation");
  after_day_name_ = false;
  ++i_;
}

// hour ":" minute [":" second ["." fraction]]; dots for colons are a common mistake.
bool DateParser::TryTime() {
  const size_t i = i_;
  if (!IsNumber(i, 2) || !IsNumber(i + 2, 2)) return false;
  const bool colon = IsPunct(i + 1, ':');
  if (!colon && !IsPunct(i + 1, '.')) return false;
  const char separator = colon ? ':' : '.';
  // "02.06.2009" is a date, not a time.
  if (!colon && IsPunct(i + 3, '.') && At(i + 4) != nullptr && At(i + 4)->digits > 2) {
    return false;
  }
  hour_ = tokens_[i].value;
  minute_ = tokens_[i + 2].value;
  i_ = i + 3;
  if (IsPunct(i_, separator) && IsNumber(i_ + 1, 2)) {
    second_ = tokens_[i_ + 1].value;
    i_ += 2;
    if (IsPunct(i_, '.') && IsNumber(i_ + 1, 1000)) i_ += 2;  // fraction: dropped
  }
  if (!colon) Irregular("dots in the time");
  if (tokens_[i].digits != 2 || tokens_[i + 2].digits != 2) Irregular("one-digit time field");
  return true;
}

// ISO "2009-06-02" or "2009/06/02", and the European "02.06.2009".
bool DateParser::TryNumericDate() {
  const size_t i = i_;
  const Token* first = At(i);
  if (first->digits == 4) {
    for (char separator : {'-', '/'}) {
      if (IsPunct(i + 1, separator) && IsNumber(i + 2, 2) && IsPunct(i + 3, separator) &&
          IsNumber(i + 4, 2)) {
        year_ = first->value;
        year_digits_ = 4;
        month_ = static_cast<int>(std::min<int64_t>(tokens_[i + 2].value, 13));
        day_ = tokens_[i + 4].value;
        i_ = i + 5;
        Irregular("ISO 8601");
        return true;
      }
    }
    return false;
  }
  if (first->digits <= 2 && IsPunct(i + 1, '.') && IsNumber(i + 2, 2) && IsPunct(i + 3, '.') &&
      IsNumber(i + 4, 4) && At(i + 4)->digits == 4) {
    day_ = first->value;
    month_ = static_cast<int>(std::min<int64_t>(tokens_[i + 2].value, 13));
    year_ = tokens_[i + 4].value;
    year_digits_ = 4;
    i_ = i + 5;
    Irregular("numeric date");
    return true;
  }
  return false;
}

// At i_: an optional sign and "hhmm", "hmm", "hh" or "hh:mm". Without a sign (after a zone
// name) nothing is read. An offset beyond ±23:59 is taken as an unknown zone.
void DateParser::TryZoneOffset(bool after_zone_name) {
  if (!(IsPunct(i_, '+') || IsPunct(i_, '-')) || !IsNumber(i_ + 1, 4)) return;
  const bool negative = IsPunct(i_, '-');
  const Token& number = tokens_[i_ + 1];
  i_ += 2;
  int64_t hours = number.value;
  int64_t minutes = 0;
  if (number.digits >= 3) {
    hours = number.value / 100;
    minutes = number.value % 100;
  } else if (IsPunct(i_, ':') && IsNumber(i_ + 1, 2)) {
    minutes = tokens_[i_ + 1].value;
    i_ += 2;
  }
  if (number.digits != 4 || after_zone_name) Irregular("non-standard numeric zone");
  zone_set_ = true;
  zone_numeric_ = true;
  zone_unknown_name_ = false;
  if (hours > 23 || minutes > 59) {
    zone_known_ = false;
    zone_minutes_ = 0;
    zone_unknown_name_ = true;  // reported as an unknown zone
    return;
  }
  zone_minutes_ = static_cast<int>((negative ? -1 : 1) * (hours * 60 + minutes));
  // "-0000": the time is UTC but the local zone is unknown (RFC 5322 §3.3).
  zone_known_ = !(negative && zone_minutes_ == 0 && !after_zone_name);
}

std::optional<DateTime> DateParser::Finish(Defects* defects) {
  if (month_ == 0 || day_ == 0 || year_ < 0 || hour_ < 0 || minute_ < 0) {
    AddDefect(defects, DefectKind::kDateUnparseable, "no day, month, year and time found");
    return std::nullopt;
  }
  if (meridiem_ == 2 && hour_ < 12) hour_ += 12;
  if (meridiem_ == 1 && hour_ == 12) hour_ = 0;
  // RFC 5322 §4.3: two-digit years 00-49 are 20xx, 50-99 are 19xx; three digits add 1900.
  if (year_digits_ <= 2) year_ += year_ < 50 ? 2000 : 1900;
  if (year_digits_ == 3) year_ += 1900;
  if (year_ < 1900 || year_ > 9999 || month_ > 12 || day_ > DaysInMonth(year_, month_) ||
      hour_ > 23 || minute_ > 59 || second_ > 60) {
    AddDefect(defects, DefectKind::kDateOutOfRange, "a date or time field is out of range");
    AddDefect(defects, DefectKind::kDateUnparseable, "out of range");
    return std::nullopt;
  }
  if (second_ == 60) second_ = 59;  // a leap second; no clock here counts them
  if (irregular_ != nullptr) AddDefect(defects, DefectKind::kDateObsoleteSyntax, irregular_);
  if (!zone_set_) {
    AddDefect(defects, DefectKind::kDateUnknownZone, "no zone: taken as UTC");
  } else if (zone_unknown_name_) {
    AddDefect(defects, DefectKind::kDateUnknownZone, "unknown zone: taken as UTC");
  }
  DateTime result;
  result.zone_known = zone_set_ && zone_known_;
  result.zone_offset_minutes = result.zone_known ? zone_minutes_ : 0;
  const int64_t local =
      DaysFromCivil(year_, static_cast<unsigned>(month_), static_cast<unsigned>(day_)) *
          kSecondsPerDay +
      hour_ * 3600 + minute_ * 60 + second_;
  result.utc_seconds = local - int64_t{result.zone_offset_minutes} * 60;
  return result;
}

}  // namespace

std::optional<DateTime> ParseDate(std::string_view value, Defects* defects) {
  return DateParser(value).Run(defects);
}

// Counts whole years from 0001-01-01 (with the Gregorian leap rule applied by floor
// division, so years before 1 work too), then the months and days of the last year. A month
// outside 1..12 is clamped; the day is added as it is, so day 32 rolls into the next month.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  const int m = static_cast<int>(std::clamp(month, 1u, 12u));
  const int64_t y = year - 1;
  const int64_t days_before_year = 365 * y + FloorDiv(y, 4) - FloorDiv(y, 100) + FloorDiv(y, 400);
  const int64_t leap_day = (m > 2 && IsLeapYear(year)) ? 1 : 0;
  return days_before_year + kDaysBeforeMonth[m - 1] + leap_day + int64_t{day} - 1 -
         kDaysBeforeEpoch;
}

std::string FormatRfc5322Date(int64_t utc_seconds, int zone_offset_minutes) {
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                            "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  // An offset that cannot be written as ±hhmm is replaced by UTC rather than emitted wrong.
  if (zone_offset_minutes <= -100 * 60 || zone_offset_minutes >= 100 * 60) {
    zone_offset_minutes = 0;
  }
  const int64_t local = LocalSeconds(utc_seconds, zone_offset_minutes);
  const int64_t days = FloorDiv(local, kSecondsPerDay);
  const int64_t second_of_day = FloorMod(local, kSecondsPerDay);
  const Civil civil = CivilFromDays(days);
  const int64_t weekday = FloorMod(days + 4, 7);  // 1970-01-01 was a Thursday
  const int offset = zone_offset_minutes < 0 ? -zone_offset_minutes : zone_offset_minutes;
  return fmt::format("{}, {} {} {:04} {:02}:{:02}:{:02} {}{:02}{:02}", kDays[weekday], civil.day,
                     kMonths[civil.month - 1], civil.year, second_of_day / 3600,
                     second_of_day / 60 % 60, second_of_day % 60,
                     zone_offset_minutes < 0 ? '-' : '+', offset / 60, offset % 60);
}

std::string FormatIsoUtc(int64_t utc_seconds) {
  const int64_t days = FloorDiv(utc_seconds, kSecondsPerDay);
  const int64_t second_of_day = FloorMod(utc_seconds, kSecondsPerDay);
  const Civil civil = CivilFromDays(days);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", civil.year, civil.month, civil.day,
                     second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60);
}

}  // namespace pigeon::message
