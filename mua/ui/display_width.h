// Terminal column widths of UTF-8 text: what a cell grid shows of a string. Widths come from
// the C library's wcwidth() (the same table ncursesw draws with), so the process must run in a
// UTF-8 locale (main sets LC_ALL from the environment). Input is untrusted: invalid UTF-8,
// control characters and unprintable code points each become one replacement column, so a
// hostile subject can neither move the cursor nor make a line wider than it was measured.
#pragma once

#include <string>
#include <string_view>

namespace pigeon::mua::ui {

// Columns `text` takes once made printable (see Printable).
int DisplayWidth(std::string_view text);

// `text` with control characters, invalid bytes and unprintable code points replaced by '?'
// (tabs by a space): safe to hand to the terminal.
std::string Printable(std::string_view text);

// The longest prefix of Printable(text) that fits in `columns`, never splitting a character;
// a wide character that would straddle the limit is left out.
std::string TruncateToWidth(std::string_view text, int columns);

// The longest suffix of Printable(text) that fits in `columns`, never splitting a character
// (nor leaving combining marks without their base): the end of a line typed at a prompt.
std::string TailToWidth(std::string_view text, int columns);

// TruncateToWidth, then spaces up to exactly `columns` (or columns - 1 when a wide character
// was left out and no narrow one fits; then one more space).
std::string FitToWidth(std::string_view text, int columns);

// Decodes one code point at `pos` and advances it; invalid bytes yield -1 (and advance by one).
int DecodeUtf8(std::string_view text, size_t& pos);

// Column width of one code point as displayed (control and unprintable: 1, as '?').
int CodePointWidth(int code_point);

}  // namespace pigeon::mua::ui
