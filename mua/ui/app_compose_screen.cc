// App's compose screen (see app.h), mutt's compose menu: after the editor, the message's
// fields, its Fcc and its attachments, each editable on its own; y sends, L sends later, P
// postpones to Drafts, q abandons (asking first when the message would be lost). Sending goes
// through the submitter in one durable transaction; a failed send leaves the screen as it was,
// so a typo in an address costs nothing. R recalls a postponed message onto this screen.
#include <fmt/format.h>

#include "common/message/message.h"
#include "common/store/schema.h"
#include "common/sys/file.h"
#include "mua/compose/recalled_draft.h"
#include "mua/compose/send_time.h"
#include "mua/ui/app.h"
#include "mua/ui/display_width.h"
#include "mua/ui/index_format.h"
#include "mua/ui/line_editor.h"
#include "mua/ui/menu_move.h"
#include "mua/ui/path_completion.h"

namespace pigeon::mua::ui {
namespace {

// Attachments are read whole into memory and into the message: a size that a mail server
// would refuse anyway is refused here, before the file is read.
constexpr uintmax_t kLargestAttachment = 64u * 1024 * 1024;

std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::string FccOf(const compose::Identities& identities, const std::string& from) {
  Result<std::vector<message::Mailbox>> parsed = compose::ParseEditorAddresses("From", from);
  if (!parsed || parsed->size() != 1) return "";  // refused when sent, with a reason
  return identities.ForFrom(parsed->front()).fcc;
}

std::optional<compose::EditableDraft> App::EditDraft(std::string text,
                                                     const compose::EditableDraft& base,
                                                     bool abort_unmodified) {
  for (bool first_edit = true;; first_edit = false) {
    terminal_.Suspend();
    Result<bool> changed = editor_.Edit(text);
    terminal_.Resume();
    if (!changed) {
      Report(changed.error());
      return std::nullopt;
    }
    if (!*changed && first_edit && abort_unmodified) {
      message_line_ = "Aborted unmodified message.";
      return std::nullopt;
    }
    Result<compose::EditableDraft> edited = compose::ParseDraftText(text, base);
    if (edited) return std::move(*edited);
    // The text is kept for the next edit: a typo in a header should not cost what was written.
    std::optional<bool> again =
        AskYesNo(fmt::format("{} Edit again?", edited.error().message), true);
    if (!again || !*again) {
      message_line_ = "Mail not sent.";
      return std::nullopt;
    }
  }
}

void App::HandleCompose(Op op) {
  ComposeModel& model = composing_->model;
  if (std::optional<MenuMove> moved =
          MoveInMenu(op, model.cursor(), model.draft().attachments.size())) {
    model.SetCursor(moved->cursor);
    message_line_ = moved->notice;
    return;
  }
  switch (op) {
    case Op::kEditFrom:
      return EditComposeField(ComposeField::kFrom);
    case Op::kEditTo:
      return EditComposeField(ComposeField::kTo);
    case Op::kEditCc:
      return EditComposeField(ComposeField::kCc);
    case Op::kEditBcc:
      return EditComposeField(ComposeField::kBcc);
    case Op::kEditSubject:
      return EditComposeField(ComposeField::kSubject);
    case Op::kEditReplyTo:
      return EditComposeField(ComposeField::kReplyTo);
    case Op::kEditFcc:
      return EditComposeFcc();
    case Op::kEditMessage:
      return EditComposeMessage();
    case Op::kAttachFile:
      return AttachFile();
    case Op::kDetachFile:
      if (!model.Detach()) message_line_ = "There are no attachments.";
      return;
    case Op::kSendMessage:
    case Op::kSendLater:
      return SendComposed(op == Op::kSendLater);
    case Op::kPostponeMessage:
      return PostponeComposed();
    case Op::kExit:
    case Op::kQuit:
      return AbortCompose();
    default:
      return;
  }
}

void App::EditComposeField(ComposeField field) {
  const std::string_view name = ComposeFieldName(field);
  ComposeModel& model = composing_->model;
  std::optional<std::string> value = AskLine(fmt::format("{}: ", name), model.Field(field), {});
  if (!value) return;
  // An address list is checked at once, as mutt does, rather than at send time.
  if (field != ComposeField::kSubject) {
    Result<std::vector<message::Mailbox>> parsed = compose::ParseEditorAddresses(name, *value);
    if (!parsed) return Report(parsed.error());
    if (field == ComposeField::kFrom && parsed->size() != 1) {
      message_line_ = "From: needs exactly one address";
      return;
    }
  }
  model.SetField(field, std::move(*value));
  // A new From brings its identity's Fcc, as it would have when the draft was written.
  if (field == ComposeField::kFrom) model.SetFcc(FccOf(identities_, model.draft().from));
}

void App::EditComposeFcc() {
  std::optional<std::string> folder = AskFolder("Fcc: ");
  if (!folder) return;
  composing_->model.SetFcc(*folder == "Sent" ? "" : *folder);
}

void App::EditComposeMessage() {
  const compose::EditableDraft& draft = composing_->model.draft();
  std::optional<compose::EditableDraft> edited = EditDraft(compose::DraftText(draft), draft, false);
  if (edited) composing_->model.ReplaceFromEditor(std::move(*edited));
}

void App::AttachFile() {
  const ListDirectory list = RealDirectoryLister();
  const std::string home = options_.home;
  LineEditor editor(LineEditor::Completer(
      [&list, &home](const std::string& typed) { return CompletePath(typed, home, list); }));
  std::optional<std::string> typed = AskLine("Attach file: ", editor);
  if (!typed || typed->empty()) return;
  const std::string path = ExpandHome(*typed, options_.home);
  Result<std::string> content = sys::ReadFileUpTo(path, kLargestAttachment);
  if (!content) return Report(content.error());
  message::Attachment file;
  file.filename = BaseName(path);
  const message::ExtensionSniffer by_extension;
  const message::MimeTypeSniffer& sniffer =
      options_.sniffer != nullptr ? *options_.sniffer : by_extension;
  file.content_type = sniffer.Sniff(*content, file.filename);
  file.content = std::move(*content);
  composing_->model.Attach(std::move(file));
}

void App::SendComposed(bool later) {
  Composing& composing = *composing_;
  Result<message::Draft> ready = compose::ToMessageDraft(composing.model.draft());
  if (!ready) return Report(ready.error());
  const int64_t now = clock_.NowUtcSeconds();
  std::optional<int64_t> not_before;
  if (later) {
    std::optional<std::string> when = AskLine("Send at: ", "", {});
    if (!when || when->empty()) return;
    Result<int64_t> parsed = compose::ParseSendTime(*when, clock_);
    if (!parsed) return Report(parsed.error());
    not_before = *parsed;
  } else if (options_.undo_send_delay.count() > 0) {
    not_before = now + options_.undo_send_delay.count();
  }
  // Nothing is written when this fails: the screen stays, to mend the draft and send again.
  Result<mta::submit::SubmitOutcome> sent = sender_.Send(*ready, composing.model.fcc(), not_before);
  if (!sent) return Report(sent.error());
  const std::optional<MarkOnSend> mark = composing.start.mark;
  if (composing.start.drafts_copy) DropDraftsCopy(*composing.start.drafts_copy);
  compose::EditableDraft draft = composing.model.draft();
  LeaveCompose();
  Result<void> marked = mark ? sender_.MarkOriginal(mark->id, mark->flag) : Result<void>();
  Reload();  // the copies in Sent and the INBOX, and the original's flag
  if (!marked) return Report(marked.error());
  if (later) {
    // Local recipients get their copy at once: only mail going out waits in the queue.
    message_line_ = sent->queued.empty()
                        ? std::string("Mail delivered now: only mail to other hosts can wait.")
                        : fmt::format("Mail scheduled for {}.",
                                      compose::FormatLocalTime(*not_before, now, clock_));
    return;
  }
  if (!not_before || sent->queued.empty()) {  // only local copies: nothing waits to go out
    message_line_ = "Mail sent.";
    return;
  }
  last_sent_ = LastSent{sent->queue_id, *not_before, std::move(draft), mark};
  const std::vector<Key> undo = options_.keys.index.KeysFor(Op::kUndoSend);
  message_line_ = undo.empty()
                      ? std::string("Mail sent.")
                      : fmt::format("Mail sent. Press {} to undo ({} s).", KeyName(undo.front()),
                                    options_.undo_send_delay.count());
}

void App::PostponeComposed() {
  Composing& composing = *composing_;
  Result<message::Draft> ready =
      compose::ToMessageDraft(composing.model.draft(), compose::Recipients::kOptional);
  if (!ready) return Report(ready.error());
  if (Result<void> kept = sender_.SaveDraft(*ready); !kept) return Report(kept.error());
  // The new copy is durable before the old one goes: a crash between leaves two, never none.
  if (composing.start.drafts_copy) DropDraftsCopy(*composing.start.drafts_copy);
  LeaveCompose();
  Reload();
  message_line_ = "Message postponed.";
}

void App::AbortCompose() {
  const Composing& composing = *composing_;
  // Nothing is lost by leaving a recalled draft as it was: its copy is still in Drafts.
  if (composing.start.drafts_copy && !composing.model.changed()) {
    LeaveCompose();
    message_line_ = "Mail not sent; kept in Drafts.";
    return;
  }
  std::optional<bool> postpone = AskYesNo("Save (postpone) draft message?", true);
  if (!postpone) return;  // cancelled: back to the compose screen
  if (*postpone) return PostponeComposed();
  const bool kept = composing.start.drafts_copy.has_value();
  LeaveCompose();
  message_line_ = kept ? "Mail not sent; the earlier copy is kept in Drafts." : "Mail not sent.";
}

void App::LeaveCompose() {
  screen_ = composing_->return_to;
  composing_.reset();
}

void App::DropDraftsCopy(int64_t id) {
  for (int pass = 0; pass < 2; ++pass) {
    if (Result<void> gone = store_.Delete({&id, 1}); !gone) return Report(gone.error());
  }
}

void App::RecallPostponed() {
  Result<store::FolderInfo> drafts = store_.FolderByRole("drafts");
  if (!drafts) return Report(drafts.error());
  int64_t id = 0;
  if (folder_.id == drafts->id) {
    id = CurrentId();
    if (id == 0) return;
  } else if (drafts->total == 0) {
    message_line_ = "No postponed messages.";
    return;
  } else if (drafts->total > 1) {
    SwitchFolder(*drafts);
    if (folder_.id == drafts->id) message_line_ = "Select a postponed message and press R.";
    return;
  } else {
    store::PageRequest request;
    request.folder_id = drafts->id;
    request.limit = 1;
    Result<std::vector<store::MessageSummary>> only = store_.Page(request);
    if (!only) return Report(only.error());
    if (only->empty()) return;
    id = only->front().id;
  }
  Result<std::string> raw = store_.Raw(id);
  if (!raw) return Report(raw.error());
  Result<compose::EditableDraft> draft = compose::RecalledDraft(message::Message(std::move(*raw)));
  if (!draft) return Report(draft.error());
  if (draft->from.empty()) draft->from = identities_.Default().from;
  ComposeStart start;
  start.drafts_copy = id;
  start.open_editor = false;
  start.mark = RecalledReplyMark(*draft, drafts->id);
  Compose(std::move(*draft), start);
}

std::optional<App::MarkOnSend> App::RecalledReplyMark(const compose::EditableDraft& draft,
                                                      int64_t drafts_folder_id) {
  if (!draft.in_reply_to || draft.in_reply_to->size() < 3) return std::nullopt;
  // The store keeps Message-IDs without their angle brackets.
  const std::string_view bracketed = *draft.in_reply_to;
  Result<std::vector<store::MessageSummary>> copies =
      store_.WithMessageId(bracketed.substr(1, bracketed.size() - 2));
  Result<store::FolderInfo> sent = store_.FolderByRole("sent");
  if (!copies || !sent) return std::nullopt;  // the reply is still sent, just not marked
  std::optional<int64_t> original = compose::RepliedOriginal(*copies, drafts_folder_id, sent->id);
  if (!original) return std::nullopt;
  return MarkOnSend{*original, store::kFlagAnswered};
}

void App::DrawCompose() {
  const int columns = BodyColumns();
  const int left = BodyLeft();
  const int height = BodyHeight();
  const ComposeModel& model = composing_->model;
  const std::vector<ComposeRow> rows = model.Rows();
  // The attachment list scrolls to keep the cursor on screen; the fields stay on top.
  size_t first_attachment = rows.size();
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].attachment) {
      first_attachment = i;
      break;
    }
  }
  const int fixed = static_cast<int>(first_attachment);
  const int list_rows = std::max(1, height - fixed);
  const int skip = std::max(0, static_cast<int>(model.cursor()) - list_rows + 1);
  int y = 1;
  for (size_t i = 0; i < rows.size() && y <= height; ++i) {
    if (rows[i].attachment && static_cast<int>(*rows[i].attachment) < skip) continue;
    Style style = colors().Of(rows[i].attachment               ? ColorObject::kAttachment
                              : rows[i].text.starts_with("--") ? ColorObject::kHeader
                                                               : ColorObject::kNormal);
    if (rows[i].attachment && *rows[i].attachment == model.cursor()) {
      style = colors().Of(ColorObject::kIndicator);
    }
    terminal_.Put(y++, left, FitToWidth(rows[i].text, columns), style);
  }
}

}  // namespace pigeon::mua::ui
