#include "common/store/outgoing_queue.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/support/temp_directory.h"

namespace pigeon::store {
namespace {

constexpr std::string_view kMessage =
    "From: ada@example.org\r\nTo: bob@remote.test\r\nSubject: hello\r\n"
    "Message-ID: <q1@example.org>\r\n\r\nHi Bob.\r\n";

class OutgoingQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    Result<std::unique_ptr<Store>> store = Store::Open(dir_.path() + "/pigeon.db", clock_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    queue_ = std::make_unique<OutgoingQueue>(*store_);
  }
  void Enqueue(const std::string& queue_id, std::vector<std::string> recipients,
               std::vector<IncomingMessage::Copy> copies = {}, int64_t arrived = 1000,
               std::optional<int64_t> not_before = std::nullopt) {
    IncomingMessage message;
    message.raw = kMessage;
    message.queue_id = queue_id;
    message.sender = "ada@example.org";
    message.remote_recipients = std::move(recipients);
    message.copies = std::move(copies);
    message.arrived = arrived;
    message.origin = "sendmail";
    message.notify = "FAILURE";
    Result<Batch> batch = store_->BeginBatch(true);
    ASSERT_TRUE(batch);
    ASSERT_TRUE(batch->Deliver(message));
    if (not_before) ASSERT_TRUE(queue_->Schedule(queue_id, *not_before));
    ASSERT_TRUE(batch->Commit());
  }
  int64_t Count(std::string_view table) {
    Result<Statement> count =
        store_->database().Prepare(std::string("SELECT count(*) FROM ") + std::string(table));
    EXPECT_TRUE(count && *count->Step());
    return count->ColumnInt(0);
  }

  sys::FixedClock clock_{1'700'000'000};
  testing::TempDirectory dir_{"queue-test"};
  std::unique_ptr<Store> store_;
  std::unique_ptr<OutgoingQueue> queue_;
};

TEST_F(OutgoingQueueTest, ListsMessagesWithTheirRecipients) {
  Enqueue("Q1", {"bob@remote.test", "carol@remote.test"});
  Enqueue("Q2", {"dan@other.test"}, {}, 2000);
  Result<std::vector<QueuedMessage>> listed = queue_->List();
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 2u);
  const QueuedMessage& first = (*listed)[0];
  EXPECT_EQ(first.queue_id, "Q1");
  EXPECT_EQ(first.sender, "ada@example.org");
  EXPECT_EQ(first.size, static_cast<int64_t>(kMessage.size()));
  EXPECT_EQ(first.arrived, 1000);
  EXPECT_EQ(first.origin, "sendmail");
  ASSERT_EQ(first.recipients.size(), 2u);
  EXPECT_EQ(first.recipients[0].address, "bob@remote.test");
  EXPECT_EQ(first.recipients[0].state, RecipientState::kQueued);
  EXPECT_EQ(first.recipients[0].notify, "FAILURE");
  EXPECT_EQ(first.recipients[1].address, "carol@remote.test");
  EXPECT_EQ((*listed)[1].queue_id, "Q2");
  Result<std::string> body = queue_->Body(first.body_id);
  ASSERT_TRUE(body);
  EXPECT_EQ(*body, kMessage);
  Result<std::optional<QueuedMessage>> found = queue_->Find("Q2");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->recipients.size(), 1u);
  EXPECT_FALSE(*queue_->Find("nope"));
}

