// See color_scheme.h. Words are separated by spaces or tabs; names are matched exactly, in
// lower case, as muttrc writes them.
#include "mua/ui/color_scheme.h"

#include <charconv>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "common/store/schema.h"

namespace pigeon::mua::ui {
namespace {

struct ObjectName {
  std::string_view name;
  ColorObject object;
};

constexpr ObjectName kObjectNames[] = {
    {"normal", ColorObject::kNormal},
    {"indicator", ColorObject::kIndicator},
    {"status", ColorObject::kStatus},
    {"quoted", ColorObject::kQuoted0},
    {"quoted0", ColorObject::kQuoted0},
    {"quoted1", ColorObject::kQuoted1},
    {"quoted2", ColorObject::kQuoted2},
    {"quoted3", ColorObject::kQuoted3},
    {"quoted4", ColorObject::kQuoted4},
    {"signature", ColorObject::kSignature},
    {"attachment", ColorObject::kAttachment},
    {"search", ColorObject::kSearch},
    {"hdrdefault", ColorObject::kHeader},
    {"markers", ColorObject::kMarkers},
    {"message", ColorObject::kMessage},
    {"sidebar_new", ColorObject::kSidebarNew},
    {"sidebar_indicator", ColorObject::kSidebarIndicator},
    {"sidebar_highlight", ColorObject::kSidebarHighlight},
    {"sidebar_divider", ColorObject::kSidebarDivider},
};

constexpr std::string_view kColorNames[] = {"black", "red",     "green", "yellow",
                                            "blue",  "magenta", "cyan",  "white"};

struct PatternName {
  std::string_view name;
  IndexPattern pattern;
};

constexpr PatternName kPatternNames[] = {
    {"~A", IndexPattern::kAll},     {"~N", IndexPattern::kNew},     {"~O", IndexPattern::kOld},
    {"~D", IndexPattern::kDeleted}, {"~F", IndexPattern::kFlagged}, {"~T", IndexPattern::kTagged},
};

std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < line.size()) {
    const size_t start = line.find_first_not_of(" \t", i);
    if (start == std::string_view::npos) break;
    const size_t end = std::min(line.find_first_of(" \t", start), line.size());
    words.push_back(line.substr(start, end - start));
    i = end;
  }
  return words;
}

// Sets the attribute `word` names on `style`; false when it is not an attribute.
bool ApplyAttribute(std::string_view word, Style& style) {
  if (word == "bold") {
    style.bold = true;
  } else if (word == "underline") {
    style.underline = true;
  } else if (word == "reverse" || word == "standout") {
    style.reverse = true;
  } else if (word == "dim") {
    style.dim = true;
  } else if (word == "none") {
    const Color foreground = style.color, background = style.background;
    style = Style{};
    style.color = foreground;
    style.background = background;
  } else {
    return false;
  }
  return true;
}

// "red", "brightred" (bold, as mutt makes it for a foreground), "color208", "default".
std::optional<Color> ParseColor(std::string_view word, bool& bright) {
  bright = false;
  if (word == "default") return Color::kDefault;
  if (word.starts_with("bright")) {
    bright = true;
    word.remove_prefix(6);
  }
  for (size_t i = 0; i < std::size(kColorNames); ++i) {
    if (word == kColorNames[i]) return static_cast<Color>(i);
  }
  if (!bright && word.starts_with("color")) {
    int number = -1;
    const std::string_view digits = word.substr(5);
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    if (error == std::errc() && end == digits.data() + digits.size() && number >= 0 &&
        number <= 255) {
      return static_cast<Color>(number);
    }
  }
  return std::nullopt;
}

bool Matches(IndexPattern pattern, int flags, bool tagged) {
  switch (pattern) {
    case IndexPattern::kAll:
      return true;
    case IndexPattern::kNew:
      return (flags & store::kFlagSeen) == 0;
    case IndexPattern::kOld:
      return (flags & store::kFlagSeen) != 0;
    case IndexPattern::kDeleted:
      return (flags & store::kFlagDeleted) != 0;
    case IndexPattern::kFlagged:
      return (flags & store::kFlagFlagged) != 0;
    case IndexPattern::kTagged:
      return tagged;
  }
  return false;
}

Style With(Style style, Color color) {
  style.color = color;
  return style;
}

}  // namespace

