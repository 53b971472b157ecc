// The reader's colours: muttrc's "color OBJECT [ATTRIBUTES] FOREGROUND BACKGROUND [PATTERN]"
// lines ([reader] color in pigeon.conf, without the word "color") over defaults close to
// NeoMutt's. Each object maps to a Style (terminal.h); the terminal drops the colours on a
// monochrome terminal and keeps the attributes, so every object stays readable there.
// Index lines take the first "index" rule whose pattern matches the message; patterns are
// mutt's flag patterns only (~N new, ~O old, ~D deleted, ~F flagged, ~T tagged, ~A all).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.h"
#include "mua/ui/terminal.h"

namespace pigeon::mua::ui {

enum class ColorObject {
  kNormal,
  kIndicator,  // the selected index line
  kStatus,     // the help line and the status line
  kQuoted0,    // quoted text by depth: "quoted" is quoted0, then quoted1 … quoted4
  kQuoted1,
  kQuoted2,
  kQuoted3,
  kQuoted4,
  kSignature,
  kAttachment,  // the pager's attachment list
  kSearch,      // search matches in the pager
  kHeader,      // the pager's header field names (NeoMutt's hdrdefault)
  kMarkers,     // the '+' before continued lines
  kMessage,     // the message line
  kError,
  kSidebarNew,        // sidebar folders with unread mail
  kSidebarIndicator,  // the open folder
  kSidebarHighlight,  // the sidebar's cursor
  kSidebarDivider,
  kCount,
};

// Which messages an "index" rule colours (mutt's flag patterns).
enum class IndexPattern { kAll, kNew, kOld, kDeleted, kFlagged, kTagged };

struct IndexColorRule {
  IndexPattern pattern = IndexPattern::kAll;
  Style style;
};

class ColorScheme {
 public:
  // NeoMutt's look: reverse-video indicator and status lines, quoted levels in colour, the
  // signature dimmed, attachments magenta, folders with new mail bold.
  ColorScheme();

  // Applies one line, "OBJECT [bold|underline|reverse|dim|none ...] FG BG [PATTERN]" (FG and
  // BG: default, black, red, green, yellow, blue, magenta, cyan, white, or colorN for N in
  // 0..255, as mutt). A later line for the same object replaces the earlier one; "index"
  // lines add rules, the latest first as mutt tries them. Errors name the wrong word.
  Result<void> Apply(std::string_view line);

  const Style& Of(ColorObject object) const { return styles_[static_cast<size_t>(object)]; }
  // The quoted-text style of `level` (1 = "> "); levels past quoted4 go round again.
  const Style& Quoted(int level) const;
  // The style of an index line for a message with these flags (store::MessageFlag bits) and
  // tag; Style{} when no rule matches.
  Style IndexLine(int flags, bool tagged) const;

 private:
  std::array<Style, static_cast<size_t>(ColorObject::kCount)> styles_;
  std::vector<IndexColorRule> index_rules_;  // tried in order
};

// Applies every line of the config's [reader] color; the first bad line fails with a message
// quoting it, and `scheme` is left as it was.
Result<void> ApplyColorLines(const std::vector<std::string>& lines, ColorScheme& scheme);

}  // namespace pigeon::mua::ui
