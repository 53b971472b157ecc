// The outgoing queue in the store (schema migrations 3 and 5): messages waiting for delivery
// over SMTP, each recipient with its own state. Writers are Batch::Deliver (new messages),
// pigeond's queue manager (claims and outcomes) and the admin commands (hold, delete, …);
// readers are mailq and the MUA's outbox.
//
// A recipient moves queued/deferred → inflight (claimed for one attempt) → delivered, bounced
// or deferred. A message leaves the queue once every recipient is final; its body stays only
// while a folder copy still uses it. Inflight recipients of a daemon that died go back to
// queued at the next start (RecoverInflight): delivery is at-least-once.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/store/store.h"
#include "common/util/result.h"

namespace pigeon::store {

enum class RecipientState { kQueued, kInflight, kDeferred, kDelivered, kBounced };

std::string_view RecipientStateName(RecipientState state);  // "queued", "inflight", …
bool IsFinal(RecipientState state);                         // delivered or bounced

struct QueuedRecipient {
  int64_t id = 0;
  std::string address;
  RecipientState state = RecipientState::kQueued;
  int attempts = 0;
  int64_t next_attempt = 0;  // UTC seconds
  std::string last_reply;    // the last remote reply or local reason, "" before any attempt
  int64_t updated = 0;
  std::string original;  // ORCPT, "" when the same as address
  std::string notify;    // RFC 3461 NOTIFY ("NEVER", "SUCCESS,FAILURE"…), "" = default
};

struct QueuedMessage {
  int64_t row = 0;
  std::string queue_id;
  int64_t body_id = 0;
  std::string sender;  // "" = the null sender
  int64_t arrived = 0;
  int64_t size = 0;
  bool eight_bit = false;
  bool smtputf8 = false;
  bool held = false;
  bool delay_warned = false;
  std::string origin;
  std::string envid;
  std::string dsn_ret;  // "FULL", "HDRS" or ""
  std::vector<QueuedRecipient> recipients;
};

// A recipient's outcome after an attempt.
struct RecipientUpdate {
  int64_t recipient_id = 0;
  RecipientState state = RecipientState::kDeferred;
  std::string reply;
  int64_t next_attempt = 0;  // for kDeferred and kQueued
};

// What PullBack took out of the queue.
struct PulledBack {
  std::string raw;             // the message as queued (its Received field first)
  int64_t removed_copies = 0;  // folder copies with its Message-ID (Sent, local recipients)
  int64_t kept_id = 0;         // its copy in `keep_in`, when one was asked for
};

// `raw` without the trace fields (Return-Path, Received) in front of its header.
std::string_view WithoutTraceFields(std::string_view raw);

class OutgoingQueue {
 public:
  // `store` must outlive the queue; its connection is used for every call.
  explicit OutgoingQueue(Store& store) : store_(store) {}

  // Every message in the queue, oldest first, with all its recipients.
  Result<std::vector<QueuedMessage>> List();
  Result<std::optional<QueuedMessage>> Find(std::string_view queue_id);

  // Claims up to `limit` recipients due at `now` (queued or deferred, next attempt reached,
  // message not held) for one attempt: they become inflight, their attempts count grows. The
  // messages come back with only their claimed recipients.
  Result<std::vector<QueuedMessage>> ClaimDue(int64_t now, int limit);
  // Writes the outcomes of attempts and removes messages whose recipients are all final; in
  // the same transaction delivers `notices` (the bounces and delay warnings those outcomes
  // call for), so a crash can lose neither. Returns the queue ids of the messages removed.
  Result<std::vector<std::string>> Record(std::span<const RecipientUpdate> updates, int64_t now,
                                          std::span<const IncomingMessage> notices = {});
  // After a crash: inflight recipients become queued again. Returns how many.
  Result<int64_t> RecoverInflight();
  // The earliest next attempt among waiting recipients of messages not held.
  Result<std::optional<int64_t>> NextDue();
  Result<void> MarkDelayWarned(int64_t message_row);

  // Administration by queue id; false when there is no such message.
  Result<bool> Hold(std::string_view queue_id, bool held);
  Result<int64_t> HoldAll(bool held);  // returns how many messages changed
  Result<bool> Remove(std::string_view queue_id);
  // The waiting recipients of `queue_id` get their next attempt at `not_before` (UTC seconds):
  // undo send and send later hold a new message so. Runs in the caller's transaction (the
  // submitter's batch) when there is one. Returns how many recipients changed.
  Result<int64_t> Schedule(std::string_view queue_id, int64_t not_before);
  // Takes a message back before anyone has it (undo send, an outbox cancel): in one
  // transaction removes it from the queue together with its folder copies (its Sent copy and
  // local recipients' copies: the messages sharing its Message-ID). Refused (kInvalidArgument,
  // "too late") once a recipient was delivered or is being delivered; nullopt when there is
  // no such message. With `keep_in` (a folder id: Drafts), the message, without its trace
  // fields, is stored there in the same durable transaction, flagged draft and seen: nothing
  // taken back is lost to a crash.
  Result<std::optional<PulledBack>> PullBack(std::string_view queue_id,
                                             std::optional<int64_t> keep_in = std::nullopt);
  // Waiting recipients of one message (or of all, for "") are due at `now`; returns how many.
  Result<int64_t> Requeue(std::string_view queue_id, int64_t now);

  // The message's bytes as queued.
  Result<std::string> Body(int64_t body_id);

 private:
  Result<std::vector<QueuedMessage>> Messages(std::string_view where, std::span<const SqlParam>);
  Result<std::vector<std::string>> RemoveFinished(int64_t message_row);

  Store& store_;
};

}  // namespace pigeon::store
