// The one-line prompt's editing state (mutt's line editor, the part a folder prompt needs):
// typing, Backspace, ^U, Enter, ^G/Esc, and Tab completion against a list of candidates
// (folder names, matched ignoring ASCII case) or the candidates of a function of the text
// (file names, matched case-sensitively). Pure: keys in, text out; the app draws it.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "mua/ui/keymap.h"

namespace pigeon::mua::ui {

class LineEditor {
 public:
  enum class State { kEditing, kAccepted, kCancelled };

  // The candidates for a text: each a whole text the prompt may show (see CompletePath).
  using Completer = std::function<std::vector<std::string>(const std::string& text)>;

  // `candidates` (folder names) must outlive the editor.
  explicit LineEditor(const std::vector<std::string>& candidates) : candidates_(&candidates) {}
  // Candidates from `completer`, asked at each Tab.
  explicit LineEditor(Completer completer) : completer_(std::move(completer)) {}

  // Starts from `text` (a prompt prefilled with the previous answer).
  void SetText(std::string text) { text_ = std::move(text); }
  State Feed(Key key);
  const std::string& text() const { return text_; }
  // After a Tab that matched several candidates: all of them (to show the user).
  const std::vector<std::string>& matches() const { return matches_; }

 private:
  void Complete();

  const std::vector<std::string>* candidates_ = nullptr;  // borrowed; or:
  Completer completer_;
  std::string text_;
  std::vector<std::string> matches_;
};

}  // namespace pigeon::mua::ui
