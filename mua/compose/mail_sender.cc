// See mail_sender.h.
#include "mua/compose/mail_sender.h"

#include <fmt/format.h>

#include "common/message/date.h"
#include "common/store/outgoing_queue.h"
#include "common/store/schema.h"
#include "mta/submit/message_input.h"
#include "mua/compose/bounce.h"

namespace pigeon::mua::compose {

MailSender::MailSender(mta::submit::Submitter& submitter, store::Store& store,
                       const sys::Clock& clock, std::function<uint64_t()> random,
                       SenderIdentity identity)
    : submitter_(submitter),
      store_(store),
      clock_(clock),
      random_(std::move(random)),
      identity_(std::move(identity)) {}

message::BuildContext MailSender::Context() const {
  message::BuildContext context;
  context.now_utc_seconds = clock_.NowUtcSeconds();
  context.zone_offset_minutes = clock_.LocalOffsetMinutes(context.now_utc_seconds);
  context.message_id_domain = identity_.message_id_domain;
  context.random = random_;
  return context;
}

Result<mta::submit::SubmitOutcome> MailSender::Send(const message::Draft& draft,
                                                    std::string_view fcc,
                                                    std::optional<int64_t> not_before) {
  Result<store::FolderInfo> sent = store_.FolderByRole("sent");
  if (!fcc.empty()) {
    sent = store_.FindFolder(fcc);
    if (!sent && sent.error().code == ErrorCode::kNotFound) sent = store_.CreateFolder(fcc);
  }
  if (!sent) return tl::unexpected(sent.error());

  mta::submit::MessageInput input;
  input.raw = message::BuildMessage(draft, Context());
  input.eight_bit = mta::submit::HasEightBit(input.raw);

  mta::submit::Submission submission;
  submission.recipients_from_headers = true;  // To, Cc, Bcc; the submitter drops Bcc
  submission.full_name = draft.from.name;
  submission.origin = "pigeon";
  submission.submitted_by = identity_.submitted_by;
  submission.extra_copies.push_back(store::IncomingMessage::Copy{sent->id, {}, store::kFlagSeen});
  submission.not_before = not_before;
  return submitter_.Submit(std::move(input), submission);
}

Result<void> MailSender::SaveDraft(const message::Draft& draft) {
  return SaveRawDraft(message::BuildMessage(draft, Context()));
}

Result<void> MailSender::SaveRawDraft(std::string_view raw) {
  raw = store::WithoutTraceFields(raw);
  Result<store::FolderInfo> drafts = store_.FolderByRole("drafts");
  if (!drafts) return tl::unexpected(drafts.error());
  store::InsertOptions options;
  options.flags = store::kFlagDraft | store::kFlagSeen;
  Result<store::InsertResult> saved = store_.Insert(drafts->id, raw, options, true);
  if (!saved) return tl::unexpected(saved.error());
  return {};
}

Result<void> MailSender::MarkOriginal(int64_t id, int flag) {
  if (Result<void> flagged = store_.SetFlags({&id, 1}, flag, 0); !flagged) {
    return MakeError(flagged.error().code,
                     fmt::format("Mail sent, but not marked {}: {}",
                                 flag == store::kFlagForwarded ? "forwarded" : "answered",
                                 flagged.error().message));
  }
  return {};
}

Result<mta::submit::SubmitOutcome> MailSender::Bounce(std::string_view original_raw,
                                                      const std::vector<message::Mailbox>& to,
                                                      const message::Mailbox& resent_from) {
  const message::BuildContext context = Context();
  ResentFields resent;
  resent.from = resent_from;
  resent.to = to;
  resent.date = message::FormatRfc5322Date(context.now_utc_seconds, context.zone_offset_minutes);
  resent.message_id = message::MakeMessageId(context);
  mta::submit::MessageInput input;
  input.raw = BouncedMessage(original_raw, resent);
  input.eight_bit = mta::submit::HasEightBit(input.raw);

  mta::submit::Submission submission;
  for (const message::Mailbox& mailbox : to) submission.recipients.push_back(mailbox.AddrSpec());
  submission.full_name = resent_from.name;
  submission.origin = "pigeon";
  submission.submitted_by = identity_.submitted_by;
  return submitter_.Submit(std::move(input), submission);
}

}  // namespace pigeon::mua::compose
