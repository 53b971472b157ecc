// App's mail and reply (see app.h): the draft opens in the editor with the screen handed over
// to it, comes back through the draft model (mua/compose/draft.h), and is sent after mutt's
// "Send message?" through the submitter. Nothing is written before that yes.
#include <fmt/format.h>

#include "mua/compose/reply_draft.h"
#include "mua/ui/app.h"

namespace pigeon::mua::ui {

void App::Mail() {
  compose::EditableDraft draft;
  draft.from = options_.identity;
  ComposeAndSend(std::move(draft), std::nullopt);
}

void App::Reply() {
  if (screen_ == Screen::kPager && message_ != nullptr) {
    return ComposeAndSend(compose::ReplyDraft(*message_, options_.identity), pager_summary_.id);
  }
  const store::MessageSummary* selected = index_->Selected();
  if (selected == nullptr) {
    message_line_ = "No messages.";
    return;
  }
  const int64_t id = selected->id;
  Result<std::string> raw = store_.Raw(id);
  if (!raw) return Report(raw.error());
  const message::Message original(std::move(*raw));
  ComposeAndSend(compose::ReplyDraft(original, options_.identity), id);
}

void App::ComposeAndSend(compose::EditableDraft draft, std::optional<int64_t> answered) {
  std::string text = compose::DraftText(draft);
  for (bool first_edit = true;; first_edit = false) {
    terminal_.Suspend();
    Result<bool> changed = editor_.Edit(text);
    terminal_.Resume();
    if (!changed) return Report(changed.error());
    // mutt's $abort_unmodified; a draft edited again is the user's already.
    if (!*changed && first_edit) {
      message_line_ = "Aborted unmodified message.";
      return;
    }
    Result<compose::EditableDraft> edited = compose::ParseDraftText(text, draft);
    Result<message::Draft> ready = edited ? compose::ToMessageDraft(*edited)
                                          : Result<message::Draft>(tl::unexpected(edited.error()));
    if (ready) return SendDraft(*ready, answered);
    // The draft is kept: a typo in an address should not cost the text written.
    std::optional<bool> again =
        AskYesNo(fmt::format("{} Edit again?", ready.error().message), true);
    if (!again || !*again) {
      message_line_ = "Mail not sent.";
      return;
    }
  }
}

void App::SendDraft(const message::Draft& draft, std::optional<int64_t> answered) {
  std::optional<bool> send = AskYesNo("Send message?", true);
  if (!send || !*send) {
    message_line_ = "Mail not sent.";
    return;
  }
  Result<mta::submit::SubmitOutcome> sent = sender_.Send(draft, answered);
  Reload();  // the copies in Sent and the INBOX, and the answered flag
  if (!sent) return Report(sent.error());
  message_line_ = "Mail sent.";
}

}  // namespace pigeon::mua::ui
