// App's prompts on the message line (see app.h): a line of text such as a folder name with Tab
// completion (line_editor.h) and mutt's yes/no questions (yes_no.h). While one is open the store is
// still polled, so the index behind it stays current.
#include "mua/ui/app.h"
#include "mua/ui/line_editor.h"
#include "mua/ui/yes_no.h"

namespace pigeon::mua::ui {

std::optional<Key> App::PromptKey() {
  for (;;) {
    Draw();
    std::optional<Key> key = terminal_.ReadKey(kKeyTimeoutMs);
    if (stop_.load()) return std::nullopt;
    if (!key) {
      Poll();
      continue;
    }
    if (*key == keys::kResize) {
      Relayout();
      continue;
    }
    return key;
  }
}

std::optional<std::string> App::AskFolder(const std::string& label) {
  std::vector<std::string> names;
  for (const store::FolderInfo& folder : folders_) names.push_back(folder.name);
  std::optional<std::string> answer = AskLine(label, "", names);
  if (answer && answer->empty()) return std::nullopt;
  return answer;
}

std::optional<std::string> App::AskLine(const std::string& label, const std::string& initial,
                                        const std::vector<std::string>& candidates) {
  LineEditor editor(candidates);
  editor.SetText(initial);
  return AskLine(label, editor);
}

std::optional<std::string> App::AskLine(const std::string& label, LineEditor& editor) {
  std::optional<std::string> answer;
  for (;;) {
    prompt_ = label;
    prompt_input_ = editor.text();
    completions_.clear();
    for (const std::string& match : editor.matches()) completions_ += match + "  ";
    std::optional<Key> key = PromptKey();
    if (!key) break;
    const LineEditor::State state = editor.Feed(*key);
    if (state == LineEditor::State::kCancelled) break;
    if (state != LineEditor::State::kAccepted) continue;
    answer = editor.text();
    break;
  }
  prompt_.clear();
  prompt_input_.clear();
  completions_.clear();
  return answer;
}

std::optional<bool> App::AskYesNo(std::string_view question, bool default_yes) {
  prompt_ = YesNoText(question, default_yes);
  std::optional<bool> answer;
  for (;;) {
    std::optional<Key> key = PromptKey();
    if (!key) break;
    const Answer said = AnswerFor(*key, default_yes);
    if (said == Answer::kPending) continue;
    if (said != Answer::kCancelled) answer = said == Answer::kYes;
    break;
  }
  prompt_.clear();
  return answer;
}

}  // namespace pigeon::mua::ui
