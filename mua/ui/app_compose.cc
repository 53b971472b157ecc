// App's mail, replies, forward and bounce (see app.h): a draft opens in the editor with the
// screen handed over to it, comes back through the draft model (mua/compose/draft.h), and is
// sent after mutt's "Send message?" through the submitter; a bounce is sent after its own
// question. Nothing is written before that yes.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "common/store/schema.h"
#include "mua/compose/bounce.h"
#include "mua/compose/forward_draft.h"
#include "mua/compose/reply_draft.h"
#include "mua/compose/send_time.h"
#include "mua/ui/app.h"
#include "mua/ui/yes_no.h"

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

std::optional<compose::EditableDraft> App::Signed(compose::EditableDraft draft,
                                                  const compose::Identity& identity) {
  const auto read_file = [](const std::string& path) -> Result<std::string> {
    std::ifstream file(path, std::ios::binary);
    if (!file) return MakeError(ErrorCode::kIo, std::strerror(errno));
    return std::string(std::istreambuf_iterator<char>(file), {});
  };
  Result<std::string> signature = compose::SignatureOf(identity, read_file);
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
  if (with_signature) ComposeAndSend(std::move(*with_signature), std::nullopt);
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
  ComposeAndSend(std::move(*with_signature), MarkOnSend{original->id, store::kFlagAnswered});
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
  ComposeAndSend(std::move(*with_signature), MarkOnSend{original->id, store::kFlagForwarded});
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

void App::ComposeAndSend(compose::EditableDraft draft, std::optional<MarkOnSend> mark,
                         std::optional<Reopened> reopened) {
  std::string text = reopened ? reopened->text : compose::DraftText(draft);
  std::optional<message::Draft> last_good;  // the last edit that could be read
  const auto not_sent = [&] {
    message_line_ = "Mail not sent.";
    if (!reopened) return;
    SettleDraft(*reopened, text != reopened->text ? last_good : std::nullopt, false);
    if (message_line_ == "Mail not sent.") message_line_ = "Mail not sent; kept in Drafts.";
  };
  for (bool first_edit = true;; first_edit = false) {
    terminal_.Suspend();
    Result<bool> changed = editor_.Edit(text);
    terminal_.Resume();
    if (!changed) {
      Report(changed.error());
      return;  // a reopened message stays in Drafts as it was
    }
    // mutt's $abort_unmodified; a draft edited again is the user's already.
    if (!*changed && first_edit && !reopened) {
      message_line_ = "Aborted unmodified message.";
      return;
    }
    Result<compose::EditableDraft> edited = compose::ParseDraftText(text, draft);
    Result<message::Draft> ready = edited ? compose::ToMessageDraft(*edited)
                                          : Result<message::Draft>(tl::unexpected(edited.error()));
    if (ready) {
      last_good = *ready;
      const SendOutcome outcome = SendDraft(*ready, mark, text);
      if (outcome == SendOutcome::kEditAgain) continue;
      if (outcome == SendOutcome::kNotSent) not_sent();
      if (outcome == SendOutcome::kSent && reopened) SettleDraft(*reopened, std::nullopt, true);
      return;
    }
    // The draft is kept: a typo in an address should not cost the text written.
    std::optional<bool> again =
        AskYesNo(fmt::format("{} Edit again?", ready.error().message), true);
    if (!again || !*again) return not_sent();
  }
}

void App::SettleDraft(const Reopened& reopened, const std::optional<message::Draft>& edited,
                      bool sent) {
  if (!sent && !edited) return;  // the copy kept in Drafts is the text
  if (edited) {
    if (Result<void> kept = sender_.SaveDraft(*edited); !kept) return Report(kept.error());
  }
  // Deleting twice removes it for good (the first time moves it to Trash).
  const int64_t id = reopened.draft_id;
  for (int pass = 0; pass < 2; ++pass) {
    if (Result<void> gone = store_.Delete({&id, 1}); !gone) return Report(gone.error());
  }
  Reload();
}

App::SendOutcome App::SendDraft(const message::Draft& draft, std::optional<MarkOnSend> mark,
                                const std::string& text) {
  // mutt's question, with "later" for a chosen time.
  prompt_ = "Send message? ([yes]/no/later): ";
  std::optional<Answer> answer;
  for (;;) {
    std::optional<Key> key = PromptKey();
    if (!key) break;
    if (*key == 'l' || *key == 'L') {
      answer = Answer::kPending;  // later
      break;
    }
    const Answer said = AnswerFor(*key, true);
    if (said == Answer::kPending) continue;
    answer = said;
    break;
  }
  prompt_.clear();
  if (!answer || *answer == Answer::kNo || *answer == Answer::kCancelled) {
    return SendOutcome::kNotSent;
  }
  const int64_t now = clock_.NowUtcSeconds();
  std::optional<int64_t> not_before;
  if (*answer == Answer::kPending) {
    std::optional<std::string> when = AskLine("Send at: ", "", {});
    if (!when || when->empty()) return SendOutcome::kNotSent;
    Result<int64_t> parsed = compose::ParseSendTime(*when, clock_);
    if (!parsed) {
      std::optional<bool> again =
          AskYesNo(fmt::format("{} Edit again?", parsed.error().message), true);
      return again && *again ? SendOutcome::kEditAgain : SendOutcome::kNotSent;
    }
    not_before = *parsed;
  } else if (options_.undo_send_delay.count() > 0) {
    not_before = now + options_.undo_send_delay.count();
  }
  // The Fcc of the identity whose From the draft has (the editor may have changed it).
  Result<mta::submit::SubmitOutcome> sent =
      sender_.Send(draft, identities_.ForFrom(draft.from).fcc, not_before);
  if (!sent) {
    // Nothing was written: the same draft can be mended and sent again.
    std::optional<bool> again = AskYesNo(fmt::format("{} Edit again?", sent.error().message), true);
    return again && *again ? SendOutcome::kEditAgain : SendOutcome::kNotSent;
  }
  Result<void> marked = mark ? sender_.MarkOriginal(mark->id, mark->flag) : Result<void>();
  Reload();  // the copies in Sent and the INBOX, and the original's flag
  if (!marked) {
    Report(marked.error());
    return SendOutcome::kSent;
  }
  if (*answer == Answer::kPending) {
    message_line_ =
        fmt::format("Mail scheduled for {}.", compose::FormatLocalTime(*not_before, now, clock_));
    return SendOutcome::kSent;
  }
  if (!not_before || sent->queued.empty()) {  // only local copies: nothing waits to go out
    message_line_ = "Mail sent.";
    return SendOutcome::kSent;
  }
  last_sent_ = LastSent{sent->queue_id, *not_before, text, mark};
  const std::vector<Key> undo = options_.index_keys.KeysFor(Op::kUndoSend);
  message_line_ = undo.empty()
                      ? std::string("Mail sent.")
                      : fmt::format("Mail sent. Press {} to undo ({} s).", KeyName(undo.front()),
                                    options_.undo_send_delay.count());
  return SendOutcome::kSent;
}

}  // namespace pigeon::mua::ui
