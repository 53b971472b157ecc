#include "mta/queue/queue_listing.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>

namespace pigeon::mta::queue {
namespace {

constexpr size_t kRecipientColumn = 46;

// "Sun Nov 29 08:36:28", as Postfix's mailq prints arrival times.
std::string ArrivalTime(int64_t utc_seconds, int zone_offset_minutes) {
  const time_t local = static_cast<time_t>(utc_seconds + int64_t{zone_offset_minutes} * 60);
  std::tm parts{};
  gmtime_r(&local, &parts);
  char text[32];
  std::strftime(text, sizeof(text), "%a %b %e %H:%M:%S", &parts);
  return text;
}

char Mark(const store::QueuedMessage& message) {
  if (message.held) return '!';
  const bool active =
      std::any_of(message.recipients.begin(), message.recipients.end(),
                  [](const auto& r) { return r.state == store::RecipientState::kInflight; });
  return active ? '*' : ' ';
}

// Replies come from remote servers: keep the listing one line per reply and printable.
std::string Printable(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(byte < 0x20 || byte == 0x7f ? ' ' : c);
  }
  return out;
}

}  // namespace

std::string FormatQueueListing(const std::vector<store::QueuedMessage>& messages,
                               int zone_offset_minutes) {
  if (messages.empty()) return "Mail queue is empty\n";
  std::string out = "-Queue ID-     --Size-- ----Arrival Time----  -Sender/Recipient-------\n";
  int64_t total_size = 0;
  for (const store::QueuedMessage& message : messages) {
    total_size += message.size;
    out += fmt::format("{:<14}{}{:>8} {:<20}  {}\n", message.queue_id, Mark(message), message.size,
                       ArrivalTime(message.arrived, zone_offset_minutes),
                       message.sender.empty() ? "MAILER-DAEMON" : message.sender);
    std::string last_reason;
    for (const store::QueuedRecipient& recipient : message.recipients) {
      const bool waiting = recipient.state == store::RecipientState::kDeferred ||
                           recipient.state == store::RecipientState::kQueued;
      if (waiting && !recipient.last_reply.empty() && recipient.last_reply != last_reason) {
        // Right-aligned to column 78, as Postfix's showq prints deferral reasons.
        const std::string reason = Printable(recipient.last_reply);
        out += fmt::format("{:{}}({})\n", "", reason.size() < 76 ? 76 - reason.size() : 0, reason);
        last_reason = recipient.last_reply;
      }
      std::string state;
      if (!waiting) state = fmt::format(" [{}]", store::RecipientStateName(recipient.state));
      out += fmt::format("{:{}}{}{}\n", "", kRecipientColumn, Printable(recipient.address), state);
    }
    out += "\n";
  }
  const size_t count = messages.size();
  out += fmt::format("-- {} Kbytes in {} Request{}.\n", (total_size + 1023) / 1024, count,
                     count == 1 ? "" : "s");
  return out;
}

}  // namespace pigeon::mta::queue
