// Sending a composed message: built into MIME (message/builder.h), then handed to the
// submitter, the one way mail enters the system (mta/submit/submitter.h), which delivers the
// local recipients' copies, queues the others for pigeond and stores a read copy in Sent, all
// in one durable transaction. A reply's original is then marked answered.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

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

  // Sends `draft`; recipients come from its To, Cc and Bcc. `answered`: the message replied
  // to, flagged answered once the reply is durable. Errors: the submitter's (bad or unknown
  // recipient, store busy or full), or the store's when setting the flag failed.
  Result<mta::submit::SubmitOutcome> Send(const message::Draft& draft,
                                          std::optional<int64_t> answered);

 private:
  mta::submit::Submitter& submitter_;
  store::Store& store_;
  const sys::Clock& clock_;
  std::function<uint64_t()> random_;
  SenderIdentity identity_;
};

}  // namespace pigeon::mua::compose
