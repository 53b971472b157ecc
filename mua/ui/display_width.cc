// See display_width.h. wcwidth() reads LC_CTYPE: a non-UTF-8 locale makes every non-ASCII
// character unprintable ('?'), which is what the terminal would show too.
#include "mua/ui/display_width.h"

#include <utility>
#include <vector>

#include <wchar.h>

namespace pigeon::mua::ui {
namespace {

// The code point's width when it can be shown as itself, else -1.
int NativeWidth(int cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return -1;
  if (cp < 0x7F) return 1;
  const int width = ::wcwidth(static_cast<wchar_t>(cp));
  return width < 0 ? -1 : width;
}

// Calls `emit(text_of_cell, width)` for each displayed character of `text`.
template <typename Emit>
void ForEachCharacter(std::string_view text, Emit emit) {
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const int cp = DecodeUtf8(text, pos);
    if (cp == '\t') {
      emit(std::string_view(" "), 1);
      continue;
    }
    const int width = cp < 0 ? -1 : NativeWidth(cp);
    if (width < 0) {
      emit(std::string_view("?"), 1);
    } else {
      emit(text.substr(start, pos - start), width);
    }
  }
}

// Printable ASCII only (no tab, no control, nothing above 0x7E): one column per byte, shown
// as it is. Most lines of most mail are, and the pager lays out every line of a message.
bool IsPlainAscii(std::string_view text) {
  for (const char c : text) {
    if (c < 0x20 || c > 0x7E) return false;  // char may be signed: bytes >= 0x80 are < 0 here
  }
  return true;
}

}  // namespace

int DecodeUtf8(std::string_view text, size_t& pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  int length = 0, cp = 0, minimum = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, cp = lead & 0x1F, minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, cp = lead & 0x0F, minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, cp = lead & 0x07, minimum = 0x10000;
  } else {
    ++pos;
    return -1;
  }
  if (pos + length > text.size()) {
    ++pos;
    return -1;
  }
  for (int i = 1; i < length; ++i) {
    const unsigned char next = byte(pos + i);
    if ((next & 0xC0) != 0x80) {
      ++pos;
      return -1;
    }
    cp = (cp << 6) | (next & 0x3F);
  }
  if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++pos;
    return -1;
  }
  pos += length;
  return cp;
}

int CodePointWidth(int code_point) {
  if (code_point == '\t') return 1;
  const int width = NativeWidth(code_point);
  return width < 0 ? 1 : width;
}

int DisplayWidth(std::string_view text) {
  if (IsPlainAscii(text)) return static_cast<int>(text.size());
  int total = 0;
  ForEachCharacter(text, [&](std::string_view, int width) { total += width; });
  return total;
}

std::string Printable(std::string_view text) {
  if (IsPlainAscii(text)) return std::string(text);
  std::string out;
  out.reserve(text.size());
  ForEachCharacter(text, [&](std::string_view cell, int) { out += cell; });
  return out;
}

std::string TruncateToWidth(std::string_view text, int columns) {
  std::string out;
  int used = 0;
  bool full = false;
  ForEachCharacter(text, [&](std::string_view cell, int width) {
    if (full) return;
    if (used + width > columns) {
      full = true;
      return;
    }
    out += cell;
    used += width;
  });
  return out;
}

std::string TailToWidth(std::string_view text, int columns) {
  std::vector<std::pair<std::string_view, int>> cells;
  ForEachCharacter(text,
                   [&](std::string_view cell, int width) { cells.emplace_back(cell, width); });
  size_t first = cells.size();
  int used = 0;
  while (first > 0 && used + cells[first - 1].second <= columns) {
    --first;
    used += cells[first].second;
  }
  while (first < cells.size() && cells[first].second == 0) ++first;  // marks whose base is cut
  std::string out;
  for (size_t i = first; i < cells.size(); ++i) out += cells[i].first;
  return out;
}

std::string FitToWidth(std::string_view text, int columns) {
  if (columns <= 0) return "";
  std::string out = TruncateToWidth(text, columns);
  const int width = DisplayWidth(out);
  out.append(static_cast<size_t>(columns - width), ' ');
  return out;
}

}  // namespace pigeon::mua::ui
