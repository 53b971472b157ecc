#include "mua/compose/reply_draft.h"

#include <gtest/gtest.h>

#include "tests/mua/compose/sample_messages.h"

namespace pigeon::mua::compose {
namespace {

TEST(ReplySubject, ReOnceWhateverTheCase) {
  struct Case {
    const char* subject;
    const char* want;
  } cases[] = {
      {"Plan", "Re: Plan"},
      {"Re: Plan", "Re: Plan"},
      {"re: Plan", "Re: Plan"},
      {"RE: Plan", "Re: Plan"},
      {"Re:Plan", "Re: Plan"},
      {"Re: Re: Plan", "Re: Plan"},
      {"RE: re:  Plan", "Re: Plan"},
      {"  Re: Plan  ", "Re: Plan"},
      {"Reply needed", "Re: Reply needed"},
      {"Fwd: Re: Plan", "Re: Fwd: Re: Plan"},
      {"", "Re: your mail"},
      {"Re:", "Re: your mail"},
  };
  for (const Case& c : cases) EXPECT_EQ(ReplySubject(c.subject), c.want) << c.subject;
}

TEST(QuoteText, EveryLineBehindAMarker) {
  struct Case {
    const char* text;
    const char* want;
  } cases[] = {
      {"", ""},
      {"one", "> one\n"},
      {"one\ntwo\n", "> one\n> two\n"},
      {"one\n\nthree", "> one\n>\n> three\n"},
      {"> quoted\n", "> > quoted\n"},
      {"crlf\r\nline\r\n", "> crlf\n> line\n"},
      {"\n", ">\n"},
  };
  for (const Case& c : cases) EXPECT_EQ(QuoteText(c.text), c.want) << c.text;
}

TEST(ReplyReferences, ChainsFollowRfc5322) {
  struct Case {
    const char* name;
    const char* header;
    std::vector<std::string> want;
  } cases[] = {
      {"first reply", "Message-ID: <a@x>\n", {"<a@x>"}},
      {"references then the id",
       "Message-ID: <c@x>\nReferences: <a@x> <b@x>\n",
       {"<a@x>", "<b@x>", "<c@x>"}},
      {"folded references",
       "Message-ID: <c@x>\nReferences: <a@x>\n <b@x>\n",
       {"<a@x>", "<b@x>", "<c@x>"}},
      {"in-reply-to stands in", "Message-ID: <b@x>\nIn-Reply-To: <a@x>\n", {"<a@x>", "<b@x>"}},
      {"references win over in-reply-to",
       "Message-ID: <c@x>\nIn-Reply-To: <z@x>\nReferences: <a@x> <b@x>\n",
       {"<a@x>", "<b@x>", "<c@x>"}},
      {"two in-reply-to ids are ambiguous",
       "Message-ID: <c@x>\nIn-Reply-To: <a@x> <b@x>\n",
       {"<c@x>"}},
      {"its own id not twice", "Message-ID: <b@x>\nReferences: <a@x> <b@x>\n", {"<a@x>", "<b@x>"}},
      {"no id", "References: <a@x>\n", {"<a@x>"}},
      {"nothing", "Subject: x\n", {}},
  };
  for (const Case& c : cases) {
    message::Message original = Parse(std::string(c.header) + "\nbody\n");
    EXPECT_EQ(ReplyReferences(original), c.want) << c.name;
  }
}

TEST(Attribution, DateAsWrittenAndTheSendersName) {
  EXPECT_EQ(Attribution(Parse("Date: Tue, 2 Jan 2024 10:00:00 +0000\n"
                              "From: Ada Lovelace <ada@example.org>\n\nx\n")),
            "On Tue, 2 Jan 2024 10:00:00 +0000, Ada Lovelace wrote:");
  EXPECT_EQ(Attribution(Parse("Date: Tue, 2 Jan 2024 10:00:00 +0000\nFrom: ada@example.org\n\nx")),
            "On Tue, 2 Jan 2024 10:00:00 +0000, ada@example.org wrote:");
  EXPECT_EQ(Attribution(Parse("From: =?UTF-8?B?5bGx55Sw5aSq6YOO?= <taro@example.jp>\n\nx")),
            "山田太郎 wrote:");
  EXPECT_EQ(Attribution(Parse("Subject: x\n\nx")), "someone wrote:");
}

TEST(ReplyDraft, ToSubjectThreadingAndQuotedBody) {
  message::Message original = SampleOriginal();
  EditableDraft draft = ReplyDraft(original, "Me <me@example.org>");
  EXPECT_EQ(draft.from, "Me <me@example.org>");
  EXPECT_EQ(draft.to, "Ada Lovelace <ada@example.org>");
  EXPECT_EQ(draft.cc, "");
  EXPECT_EQ(draft.subject, "Re: Café plans");
  EXPECT_EQ(draft.in_reply_to, "<p2@example.org>");
  EXPECT_EQ(draft.references, (std::vector<std::string>{"<p1@example.org>", "<p2@example.org>"}));
  EXPECT_EQ(draft.body,
            "On Tue, 2 Jan 2024 10:00:00 +0000, Ada Lovelace wrote:\n"
            "> Café at noon?\n"
            ">\n"
            "> Ada\n");
}

TEST(ReplyDraft, ReplyToWinsOverFrom) {
  EditableDraft draft = ReplyDraft(Parse("From: ada@example.org\n"
                                         "Reply-To: List <list@example.org>, b@example.org\n"
                                         "Subject: Re: x\n\nhi\n"),
                                   "me@example.org");
  EXPECT_EQ(draft.to, "List <list@example.org>, b@example.org");
  EXPECT_EQ(draft.subject, "Re: x");
  EXPECT_FALSE(draft.in_reply_to.has_value());
}

TEST(ReplyDraft, QuotesTheTextPartOfAMultipart) {
  EditableDraft draft = ReplyDraft(Parse("From: ada@example.org\n"
                                         "MIME-Version: 1.0\n"
                                         "Content-Type: multipart/alternative; boundary=b\n"
                                         "\n"
                                         "--b\n"
                                         "Content-Type: text/plain\n"
                                         "\n"
                                         "plain words\n"
                                         "--b\n"
                                         "Content-Type: text/html\n"
                                         "\n"
                                         "<p>html words</p>\n"
                                         "--b--\n"),
                                   "me@example.org");
  EXPECT_EQ(draft.body, "ada@example.org wrote:\n> plain words\n");
}

TEST(ReplyDraft, ParsesBackAndBuilds) {
  EditableDraft draft = ReplyDraft(Parse("From: \"Doe, J.\" <j@example.org>\n"
                                         "Message-ID: <m@x>\nSubject: hi\n\nhello\n"),
                                   "me@example.org");
  Result<EditableDraft> parsed = ParseDraftText(DraftText(draft) + "My answer.\n", draft);
  ASSERT_TRUE(parsed) << parsed.error().message;
  Result<message::Draft> built = ToMessageDraft(*parsed);
  ASSERT_TRUE(built) << built.error().message;
  EXPECT_EQ(built->to.front(), (message::Mailbox{"Doe, J.", "j", "example.org"}));
  EXPECT_EQ(built->in_reply_to, "<m@x>");
  EXPECT_EQ(built->text, "Doe, J. wrote:\n> hello\nMy answer.\n");
}

TEST(IsOwnAddress, LocalPartExactDomainAnyCase) {
  const std::vector<message::Mailbox> own = {kSampleOwner};
  EXPECT_TRUE(IsOwnAddress({"", "me", "example.org"}, own));
  EXPECT_TRUE(IsOwnAddress({"Someone Else", "me", "Example.ORG"}, own));
  EXPECT_FALSE(IsOwnAddress({"", "ME", "example.org"}, own));
  EXPECT_FALSE(IsOwnAddress({"", "me", "example.net"}, own));
  EXPECT_FALSE(IsOwnAddress({"", "me", "example.org"}, {}));
}

std::vector<std::string> AddrSpecs(const std::vector<message::Mailbox>& mailboxes) {
  std::vector<std::string> out;
  for (const message::Mailbox& mailbox : mailboxes) out.push_back(mailbox.AddrSpec());
  return out;
}

TEST(GroupReplyRecipients, AddressSets) {
  using Specs = std::vector<std::string>;
  struct Case {
    const char* name;
    const char* header;
    Specs to, cc;
  } cases[] = {
      {"the sample: owner out, duplicates out, ME is someone else",
       nullptr,
       {"ada@example.org"},
       {"bob@example.org", "carol@example.org", "ME@example.org"}},
      {"reply-to wins over from; from not in cc",
       "From: a@x.org\nReply-To: list@x.org\nTo: me@example.org, b@x.org\n",
       {"list@x.org"},
       {"b@x.org"}},
      {"an address in to is not repeated in cc",
       "From: a@x.org\nTo: A@X.ORG, a@x.org, b@x.org\nCc: b@x.org\n",
       {"a@x.org"},
       {"A@X.ORG", "b@x.org"}},
      {"own message: cc moves up to to",
       "From: Me <me@example.org>\nTo: b@x.org\nCc: c@x.org, me@example.org\n",
       {"b@x.org", "c@x.org"},
       {}},
      {"only the owner", "From: me@example.org\nTo: me@EXAMPLE.org\n", {}, {}},
      {"groups flattened",
       "From: a@x.org\nTo: team: b@x.org, c@x.org;\n",
       {"a@x.org"},
       {"b@x.org", "c@x.org"}},
  };
  for (const Case& c : cases) {
    const message::Message original =
        c.header == nullptr ? SampleOriginal() : Parse(std::string(c.header) + "\nbody\n");
    const ReplyRecipients got = GroupReplyRecipients(original, {kSampleOwner});
    EXPECT_EQ(AddrSpecs(got.to), c.to) << c.name;
    EXPECT_EQ(AddrSpecs(got.cc), c.cc) << c.name;
  }
}

TEST(GroupReplyDraft, ReplyWithCcAndTheSameThreading) {
  EditableDraft draft = GroupReplyDraft(SampleOriginal(), "Me <me@example.org>", {kSampleOwner});
  EXPECT_EQ(draft.to, "Ada Lovelace <ada@example.org>");
  EXPECT_EQ(draft.cc, "Bob <bob@example.org>, carol@example.org, ME@example.org");
  EXPECT_EQ(draft.subject, "Re: Café plans");
  EXPECT_EQ(draft.in_reply_to, "<p2@example.org>");
  EXPECT_EQ(draft.references, (std::vector<std::string>{"<p1@example.org>", "<p2@example.org>"}));
  EXPECT_TRUE(draft.body.starts_with("On Tue, 2 Jan 2024 10:00:00 +0000, Ada Lovelace wrote:\n"));
}

TEST(ListReplyDraft, ToTheListPostAddress) {
  std::optional<EditableDraft> draft = ListReplyDraft(SampleOriginal(), "Me <me@example.org>");
  ASSERT_TRUE(draft.has_value());
  EXPECT_EQ(draft->to, "dev@lists.example.org");
  EXPECT_EQ(draft->cc, "");
  EXPECT_EQ(draft->subject, "Re: Café plans");
  EXPECT_EQ(draft->in_reply_to, "<p2@example.org>");
  EXPECT_EQ(draft->references, (std::vector<std::string>{"<p1@example.org>", "<p2@example.org>"}));
  EXPECT_EQ(draft->body,
            "On Tue, 2 Jan 2024 10:00:00 +0000, Ada Lovelace wrote:\n"
            "> Café at noon?\n"
            ">\n"
            "> Ada\n");
}

TEST(ListReplyDraft, NoListNoDraft) {
  for (const char* header : {"From: a@x.org\n", "From: a@x.org\nList-Post: NO\n",
                             "From: a@x.org\nList-Post: NO (posting not allowed)\n",
                             "From: a@x.org\nList-Post: <http://x.org/post>\n"}) {
    EXPECT_FALSE(ListReplyDraft(Parse(std::string(header) + "\nhi\n"), "me@example.org")) << header;
  }
}

}  // namespace
}  // namespace pigeon::mua::compose