TEST_F(OutgoingQueueTest, ClaimTakesDueRecipientsOnceAndRecordsOutcomes) {
  Enqueue("Q1", {"bob@remote.test", "carol@remote.test"});
  Result<std::vector<QueuedMessage>> claimed = queue_->ClaimDue(1000, 10);
  ASSERT_TRUE(claimed) << claimed.error().message;
  ASSERT_EQ(claimed->size(), 1u);
  ASSERT_EQ((*claimed)[0].recipients.size(), 2u);
  EXPECT_EQ((*claimed)[0].recipients[0].state, RecipientState::kInflight);
  EXPECT_EQ((*claimed)[0].recipients[0].attempts, 1);
  // Claimed recipients are not claimed again, and nothing is due.
  EXPECT_TRUE(queue_->ClaimDue(5000, 10)->empty());
  EXPECT_FALSE(*queue_->NextDue());

  const int64_t bob = (*claimed)[0].recipients[0].id;
  const int64_t carol = (*claimed)[0].recipients[1].id;
  std::vector<RecipientUpdate> outcomes = {
      {bob, RecipientState::kDelivered, "250 2.0.0 Ok", 0},
      {carol, RecipientState::kDeferred, "451 4.3.0 try later", 1300},
  };
  Result<std::vector<std::string>> finished = queue_->Record(outcomes, 1001);
  ASSERT_TRUE(finished) << finished.error().message;
  EXPECT_TRUE(finished->empty());
  EXPECT_EQ(**queue_->NextDue(), 1300);
  EXPECT_TRUE(queue_->ClaimDue(1299, 10)->empty());

  Result<std::vector<QueuedMessage>> again = queue_->ClaimDue(1300, 10);
  ASSERT_TRUE(again && again->size() == 1);
  ASSERT_EQ((*again)[0].recipients.size(), 1u);
  EXPECT_EQ((*again)[0].recipients[0].address, "carol@remote.test");
  EXPECT_EQ((*again)[0].recipients[0].attempts, 2);
  EXPECT_EQ((*again)[0].recipients[0].last_reply, "451 4.3.0 try later");

  outcomes = {{carol, RecipientState::kBounced, "550 5.1.1 no such user", 0}};
  finished = queue_->Record(outcomes, 1301);
  ASSERT_TRUE(finished);
  EXPECT_EQ(*finished, std::vector<std::string>{"Q1"});
  EXPECT_TRUE(queue_->List()->empty());
  // The body went with the message: nothing else used it.
  EXPECT_EQ(Count("bodies"), 0);
  EXPECT_EQ(Count("queue_recipients"), 0);
}

TEST_F(OutgoingQueueTest, TheBodyStaysWhileAFolderCopyUsesIt) {
  const int64_t sent = store_->FolderByRole("sent")->id;
  Enqueue("Q1", {"bob@remote.test"}, {IncomingMessage::Copy{sent, {}, 0}});
  Result<std::vector<QueuedMessage>> claimed = queue_->ClaimDue(1000, 10);
  ASSERT_TRUE(claimed && claimed->size() == 1);
  std::vector<RecipientUpdate> outcomes = {
      {(*claimed)[0].recipients[0].id, RecipientState::kDelivered, "250 ok", 0}};
  ASSERT_TRUE(queue_->Record(outcomes, 1001));
  EXPECT_TRUE(queue_->List()->empty());
  EXPECT_EQ(Count("messages"), 1);
  EXPECT_EQ(store_->FolderByRole("sent")->total, 1);
}

TEST_F(OutgoingQueueTest, ClaimLimitAndOldestFirst) {
  Enqueue("NEW", {"a@x.test"}, {}, 3000);
  Enqueue("OLD", {"b@x.test", "c@x.test"}, {}, 1000);
  Result<std::vector<QueuedMessage>> claimed = queue_->ClaimDue(5000, 2);
  ASSERT_TRUE(claimed && claimed->size() == 1);
  EXPECT_EQ((*claimed)[0].queue_id, "OLD");
  EXPECT_EQ((*claimed)[0].recipients.size(), 2u);
  claimed = queue_->ClaimDue(5000, 2);
  ASSERT_TRUE(claimed && claimed->size() == 1);
  EXPECT_EQ((*claimed)[0].queue_id, "NEW");
}

TEST_F(OutgoingQueueTest, RecoverInflightAfterACrash) {
  Enqueue("Q1", {"bob@remote.test"});
  ASSERT_EQ(queue_->ClaimDue(1000, 10)->size(), 1u);
  EXPECT_TRUE(queue_->ClaimDue(1000, 10)->empty());
  EXPECT_EQ(*queue_->RecoverInflight(), 1);
  Result<std::vector<QueuedMessage>> claimed = queue_->ClaimDue(1000, 10);
  ASSERT_TRUE(claimed && claimed->size() == 1);
  EXPECT_EQ((*claimed)[0].recipients[0].attempts, 2);
}

