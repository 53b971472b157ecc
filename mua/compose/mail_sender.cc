// See mail_sender.h.
#include "mua/compose/mail_sender.h"

#include "common/store/schema.h"
#include "mta/submit/message_input.h"

namespace pigeon::mua::compose {

MailSender::MailSender(mta::submit::Submitter& submitter, store::Store& store,
                       const sys::Clock& clock, std::function<uint64_t()> random,
                       SenderIdentity identity)
    : submitter_(submitter),
      store_(store),
      clock_(clock),
      random_(std::move(random)),
      identity_(std::move(identity)) {}

Result<mta::submit::SubmitOutcome> MailSender::Send(const message::Draft& draft,
                                                    std::optional<int64_t> answered) {
  Result<store::FolderInfo> sent = store_.FolderByRole("sent");
  if (!sent) return tl::unexpected(sent.error());

  message::BuildContext context;
  context.now_utc_seconds = clock_.NowUtcSeconds();
  context.zone_offset_minutes = clock_.LocalOffsetMinutes(context.now_utc_seconds);
  context.message_id_domain = identity_.message_id_domain;
  context.random = random_;
  mta::submit::MessageInput input;
  input.raw = message::BuildMessage(draft, context);
  input.eight_bit = mta::submit::HasEightBit(input.raw);

  mta::submit::Submission submission;
  submission.recipients_from_headers = true;  // To, Cc, Bcc; the submitter drops Bcc
  submission.full_name = draft.from.name;
  submission.origin = "pigeon";
  submission.submitted_by = identity_.submitted_by;
  submission.extra_copies.push_back(store::IncomingMessage::Copy{sent->id, {}, store::kFlagSeen});
  Result<mta::submit::SubmitOutcome> outcome = submitter_.Submit(std::move(input), submission);
  if (!outcome || !answered) return outcome;

  const int64_t id = *answered;
  if (Result<void> flagged = store_.SetFlags({&id, 1}, store::kFlagAnswered, 0); !flagged) {
    return MakeError(flagged.error().code,
                     "Mail sent, but not marked answered: " + flagged.error().message);
  }
  return outcome;
}

}  // namespace pigeon::mua::compose
