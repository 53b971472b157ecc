// RFC 5322 §2.2 header fields and §2.2.3 folding; see header.h.
#include "common/message/header.h"

#include <algorithm>

namespace pigeon::message {
namespace {

bool IsWsp(char c) { return c == ' ' || c == '\t'; }

// ftext (RFC 5322 §3.6.8): printable US-ASCII except ":".
bool IsFieldNameChar(char c) { return c >= 33 && c <= 126 && c != ':'; }

// The line starting at `pos` without its line break, and the position after the line break.
struct Line {
  std::string_view text;  // without "\n" / "\r\n"
  size_t next = 0;
};

Line LineAt(std::string_view s, size_t pos) {
  size_t end = s.find('\n', pos);
  if (end == std::string_view::npos) return {s.substr(pos), s.size()};
  size_t text_end = end;
  if (text_end > pos && s[text_end - 1] == '\r') --text_end;
  return {s.substr(pos, text_end - pos), end + 1};
}

// Whether `line` can start a header field: a name of ftext, optional WSP (obs-optional), ":".
bool LooksLikeField(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && IsFieldNameChar(line[i])) ++i;
  if (i == 0) return false;
  while (i < line.size() && IsWsp(line[i])) ++i;
  return i < line.size() && line[i] == ':';
}

std::string_view StripLineBreak(std::string_view s) {
  if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

std::string_view TrimWhitespace(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

HeaderBodySplit SplitHeaderBody(std::string_view message) {
  size_t pos = 0;
  bool first = true;
  while (pos < message.size()) {
    Line line = LineAt(message, pos);
    if (line.text.empty()) {
      return {message.substr(0, pos), message.substr(line.next), true};
    }
    bool is_field = LooksLikeField(line.text);
    bool is_continuation = IsWsp(line.text.front());
    bool is_envelope = first && line.text.starts_with("From ");
    if (!is_field && !is_continuation && !is_envelope) {
      return {message.substr(0, pos), message.substr(pos), false};
    }
    first = false;
    pos = line.next;
  }
  return {message, {}, false};
}

std::string HeaderField::Unfolded() const {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    if (c != '\r' && c != '\n') out.push_back(c);
  }
  // Bare CRs inside a line were dropped too: they have no meaning in a field value.
  std::string_view trimmed = TrimWhitespace(out);
  return std::string(trimmed);
}

Header Header::Parse(std::string_view section, Defects* defects) {
  Header header;
  size_t pos = 0;
  bool have_field = false;
  size_t field_start = 0;  // where the current field's value starts in `section`
  while (pos < section.size()) {
    Line line = LineAt(section, pos);
    if (line.text.empty()) break;  // the separator: nothing after it belongs to the header
    if (IsWsp(line.text.front())) {
      if (have_field) {
        header.fields_.back().raw =
            StripLineBreak(section.substr(field_start, line.next - field_start));
      } else {
        AddDefect(defects, DefectKind::kHeaderContinuationFirst);
      }
      pos = line.next;
      continue;
    }
    if (pos == 0 && line.text.starts_with("From ") && !LooksLikeField(line.text)) {
      pos = line.next;  // mbox envelope line
      continue;
    }
    size_t colon = line.text.find(':');
    if (colon == std::string_view::npos || !LooksLikeField(line.text)) {
      AddDefect(defects, DefectKind::kHeaderLineWithoutColon,
                std::string(line.text.substr(0, std::min<size_t>(line.text.size(), 40))));
      have_field = false;
      pos = line.next;
      continue;
    }
    if (header.fields_.size() >= kMaxHeaderFields) {
      AddDefect(defects, DefectKind::kLimitExceeded, "too many header fields");
      break;
    }
    std::string_view name = line.text.substr(0, colon);
    if (!name.empty() && IsWsp(name.back())) {
      AddDefect(defects, DefectKind::kHeaderWhitespaceBeforeColon, std::string(name));
      while (!name.empty() && IsWsp(name.back())) name.remove_suffix(1);
    }
    field_start = pos + colon + 1;
    header.fields_.push_back(
        {name, StripLineBreak(section.substr(field_start, line.next - field_start))});
    have_field = true;
    pos = line.next;
  }
  return header;
}

const HeaderField* Header::Find(std::string_view name) const {
  for (const HeaderField& field : fields_) {
    if (EqualsIgnoreCase(field.name, name)) return &field;
  }
  return nullptr;
}

std::vector<const HeaderField*> Header::FindAll(std::string_view name) const {
  std::vector<const HeaderField*> found;
  for (const HeaderField& field : fields_) {
    if (EqualsIgnoreCase(field.name, name)) found.push_back(&field);
  }
  return found;
}

std::optional<std::string> Header::Get(std::string_view name) const {
  const HeaderField* field = Find(name);
  if (field == nullptr) return std::nullopt;
  return field->Unfolded();
}

}  // namespace pigeon::message
