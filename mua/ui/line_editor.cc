// See line_editor.h. Completion against the candidate list matches prefixes without regard to
// ASCII case ("inb" finds INBOX) and extends the text to the longest common prefix, as mutt's
// does for mailboxes; a Completer's candidates (file names) match case-sensitively.
#include "mua/ui/line_editor.h"

#include <algorithm>

#include "mua/ui/display_width.h"

namespace pigeon::mua::ui {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool SameChar(char a, char b, bool ignore_case) {
  return ignore_case ? Lower(a) == Lower(b) : a == b;
}

bool StartsWith(const std::string& text, const std::string& prefix, bool ignore_case) {
  if (prefix.size() > text.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (!SameChar(text[i], prefix[i], ignore_case)) return false;
  }
  return true;
}

void AppendCodePoint(int cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Removes the last code point of UTF-8 `text`.
void PopCodePoint(std::string& text) {
  while (!text.empty()) {
    const unsigned char last = static_cast<unsigned char>(text.back());
    text.pop_back();
    if ((last & 0xC0) != 0x80) return;
  }
}

}  // namespace

LineEditor::State LineEditor::Feed(Key key) {
  if (key != keys::kTab) matches_.clear();
  switch (key) {
    case '\n':
    case '\r':
    case keys::kKeypadEnter:
      return State::kAccepted;
    case keys::kControlG:
    case keys::kEscape:
      return State::kCancelled;
    case keys::kBackspace:
    case 0x7F:
    case 0x08:
      PopCodePoint(text_);
      return State::kEditing;
    case keys::kControlU:
      text_.clear();
      return State::kEditing;
    case keys::kTab:
      Complete();
      return State::kEditing;
    default:
      break;
  }
  if (key >= 0x20 && key <= 0x10FFFF && key != 0x7F && CodePointWidth(key) > 0 &&
      !(key >= 0x80 && key < 0xA0)) {
    AppendCodePoint(key, text_);
  }
  return State::kEditing;
}

void LineEditor::Complete() {
  matches_.clear();
  const bool ignore_case = candidates_ != nullptr;
  const std::vector<std::string> asked =
      candidates_ == nullptr && completer_ ? completer_(text_) : std::vector<std::string>();
  for (const std::string& candidate : candidates_ != nullptr ? *candidates_ : asked) {
    if (StartsWith(candidate, text_, ignore_case)) matches_.push_back(candidate);
  }
  if (matches_.empty()) return;
  std::string common = matches_.front();
  for (const std::string& match : matches_) {
    size_t length = 0;
    while (length < common.size() && length < match.size() &&
           SameChar(common[length], match[length], ignore_case)) {
      ++length;
    }
    // Back to a character boundary: candidates may differ inside a multibyte character.
    while (length > 0 && length < common.size() &&
           (static_cast<unsigned char>(common[length]) & 0xC0) == 0x80) {
      --length;
    }
    common.resize(length);
  }
  // Never shorten what was typed (a case-only difference keeps the candidate's spelling).
  if (common.size() >= text_.size()) text_ = common;
  if (matches_.size() == 1) matches_.clear();
}

}  // namespace pigeon::mua::ui
