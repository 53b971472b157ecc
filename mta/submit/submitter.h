// The one way a locally written message enters the mail system (sendmail, `sendmail -bs`, the
// MUA): complete its header, resolve its recipients (local ones to store folders, the others
// to the outgoing queue), write everything in one durable transaction, then wake pigeond.
// When pigeond is not running the message simply waits in the queue: success is "durable",
// not "sent".
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/config/config.h"
#include "common/store/store.h"
#include "common/sys/clock.h"
#include "common/util/result.h"
#include "mta/policy/recipient_policy.h"
#include "mta/queue/queue_id.h"
#include "mta/submit/message_input.h"

namespace pigeon::mta::submit {

struct Submission {
  // Envelope sender: nullopt = the owner; "" = the null sender. Unqualified names get the
  // owner's domain.
  std::optional<std::string> envelope_sender;
  std::string full_name;                 // -F: the name in an added From
  std::vector<std::string> recipients;   // addresses or address lists, as on a command line
  bool recipients_from_headers = false;  // -t: To/Cc/Bcc (or Resent-*) added to `recipients`
  std::string origin = "sendmail";
  std::string notify, envid, dsn_ret;                      // RFC 3461, from -N, -V, -R
  std::vector<store::IncomingMessage::Copy> extra_copies;  // e.g. the MUA's copy in Sent
  std::string submitted_by;                                // for the Received field: "userid 1000"
  std::optional<std::string> queue_id;  // given (sendmail -bs named it already), else new
  // The queued recipients' first attempt (UTC seconds): undo send, send later.
  std::optional<int64_t> not_before;
};

struct SubmitOutcome {
  std::string queue_id;
  int local_copies = 0;
  std::vector<std::string> queued;  // remote recipients now in the queue
};

// Errors name the problem in one line; their codes say which exit status fits:
// kInvalidArgument (bad address, no recipients) → EX_DATAERR, kNotFound (no such local user)
// → EX_NOUSER, kBusy / kNoSpace → EX_TEMPFAIL, others → EX_IOERR / EX_SOFTWARE.
class Submitter {
 public:
  // Everything borrowed must outlive the Submitter. `wake` runs after a commit that queued
  // remote recipients (production: SendWakeup).
  Submitter(const config::Config& config, const policy::RecipientPolicy& policy,
            store::Store& store, const sys::Clock& clock, queue::QueueIdSource& queue_ids,
            std::function<void()> wake);

  Result<SubmitOutcome> Submit(MessageInput message, const Submission& submission);

 private:
  // "ada" → "ada@owner-domain"; a parsed addr-spec, or an error naming `text`.
  Result<std::string> Qualify(std::string_view text) const;
  Result<std::vector<std::string>> Recipients(const Submission& submission,
                                              const std::vector<std::string>& from_headers) const;

  const config::Config& config_;
  const policy::RecipientPolicy& policy_;
  store::Store& store_;
  const sys::Clock& clock_;
  queue::QueueIdSource& queue_ids_;
  std::function<void()> wake_;
};

}  // namespace pigeon::mta::submit
