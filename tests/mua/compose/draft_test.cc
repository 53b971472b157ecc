#include "mua/compose/draft.h"

#include <gtest/gtest.h>

#include "tests/mua/compose/sample_messages.h"

namespace pigeon::mua::compose {
namespace {

TEST(DraftText, HeaderBlockThenEmptyLineThenBody) {
  EditableDraft draft;
  draft.from = "Ada Lovelace <ada@example.org>";
  draft.to = "bob@example.org";
  draft.subject = "Re: plan";
  draft.body = "Hello\n";
  EXPECT_EQ(DraftText(draft),
            "From: Ada Lovelace <ada@example.org>\nTo: bob@example.org\nCc: \nBcc: \n"
            "Subject: Re: plan\n\nHello\n");
}

TEST(DraftText, ParsesBackWhatItWrote) {
  EditableDraft draft;
  draft.from = "Ada <ada@example.org>";
  draft.to = "bob@example.org, \"Doe, J.\" <j@example.org>";
  draft.subject = "Café";
  draft.other_fields = {{"Reply-To", "list@example.org"}};
  draft.body = "line one\n\nline three\n";
  draft.in_reply_to = "<p@x>";
  Result<EditableDraft> parsed = ParseDraftText(DraftText(draft), draft);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->from, draft.from);
  EXPECT_EQ(parsed->to, draft.to);
  EXPECT_EQ(parsed->cc, "");
  EXPECT_EQ(parsed->subject, "Café");
  EXPECT_EQ(parsed->other_fields, draft.other_fields);
  EXPECT_EQ(parsed->body, draft.body);
  EXPECT_EQ(parsed->in_reply_to, "<p@x>");  // kept from the base, not from the text
}

TEST(ParseDraftText, FieldsAndBodies) {
  struct Case {
    const char* name;
    const char* text;
    const char* to;
    const char* cc;
    const char* subject;
    const char* body;
  } cases[] = {
      {"folded To", "To: a@x,\n  b@y\nSubject: s\n\nbody\n", "a@x, b@y", "", "s", "body\n"},
      {"folded with a tab", "To: a@x\nSubject: one\n\ttwo\n\n", "a@x", "", "one two", ""},
      {"empty Cc", "To: a@x\nCc:\nSubject: s\n\nb", "a@x", "", "s", "b"},
      {"names any case", "to: a@x\nCC: c@x\nsubject: s\n\n", "a@x", "c@x", "s", ""},
      {"CRLF lines", "To: a@x\r\nSubject: s\r\n\r\nb\r\nc\r\n", "a@x", "", "s", "b\nc\n"},
      {"no empty line: no body", "To: a@x\nSubject: s\n", "a@x", "", "s", ""},
      {"blank line of spaces ends the header", "To: a@x\n   \nbody", "a@x", "", "", "body"},
      {"body keeps its own empty lines", "To: a@x\n\n\nb\n\n", "a@x", "", "", "\nb\n\n"},
      {"body lines that look like fields", "To: a@x\n\nCc: not a field\n", "a@x", "", "",
       "Cc: not a field\n"},
  };
  for (const Case& c : cases) {
    Result<EditableDraft> parsed = ParseDraftText(c.text, {});
    ASSERT_TRUE(parsed) << c.name << ": " << parsed.error().message;
    EXPECT_EQ(parsed->to, c.to) << c.name;
    EXPECT_EQ(parsed->cc, c.cc) << c.name;
    EXPECT_EQ(parsed->subject, c.subject) << c.name;
    EXPECT_EQ(parsed->body, c.body) << c.name;
  }
}

TEST(ParseDraftText, ErrorsNameTheLine) {
  struct Case {
    const char* text;
    const char* want;
  } cases[] = {
      {"To: a@x\nno colon here\n\nbody", "line 2: \"no colon here\" is not a header field"},
      {" folded first\nTo: a@x\n", "line 1: a folded line with no field above it"},
      {"To: a@x\nTo: b@x\n", "line 2: a second To field"},
      {"To: a@x\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n", "line 2: Date is written when"},
      {"To: a@x\nContent-Type: text/html\n", "line 2: Content-Type is written when"},
      {"To: a@x\nReferences: <a@b>\n", "line 2: References is written when"},
      {"Bad Name: x\n", "line 1: \"Bad Name: x\" is not a header field"},
  };
  for (const Case& c : cases) {
    Result<EditableDraft> parsed = ParseDraftText(c.text, {});
    ASSERT_FALSE(parsed) << c.text;
    EXPECT_EQ(parsed.error().code, ErrorCode::kParse);
    EXPECT_NE(parsed.error().message.find(c.want), std::string::npos)
        << "got " << parsed.error().message << ", want " << c.want;
  }
}

TEST(ToMessageDraft, AddressesSubjectBodyAndThreading) {
  EditableDraft draft =
      Fields("Ada Lovelace <ada@example.org>", "Bob <bob@example.org>, \"Doe, J.\" <j@example.org>",
             "c@example.org", "hidden@example.org");
  draft.subject = "Café";
  draft.body = "Hi\n";
  draft.other_fields = {{"Reply-To", "list@example.org"}, {"X-Mood", "calm"}};
  draft.in_reply_to = "<p@x>";
  draft.references = {"<r@x>", "<p@x>"};
  Result<message::Draft> built = ToMessageDraft(draft);
  ASSERT_TRUE(built) << built.error().message;
  EXPECT_EQ(built->from, (message::Mailbox{"Ada Lovelace", "ada", "example.org"}));
  ASSERT_EQ(built->to.size(), 2u);
  EXPECT_EQ(built->to[1], (message::Mailbox{"Doe, J.", "j", "example.org"}));
  EXPECT_EQ(built->cc.size(), 1u);
  EXPECT_EQ(built->bcc.front().AddrSpec(), "hidden@example.org");
  EXPECT_TRUE(built->include_bcc);  // the submitter reads and then removes it
  EXPECT_EQ(built->reply_to.front().AddrSpec(), "list@example.org");
  EXPECT_EQ(built->extra_headers,
            (std::vector<std::pair<std::string, std::string>>{{"X-Mood", "calm"}}));
  EXPECT_EQ(built->subject, "Café");
  EXPECT_EQ(built->text, "Hi\n");
  EXPECT_EQ(built->in_reply_to, "<p@x>");
  EXPECT_EQ(built->references, draft.references);
}

TEST(ToMessageDraft, UnicodeDisplayNamesAsTyped) {
  Result<message::Draft> built =
      ToMessageDraft(Fields("ada@example.org", "山田太郎 <taro@example.jp>"));
  ASSERT_TRUE(built) << built.error().message;
  EXPECT_EQ(built->to.front(), (message::Mailbox{"山田太郎", "taro", "example.jp"}));
}

TEST(ToMessageDraft, Errors) {
  struct Case {
    EditableDraft draft;
    const char* want;
  } cases[] = {
      {Fields("ada@example.org", ""), "No recipients were specified"},
      {Fields("ada@example.org", "", "", ""), "No recipients were specified"},
      {Fields("", "b@x.org"), "From: needs exactly one address"},
      {Fields("a@x.org, b@x.org", "b@x.org"), "From: needs exactly one address"},
      {Fields("ada@example.org", "bob"), "To: \"bob\" is not a full address"},
      {Fields("ada@example.org", "b@x.org", "<unclosed@x.org"), "Cc: cannot read the addresses"},
  };
  for (const Case& c : cases) {
    Result<message::Draft> built = ToMessageDraft(c.draft);
    ASSERT_FALSE(built) << c.want;
    EXPECT_NE(built.error().message.find(c.want), std::string::npos)
        << "got " << built.error().message << ", want " << c.want;
  }
  // Bcc alone is enough.
  EXPECT_TRUE(ToMessageDraft(Fields("ada@example.org", "", "", "b@x.org")));
}

TEST(EditorAddress, NamesInUtf8QuotedOnlyWithSpecials) {
  EXPECT_EQ(EditorAddress({"", "ada", "example.org"}), "ada@example.org");
  EXPECT_EQ(EditorAddress({"Ada Lovelace", "ada", "example.org"}),
            "Ada Lovelace <ada@example.org>");
  EXPECT_EQ(EditorAddress({"山田太郎", "taro", "example.jp"}), "山田太郎 <taro@example.jp>");
  EXPECT_EQ(EditorAddress({"Doe, J. \"Jo\"", "j", "x.org"}), "\"Doe, J. \\\"Jo\\\"\" <j@x.org>");
}

TEST(WithCrlf, BareLineFeedsOnly) {
  EXPECT_EQ(WithCrlf("a\nb\r\nc\n\n"), "a\r\nb\r\nc\r\n\r\n");
  EXPECT_EQ(WithCrlf("\n"), "\r\n");
  EXPECT_EQ(WithCrlf("no end"), "no end");
  EXPECT_EQ(WithCrlf("cr\r alone"), "cr\r alone");
}

TEST(ToMessageDraft, AttachmentsKeptFromTheBase) {
  EditableDraft base = Fields("ada@example.org", "");
  base.attachments.push_back(message::Attachment{"", SampleOriginalCrlf(), "message/rfc822", true});
  Result<EditableDraft> edited =
      ParseDraftText("From: ada@example.org\nTo: b@x.org\n\nSee below.\n", base);
  ASSERT_TRUE(edited) << edited.error().message;
  Result<message::Draft> built = ToMessageDraft(*edited);
  ASSERT_TRUE(built) << built.error().message;
  ASSERT_EQ(built->attachments.size(), 1u);
  EXPECT_EQ(built->attachments.front().content, SampleOriginalCrlf());
  EXPECT_EQ(built->text, "See below.\n");
}

}  // namespace
}  // namespace pigeon::mua::compose
