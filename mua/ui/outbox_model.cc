// See outbox_model.h.
#include "mua/ui/outbox_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "mua/compose/send_time.h"

namespace pigeon::mua::ui {
namespace {

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

// Waiting and never tried, its first attempt still ahead: held for undo send or send later.
bool IsScheduled(const store::QueuedRecipient& recipient, int64_t now) {
  return recipient.state == store::RecipientState::kQueued && recipient.attempts == 0 &&
         recipient.next_attempt > now;
}

OutboxRecipient RecipientRow(const store::QueuedRecipient& recipient, const sys::Clock& clock) {
  const int64_t now = clock.NowUtcSeconds();
  OutboxRecipient row;
  row.address = recipient.address;
  switch (recipient.state) {
    case store::RecipientState::kInflight:
      row.state = OutboxState::kSending;
      break;
    case store::RecipientState::kDelivered:
      row.state = OutboxState::kDelivered;
      row.detail = recipient.last_reply;
      break;
    case store::RecipientState::kBounced:
      row.state = OutboxState::kBounced;
      row.detail = recipient.last_reply;
      break;
    case store::RecipientState::kDeferred:
      row.state = OutboxState::kDeferred;
      row.detail = fmt::format("{}; next try {}", recipient.last_reply,
                               compose::FormatLocalTime(recipient.next_attempt, now, clock));
      break;
    case store::RecipientState::kQueued:
      if (IsScheduled(recipient, now)) {
        row.state = OutboxState::kScheduled;
        row.detail = "at " + compose::FormatLocalTime(recipient.next_attempt, now, clock);
      } else {
        row.state = OutboxState::kQueued;
        row.detail = recipient.last_reply;
      }
      break;
  }
  return row;
}

}  // namespace

std::string_view OutboxStateName(OutboxState state) {
  static constexpr std::array<std::string_view, 6> kNames = {"sending", "deferred", "scheduled",
                                                             "queued",  "bounced",  "delivered"};
  return kNames[static_cast<size_t>(state)];
}

bool IsOwnersMessage(const store::QueuedMessage& message, std::string_view owner_address) {
  if (message.origin == "pigeon") return true;
  if (message.origin != "sendmail" && message.origin != "submission") return false;
  return !message.sender.empty() && Lower(message.sender) == Lower(owner_address);
}

std::vector<OutboxEntry> BuildOutbox(const std::vector<store::QueuedMessage>& queued,
                                     std::string_view owner_address,
                                     const std::function<std::string(int64_t)>& subject_of,
                                     const sys::Clock& clock) {
  std::vector<OutboxEntry> entries;
  for (const store::QueuedMessage& message : queued) {
    if (!IsOwnersMessage(message, owner_address)) continue;
    OutboxEntry& entry = entries.emplace_back();
    entry.queue_id = message.queue_id;
    entry.arrived = message.arrived;
    entry.subject = subject_of(message.body_id);
    entry.state = OutboxState::kDelivered;  // lowered by the first recipient still waiting
    for (const store::QueuedRecipient& recipient : message.recipients) {
      OutboxRecipient row = RecipientRow(recipient, clock);
      // The enumeration lists the states most pressing first.
      entry.state = std::min(entry.state, row.state);
      if (row.state == OutboxState::kScheduled &&
          (entry.scheduled_for == 0 || recipient.next_attempt < entry.scheduled_for)) {
        entry.scheduled_for = recipient.next_attempt;
      }
      entry.recipients.push_back(std::move(row));
    }
  }
  // List() is oldest first; a stable reverse keeps equal times in reverse queue order too.
  std::stable_sort(entries.begin(), entries.end(), [](const OutboxEntry& a, const OutboxEntry& b) {
    return a.arrived > b.arrived;
  });
  return entries;
}

std::string OutboxLine(const OutboxEntry& entry, const sys::Clock& clock) {
  const int64_t now = clock.NowUtcSeconds();
  std::string to = entry.recipients.empty() ? std::string() : entry.recipients.front().address;
  if (entry.recipients.size() > 1) to += fmt::format(" +{}", entry.recipients.size() - 1);
  std::string state(OutboxStateName(entry.state));
  if (entry.state == OutboxState::kScheduled) {
    state += " " + compose::FormatLocalTime(entry.scheduled_for, now, clock);
  }
  return fmt::format("{:<16} {:<30} {:<12} {}", compose::FormatLocalTime(entry.arrived, now, clock),
                     to, "[" + state + "]", entry.subject);
}

std::string OutboxRecipientLine(const OutboxRecipient& recipient) {
  std::string line =
      fmt::format("    {:<30} {:<10}", recipient.address, OutboxStateName(recipient.state));
  if (!recipient.detail.empty()) line += " " + recipient.detail;
  return line;
}

}  // namespace pigeon::mua::ui
