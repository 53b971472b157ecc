// The index line's layout: mutt's $index_format language, a subset, parsed once when the
// reader starts (a bad format is an error then, not a broken screen) and rendered per row.
// The format comes from the owner's config; the fields it draws from are untrusted message
// text, so every piece is measured and cut with display_width.h. No conditionals (%?), no
// message numbers (%C, %e: the index pages by key, not by position).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/sys/clock.h"
#include "common/util/result.h"
#include "mua/ui/index_format.h"

namespace pigeon::mua::ui {

class IndexFormat {
 public:
  // The longest format Parse takes (config.h bounds [reader] index_format the same).
  static constexpr size_t kMaxFormatBytes = 256;

  // pigeon's own line: flags, the date right-aligned in 10 columns, the party in a fifth of
  // the width (8 to 20 columns), the size in parentheses, the subject. As a format it is
  // "%Z %10d  %-20.20L (%4c) %s" with the party's 20 shrinking on narrow terminals.
  static IndexFormat Default(std::string_view date_format = {});

  // `format` empty: Default. Conversions: %Z %d %D %{strftime} %[strftime] %L %F %n %a %s %c
  // %% and %>X, each but %% and %>X with an optional "-", width and ".precision". The error
  // names the key ("reader.index_format: …" or "reader.date_format: …") and what is wrong.
  static Result<IndexFormat> Parse(std::string_view format, std::string_view date_format = {});

  // The line for `row`, exactly `columns` wide ("" when columns <= 0).
  std::string Render(const IndexRow& row, int columns, const sys::Clock& clock) const;

  // What a piece of the format stands for.
  enum class Field { kLiteral, kFlags, kDate, kTime, kParty, kName, kAddress, kSubject, kSize };
  static constexpr int kAutoWidth = -2;  // the Default's party: clamp(columns / 5, 8, 20)

  struct Piece {
    Field field = Field::kLiteral;
    std::string text;    // kLiteral: the text; kTime: the strftime format
    bool left = false;   // "-": pad on the right
    int width = 0;       // at least this many columns; kAutoWidth
    int precision = -1;  // at most this many; -1 none; kAutoWidth
  };

 private:
  std::string RenderPieces(const std::vector<Piece>& pieces, const IndexRow& row, int columns,
                           const sys::Clock& clock) const;
  std::string FieldText(const Piece& piece, const IndexRow& row, const sys::Clock& clock) const;

  std::vector<Piece> left_;   // the line, or what comes before %>
  std::vector<Piece> right_;  // what comes after %>, right-aligned
  std::string fill_;          // %>'s character; "" when the format has no %>
  std::string date_format_;   // for %d and %D; "" is FormatIndexDate's relative dates
};

// The Default's line for `row`.
std::string FormatIndexLine(const IndexRow& row, int columns, const sys::Clock& clock);

}  // namespace pigeon::mua::ui
