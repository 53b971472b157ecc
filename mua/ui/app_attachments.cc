// App's attachments menu (see app.h; mutt's view-attachments): the rows come from
// attachment_list.h, a text part opens in the pager, other types through the mailcap
// (mailcap_viewer.h): a copiousoutput entry's output in the pager, any other entry with the
// terminal. Saving writes the decoded bytes (attachment_file.h); piping gives them to a
// command as pipe-message does.
#include <fmt/format.h>

#include "common/message/charset.h"
#include "mua/ui/app.h"
#include "mua/ui/attachment_file.h"
#include "mua/ui/html_view.h"

namespace pigeon::mua::ui {

HtmlText App::HtmlRenderer() const {
  const MailcapViewer* viewer = options_.mailcap.empty() ? nullptr : &viewer_;
  return [viewer](const message::Part& html) { return HtmlViewText(html, viewer); };
}

void App::ViewAttachments() {
  if (screen_ == Screen::kPager && pager_shows_attachment_) {
    screen_ = Screen::kAttach;
    return;
  }
  const int64_t id = CurrentId();
  if (id == 0) return;
  Result<std::string> raw = store_.Raw(id);
  if (!raw) return Report(raw.error());
  attach_message_ = std::make_unique<message::Message>(std::move(*raw));
  attachments_.SetRows(AttachmentList::Rows(attach_message_->Mime()));
  attachments_.Layout(BodyHeight());
  attach_return_ = screen_;
  screen_ = Screen::kAttach;
}

void App::LeaveAttachments() {
  screen_ = attach_return_;
  attach_message_.reset();
  pager_shows_attachment_ = false;
  if (screen_ != Screen::kPager || !pager_needs_message_ || !message_) return;
  pager_needs_message_ = false;
  pager_.SetLines(MessageLines(*message_, all_headers_, HtmlRenderer()));
  pager_.Layout(BodyColumns(), BodyHeight());
}

void App::HandleAttach(Op op) {
  switch (op) {
    case Op::kNextEntry:
      if (!attachments_.Next()) message_line_ = "You are on the last entry.";
      return;
    case Op::kPrevEntry:
      if (!attachments_.Previous()) message_line_ = "You are on the first entry.";
      return;
    case Op::kFirstEntry:
      if (!attachments_.First()) message_line_ = "You are on the first entry.";
      return;
    case Op::kLastEntry:
      if (!attachments_.Last()) message_line_ = "You are on the last entry.";
      return;
    case Op::kNextPage:
      if (!attachments_.NextPage()) message_line_ = "You are on the last page.";
      return;
    case Op::kPrevPage:
      if (!attachments_.PreviousPage()) message_line_ = "You are on the first page.";
      return;
    case Op::kExit:
      return LeaveAttachments();
    case Op::kViewAttach:
      return ViewAttach(false);
    case Op::kViewMailcap:
      return ViewAttach(true);
    case Op::kSaveEntry:
      return SaveEntry();
    case Op::kPipeEntry:
      return PipeEntry();
    default:
      return;
  }
}

bool App::HandleAttachmentPager(Op op) {
  switch (op) {
    case Op::kExit:
      screen_ = Screen::kAttach;
      return true;
    case Op::kNextPage:
      if (!pager_.AtEnd()) return false;
      message_line_ = "Bottom of message is shown.";
      return true;
    case Op::kNextUndeleted:
    case Op::kPrevUndeleted:
    case Op::kNextEntry:
    case Op::kPrevEntry:
    case Op::kNextNewThenUnread:
    case Op::kDisplayHeaders:
      message_line_ = "Function not permitted in attach-message mode.";
      return true;
    default:
      return false;
  }
}

void App::ShowInPager(const std::string& title, std::vector<SourceLine> lines) {
  pager_.SetLines(std::move(lines));
  pager_.Layout(BodyColumns(), BodyHeight());
  attachment_title_ = title;
  pager_shows_attachment_ = true;
  pager_needs_message_ = true;
  screen_ = Screen::kPager;
}

void App::ViewAttach(bool force_mailcap) {
  const AttachmentRow* row = attachments_.Selected();
  if (row == nullptr) return;
  const message::Part& part = *row->part;
  if (force_mailcap || !(part.IsText() || part.IsMessage())) return ViewThroughMailcap(*row);
  if (part.IsMessage()) {
    // The enclosed message as the pager shows a message (the lines are copies).
    message::Message enclosed(part.DecodedBody(nullptr));
    return ShowInPager(row->description, MessageLines(enclosed, false, HtmlRenderer()));
  }
  const std::string text = part.content_type == "text/html"
                               ? HtmlViewText(part, options_.mailcap.empty() ? nullptr : &viewer_)
                               : part.TextUtf8(nullptr);
  ShowInPager(row->description, ClassifyBody(text));
}

void App::ViewThroughMailcap(const AttachmentRow& row) {
  const message::Part& part = *row.part;
  std::optional<MailcapEntry> entry = viewer_.Find(part, false);
  if (!entry) {
    message_line_ = fmt::format("No mailcap entry for {}.", part.content_type);
    return;
  }
  if (entry->copious_output && !entry->needs_terminal) {
    Result<CommandOutput> output = viewer_.Capture(*entry, part);
    if (!output) return Report(output.error());
    ShowInPager(row.description, ClassifyBody(message::BytesToUtf8(output->output)));
    if (output->timed_out) {
      message_line_ =
          fmt::format("Command stopped after {} s.", MailcapViewer::kCopiousTimeout.count());
    } else if (output->status != 0) {
      message_line_ = fmt::format("Command returned status {}.", output->status);
    }
    return;
  }
  terminal_.Suspend();
  Result<int> status = viewer_.Run(*entry, part);
  terminal_.Resume();
  if (!status) return Report(status.error());
  if (*status != 0) message_line_ = fmt::format("Command returned status {}.", *status);
}

void App::SaveEntry() {
  const AttachmentRow* row = attachments_.Selected();
  if (row == nullptr) return;
  const message::Part& part = *row->part;
  std::optional<std::string> answer =
      AskLine("Save to file: ", SafeFileName(part.filename.value_or("")), {});
  if (!answer || answer->empty()) return;
  const std::string path = ExpandHome(*answer, options_.home);
  bool overwrite = false;
  if (FileExists(path)) {
    std::optional<bool> replace = AskYesNo("File exists, overwrite?", false);
    if (!replace || !*replace) return;
    overwrite = true;
  }
  const std::string bytes = part.DecodedBody(nullptr);
  if (Result<void> written = WriteAttachmentFile(path, bytes, overwrite); !written) {
    return Report(written.error());
  }
  message_line_ = fmt::format("Saved {} bytes to {}.", bytes.size(), path);
}

void App::PipeEntry() {
  const AttachmentRow* row = attachments_.Selected();
  if (row == nullptr) return;
  std::optional<std::string> command = AskLine("Pipe to command: ", last_pipe_command_, {});
  if (!command || command->empty()) return;
  last_pipe_command_ = *command;
  const std::string bytes = row->part->DecodedBody(nullptr);
  terminal_.Suspend();
  Result<int> status = shell_.Run(*command, bytes);
  terminal_.Resume();
  if (!status) return Report(status.error());
  if (*status != 0) message_line_ = fmt::format("Command returned status {}.", *status);
}

void App::DrawAttachments() {
  const std::vector<AttachmentRow>& rows = attachments_.rows();
  const int columns = terminal_.Columns();
  for (int screen_row = 0; screen_row < BodyHeight(); ++screen_row) {
    const int index = attachments_.top() + screen_row;
    if (index >= static_cast<int>(rows.size())) break;
    const Style& style = colors().Of(index == attachments_.cursor() ? ColorObject::kIndicator
                                                                    : ColorObject::kNormal);
    terminal_.Put(1 + screen_row, 0, FormatAttachmentRow(rows[static_cast<size_t>(index)], columns),
                  style);
  }
}

}  // namespace pigeon::mua::ui
