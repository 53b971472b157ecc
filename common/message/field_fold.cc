// Folding composed header fields at existing whitespace, and the final well-formedness check
// (RFC 5322 §2.1.1, §2.2.3); see field_fold.h. Works on octets: UTF-8 is never split because
// folds go only before SP or HTAB.
#include "common/message/field_fold.h"

#include <algorithm>

namespace pigeon::message {
namespace {

constexpr size_t kMaxLine = 998;  // RFC 5322 §2.1.1, without the CRLF

bool IsWsp(char c) { return c == ' ' || c == '\t'; }

// Index after which a fold may go on a physical line: past its first word, so no line is
// whitespace only and the first line keeps "Name: word".
size_t EarliestFold(std::string_view line, bool first_line) {
  size_t i = 0;
  if (first_line) {
    size_t colon = line.find(':');
    i = colon == std::string_view::npos ? 0 : colon + 1;
  }
  while (i < line.size() && IsWsp(line[i])) ++i;
  return i + 1;
}

// Whether a CRLF may go before line[i]: a WSP not escaped by "\" (quoted-pair) and followed by
// more than whitespace on the same line.
bool CanFoldAt(std::string_view line, size_t i, size_t last_text) {
  return IsWsp(line[i]) && line[i - 1] != '\\' && i < last_text;
}

}  // namespace

std::string FoldField(std::string_view field, size_t width) {
  std::string out;
  bool first_line = true;
  while (!field.empty()) {
    size_t end = field.find("\r\n");
    std::string_view line = field.substr(0, end);
    field = end == std::string_view::npos ? std::string_view() : field.substr(end + 2);
    size_t earliest = EarliestFold(line, first_line);
    while (line.size() > width) {
      size_t last_text = line.find_last_not_of(" \t");
      size_t cut = 0;
      for (size_t i = std::min(width, line.size() - 1); i >= earliest && cut == 0; --i) {
        if (CanFoldAt(line, i, last_text)) cut = i;
      }
      for (size_t i = width + 1; i < line.size() && cut == 0; ++i) {
        if (i >= earliest && CanFoldAt(line, i, last_text)) cut = i;
      }
      if (cut == 0) break;  // one word longer than the line: leave it to the final check
      out.append(line.substr(0, cut)).append("\r\n");
      line.remove_prefix(cut);
      earliest = EarliestFold(line, false);
    }
    out.append(line);
    if (end != std::string_view::npos) out.append("\r\n");
    first_line = false;
  }
  return out;
}

bool IsWellFormedField(std::string_view field) {
  size_t line_start = 0;
  for (size_t i = 0; i < field.size(); ++i) {
    char c = field[i];
    if (c == '\0' || c == '\n') return false;
    if (c != '\r') continue;
    if (i + 2 >= field.size() || field[i + 1] != '\n' || !IsWsp(field[i + 2])) return false;
    if (i - line_start > kMaxLine) return false;
    size_t next_end = field.find('\r', i + 2);
    std::string_view next =
        field.substr(i + 2, next_end == field.npos ? next_end : next_end - i - 2);
    if (next.find_first_not_of(" \t") == std::string_view::npos) return false;
    line_start = i + 2;
    ++i;
  }
  return field.size() - line_start <= kMaxLine;
}

}  // namespace pigeon::message