TEST_F(OutgoingQueueTest, HoldReleaseRequeueRemove) {
  Enqueue("Q1", {"bob@remote.test"});
  Enqueue("Q2", {"carol@remote.test"});
  EXPECT_TRUE(*queue_->Hold("Q1", true));
  EXPECT_FALSE(*queue_->Hold("nope", true));
  Result<std::vector<QueuedMessage>> claimed = queue_->ClaimDue(1000, 10);
  ASSERT_TRUE(claimed && claimed->size() == 1);
  EXPECT_EQ((*claimed)[0].queue_id, "Q2");
  EXPECT_TRUE((*queue_->Find("Q1"))->held);
  EXPECT_TRUE(*queue_->Hold("Q1", false));

  std::vector<RecipientUpdate> outcomes = {
      {(*claimed)[0].recipients[0].id, RecipientState::kDeferred, "421 busy", 9000}};
  ASSERT_TRUE(queue_->Record(outcomes, 1001));
  EXPECT_EQ(*queue_->Requeue("Q2", 1002), 1);
  EXPECT_EQ((*queue_->Find("Q2"))->recipients[0].next_attempt, 1002);
  EXPECT_EQ(*queue_->Requeue("", 1003), 2);

  EXPECT_TRUE(*queue_->Remove("Q1"));
  EXPECT_FALSE(*queue_->Remove("Q1"));
  EXPECT_EQ(queue_->List()->size(), 1u);
  EXPECT_EQ(Count("bodies"), 1);  // Q2 shares the same bytes
  EXPECT_TRUE(*queue_->Remove("Q2"));
  EXPECT_EQ(Count("bodies"), 0);
}

TEST_F(OutgoingQueueTest, DelayWarningIsRemembered) {
  Enqueue("Q1", {"bob@remote.test"});
  const int64_t row = (*queue_->Find("Q1"))->row;
  EXPECT_FALSE((*queue_->Find("Q1"))->delay_warned);
  ASSERT_TRUE(queue_->MarkDelayWarned(row));
  EXPECT_TRUE((*queue_->Find("Q1"))->delay_warned);
}

TEST_F(OutgoingQueueTest, AHeldBackMessageIsNotClaimedBeforeItsTime) {
  Enqueue("Q1", {"bob@remote.test"}, {}, 1000, /*not_before=*/1010);
  EXPECT_EQ(**queue_->NextDue(), 1010);
  Result<std::vector<QueuedMessage>> early = queue_->ClaimDue(1009, 10);
  ASSERT_TRUE(early);
  EXPECT_TRUE(early->empty());
  EXPECT_EQ((*queue_->Find("Q1"))->recipients[0].state, RecipientState::kQueued);
  Result<std::vector<QueuedMessage>> due = queue_->ClaimDue(1010, 10);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].recipients[0].address, "bob@remote.test");
}

TEST_F(OutgoingQueueTest, PullBackRemovesTheMessageAndItsCopies) {
  const int64_t sent = store_->FolderByRole("sent")->id;
  const int64_t inbox = store_->FolderByRole("inbox")->id;
  Enqueue("Q1", {"bob@remote.test", "cy@remote.test"},
          {IncomingMessage::Copy{sent, {}, 0}, IncomingMessage::Copy{inbox, {}, 0}}, 1000, 1010);
  // Another message in the same thread stays.
  ASSERT_TRUE(store_->Insert(inbox,
                             "From: bob@remote.test\r\nSubject: Re: hello\r\n"
                             "Message-ID: <r1@remote.test>\r\nIn-Reply-To: <q1@example.org>\r\n"
                             "\r\nYes.\r\n",
                             {}));
  Result<std::optional<PulledBack>> pulled = queue_->PullBack("Q1");
  ASSERT_TRUE(pulled) << pulled.error().message;
  ASSERT_TRUE(*pulled);
  EXPECT_EQ((*pulled)->raw, kMessage);
  EXPECT_EQ((*pulled)->removed_copies, 2);
  EXPECT_FALSE(*queue_->Find("Q1"));
  EXPECT_EQ(Count("queue_recipients"), 0);
  EXPECT_EQ(store_->FolderByRole("sent")->total, 0);
  EXPECT_EQ(store_->FolderByRole("inbox")->total, 1);
  EXPECT_EQ(Count("bodies"), 1);
  Result<std::optional<PulledBack>> again = queue_->PullBack("Q1");
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
}

