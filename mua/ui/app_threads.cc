// App's sorting and threads (see app.h): the sort prompt (o, O), collapse-thread and
// collapse-all (<Esc>v, <Esc>V), next-thread and previous-thread (^N, ^P), and the Esc prefix
// that makes <Esc>v one key. The order and the tree are index_sort.h and
// threaded_index_source.h; this file only asks and dispatches.
#include "mua/ui/app.h"

namespace pigeon::mua::ui {

Key App::WithMeta(Key key) {
  if (key != keys::kEscape) return key;
  std::optional<Key> next = terminal_.ReadKey(kMetaTimeoutMs);
  if (!next || *next == keys::kEscape || *next == keys::kResize || *next >= keys::kMeta) {
    return key;  // Esc alone (a resize or a second Esc is not a Meta key)
  }
  return keys::Meta(*next);
}

void App::SortPrompt(bool reverse) {
  prompt_ = std::string(reverse ? kReverseSortPrompt : kSortPrompt);
  std::optional<IndexSort> sort;
  for (;;) {
    std::optional<Key> key = PromptKey();
    if (!key) break;
    const SortAnswer answer = AnswerSortPrompt(*key, reverse);
    if (answer.kind == SortAnswer::Kind::kAgain) continue;
    if (answer.kind == SortAnswer::Kind::kSort) sort = answer.sort;
    break;
  }
  prompt_.clear();
  if (!sort) return;
  if (Result<void> loaded = LoadIndex(folder_, *sort, index_->Selected()); !loaded) {
    Report(loaded.error());
  }
}

void App::Collapse(bool all) {
  if (!threads_) {
    message_line_ = "Threading is not enabled.";
    return;
  }
  const store::MessageSummary* selected = index_->Selected();
  if (all) {
    threads_->ToggleAll();
  } else if (selected != nullptr) {
    threads_->ToggleThread(selected->thread_id);
  }
  if (Result<void> refreshed = index_->Refresh(); !refreshed) Report(refreshed.error());
}

bool App::NextThread(bool forward) {
  if (!threads_) {
    message_line_ = "Threading is not enabled.";
    return false;
  }
  const store::MessageSummary* selected = index_->Selected();
  if (selected == nullptr) {
    message_line_ = "No messages.";
    return false;
  }
  Result<std::optional<store::MessageSummary>> found = threads_->AdjacentThread(*selected, forward);
  if (!found) {
    Report(found.error());
    return false;
  }
  if (!*found) {
    message_line_ = forward ? "You are on the last thread." : "You are on the first thread.";
    return false;
  }
  Result<Moved> moved = index_->Select(**found);
  if (!moved) Report(moved.error());
  return moved.has_value();
}

}  // namespace pigeon::mua::ui
