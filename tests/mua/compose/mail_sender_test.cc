#include "mua/compose/mail_sender.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "common/message/message.h"
#include "common/store/outgoing_queue.h"
#include "common/store/schema.h"
#include "mta/policy/recipient_policy.h"

namespace pigeon::mua::compose {
namespace {

class MailSenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/pigeon-mail-sender-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    config_.owner = "ada@example.org";
    config_.smtpd.hostname = "mail.example.org";
    config_.smtpd.local_domains = {"example.org"};
    config_.smtpd.local_users = {"ada"};
    policy_ = std::make_unique<mta::policy::RecipientPolicy>(config_, mta::policy::Aliases{});
    Result<std::unique_ptr<store::Store>> store = store::Store::Open(dir_ + "/pigeon.db", clock_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    submitter_ = std::make_unique<mta::submit::Submitter>(config_, *policy_, *store_, clock_,
                                                          queue_ids_, [this] { ++wakes_; });
    sender_ = std::make_unique<MailSender>(
        *submitter_, *store_, clock_, [this] { return ++n_; },
        SenderIdentity{"example.org", "userid 1000"});
  }
  void TearDown() override {
    sender_.reset();
    submitter_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::vector<store::MessageSummary> In(std::string_view folder) {
    Result<store::FolderInfo> info = store_->FindFolder(folder);
    EXPECT_TRUE(info);
    store::PageRequest request;
    request.folder_id = info->id;
    Result<std::vector<store::MessageSummary>> page = store_->Page(request);
    EXPECT_TRUE(page);
    return page ? *page : std::vector<store::MessageSummary>{};
  }
  message::Draft Draft(std::vector<message::Mailbox> to, std::vector<message::Mailbox> bcc = {}) {
    message::Draft draft;
    draft.from = {"Ada Lovelace", "ada", "example.org"};
    draft.to = std::move(to);
    draft.bcc = std::move(bcc);
    draft.include_bcc = true;
    draft.subject = "Hello";
    draft.text = "Hi there.\n";
    return draft;
  }

  sys::FixedClock clock_{1'796'000'000};
  std::string dir_;
  config::Config config_;
  std::unique_ptr<mta::policy::RecipientPolicy> policy_;
  std::unique_ptr<store::Store> store_;
  mta::queue::QueueIdSource queue_ids_;
  std::unique_ptr<mta::submit::Submitter> submitter_;
  std::unique_ptr<MailSender> sender_;
  uint64_t n_ = 0;
  int wakes_ = 0;
};

TEST_F(MailSenderTest, LocalCopyReadCopyInSentRemoteQueuedBccHidden) {
  Result<mta::submit::SubmitOutcome> sent =
      sender_->Send(Draft({{"", "ada", "example.org"}, {"Bob", "bob", "remote.test"}},
                          {{"", "eve", "hidden.test"}}),
                    std::nullopt);
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->queued, (std::vector<std::string>{"bob@remote.test", "eve@hidden.test"}));
  EXPECT_EQ(wakes_, 1);
  std::vector<store::MessageSummary> inbox = In("INBOX");
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox.front().subject, "Hello");
  EXPECT_EQ(inbox.front().flags & store::kFlagSeen, 0);
  std::vector<store::MessageSummary> copies = In("Sent");
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_EQ(copies.front().flags, store::kFlagSeen);
  const message::Message stored(*store_->Raw(copies.front().id));
  EXPECT_FALSE(stored.header().Get("Bcc").has_value());
  EXPECT_EQ(stored.header().Get("From"), "Ada Lovelace <ada@example.org>");
  EXPECT_TRUE(stored.MessageId()->ends_with("@example.org>"));
  EXPECT_EQ(stored.FirstTextPlain(), "Hi there.\r\n");  // the store keeps CRLF
}

TEST_F(MailSenderTest, AReplyMarksTheOriginalAnswered) {
  Result<store::FolderInfo> inbox = store_->FindFolder("INBOX");
  ASSERT_TRUE(inbox);
  Result<store::InsertResult> original = store_->Insert(
      inbox->id, "From: bob@remote.test\r\nMessage-ID: <o@remote.test>\r\nSubject: Q\r\n\r\n?\r\n",
      {});
  ASSERT_TRUE(original);
  message::Draft reply = Draft({{"", "bob", "remote.test"}});
  reply.in_reply_to = "<o@remote.test>";
  reply.references = {"<o@remote.test>"};
  ASSERT_TRUE(sender_->Send(reply, original->id));
  EXPECT_EQ(store_->Summary(original->id)->flags & store::kFlagAnswered, store::kFlagAnswered);
  std::vector<store::MessageSummary> copies = In("Sent");
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_EQ(copies.front().thread_id, store_->Summary(original->id)->thread_id);
}

TEST_F(MailSenderTest, AnUnknownLocalRecipientWritesNothing) {
  Result<mta::submit::SubmitOutcome> sent =
      sender_->Send(Draft({{"", "nobody", "example.org"}}), std::nullopt);
  ASSERT_FALSE(sent);
  EXPECT_TRUE(In("Sent").empty());
  EXPECT_TRUE(In("INBOX").empty());
  store::OutgoingQueue queue(*store_);
  EXPECT_TRUE(queue.List()->empty());
}

}  // namespace
}  // namespace pigeon::mua::compose
