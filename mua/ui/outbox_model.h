// The outbox screen's rows (no curses here): the owner's messages still in the outgoing queue,
// newest first, each with an overall state and a line per recipient. Built from
// OutgoingQueue::List(); messages others relayed through pigeond (origin "smtp", or another
// sender) are left out.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/store/outgoing_queue.h"
#include "common/sys/clock.h"

namespace pigeon::mua::ui {

// A message's state in one word, the most pressing of its recipients' first.
enum class OutboxState { kSending, kDeferred, kScheduled, kQueued, kBounced, kDelivered };
std::string_view OutboxStateName(OutboxState state);  // "sending", "deferred", …

struct OutboxRecipient {
  std::string address;
  OutboxState state = OutboxState::kQueued;
  std::string detail;  // "451 4.7.1 later; next try Tue 23:30", "scheduled for …", the bounce
};

struct OutboxEntry {
  std::string queue_id;
  int64_t arrived = 0;
  std::string subject;
  OutboxState state = OutboxState::kQueued;
  int64_t scheduled_for = 0;  // the first attempt of a scheduled message
  std::vector<OutboxRecipient> recipients;
};

// True for a message the owner sent (from the reader, sendmail or authenticated submission
// with the owner as envelope sender).
bool IsOwnersMessage(const store::QueuedMessage& message, std::string_view owner_address);

// The owner's messages of `queued`, newest first. `subject_of` reads a body's Subject.
std::vector<OutboxEntry> BuildOutbox(const std::vector<store::QueuedMessage>& queued,
                                     std::string_view owner_address,
                                     const std::function<std::string(int64_t)>& subject_of,
                                     const sys::Clock& clock);

// "Tue 23:13  bob@example.org +2  Hello there  [deferred]" fitted to nothing (the caller fits).
std::string OutboxLine(const OutboxEntry& entry, const sys::Clock& clock);
// "  bob@example.org  deferred  451 later; next try Tue 23:30".
std::string OutboxRecipientLine(const OutboxRecipient& recipient);

}  // namespace pigeon::mua::ui
