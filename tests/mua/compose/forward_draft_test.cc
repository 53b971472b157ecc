#include "mua/compose/forward_draft.h"

#include <gtest/gtest.h>

#include "tests/mua/compose/sample_messages.h"

namespace pigeon::mua::compose {
namespace {

TEST(ForwardSubject, FwdOnce) {
  struct Case {
    const char* subject;
    const char* want;
  } cases[] = {
      {"Plan", "Fwd: Plan"},
      {"Fwd: Plan", "Fwd: Plan"},
      {"FWD: Plan", "FWD: Plan"},
      {"Re: Plan", "Fwd: Re: Plan"},
      {"  Plan  ", "Fwd: Plan"},
      {"", "Fwd: (no subject)"},
      {"two\r\n lines", "Fwd: two   lines"},
  };
  for (const Case& c : cases) EXPECT_EQ(ForwardSubject(c.subject), c.want) << c.subject;
}

TEST(ForwardDraft, InlineQuotesHeaderFieldsAndDecodedText) {
  EditableDraft draft = ForwardDraft(SampleOriginal(), "Me <me@example.org>", ForwardMode::kInline);
  EXPECT_EQ(draft.from, "Me <me@example.org>");
  EXPECT_EQ(draft.to, "");
  EXPECT_EQ(draft.cc, "");
  EXPECT_EQ(draft.subject, "Fwd: Café plans");
  EXPECT_FALSE(draft.in_reply_to.has_value());  // a forward starts its own thread
  EXPECT_TRUE(draft.references.empty());
  EXPECT_TRUE(draft.attachments.empty());
  EXPECT_EQ(draft.body,
            "----- Forwarded message from Ada Lovelace <ada@example.org> -----\n"
            "Date: Tue, 2 Jan 2024 10:00:00 +0000\n"
            "From: Ada Lovelace <ada@example.org>\n"
            "To: Me <me@example.org>, Bob <bob@example.org>\n"
            "Cc: carol@example.org, me@EXAMPLE.ORG, Bob <bob@example.org>, ME@example.org\n"
            "Subject: Café plans\n"
            "\n"
            "Café at noon?\n"
            "\n"
            "Ada\n"
            "----- End forwarded message -----\n");
}

TEST(ForwardDraft, InlineWithFieldsMissing) {
  EditableDraft draft = ForwardDraft(Parse("To: b@x.org\n\nno newline at the end"),
                                     "me@example.org", ForwardMode::kInline);
  EXPECT_EQ(draft.subject, "Fwd: (no subject)");
  EXPECT_EQ(draft.body,
            "----- Forwarded message -----\n"
            "To: b@x.org\n"
            "\n"
            "no newline at the end\n"
            "----- End forwarded message -----\n");
}

TEST(ForwardDraft, AttachedKeepsTheOriginalBytesAndAnEmptyBody) {
  EditableDraft draft =
      ForwardDraft(Parse(SampleOriginalCrlf()), "Me <me@example.org>", ForwardMode::kAttached);
  EXPECT_EQ(draft.subject, "Fwd: Café plans");
  EXPECT_EQ(draft.body, "");
  ASSERT_EQ(draft.attachments.size(), 1u);
  EXPECT_EQ(draft.attachments.front().content, SampleOriginalCrlf());
  EXPECT_EQ(draft.attachments.front().content_type, "message/rfc822");
  EXPECT_TRUE(draft.attachments.front().inline_disposition);
}

TEST(ForwardDraft, AttachedWithLfLineEndsMadeCrlf) {
  EditableDraft draft = ForwardDraft(SampleOriginal(), "me@example.org", ForwardMode::kAttached);
  ASSERT_EQ(draft.attachments.size(), 1u);
  EXPECT_EQ(draft.attachments.front().content, SampleOriginalCrlf());
}

TEST(ForwardDraft, AttachedBuildsValidMime) {
  // An LF original (as imported from an mbox): still 7bit, byte for byte but the line ends.
  EditableDraft draft =
      ForwardDraft(SampleOriginal(), "Me <me@example.org>", ForwardMode::kAttached);
  Result<EditableDraft> edited =
      ParseDraftText(DraftText(draft) + "Have a look.\n", draft);  // what the user types
  ASSERT_TRUE(edited) << edited.error().message;
  edited->to = "bob@example.org";
  Result<message::Draft> ready = ToMessageDraft(*edited);
  ASSERT_TRUE(ready) << ready.error().message;
  message::BuildContext context;
  uint64_t n = 0;
  context.random = [&n] { return ++n; };
  const message::Message built(message::BuildMessage(*ready, context));
  const message::Part& root = built.Mime();
  EXPECT_EQ(root.content_type, "multipart/mixed");
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[0].content_type, "text/plain");
  const message::Part& attached = root.children[1];
  EXPECT_EQ(attached.content_type, "message/rfc822");
  EXPECT_EQ(attached.transfer_encoding, "7bit");
  EXPECT_EQ(attached.body, SampleOriginalCrlf());
  ASSERT_EQ(attached.children.size(), 1u);  // the enclosed message parses
  EXPECT_EQ(attached.children[0].header.Get("Message-ID"), "<p2@example.org>");
  EXPECT_EQ(built.FirstTextPlain(), "Have a look.\r\n");
  EXPECT_TRUE(built.defects().empty());
}

}  // namespace
}  // namespace pigeon::mua::compose
