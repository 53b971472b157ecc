// App's mail, replies, forward and bounce (see app.h): a draft opens in the editor with the
// screen handed over to it, comes back through the draft model (mua/compose/draft.h), and
// goes to the compose screen (app_compose_screen.cc), which sends it through the submitter; a
// bounce is sent after its own question. Nothing is written before the user says so.

#include <fmt/format.h>

#include "common/store/schema.h"
#include "common/sys/file.h"
#include "mua/compose/bounce.h"
#include "mua/compose/forward_draft.h"
#include "mua/compose/reply_draft.h"
#include "mua/ui/app.h"

namespace pigeon::mua::ui {

int64_t App::CurrentId() {
  if (screen_ == Screen::kPager && message_ != nullptr) return pager_summary_.id;
  if (const store::MessageSummary* selected = index_->Selected(); selected != nullptr) {
    return selected->id;
  }
  message_line_ = "No messages.";
  return 0;
}

std::optional<App::Original> App::CurrentOriginal() {
  const int64_t id = CurrentId();
  if (id == 0) return std::nullopt;
  Result<std::string> raw = store_.Raw(id);
  if (!raw) {
    Report(raw.error());
    return std::nullopt;
  }
  return Original{id, message::Message(std::move(*raw))};
}

void App::PipeMessage() {
  std::vector<int64_t> ids;
  if (tag_prefix_.armed()) {
    ids = tag_prefix_.Take(tags_, nullptr).ids;
  } else if (const int64_t id = CurrentId(); id != 0) {
    ids.push_back(id);
  }
  if (ids.empty()) return;
  std::optional<std::string> command = AskLine("Pipe to command: ", last_pipe_command_, {});
  if (!command || command->empty()) return;
  last_pipe_command_ = *command;
  // Several messages go one after the other, as mutt's $pipe_split unset does.
  std::string input;
  for (int64_t id : ids) {
    Result<std::string> raw = store_.Raw(id);
    if (!raw) return Report(raw.error());
    input += WithUnixLineEnds(*raw);
  }
  terminal_.Suspend();
  Result<int> status = shell_.Run(*command, input);
  terminal_.Resume();
  if (!status) return Report(status.error());
  if (*status != 0) message_line_ = fmt::format("Command returned status {}.", *status);
}

void App::ShellEscape() {
  std::optional<std::string> command = AskLine("Shell command: ", "", {});
  if (!command) return;
  // Nothing typed: an interactive shell, as mutt starts $SHELL; it needs no key after it.
  const bool interactive = command->find_first_not_of(" \t") == std::string::npos;
  terminal_.Suspend();
  Result<int> status = shell_.RunOnTerminal(interactive ? options_.shell : *command,
                                            interactive ? KeyWait::kOnFailure : KeyWait::kAlways);
  terminal_.Resume();
  if (!status) return Report(status.error());
  if (*status != 0) message_line_ = fmt::format("Command returned status {}.", *status);
}

std::optional<compose::EditableDraft> App::Signed(compose::EditableDraft draft,
                                                  const compose::Identity& identity) {
  Result<std::string> signature = compose::SignatureOf(identity, sys::ReadWholeFile);
  if (!signature) {
    Report(signature.error());
    return std::nullopt;
  }
  draft.body = compose::WithSignature(std::move(draft.body), *signature);
  return draft;
}

void App::Mail() {
  compose::EditableDraft draft;
  draft.from = identities_.Default().from;
  std::optional<compose::EditableDraft> with_signature =
      Signed(std::move(draft), identities_.Default());
  if (with_signature) Compose(std::move(*with_signature), ComposeStart{});
}

void App::Reply(Op op) {
  std::optional<Original> original = CurrentOriginal();
  if (!original) return;
  const message::Message& mail = original->mail;
  const compose::Identity& identity = identities_.ForReply(mail);
  compose::EditableDraft draft;
  if (op == Op::kGroupReply) {
    std::vector<message::Mailbox> own = identities_.OwnAddresses();
    own.push_back(options_.owner);
    draft = compose::GroupReplyDraft(mail, identity.from, own);
  } else if (op == Op::kListReply) {
    std::optional<compose::EditableDraft> to_list = compose::ListReplyDraft(mail, identity.from);
    if (!to_list) {
      message_line_ = "No mailing lists found!";
      return;
    }
    draft = std::move(*to_list);
  } else {
    draft = compose::ReplyDraft(mail, identity.from);
  }
  std::optional<compose::EditableDraft> with_signature = Signed(std::move(draft), identity);
  if (!with_signature) return;
  Compose(std::move(*with_signature), ComposeStart{MarkOnSend{original->id, store::kFlagAnswered}});
}

void App::Forward() {
  std::optional<Original> original = CurrentOriginal();
  if (!original) return;
  const compose::ForwardMode mode =
      options_.mime_forward ? compose::ForwardMode::kAttached : compose::ForwardMode::kInline;
  const compose::Identity& identity = identities_.ForReply(original->mail);
  std::optional<compose::EditableDraft> with_signature =
      Signed(compose::ForwardDraft(original->mail, identity.from, mode), identity);
  if (!with_signature) return;
  Compose(std::move(*with_signature),
          ComposeStart{MarkOnSend{original->id, store::kFlagForwarded}});
}

void App::Bounce() {
  std::optional<Original> original = CurrentOriginal();
  if (!original) return;
  std::optional<std::string> answer = AskLine("Bounce message to: ", "", {});
  if (!answer || answer->empty()) return;
  Result<std::vector<message::Mailbox>> to = compose::ParseBounceAddresses(*answer);
  if (!to) return Report(to.error());
  const std::string addresses = compose::EditorAddressList(*to);
  std::optional<bool> bounce = AskYesNo(fmt::format("Bounce message to {}?", addresses), true);
  if (!bounce || !*bounce) {
    message_line_ = "Message not bounced.";
    return;
  }
  Result<mta::submit::SubmitOutcome> sent =
      sender_.Bounce(original->mail.raw(), *to, options_.owner);
  Reload();  // a local recipient's copy may be in this folder
  if (!sent) return Report(sent.error());
  message_line_ = "Message bounced.";
}

void App::Compose(compose::EditableDraft draft, ComposeStart start) {
  bool edited_copy = false;  // the editor changed what the Drafts copy holds
  if (start.open_editor) {
    const std::string before = compose::DraftText(draft);
    std::optional<compose::EditableDraft> edited = EditDraft(before, draft, start.abort_unmodified);
    if (!edited) {
      if (start.drafts_copy) message_line_ = "Mail not sent; kept in Drafts.";
      return;
    }
    edited_copy = compose::DraftText(*edited) != before;
    draft = std::move(*edited);
  }
  // The Fcc of the identity whose From the draft has (the editor may have changed it).
  std::string fcc = FccOf(identities_, draft.from);
  ComposeModel model(std::move(draft), std::move(fcc));
  if (edited_copy) model.MarkChanged();
  const Screen return_to = screen_ == Screen::kCompose ? Screen::kIndex : screen_;
  composing_.emplace(Composing{std::move(model), start, return_to});
  screen_ = Screen::kCompose;
}

}  // namespace pigeon::mua::ui