ColorScheme::ColorScheme() {
  auto set = [this](ColorObject object, Style style) {
    styles_[static_cast<size_t>(object)] = style;
  };
  Style reverse;
  reverse.reverse = true;
  Style bold;
  bold.bold = true;
  Style dim;
  dim.dim = true;
  set(ColorObject::kIndicator, reverse);
  set(ColorObject::kStatus, reverse);
  set(ColorObject::kQuoted0, With({}, Color::kCyan));
  set(ColorObject::kQuoted1, With({}, Color::kGreen));
  set(ColorObject::kQuoted2, With({}, Color::kYellow));
  set(ColorObject::kQuoted3, With({}, Color::kMagenta));
  set(ColorObject::kQuoted4, With({}, Color::kBlue));
  set(ColorObject::kSignature, dim);
  set(ColorObject::kAttachment, With({}, Color::kMagenta));
  set(ColorObject::kSearch, reverse);
  set(ColorObject::kHeader, bold);
  set(ColorObject::kMarkers, bold);
  set(ColorObject::kSidebarNew, bold);
  set(ColorObject::kSidebarIndicator, With({}, Color::kCyan));
  set(ColorObject::kSidebarHighlight, reverse);
}

Result<void> ColorScheme::Apply(std::string_view line) {
  const std::vector<std::string_view> words = Words(line);
  const auto fail = [line](std::string message) -> Result<void> {
    return MakeError(ErrorCode::kInvalidArgument, fmt::format("\"{}\": {}", line, message));
  };
  if (words.empty()) return fail("expected \"OBJECT FOREGROUND BACKGROUND\"");
  const bool index = words[0] == "index";
  std::optional<ColorObject> object;
  for (const ObjectName& named : kObjectNames) {
    if (named.name == words[0]) object = named.object;
  }
  if (!index && !object) return fail(fmt::format("unknown object \"{}\"", words[0]));
  Style style;
  size_t at = 1;
  while (at < words.size() && ApplyAttribute(words[at], style)) ++at;
  if (words.size() - at < 2) return fail("expected a foreground and a background colour");
  bool bright = false, ignored = false;
  const std::optional<Color> foreground = ParseColor(words[at], bright);
  if (!foreground) return fail(fmt::format("unknown colour \"{}\"", words[at]));
  const std::optional<Color> background = ParseColor(words[at + 1], ignored);
  if (!background) return fail(fmt::format("unknown colour \"{}\"", words[at + 1]));
  style.color = *foreground;
  style.background = *background;
  if (bright) style.bold = true;
  at += 2;
  if (!index) {
    if (at != words.size()) return fail(fmt::format("unexpected \"{}\"", words[at]));
    styles_[static_cast<size_t>(*object)] = style;
    return {};
  }
  if (at + 1 != words.size()) {
    return fail("expected one pattern after the colours (~N, ~O, ~D, ~F, ~T or ~A)");
  }
  for (const PatternName& named : kPatternNames) {
    if (named.name == words[at]) {
      index_rules_.insert(index_rules_.begin(), IndexColorRule{named.pattern, style});
      return {};
    }
  }
  return fail(fmt::format("unsupported pattern \"{}\" (~N, ~O, ~D, ~F, ~T or ~A)", words[at]));
}

const Style& ColorScheme::Quoted(int level) const {
  constexpr int kLevels = 5;
  const int index = (std::max(level, 1) - 1) % kLevels;
  return styles_[static_cast<size_t>(ColorObject::kQuoted0) + static_cast<size_t>(index)];
}

Style ColorScheme::IndexLine(int flags, bool tagged) const {
  for (const IndexColorRule& rule : index_rules_) {
    if (Matches(rule.pattern, flags, tagged)) return rule.style;
  }
  return Of(ColorObject::kNormal);
}

Result<void> ApplyColorLines(const std::vector<std::string>& lines, ColorScheme& scheme) {
  ColorScheme changed = scheme;
  for (const std::string& line : lines) {
    if (Result<void> applied = changed.Apply(line); !applied) {
      return MakeError(ErrorCode::kInvalidArgument, "color " + applied.error().message);
    }
  }
  scheme = std::move(changed);
  return {};
}

}  // namespace pigeon::mua::ui
