#include "mta/submit/submitter.h"

#include <gtest/gtest.h>

#include "common/store/outgoing_queue.h"
#include "common/store/schema.h"
#include "tests/mta/submit/submit_fixture.h"

namespace pigeon::mta::submit {
namespace {

class SubmitterTest : public testing::SubmitFixture {
 protected:
  Result<SubmitOutcome> Submit(std::string raw, const Submission& submission) {
    return submitter_->Submit(MessageInput{std::move(raw), false}, submission);
  }
  std::string RawOf(std::string_view folder) {
    std::vector<store::MessageSummary> page = In(folder);
    EXPECT_EQ(page.size(), 1u);
    return page.empty() ? "" : *store_->Raw(page.front().id);
  }
};

TEST_F(SubmitterTest, RemoteRecipientsAreQueuedAndPigeondWoken) {
  Submission submission;
  submission.recipients = {"bob@remote.test", "Carol <carol@remote.test>, dan@other.test"};
  submission.submitted_by = "userid 1000";
  Result<SubmitOutcome> done = Submit("Subject: hi\r\n\r\nHello\r\n", submission);
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->local_copies, 0);
  EXPECT_EQ(done->queued,
            (std::vector<std::string>{"bob@remote.test", "carol@remote.test", "dan@other.test"}));
  EXPECT_EQ(wakes_, 1);

  store::OutgoingQueue queue(*store_);
  Result<std::vector<store::QueuedMessage>> listed = queue.List();
  ASSERT_TRUE(listed && listed->size() == 1);
  const store::QueuedMessage& queued = listed->front();
  EXPECT_EQ(queued.queue_id, done->queue_id);
  EXPECT_EQ(queued.sender, "ada@example.org");
  EXPECT_EQ(queued.origin, "sendmail");
  EXPECT_EQ(queued.recipients.size(), 3u);
  const std::string raw = *queue.Body(queued.body_id);
  EXPECT_TRUE(raw.starts_with("Received: by mail.example.org (pigeon, from userid 1000)\r\n\tid " +
                              done->queue_id + "; "))
      << raw;
  EXPECT_NE(raw.find("\r\nFrom: Ada Lovelace <ada@example.org>\r\n"), std::string::npos) << raw;
  EXPECT_NE(raw.find("\r\nDate: "), std::string::npos);
  EXPECT_NE(raw.find("\r\nMessage-ID: <"), std::string::npos);
  EXPECT_NE(raw.find("." + done->queue_id + "@example.org>\r\n"), std::string::npos) << raw;
  EXPECT_TRUE(raw.ends_with("\r\n\r\nHello\r\n"));
}

TEST_F(SubmitterTest, LocalRecipientsGoToTheirFolders) {
  Submission submission;
  submission.recipients = {"ada", "ADA@example.org", "lists@example.org", "root"};
  submission.envelope_sender = "cron";
  submission.full_name = "Cron Daemon";
  Result<SubmitOutcome> done = Submit("Subject: job\r\n\r\noutput\r\n", submission);
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->local_copies, 2);  // INBOX once for ada and root, lists/dev once
  EXPECT_TRUE(done->queued.empty());
  EXPECT_EQ(wakes_, 0);
  const std::string raw = RawOf("INBOX");
  EXPECT_TRUE(raw.starts_with("Return-Path: <cron@example.org>\r\nReceived: by ")) << raw;
  EXPECT_NE(raw.find("\r\nFrom: Cron Daemon <cron@example.org>\r\n"), std::string::npos) << raw;
  EXPECT_EQ(RawOf("lists/dev"), raw);
}

TEST_F(SubmitterTest, HeaderRecipientsWithT) {
  Submission submission;
  submission.recipients_from_headers = true;
  submission.recipients = {"extra@remote.test"};
  Result<SubmitOutcome> done = Submit(
      "From: Ada <ada@example.org>\r\nTo: bob@remote.test\r\nCc: ada@example.org\r\n"
      "Bcc: hidden@remote.test\r\nSubject: s\r\n\r\nb\r\n",
      submission);
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->queued, (std::vector<std::string>{"extra@remote.test", "bob@remote.test",
                                                    "hidden@remote.test"}));
  EXPECT_EQ(done->local_copies, 1);
  const std::string raw = RawOf("INBOX");
  EXPECT_EQ(raw.find("hidden"), std::string::npos) << raw;
}

TEST_F(SubmitterTest, TheNullSenderAndAnExplicitSender) {
  Submission submission;
  submission.recipients = {"bob@remote.test"};
  submission.envelope_sender = "<>";
  ASSERT_TRUE(Submit("Subject: s\r\n\r\nb\r\n", submission));
  submission.envelope_sender = "list-bounces@example.org";
  ASSERT_TRUE(Submit("Subject: t\r\n\r\nb\r\n", submission));
  store::OutgoingQueue queue(*store_);
  Result<std::vector<store::QueuedMessage>> listed = queue.List();
  ASSERT_TRUE(listed && listed->size() == 2);
  EXPECT_EQ((*listed)[0].sender, "");
  EXPECT_EQ((*listed)[1].sender, "list-bounces@example.org");
}

TEST_F(SubmitterTest, RefusalsNameTheProblem) {
  Submission submission;
  Result<SubmitOutcome> none = Submit("Subject: s\r\n\r\nb\r\n", submission);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(none.error().message, "no recipient addresses found");

  submission.recipients = {"nobody@example.org"};
  Result<SubmitOutcome> unknown = Submit("Subject: s\r\n\r\nb\r\n", submission);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_NE(unknown.error().message.find("nobody@example.org"), std::string::npos)
      << unknown.error().message;

  submission.recipients = {"a@@b"};
  Result<SubmitOutcome> bad = Submit("Subject: s\r\n\r\nb\r\n", submission);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  // Nothing was written by the refused submissions.
  EXPECT_TRUE(store::OutgoingQueue(*store_).List()->empty());
  EXPECT_EQ(store_->FindFolder("INBOX")->total, 0);
}

TEST_F(SubmitterTest, ExtraCopiesAndDsnFields) {
  Submission submission;
  submission.recipients = {"bob@remote.test"};
  submission.origin = "pigeon";
  submission.notify = "FAILURE,DELAY";
  submission.envid = "env-1";
  submission.dsn_ret = "HDRS";
  submission.extra_copies = {{store_->FolderByRole("sent")->id, {}, store::kFlagSeen}};
  Result<SubmitOutcome> done = Submit("Subject: s\r\n\r\nb\r\n", submission);
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(store_->FolderByRole("sent")->total, 1);
  Result<std::optional<store::QueuedMessage>> queued =
      store::OutgoingQueue(*store_).Find(done->queue_id);
  ASSERT_TRUE(queued && *queued);
  EXPECT_EQ((*queued)->envid, "env-1");
  EXPECT_EQ((*queued)->dsn_ret, "HDRS");
  EXPECT_EQ((*queued)->recipients[0].notify, "FAILURE,DELAY");
  EXPECT_EQ((*queued)->origin, "pigeon");
}

}  // namespace
}  // namespace pigeon::mta::submit
