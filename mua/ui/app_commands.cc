// App's commands on messages (see app.h; the rules are message_command.h): each is one store
// write transaction, then the counts and rows are read again and the cursor moves on as mutt's
// $resolve does. Store errors go to the message line.
#include <algorithm>

#include <fmt/format.h>

#include "mua/ui/app.h"

namespace pigeon::mua::ui {

void App::TagPrefixKey() {
  if (!tag_prefix_.Arm(tags_)) message_line_ = "No tagged messages.";
}

void App::RunMessageCommand(Op op) {
  const Targets targets = tag_prefix_.Take(tags_, index_->Selected());
  if (targets.ids.empty()) {
    message_line_ = "No messages.";
    return;
  }
  if (op == Op::kSaveMessage || op == Op::kCopyMessage) return SaveOrCopy(op, targets);
  if (op == Op::kTag) {
    for (int64_t id : targets.ids) tags_.Toggle(id);
  } else if (std::optional<FlagEdit> edit = FlagEditFor(op)) {
    if (Result<void> written = WriteFlags(op, *edit, targets.ids); !written) {
      return Report(written.error());
    }
  }
  Reload();
  Resolve(AdvanceAfter(op, targets.tagged));
}

Result<void> App::WriteFlags(Op op, const FlagEdit& edit, std::vector<int64_t> ids) {
  if (ActsOnThread(op)) {
    std::vector<int64_t> members;
    for (int64_t id : ids) {
      Result<std::vector<store::MessageSummary>> thread = store_.Thread(id);
      if (!thread) return tl::unexpected(thread.error());
      std::vector<int64_t> in_folder = MembersInFolder(*thread, folder_.id);
      members.insert(members.end(), in_folder.begin(), in_folder.end());
    }
    std::sort(members.begin(), members.end());  // two tagged messages may share a thread
    members.erase(std::unique(members.begin(), members.end()), members.end());
    ids = std::move(members);
  }
  Result<void> written = edit.toggle != 0 ? store_.ToggleFlags(ids, edit.toggle)
                                          : store_.SetFlags(ids, edit.set, edit.clear);
  if (!written) return written;
  if (Untags(op)) tags_.Forget(ids);
  return {};
}

void App::SaveOrCopy(Op op, const Targets& targets) {
  const bool move = op == Op::kSaveMessage;
  if (Result<void> loaded = ReloadFolders(); !loaded) return Report(loaded.error());
  std::optional<std::string> name = AskFolder(
      fmt::format("{}{} to mailbox: ", move ? "Save" : "Copy", targets.tagged ? " tagged" : ""));
  if (!name) return;
  Result<store::FolderInfo> folder = store_.FindFolder(*name);
  if (!folder && folder.error().code == ErrorCode::kNotFound) {
    std::optional<bool> create = AskYesNo(fmt::format("Create {}?", *name), true);
    if (!create || !*create) return;
    folder = store_.CreateFolder(*name);
  }
  if (!folder) return Report(folder.error());
  if (folder->id == folder_.id) {
    message_line_ = fmt::format("That is the open folder, {}.", folder_.name);
    return;
  }
  Result<void> done;
  if (move) {
    done = store_.Move(targets.ids, folder->id);
  } else if (Result<std::vector<int64_t>> copies = store_.Copy(targets.ids, folder->id); !copies) {
    done = tl::unexpected(copies.error());
  }
  if (!done) return Report(done.error());
  if (move) tags_.Forget(targets.ids);
  Reload();
  const size_t count = targets.ids.size();
  message_line_ = fmt::format("{} message{} {} to {}.", count, count == 1 ? "" : "s",
                              move ? "moved" : "copied", folder->name);
  const bool shown_moved =
      std::find(targets.ids.begin(), targets.ids.end(), pager_summary_.id) != targets.ids.end();
  if (!move || screen_ != Screen::kPager || !shown_moved) return;
  // The shown message left the folder: show the one that took its row (mutt's $resolve),
  // or go back to the index when the folder is now empty.
  if (index_->Selected() == nullptr) {
    screen_ = Screen::kIndex;
    message_.reset();
    return;
  }
  const std::string note = message_line_;
  DisplaySelected();
  if (message_line_.empty()) message_line_ = note;
}

void App::Reload() {
  if (Result<void> loaded = ReloadFolders(); !loaded) return Report(loaded.error());
  if (Result<void> refreshed = index_->Refresh(); !refreshed) return Report(refreshed.error());
  CountShown();
  const store::MessageSummary* selected = index_->Selected();
  if (selected != nullptr && selected->id == pager_summary_.id) pager_summary_ = *selected;
}

void App::CountShown() {
  shown_.reset();
  if (source_->limit().empty()) return;
  Result<int64_t> count = Watched("Counting", [this] { return source_->CountShown(); });
  if (!count) {
    // Stopped: the status line shows the folder's total alone, as without a limit.
    if (count.error().code == ErrorCode::kCancelled) {
      message_line_ = "Count stopped.";
      return;
    }
    return Report(count.error());
  }
  shown_ = *count;
}

void App::Resolve(Advance advance) {
  if (advance == Advance::kStay) return;
  const bool skip_deleted = advance == Advance::kNextUndeleted;
  if (screen_ == Screen::kPager) {
    return PagerMove(index_->Next(skip_deleted), "You are on the last message.");
  }
  // In the index mutt stays silently on the last message.
  if (Result<Moved> moved = index_->Next(skip_deleted); !moved) Report(moved.error());
}

bool App::Purge() {
  if (Result<void> loaded = ReloadFolders(); !loaded) {
    Report(loaded.error());
    return false;
  }
  if (folder_.deleted == 0) return true;
  std::optional<bool> purge = AskYesNo(PurgeQuestion(folder_.deleted), true);
  if (!purge) return false;
  if (!*purge) return true;
  Result<int64_t> purged = store_.PurgeDeleted(folder_.id);
  if (!purged) {
    Report(purged.error());
    return false;
  }
  PruneTags();
  Reload();
  message_line_ = fmt::format("{} kept, {} deleted.", folder_.total, *purged);
  return true;
}

void App::Sync() {
  if (Result<void> loaded = ReloadFolders(); !loaded) return Report(loaded.error());
  if (folder_.deleted == 0) {
    message_line_ = "Mailbox is unchanged.";
    return;
  }
  if (!Purge() || screen_ != Screen::kPager) return;
  Result<store::MessageSummary> shown = store_.Summary(pager_summary_.id);
  if (shown && shown->folder_id == folder_.id) return;
  screen_ = Screen::kIndex;  // the shown message was purged
  message_.reset();
}

void App::Quit() {
  if (Purge()) quit_ = true;
}

void App::PruneTags() {
  std::vector<int64_t> gone;
  for (int64_t id : tags_.Ids()) {
    Result<store::MessageSummary> summary = store_.Summary(id);
    const bool elsewhere =
        summary ? summary->folder_id != folder_.id : summary.error().code == ErrorCode::kNotFound;
    if (elsewhere) gone.push_back(id);
  }
  tags_.Forget(gone);
}

}  // namespace pigeon::mua::ui