TEST_F(OutgoingQueueTest, PullBackIsRefusedOnceARecipientHasItOrIsGettingIt) {
  const int64_t sent = store_->FolderByRole("sent")->id;
  Enqueue("Q1", {"bob@remote.test", "cy@remote.test"}, {IncomingMessage::Copy{sent, {}, 0}});
  Result<std::vector<QueuedMessage>> claimed = queue_->ClaimDue(1000, 1);  // bob: inflight
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  Result<std::optional<PulledBack>> inflight = queue_->PullBack("Q1");
  ASSERT_FALSE(inflight);
  EXPECT_NE(inflight.error().message.find("too late"), std::string::npos);

  const RecipientUpdate delivered{(*claimed)[0].recipients[0].id, RecipientState::kDelivered,
                                  "250 ok", 0};
  ASSERT_TRUE(queue_->Record({&delivered, 1}, 1001));
  EXPECT_FALSE(queue_->PullBack("Q1"));
  EXPECT_TRUE(*queue_->Find("Q1"));
  EXPECT_EQ(store_->FolderByRole("sent")->total, 1);
}

TEST_F(OutgoingQueueTest, PullBackOfADeferredMessage) {
  Enqueue("Q1", {"bob@remote.test"});
  Result<std::vector<QueuedMessage>> claimed = queue_->ClaimDue(1000, 1);
  ASSERT_TRUE(claimed && claimed->size() == 1u);
  const RecipientUpdate deferred{(*claimed)[0].recipients[0].id, RecipientState::kDeferred,
                                 "451 try later", 2000};
  ASSERT_TRUE(queue_->Record({&deferred, 1}, 1001));
  Result<std::optional<PulledBack>> pulled = queue_->PullBack("Q1");
  ASSERT_TRUE(pulled && *pulled);
  EXPECT_EQ(Count("queue"), 0);
  EXPECT_EQ(Count("bodies"), 0);
}

TEST_F(OutgoingQueueTest, PullBackKeepsTheMessageInDraftsInTheSameTransaction) {
  const int64_t drafts = store_->FolderByRole("drafts")->id;
  Enqueue("Q1", {"bob@remote.test"});
  Result<std::optional<PulledBack>> pulled = queue_->PullBack("Q1", drafts);
  ASSERT_TRUE(pulled && *pulled);
  EXPECT_NE((*pulled)->kept_id, 0);
  EXPECT_EQ(store_->FolderByRole("drafts")->total, 1);
  EXPECT_EQ(*store_->Raw((*pulled)->kept_id), kMessage);
  EXPECT_EQ(Count("queue"), 0);
}

TEST(WithoutTraceFields, DropsLeadingReturnPathAndReceived) {
  EXPECT_EQ(WithoutTraceFields("Return-Path: <a@b>\r\nReceived: by x\r\n\tid Q1; now\r\n"
                               "From: a@b\r\nReceived: later\r\n\r\nbody\r\n"),
            "From: a@b\r\nReceived: later\r\n\r\nbody\r\n");
  EXPECT_EQ(WithoutTraceFields("From: a@b\r\n\r\n"), "From: a@b\r\n\r\n");
  EXPECT_EQ(WithoutTraceFields("Received: unterminated"), "Received: unterminated");
}

}  // namespace
}  // namespace pigeon::store
