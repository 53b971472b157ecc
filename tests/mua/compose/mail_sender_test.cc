#include "mua/compose/mail_sender.h"

#include <gtest/gtest.h>

#include "common/message/message.h"
#include "common/store/outgoing_queue.h"
#include "common/store/schema.h"
#include "mua/compose/forward_draft.h"
#include "tests/mta/submit/submit_fixture.h"
#include "tests/mua/compose/sample_messages.h"

namespace pigeon::mua::compose {
namespace {

class MailSenderTest : public testing::SubmitFixture {
 protected:
  void SetUp() override {
    SubmitFixture::SetUp();
    sender_ = std::make_unique<MailSender>(
        *submitter_, *store_, clock_, [this] { return ++n_; },
        SenderIdentity{"example.org", "userid 1000"});
  }
  void TearDown() override {
    sender_.reset();
    SubmitFixture::TearDown();
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
  // The sample original (sample_messages.h), with CRLF line ends as stored, in INBOX.
  int64_t InsertOriginal() {
    Result<store::FolderInfo> inbox = store_->FindFolder("INBOX");
    EXPECT_TRUE(inbox);
    Result<store::InsertResult> inserted = store_->Insert(inbox->id, SampleOriginalCrlf(), {});
    EXPECT_TRUE(inserted);
    return inserted ? inserted->id : 0;
  }
  std::vector<std::string> QueuedRecipients() {
    store::OutgoingQueue queue(*store_);
    Result<std::vector<store::QueuedMessage>> listed = queue.List();
    EXPECT_TRUE(listed);
    std::vector<std::string> out;
    for (const store::QueuedMessage& queued :
         listed ? *listed : std::vector<store::QueuedMessage>{}) {
      for (const auto& recipient : queued.recipients) out.push_back(recipient.address);
    }
    return out;
  }

  std::unique_ptr<MailSender> sender_;
  uint64_t n_ = 0;
};

TEST_F(MailSenderTest, LocalCopyReadCopyInSentRemoteQueuedBccHidden) {
  Result<mta::submit::SubmitOutcome> sent = sender_->Send(Draft(
      {{"", "ada", "example.org"}, {"Bob", "bob", "remote.test"}}, {{"", "eve", "hidden.test"}}));
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
  ASSERT_TRUE(sender_->Send(reply));
  ASSERT_TRUE(sender_->MarkOriginal(original->id, store::kFlagAnswered));
  EXPECT_EQ(store_->Summary(original->id)->flags & store::kFlagAnswered, store::kFlagAnswered);
  std::vector<store::MessageSummary> copies = In("Sent");
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_EQ(copies.front().thread_id, store_->Summary(original->id)->thread_id);
}

TEST_F(MailSenderTest, AnUnknownLocalRecipientWritesNothing) {
  Result<mta::submit::SubmitOutcome> sent = sender_->Send(Draft({{"", "nobody", "example.org"}}));
  ASSERT_FALSE(sent);
  EXPECT_TRUE(In("Sent").empty());
  EXPECT_TRUE(In("INBOX").empty());
  EXPECT_TRUE(QueuedRecipients().empty());
}

TEST_F(MailSenderTest, AForwardAsAttachmentCarriesTheOriginalBytes) {
  const int64_t original = InsertOriginal();
  const message::Message stored_original(*store_->Raw(original));
  EditableDraft edited =
      ForwardDraft(stored_original, "Ada Lovelace <ada@example.org>", ForwardMode::kAttached);
  edited.to = "bob@remote.test";
  edited.body = "FYI.\n";
  Result<message::Draft> draft = ToMessageDraft(edited);
  ASSERT_TRUE(draft) << draft.error().message;
  ASSERT_TRUE(sender_->Send(*draft));
  ASSERT_TRUE(sender_->MarkOriginal(original, store::kFlagForwarded));
  EXPECT_EQ(store_->Summary(original)->flags & store::kFlagForwarded, store::kFlagForwarded);

  std::vector<store::MessageSummary> copies = In("Sent");
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_EQ(copies.front().subject, "Fwd: Café plans");
  const message::Message sent(*store_->Raw(copies.front().id));
  const message::Part& root = sent.Mime();
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.content_type, "multipart/mixed");
  EXPECT_EQ(root.children[1].content_type, "message/rfc822");
  EXPECT_EQ(root.children[1].disposition, "inline");
  EXPECT_EQ(sent.FirstTextPlain(), "FYI.\r\n");
  // The attached part's bytes are the stored original, untouched (7bit, no re-encoding).
  EXPECT_NE(sent.raw().find("Content-Transfer-Encoding: 7bit\r\n\r\n" +
                            std::string(stored_original.raw())),
            std::string::npos)
      << sent.raw();
  EXPECT_EQ(QueuedRecipients(), (std::vector<std::string>{"bob@remote.test"}));
}

TEST_F(MailSenderTest, ABounceResendsTheOriginalToExactlyTheGivenAddresses) {
  const int64_t original = InsertOriginal();
  const std::string raw = *store_->Raw(original);
  Result<mta::submit::SubmitOutcome> bounced =
      sender_->Bounce(raw, {{"", "carol", "remote.test"}}, {"Ada Lovelace", "ada", "example.org"});
  ASSERT_TRUE(bounced) << bounced.error().message;
  EXPECT_EQ(bounced->queued, (std::vector<std::string>{"carol@remote.test"}));
  EXPECT_EQ(QueuedRecipients(), (std::vector<std::string>{"carol@remote.test"}));
  EXPECT_TRUE(In("Sent").empty());    // as mutt: no copy of a bounce
  EXPECT_EQ(In("INBOX").size(), 1u);  // the To and Cc of the original get nothing

  store::OutgoingQueue queue(*store_);
  const std::string queued = *queue.Body(queue.List()->front().body_id);
  const size_t resent = queued.find(
      "Resent-From: Ada Lovelace <ada@example.org>\r\n"
      "Resent-To: carol@remote.test\r\n"
      "Resent-Date: ");
  ASSERT_NE(resent, std::string::npos) << queued;
  EXPECT_NE(queued.find("\r\nResent-Message-ID: <", resent), std::string::npos);
  EXPECT_TRUE(queued.ends_with(raw)) << queued;  // the original follows, unchanged
}

}  // namespace
}  // namespace pigeon::mua::compose
