#include "mua/ui/outbox_model.h"

#include <gtest/gtest.h>

namespace pigeon::mua::ui {
namespace {

using store::QueuedMessage;
using store::QueuedRecipient;
using store::RecipientState;

constexpr int64_t kNow = 1'700'000'000;  // Tue 22:13 UTC

QueuedRecipient Recipient(std::string address, RecipientState state, int attempts,
                          int64_t next_attempt, std::string reply = "") {
  QueuedRecipient recipient;
  recipient.address = std::move(address);
  recipient.state = state;
  recipient.attempts = attempts;
  recipient.next_attempt = next_attempt;
  recipient.last_reply = std::move(reply);
  return recipient;
}

QueuedMessage Message(std::string queue_id, int64_t arrived, std::string origin, std::string sender,
                      std::vector<QueuedRecipient> recipients) {
  QueuedMessage message;
  message.queue_id = std::move(queue_id);
  message.body_id = arrived;  // the fake subject_of names it
  message.arrived = arrived;
  message.origin = std::move(origin);
  message.sender = std::move(sender);
  message.recipients = std::move(recipients);
  return message;
}

std::string SubjectOf(int64_t body_id) { return "subject " + std::to_string(body_id); }

TEST(OutboxModel, OnlyTheOwnersMessagesNewestFirst) {
  const sys::FixedClock clock(kNow);
  const std::vector<QueuedMessage> queued = {
      Message("A", kNow - 300, "pigeon", "ada@example.org",
              {Recipient("bob@remote.test", RecipientState::kQueued, 0, kNow - 300)}),
      Message("RELAYED", kNow - 200, "smtp", "eve@elsewhere.test",
              {Recipient("x@remote.test", RecipientState::kQueued, 0, kNow)}),
      Message("BOUNCE", kNow - 150, "pigeond", "",
              {Recipient("eve@elsewhere.test", RecipientState::kQueued, 0, kNow)}),
      Message("SENDMAIL", kNow - 100, "sendmail", "ADA@example.org",
              {Recipient("cy@remote.test", RecipientState::kQueued, 0, kNow)}),
      Message("OTHER-USER", kNow - 50, "sendmail", "root@example.org",
              {Recipient("cy@remote.test", RecipientState::kQueued, 0, kNow)}),
  };
  const std::vector<OutboxEntry> outbox = BuildOutbox(queued, "ada@example.org", SubjectOf, clock);
  ASSERT_EQ(outbox.size(), 2u);
  EXPECT_EQ(outbox[0].queue_id, "SENDMAIL");
  EXPECT_EQ(outbox[1].queue_id, "A");
  EXPECT_EQ(outbox[1].subject, "subject " + std::to_string(kNow - 300));
}

TEST(OutboxModel, StateSummaries) {
  const sys::FixedClock clock(kNow);
  struct Case {
    std::string_view name;
    std::vector<QueuedRecipient> recipients;
    OutboxState want;
  } cases[] = {
      {"held for undo send",
       {Recipient("a@r.test", RecipientState::kQueued, 0, kNow + 10)},
       OutboxState::kScheduled},
      {"due now", {Recipient("a@r.test", RecipientState::kQueued, 0, kNow)}, OutboxState::kQueued},
      {"one deferred, one delivered",
       {Recipient("a@r.test", RecipientState::kDelivered, 1, 0, "250 ok"),
        Recipient("b@r.test", RecipientState::kDeferred, 2, kNow + 600, "451 later")},
       OutboxState::kDeferred},
      {"sending beats deferred",
       {Recipient("a@r.test", RecipientState::kDeferred, 1, kNow + 600, "451 later"),
        Recipient("b@r.test", RecipientState::kInflight, 1, kNow)},
       OutboxState::kSending},
      {"requeued after a deferral is queued, not scheduled",
       {Recipient("a@r.test", RecipientState::kQueued, 1, kNow + 5, "451 later")},
       OutboxState::kQueued},
  };
  for (const Case& c : cases) {
    const std::vector<OutboxEntry> outbox =
        BuildOutbox({Message("Q", kNow, "pigeon", "ada@example.org", c.recipients)},
                    "ada@example.org", SubjectOf, clock);
    ASSERT_EQ(outbox.size(), 1u) << c.name;
    EXPECT_EQ(outbox[0].state, c.want) << c.name;
  }
}

TEST(OutboxModel, RecipientDetailsAndLines) {
  const sys::FixedClock clock(kNow);
  const std::vector<OutboxEntry> outbox = BuildOutbox(
      {Message("Q", kNow, "pigeon", "ada@example.org",
               {Recipient("a@r.test", RecipientState::kDelivered, 1, 0, "250 2.0.0 ok"),
                Recipient("b@r.test", RecipientState::kDeferred, 2, kNow + 3600,
                          "451 4.4.1 connection refused"),
                Recipient("c@r.test", RecipientState::kBounced, 1, 0, "550 5.1.1 no such user"),
                Recipient("d@r.test", RecipientState::kQueued, 0, kNow + 60)})},
      "ada@example.org", SubjectOf, clock);
  ASSERT_EQ(outbox.size(), 1u);
  const std::vector<OutboxRecipient>& r = outbox[0].recipients;
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].state, OutboxState::kDelivered);
  EXPECT_EQ(r[1].state, OutboxState::kDeferred);
  EXPECT_EQ(r[1].detail, "451 4.4.1 connection refused; next try Tue 23:13");
  EXPECT_EQ(r[2].state, OutboxState::kBounced);
  EXPECT_EQ(r[2].detail, "550 5.1.1 no such user");
  EXPECT_EQ(r[3].state, OutboxState::kScheduled);
  EXPECT_EQ(r[3].detail, "at Tue 22:14");
  EXPECT_EQ(outbox[0].scheduled_for, kNow + 60);
  const std::string line = OutboxLine(outbox[0], clock);
  EXPECT_NE(line.find("a@r.test +3"), std::string::npos) << line;
  EXPECT_NE(line.find("[deferred]"), std::string::npos) << line;
  EXPECT_NE(line.find("subject"), std::string::npos) << line;
  EXPECT_NE(OutboxRecipientLine(r[1]).find("deferred   451 4.4.1"), std::string::npos)
      << OutboxRecipientLine(r[1]);
}

}  // namespace
}  // namespace pigeon::mua::ui
