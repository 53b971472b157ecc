// App's undo send and outbox screen (see app.h). Taking a message back is one store
// transaction (OutgoingQueue::PullBack): the queue entry and its folder copies go together,
// and only while no recipient has it or is being given it. What was taken back is never lost:
// it reopens in the editor (undo) or goes to Drafts (outbox cancel).
#include <fmt/format.h>

#include <algorithm>

#include "common/message/encoded_word.h"
#include "common/message/message.h"
#include "common/store/outgoing_queue.h"
#include "mua/ui/app.h"
#include "mua/ui/display_width.h"
#include "mua/ui/menu_move.h"

namespace pigeon::mua::ui {

void App::UndoSend() {
  if (!last_sent_ || clock_.NowUtcSeconds() > last_sent_->deadline) {
    last_sent_.reset();
    message_line_ = "Nothing to undo.";
    return;
  }
  const LastSent taken = std::move(*last_sent_);
  last_sent_.reset();
  Result<store::FolderInfo> drafts = store_.FolderByRole("drafts");
  if (!drafts) return Report(drafts.error());
  store::OutgoingQueue queue(store_);
  // Kept in Drafts in the same transaction: a crash while the editor is open loses nothing.
  Result<std::optional<store::PulledBack>> pulled = queue.PullBack(taken.queue_id, drafts->id);
  if (!pulled) {
    message_line_ = "Too late to undo: the message is on its way.";
    return;
  }
  if (!*pulled) {
    message_line_ = "Too late to undo: the message has left the queue.";
    return;
  }
  Reload();
  ComposeStart start;
  start.mark = taken.mark;
  start.drafts_copy = (*pulled)->kept_id;
  start.abort_unmodified = false;  // the user's own text already
  Compose(taken.draft, start);
}

void App::OpenOutbox() {
  before_outbox_ = screen_ == Screen::kOutbox ? before_outbox_ : screen_;
  screen_ = Screen::kOutbox;
  outbox_cursor_ = 0;
  RefreshOutbox();
}

void App::RefreshOutbox() {
  store::OutgoingQueue queue(store_);
  Result<std::vector<store::QueuedMessage>> queued = queue.List();
  if (!queued) return Report(queued.error());
  const auto subject_of = [&queue](int64_t body_id) {
    Result<std::string> raw = queue.Body(body_id);
    if (!raw) return std::string();
    const message::Message mail(std::move(*raw));
    return message::DecodeEncodedWords(mail.header().Get("Subject").value_or(""), nullptr);
  };
  outbox_ = BuildOutbox(*queued, options_.owner.AddrSpec(), subject_of, clock_);
  outbox_cursor_ = std::clamp(outbox_cursor_, 0, std::max(0, static_cast<int>(outbox_.size()) - 1));
}

void App::HandleOutbox(Op op) {
  if (std::optional<MenuMove> moved =
          MoveInMenu(op, static_cast<size_t>(outbox_cursor_), outbox_.size())) {
    outbox_cursor_ = static_cast<int>(moved->cursor);
    message_line_ = moved->notice;
    return;
  }
  switch (op) {
    case Op::kRetrySend:
      return RetryOutbox();
    case Op::kCancelSend:
      return CancelOutbox();
    case Op::kExit:
    case Op::kQuit:
      screen_ = before_outbox_;
      return;
    default:
      return;
  }
}

void App::RetryOutbox() {
  if (outbox_.empty()) {
    message_line_ = "The outbox is empty.";
    return;
  }
  store::OutgoingQueue queue(store_);
  const std::string& queue_id = outbox_[static_cast<size_t>(outbox_cursor_)].queue_id;
  Result<int64_t> due = queue.Requeue(queue_id, clock_.NowUtcSeconds());
  if (!due) return Report(due.error());
  if (options_.wake_queue) options_.wake_queue();
  message_line_ = *due > 0 ? fmt::format("{}: trying again now.", queue_id)
                           : fmt::format("{}: nothing waiting to try.", queue_id);
  RefreshOutbox();
}

void App::CancelOutbox() {
  if (outbox_.empty()) {
    message_line_ = "The outbox is empty.";
    return;
  }
  const std::string queue_id = outbox_[static_cast<size_t>(outbox_cursor_)].queue_id;
  std::optional<bool> cancel = AskYesNo(fmt::format("Take {} back into Drafts?", queue_id), false);
  if (!cancel || !*cancel) return;
  Result<store::FolderInfo> drafts = store_.FolderByRole("drafts");
  if (!drafts) return Report(drafts.error());
  store::OutgoingQueue queue(store_);
  Result<std::optional<store::PulledBack>> pulled = queue.PullBack(queue_id, drafts->id);
  if (!pulled) return Report(pulled.error());
  message_line_ = *pulled ? fmt::format("{} taken back into Drafts.", queue_id)
                          : fmt::format("{} has left the queue.", queue_id);
  if (last_sent_ && last_sent_->queue_id == queue_id) last_sent_.reset();
  Reload();
  RefreshOutbox();
}

void App::DrawOutbox() {
  const int columns = terminal_.Columns();
  const int height = BodyHeight();
  if (outbox_.empty()) {
    terminal_.Put(1, 0, "(the outbox is empty)", Style{});
    return;
  }
  // The list on top, the selected message's recipients below it.
  const OutboxEntry& selected = outbox_[static_cast<size_t>(outbox_cursor_)];
  const int detail_rows = std::min(static_cast<int>(selected.recipients.size()) + 1, height / 2);
  const int list_rows = std::max(1, height - detail_rows);
  const int top = std::max(0, outbox_cursor_ - list_rows + 1);
  for (int row = 0; row < list_rows; ++row) {
    const size_t index = static_cast<size_t>(top + row);
    if (index >= outbox_.size()) break;
    Style style;
    style.reverse = static_cast<int>(index) == outbox_cursor_;
    terminal_.Put(1 + row, 0, FitToWidth(OutboxLine(outbox_[index], clock_), columns), style);
  }
  int y = 1 + list_rows;
  Style bold;
  bold.bold = true;
  terminal_.Put(y++, 0, TruncateToWidth(fmt::format("{}:", selected.queue_id), columns), bold);
  for (const OutboxRecipient& recipient : selected.recipients) {
    if (y > height) break;
    terminal_.Put(y++, 0, TruncateToWidth(OutboxRecipientLine(recipient), columns), Style{});
  }
}

}  // namespace pigeon::mua::ui
