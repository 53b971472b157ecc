// Sending a composed message: built into MIME (message/builder.h), then handed to the
// submitter, the one way mail enters the system (mta/submit/submitter.h), which delivers the
// local recipients' copies, queues the others for pigeond and stores a read copy in Sent, all
// in one durable transaction. A reply's original is then marked answered, a forward's
// forwarded. A bounce hands the original itself over, with its Resent- block (bounce.h), to
// the recipients typed, and keeps no copy in Sent (as mutt).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/message/address.h"
#include "common/message/builder.h"
#include "common/store/store.h"
#include "common/sys/clock.h"
#include "common/util/result.h"
#include "mta/submit/submitter.h"

namespace pigeon::mua::compose {

struct SenderIdentity {
  std::string message_id_domain;  // right side of new Message-IDs: the owner's domain
  std::string submitted_by;       // for the Received field: "userid 1000"
};

class MailSender {
 public:
  // Borrows `submitter` and `store` (the one the submitter writes) and `clock`: they must
  // outlive the MailSender. `random` makes MIME boundaries and Message-IDs unique.
  MailSender(mta::submit::Submitter& submitter, store::Store& store, const sys::Clock& clock,
             std::function<uint64_t()> random, SenderIdentity identity);

  // Sends `draft`; recipients come from its To, Cc and Bcc. Its read copy goes to the folder
  // `fcc` (created when missing), or to the Sent folder for "". With `not_before` (UTC
  // seconds) the queued recipients wait until then (undo send, send later). Errors: the
  // submitter's (bad or unknown recipient, store busy or full); nothing is written then.
  Result<mta::submit::SubmitOutcome> Send(const message::Draft& draft, std::string_view fcc = "",
                                          std::optional<int64_t> not_before = std::nullopt);

  // Keeps `draft` in the Drafts folder (flagged draft and seen): a message taken back or not
  // sent. Errors: the store's.
  Result<void> SaveDraft(const message::Draft& draft);
  // The same for a message as it was queued: its trace fields (Return-Path, Received), which
  // the submitter put in front, are left out.
  Result<void> SaveRawDraft(std::string_view raw);

  // Sets `flag` (store::kFlagAnswered, kFlagForwarded) on the message a sent reply or forward
  // came from; called once the send is durable. Errors: the store's.
  Result<void> MarkOriginal(int64_t id, int flag);

  // Resends `original_raw` (as stored; bare LFs are sent as CRLF) to exactly `to`, the
  // Resent- block naming `resent_from`. Errors: the submitter's, as for Send.
  Result<mta::submit::SubmitOutcome> Bounce(std::string_view original_raw,
                                            const std::vector<message::Mailbox>& to,
                                            const message::Mailbox& resent_from);

 private:
  // Now, the owner's domain and the random source, for a Date and a Message-ID.
  message::BuildContext Context() const;

  mta::submit::Submitter& submitter_;
  store::Store& store_;
  const sys::Clock& clock_;
  std::function<uint64_t()> random_;
  SenderIdentity identity_;
};

}  // namespace pigeon::mua::compose
