// The one-line prompt's editing state (mutt's line editor, the part a folder prompt needs):
// typing, Backspace, ^U, Enter, ^G/Esc, and Tab completion against a list of candidates.
// Pure: keys in, text out; the app draws it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "mua/ui/keymap.h"

namespace pigeon::mua::ui {

class LineEditor {
 public:
  enum class State { kEditing, kAccepted, kCancelled };

  // `candidates` (folder names) must outlive the editor.
  explicit LineEditor(const std::vector<std::string>& candidates) : candidates_(candidates) {}

  // Starts from `text` (a prompt prefilled with the previous answer).
  void SetText(std::string text) { text_ = std::move(text); }
  State Feed(Key key);
  const std::string& text() const { return text_; }
  // After a Tab that matched several candidates: all of them (to show the user).
  const std::vector<std::string>& matches() const { return matches_; }

 private:
  void Complete();

  const std::vector<std::string>& candidates_;
  std::string text_;
  std::vector<std::string> matches_;
};

}  // namespace pigeon::mua::ui
