// Field terms of the query language: the name table, the value grammars (dates, sizes, is:
// values) and the error messages, which name the field and show an example of a good value so
// that a user at the UI's limit prompt can fix the query without reading the manual.
#include "common/store/query_fields.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>

#include <fmt/format.h>

namespace pigeon::store::query_internal {
namespace {

enum class FieldKind { kText, kFolder, kTag, kIs, kHas, kAfter, kBefore, kDate, kLarger, kSmaller };

struct Field {
  std::string_view name;
  FieldKind kind;
  TextField text_field = TextField::kAny;
};

constexpr std::array kFields = {
    Field{"from", FieldKind::kText, TextField::kFrom},
    Field{"to", FieldKind::kText, TextField::kTo},
    Field{"cc", FieldKind::kText, TextField::kCc},
    Field{"subject", FieldKind::kText, TextField::kSubject},
    Field{"body", FieldKind::kText, TextField::kBody},
    Field{"folder", FieldKind::kFolder},
    Field{"tag", FieldKind::kTag},
    Field{"is", FieldKind::kIs},
    Field{"has", FieldKind::kHas},
    Field{"after", FieldKind::kAfter},
    Field{"before", FieldKind::kBefore},
    Field{"date", FieldKind::kDate},
    Field{"larger", FieldKind::kLarger},
    Field{"smaller", FieldKind::kSmaller},
};

struct FlagName {
  std::string_view name;
  FlagTest test;
};

// Synonyms map to one test; the first name of each test is the normalized one.
constexpr std::array kFlagNames = {
    FlagName{"unread", FlagTest::kUnread},       FlagName{"read", FlagTest::kRead},
    FlagName{"seen", FlagTest::kRead},           FlagName{"flagged", FlagTest::kFlagged},
    FlagName{"answered", FlagTest::kAnswered},   FlagName{"replied", FlagTest::kAnswered},
    FlagName{"draft", FlagTest::kDraft},         FlagName{"deleted", FlagTest::kDeleted},
    FlagName{"forwarded", FlagTest::kForwarded},
};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Digits only, at most max_digits of them (so the value always fits).
std::optional<int> SmallNumber(std::string_view text, size_t max_digits) {
  if (!AllDigits(text) || text.size() > max_digits) return std::nullopt;
  int value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return value;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// The candidate closest to `word`, if it is close enough to be a plausible typo.
std::optional<std::string_view> Closest(std::string_view word, auto names) {
  std::optional<std::string_view> best;
  int best_distance = (word.size() >= 5 ? 2 : 1) + 1;
  for (std::string_view name : names) {
    const int distance = EditDistance(word, name);
    if (distance < best_distance) {
      best = name;
      best_distance = distance;
    }
  }
  return best;
}

Result<QueryNode> ParseIs(std::string_view value, int column) {
  const std::string lower = Lower(value);
  for (const FlagName& flag : kFlagNames) {
    if (flag.name == lower) return QueryNode{FlagTerm{flag.test}};
  }
  std::array<std::string_view, kFlagNames.size()> names;
  std::transform(kFlagNames.begin(), kFlagNames.end(), names.begin(),
                 [](const FlagName& f) { return f.name; });
  const std::optional<std::string_view> guess = Closest(lower, names);
  const std::string hint =
      guess
          ? fmt::format("did you mean {}?", *guess)
          : "expected unread, read, seen, flagged, answered, replied, draft, deleted or forwarded";
  return MakeError(ErrorCode::kParse,
                   fmt::format("column {}: unknown is: value \"{}\" ({})", column, value, hint));
}

Result<QueryNode> ParseDateField(FieldKind kind, std::string_view name, std::string_view value,
                                 int column) {
  const auto fail = [&] {
    return MakeError(
        ErrorCode::kParse,
        kind == FieldKind::kDate
            ? fmt::format("column {}: \"{}:\" needs a date or range like 2024-05 "
                          "or 2024-01-01..2024-03-31",
                          column, name)
            : fmt::format("column {}: \"{}:\" needs a date like 2024-05-01 or 7d", column, name));
  };
  DateTerm term;
  const size_t dots = value.find("..");
  if (kind != FieldKind::kDate || dots == std::string_view::npos) {
    term.op = kind == FieldKind::kAfter    ? DateTerm::Op::kAfter
              : kind == FieldKind::kBefore ? DateTerm::Op::kBefore
                                           : DateTerm::Op::kOn;
    term.first = ParseDateSpec(value);
    if (!term.first) return fail();
    return QueryNode{std::move(term)};
  }
  term.op = DateTerm::Op::kRange;
  const std::string_view lower = value.substr(0, dots);
  const std::string_view upper = value.substr(dots + 2);
  if (lower.empty() && upper.empty()) return fail();
  if (!lower.empty() && !(term.first = ParseDateSpec(lower))) return fail();
  if (!upper.empty() && !(term.second = ParseDateSpec(upper))) return fail();
  return QueryNode{std::move(term)};
}

Result<QueryNode> ParseKnownField(const Field& field, std::string_view name, std::string_view value,
                                  int column) {
  switch (field.kind) {
    case FieldKind::kText:
      return QueryNode{TextTerm{field.text_field, std::string(value)}};
    case FieldKind::kFolder:
      // INBOX is case-insensitive in IMAP (RFC 3501 5.1); every other name is exact.
      return QueryNode{FolderTerm{Lower(value) == "inbox" ? "INBOX" : std::string(value)}};
    case FieldKind::kTag:
      return QueryNode{TagTerm{std::string(value)}};
    case FieldKind::kIs:
      return ParseIs(value, column);
    case FieldKind::kHas:
      if (const std::string lower = Lower(value); lower == "attachment" || lower == "attachments") {
        return QueryNode{AttachmentTerm{}};
      }
      return MakeError(
          ErrorCode::kParse,
          fmt::format("column {}: unknown has: value \"{}\" (expected attachment)", column, value));
    case FieldKind::kAfter:
    case FieldKind::kBefore:
    case FieldKind::kDate:
      return ParseDateField(field.kind, name, value, column);
    case FieldKind::kLarger:
    case FieldKind::kSmaller:
      if (const std::optional<int64_t> bytes = ParseSize(value)) {
        return QueryNode{SizeTerm{field.kind == FieldKind::kLarger, *bytes}};
      }
      return MakeError(
          ErrorCode::kParse,
          fmt::format("column {}: \"{}:\" needs a size like 100k or 2M", column, name));
  }
  return MakeError(ErrorCode::kInternal, "unhandled field kind");
}

}  // namespace

Result<QueryNode> ParseFieldTerm(std::string_view name, std::string_view value, int column) {
  const std::string lower = Lower(name);
  const auto field =
      std::find_if(kFields.begin(), kFields.end(), [&](const Field& f) { return f.name == lower; });
  if (field == kFields.end()) {
    std::array<std::string_view, kFields.size()> names;
    std::transform(kFields.begin(), kFields.end(), names.begin(),
                   [](const Field& f) { return f.name; });
    const std::optional<std::string_view> guess = Closest(lower, names);
    return MakeError(
        ErrorCode::kParse,
        guess
            ? fmt::format("column {}: unknown field \"{}:\" (did you mean {}:?)", column, name,
                          *guess)
            : fmt::format("column {}: unknown field \"{}:\" (put text in quotes to search for it)",
                          column, name));
  }
  if (value.empty()) {
    if (field->kind == FieldKind::kText || field->kind == FieldKind::kFolder ||
        field->kind == FieldKind::kTag) {
      return MakeError(ErrorCode::kParse, fmt::format("column {}: \"{}:\" needs a word or "
                                                      "\"phrase\" right after the colon",
                                                      column, name));
    }
    if (field->kind == FieldKind::kIs || field->kind == FieldKind::kHas) {
      return MakeError(ErrorCode::kParse,
                       fmt::format("column {}: \"{}:\" needs a value like {}", column, name,
                                   field->kind == FieldKind::kIs ? "unread" : "attachment"));
    }
    // Dates and sizes: the messages below show what a good value looks like.
  }
  return ParseKnownField(*field, name, value, column);
}

std::optional<DateSpec> ParseDateSpec(std::string_view text) {
  const std::string lower = Lower(text);
  if (lower == "today") return DateSpec{DateSpec::Kind::kToday};
  if (lower == "yesterday") return DateSpec{DateSpec::Kind::kYesterday};
  if (lower.size() >= 2 && !AllDigits(lower.substr(lower.size() - 1))) {
    static constexpr std::string_view kUnits = "dwmy";
    static constexpr std::array kKinds = {DateSpec::Kind::kDaysAgo, DateSpec::Kind::kWeeksAgo,
                                          DateSpec::Kind::kMonthsAgo, DateSpec::Kind::kYearsAgo};
    const size_t unit = kUnits.find(lower.back());
    const std::optional<int> count =
        SmallNumber(std::string_view(lower).substr(0, lower.size() - 1), 5);
    if (unit == std::string_view::npos || !count) return std::nullopt;
    DateSpec spec{kKinds[unit]};
    spec.count = *count;
    return spec;
  }
  // YYYY, YYYY-MM or YYYY-MM-DD with exactly these digit counts.
  if (text.size() != 4 && text.size() != 7 && text.size() != 10) return std::nullopt;
  if ((text.size() >= 7 && text[4] != '-') || (text.size() == 10 && text[7] != '-')) {
    return std::nullopt;
  }
  DateSpec spec{DateSpec::Kind::kYear};
  const std::optional<int> year = SmallNumber(text.substr(0, 4), 4);
  if (!year) return std::nullopt;
  spec.year = *year;
  if (text.size() >= 7) {
    const std::optional<int> month = SmallNumber(text.substr(5, 2), 2);
    if (!month || *month < 1 || *month > 12) return std::nullopt;
    spec.kind = DateSpec::Kind::kMonth;
    spec.month = *month;
  }
  if (text.size() == 10) {
    const std::optional<int> day = SmallNumber(text.substr(8, 2), 2);
    if (!day || *day < 1 || *day > DaysInMonth(spec.year, spec.month)) return std::nullopt;
    spec.kind = DateSpec::Kind::kDay;
    spec.day = *day;
  }
  return spec;
}

std::optional<int64_t> ParseSize(std::string_view text) {
  int64_t multiplier = 1;
  if (!text.empty()) {
    switch (text.back()) {
      case 'k':
      case 'K':
        multiplier = int64_t{1} << 10;
        break;
      case 'm':
      case 'M':
        multiplier = int64_t{1} << 20;
        break;
      case 'g':
      case 'G':
        multiplier = int64_t{1} << 30;
        break;
      default:
        break;
    }
    if (multiplier != 1) text.remove_suffix(1);
  }
  if (!AllDigits(text)) return std::nullopt;
  const int64_t limit = std::numeric_limits<int64_t>::max() / multiplier;
  int64_t value = 0;
  for (char c : text) {
    const int digit = c - '0';
    if (value > (limit - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value * multiplier;
}

std::string FormatDateSpec(const DateSpec& spec) {
  switch (spec.kind) {
    case DateSpec::Kind::kDay:
      return fmt::format("{:04}-{:02}-{:02}", spec.year, spec.month, spec.day);
    case DateSpec::Kind::kMonth:
      return fmt::format("{:04}-{:02}", spec.year, spec.month);
    case DateSpec::Kind::kYear:
      return fmt::format("{:04}", spec.year);
    case DateSpec::Kind::kDaysAgo:
      return fmt::format("{}d", spec.count);
    case DateSpec::Kind::kWeeksAgo:
      return fmt::format("{}w", spec.count);
    case DateSpec::Kind::kMonthsAgo:
      return fmt::format("{}m", spec.count);
    case DateSpec::Kind::kYearsAgo:
      return fmt::format("{}y", spec.count);
    case DateSpec::Kind::kToday:
      return "today";
    case DateSpec::Kind::kYesterday:
      return "yesterday";
  }
  return "today";
}

std::string FormatSize(int64_t bytes) {
  static constexpr std::array<std::pair<int, char>, 3> kUnits = {
      std::pair{30, 'G'}, std::pair{20, 'M'}, std::pair{10, 'k'}};
  for (const auto& [shift, suffix] : kUnits) {
    const int64_t unit = int64_t{1} << shift;
    if (bytes > 0 && bytes % unit == 0) return fmt::format("{}{}", bytes / unit, suffix);
  }
  return fmt::format("{}", bytes);
}

std::string_view FlagTestName(FlagTest test) {
  for (const FlagName& flag : kFlagNames) {
    if (flag.test == test) return flag.name;
  }
  return "unread";
}

std::string_view TextFieldName(TextField field) {
  for (const Field& f : kFields) {
    if (f.kind == FieldKind::kText && f.text_field == field) return f.name;
  }
  return "";
}

int EditDistance(std::string_view a, std::string_view b) {
  constexpr size_t kMax = 32;
  if (a.size() > kMax || b.size() > kMax) return static_cast<int>(kMax);
  // d[i][j]: distance between the first i bytes of a and the first j bytes of b.
  std::array<std::array<int, kMax + 1>, kMax + 1> d{};
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);  // a transposition
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace pigeon::store::query_internal
