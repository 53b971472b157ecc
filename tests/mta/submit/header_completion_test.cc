#include "mta/submit/header_completion.h"

#include <gtest/gtest.h>

namespace pigeon::mta::submit {
namespace {

const HeaderDefaults kDefaults{"Ada <ada@example.org>", "Sun, 29 Nov 2026 10:00:00 +0000",
                               "<id1@example.org>"};

TEST(HeaderCompletionTest, AddsWhatIsMissingAtTheEndOfTheHeader) {
  CompletedMessage done =
      CompleteHeaders("Subject: hi\r\nTo: bob@x.test\r\n\r\nbody\r\n", kDefaults);
  EXPECT_EQ(done.raw,
            "Subject: hi\r\nTo: bob@x.test\r\nFrom: Ada <ada@example.org>\r\n"
            "Date: Sun, 29 Nov 2026 10:00:00 +0000\r\nMessage-ID: <id1@example.org>\r\n\r\n"
            "body\r\n");
  EXPECT_EQ(done.header_recipients, std::vector<std::string>{"bob@x.test"});
}

TEST(HeaderCompletionTest, KeepsWhatIsThere) {
  const std::string raw =
      "from: Bob <bob@x.test>\r\nDATE: Mon, 1 Jan 2024 00:00:00 +0000\r\n"
      "Message-Id: <given@x.test>\r\n\r\nbody\r\n";
  EXPECT_EQ(CompleteHeaders(raw, kDefaults).raw, raw);
}

TEST(HeaderCompletionTest, RemovesBccWithItsFoldsAndCollectsRecipients) {
  CompletedMessage done = CompleteHeaders(
      "From: a@x.test\r\nTo: Bob <bob@x.test>, carol@y.test\r\nBcc: secret@z.test,\r\n"
      " other@z.test\r\nCc: \"D\" <d@y.test>\r\nDate: x\r\nMessage-ID: <m@x>\r\n\r\nb\r\n",
      kDefaults);
  EXPECT_EQ(done.raw,
            "From: a@x.test\r\nTo: Bob <bob@x.test>, carol@y.test\r\nCc: \"D\" <d@y.test>\r\n"
            "Date: x\r\nMessage-ID: <m@x>\r\n\r\nb\r\n");
  EXPECT_EQ(done.header_recipients,
            (std::vector<std::string>{"bob@x.test", "carol@y.test", "secret@z.test", "other@z.test",
                                      "d@y.test"}));
  // The last field may be a Bcc too.
  EXPECT_EQ(
      CompleteHeaders("From: a\r\nDate: d\r\nMessage-ID: <i>\r\nBCC: s@z\r\n\r\nb", kDefaults).raw,
      "From: a\r\nDate: d\r\nMessage-ID: <i>\r\n\r\nb");
}

TEST(HeaderCompletionTest, AResentBlockGivesTheRecipients) {
  CompletedMessage done = CompleteHeaders(
      "Resent-To: r@x.test\r\nResent-Bcc: rb@x.test\r\nFrom: a@x\r\nTo: old@x.test\r\n"
      "Date: d\r\nMessage-ID: <i>\r\n\r\n",
      kDefaults);
  EXPECT_TRUE(done.has_resent_block);
  EXPECT_EQ(done.header_recipients, (std::vector<std::string>{"r@x.test", "rb@x.test"}));
  EXPECT_EQ(done.raw,
            "Resent-To: r@x.test\r\nFrom: a@x\r\nTo: old@x.test\r\nDate: d\r\n"
            "Message-ID: <i>\r\n\r\n");
}

TEST(HeaderCompletionTest, ABodyWithoutHeaderGetsOne) {
  EXPECT_EQ(CompleteHeaders("just text\r\nmore\r\n", kDefaults).raw,
            "From: Ada <ada@example.org>\r\nDate: Sun, 29 Nov 2026 10:00:00 +0000\r\n"
            "Message-ID: <id1@example.org>\r\n\r\njust text\r\nmore\r\n");
  EXPECT_EQ(CompleteHeaders("", kDefaults).raw,
            "From: Ada <ada@example.org>\r\nDate: Sun, 29 Nov 2026 10:00:00 +0000\r\n"
            "Message-ID: <id1@example.org>\r\n\r\n");
}

TEST(HeaderCompletionTest, DropsALeadingMboxFromLine) {
  EXPECT_EQ(CompleteHeaders("From ada Sun Nov 29 10:00:00 2026\r\nFrom: a@x\r\nDate: d\r\n"
                            "Message-ID: <i>\r\n\r\nb\r\n",
                            kDefaults)
                .raw,
            "From: a@x\r\nDate: d\r\nMessage-ID: <i>\r\n\r\nb\r\n");
}

}  // namespace
}  // namespace pigeon::mta::submit
