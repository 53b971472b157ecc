#include "mua/compose/recalled_draft.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "common/message/builder.h"
#include "tests/mua/compose/sample_messages.h"

namespace pigeon::mua::compose {
namespace {

message::BuildContext Context() {
  message::BuildContext context;
  context.now_utc_seconds = 1'700'000'000;
  context.message_id_domain = "example.org";
  uint64_t next = 1;
  context.random = [next]() mutable { return next++ * 0x9e3779b97f4a7c15u; };
  return context;
}

std::string AllBytes() {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  return bytes + std::string("\r\n\n\r\0end", 8);
}

// A draft as the editor leaves it, with everything a recall must give back.
EditableDraft FullDraft() {
  EditableDraft draft;
  draft.from = "Zoë Müller <zoe@example.org>";
  draft.to = "Ada Lovelace <ada@example.org>, bob@example.org";
  draft.cc = "\"Lovelace, Ada\" <ada2@example.org>";
  draft.bcc = "Ćiril <ciril@example.org>";
  draft.subject = "Café — plans for the ☕ break, and a rather long subject that has to be folded";
  draft.other_fields = {{"Reply-To", "Team <team@example.org>"}, {"X-Project", "Grüße =?x?"}};
  draft.body = "Hello,\n\nsee the files.\n\n-- \nZoë\n";
  draft.in_reply_to = "<p2@example.org>";
  draft.references = {"<p1@example.org>", "<p2@example.org>"};
  draft.attachments.push_back({"data.bin", AllBytes(), "application/octet-stream", false});
  draft.attachments.push_back(
      {"Übersicht März.txt", "Zeile 1\r\nZeile 2 ü\r\n", "text/plain", true});
  draft.attachments.push_back({"", WithCrlf(SampleOriginalText()), "message/rfc822", false});
  return draft;
}

std::string Built(const EditableDraft& draft) {
  Result<message::Draft> built = ToMessageDraft(draft);
  EXPECT_TRUE(built.has_value()) << built.error().message;
  return message::BuildMessage(*built, Context());
}

Result<EditableDraft> Recall(std::string raw) {
  message::Message stored(std::move(raw));
  return RecalledDraft(stored);
}

TEST(RecalledDraft, RoundTripsWhatSaveDraftWrote) {
  const EditableDraft want = FullDraft();
  Result<EditableDraft> got = Recall(Built(want));
  ASSERT_TRUE(got.has_value()) << got.error().message;
  EXPECT_EQ(got->from, want.from);
  EXPECT_EQ(got->to, want.to);
  EXPECT_EQ(got->cc, want.cc);
  EXPECT_EQ(got->bcc, want.bcc);
  EXPECT_EQ(got->subject, want.subject);
  EXPECT_EQ(got->other_fields, want.other_fields);
  EXPECT_EQ(got->body, want.body);
  EXPECT_EQ(got->in_reply_to, want.in_reply_to);
  EXPECT_EQ(got->references, want.references);
  ASSERT_EQ(got->attachments.size(), want.attachments.size());
  for (size_t i = 0; i < want.attachments.size(); ++i) {
    const message::Attachment& a = got->attachments[i];
    const message::Attachment& b = want.attachments[i];
    EXPECT_EQ(a.filename, b.filename) << i;
    EXPECT_EQ(a.content, b.content) << i;
    EXPECT_EQ(a.content_type, b.content_type) << i;
    EXPECT_EQ(a.inline_disposition, b.inline_disposition) << i;
  }
  // Saving the recalled draft again gives the same message.
  EXPECT_EQ(Built(*got), Built(want));
  // The editor takes the recalled draft's text back unchanged.
  Result<EditableDraft> reparsed = ParseDraftText(DraftText(*got), *got);
  ASSERT_TRUE(reparsed.has_value()) << reparsed.error().message;
  EXPECT_EQ(reparsed->other_fields, want.other_fields);
  EXPECT_EQ(reparsed->body, want.body);
}

TEST(RecalledDraft, DecodesAQuotedPrintableLatin1Body) {
  Result<EditableDraft> got = Recall(
      "From: =?iso-8859-1?q?Andr=E9?= <andre@example.org>\r\n"
      "To: b@example.org\r\n"
      "Subject: =?iso-8859-1?q?=C7a_va?=\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=iso-8859-1\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n"
      "\r\n"
      "Caf=E9 cr=E8me, a long line that is soft=\r\n"
      " broken.\r\n"
      "--=20\r\n"
      "Andr=E9\r\n");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->from, "André <andre@example.org>");
  EXPECT_EQ(got->subject, "Ça va");
  EXPECT_EQ(got->body, "Café crème, a long line that is soft broken.\n-- \nAndré\n");
  EXPECT_TRUE(got->attachments.empty());
  EXPECT_TRUE(got->other_fields.empty());
  EXPECT_FALSE(got->in_reply_to.has_value());
}

TEST(RecalledDraft, LeavesOutTransportAndGeneratedFieldsKeepsTheFirstOfEachOther) {
  Result<EditableDraft> got = Recall(
      "Return-Path: <a@example.org>\n"
      "Received: from x by y; Tue, 2 Jan 2024 10:00:00 +0000\n"
      "Delivered-To: a@example.org\n"
      "X-Original-To: a@example.org\n"
      "Date: Tue, 2 Jan 2024 10:00:00 +0000\n"
      "Message-ID: <m@example.org>\n"
      "From: a@example.org\n"
      "To: b@example.org\n"
      "To: c@example.org\n"
      "X-Tag: one\n"
      "X-Tag: two\n"
      "X-Folded: a\n"
      "  b =?utf-8?q?=0Ac?=\n"
      "In-Reply-To: p@example.org\n"
      "MIME-Version: 1.0\n"
      "Content-Type: text/plain\n"
      "\n"
      "text\n");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->to, "b@example.org, c@example.org");
  const std::vector<std::pair<std::string, std::string>> want = {{"X-Tag", "one"},
                                                                 {"X-Folded", "a  b  c"}};
  EXPECT_EQ(got->other_fields, want);
  EXPECT_EQ(got->in_reply_to, "<p@example.org>");
  EXPECT_EQ(got->body, "text\n");
}

TEST(RecalledDraft, AnHtmlOnlyMessageGivesItsText) {
  Result<EditableDraft> got = Recall(
      "From: a@example.org\n"
      "To: b@example.org\n"
      "Content-Type: text/html; charset=utf-8\n"
      "\n"
      "<html><body><p>Hello <b>there</b> &amp; bye</p></body></html>\n");
  ASSERT_TRUE(got.has_value());
  EXPECT_NE(got->body.find("Hello there & bye"), std::string::npos) << got->body;
  EXPECT_EQ(got->body.find('<'), std::string::npos) << got->body;
  EXPECT_TRUE(got->attachments.empty());
}

TEST(RecalledDraft, AlternativeRenderingsOfTheBodyAreDropped) {
  Result<EditableDraft> got = Recall(
      "From: a@example.org\n"
      "Content-Type: multipart/mixed; boundary=m\n"
      "\n"
      "--m\n"
      "Content-Type: multipart/alternative; boundary=a\n"
      "\n"
      "--a\n"
      "Content-Type: text/plain\n"
      "\n"
      "plain\n"
      "--a\n"
      "Content-Type: text/html\n"
      "\n"
      "<p>html</p>\n"
      "--a--\n"
      "--m\n"
      "Content-Type: image/png; name=\"../../etc/x.png\"\n"
      "Content-Transfer-Encoding: base64\n"
      "\n"
      "iVBORw==\n"
      "--m--\n");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->body, "plain");  // the line end before a boundary is the boundary's
  ASSERT_EQ(got->attachments.size(), 1u);
  EXPECT_EQ(got->attachments[0].filename, "x.png");
  EXPECT_EQ(got->attachments[0].content_type, "image/png");
  EXPECT_EQ(got->attachments[0].content, "\x89PNG");
  EXPECT_FALSE(got->attachments[0].inline_disposition);
}

TEST(RecalledDraft, AMessageWithNoTextPartHasAnEmptyBody) {
  Result<EditableDraft> got = Recall(
      "From: a@example.org\n"
      "To: b@example.org\n"
      "Subject: scan\n"
      "Content-Type: multipart/mixed; boundary=m\n"
      "\n"
      "--m\n"
      "Content-Type: application/pdf\n"
      "Content-Disposition: attachment; filename*=utf-8''R%C3%A9sum%C3%A9.pdf\n"
      "Content-Transfer-Encoding: base64\n"
      "\n"
      "JVBERi0=\n"
      "--m\n"
      "Content-Type: text/plain\n"
      "Content-Disposition: attachment; filename=notes.txt\n"
      "\n"
      "notes\n"
      "--m--\n");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->body, "");
  ASSERT_EQ(got->attachments.size(), 2u);
  EXPECT_EQ(got->attachments[0].filename, "Résumé.pdf");
  EXPECT_EQ(got->attachments[0].content, "%PDF-");
  EXPECT_EQ(got->attachments[0].content_type, "application/pdf");
  EXPECT_EQ(got->attachments[1].filename, "notes.txt");
  EXPECT_EQ(got->attachments[1].content, "notes");
}

TEST(RecalledDraft, GarbageIsAnErrorOrAnEmptyDraftNeverACrash) {
  Result<EditableDraft> empty = Recall("");
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, ErrorCode::kParse);
  Result<EditableDraft> binary = Recall(std::string("\0\xff\xfe\r\n\r\n\x80", 8));
  EXPECT_FALSE(binary.has_value());
  const std::string odd[] = {
      "From: <<<@@@>>>, \"unclosed\nTo: =?utf-8?b?////?=\nSubject: =?bogus?q?=FF?=\n\nx",
      "Content-Type: multipart/mixed; boundary=\"\"\n\n--\n--\n",
      "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n!!!!\n",
      "X: y\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: multipart/"
      "alternative; boundary=b\n\n--b\n",
  };
  for (const std::string& raw : odd) {
    Result<EditableDraft> got = Recall(raw);
    ASSERT_TRUE(got.has_value()) << raw;
    EXPECT_EQ(got->from.find('\n'), std::string::npos);
  }
  // A second To of control characters alone adds nothing (not a trailing ", ").
  static constexpr char kBlankTo[] =
      "From: a@example.org\r\nTo: b@example.net\r\nTo: \0\0\0\r\n\r\n";
  Result<EditableDraft> blank = Recall(std::string(kBlankTo, sizeof kBlankTo - 1));
  ASSERT_TRUE(blank.has_value());
  EXPECT_EQ(blank->to, "b@example.net");
  // An unreadable address field is kept as text for the user to fix.
  Result<EditableDraft> kept = Recall("From: a@example.org\nTo: bob at example\n\n");
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->to, "bob at example");
}

store::MessageSummary CopyIn(int64_t id, int64_t folder_id) {
  store::MessageSummary copy;
  copy.id = id;
  copy.folder_id = folder_id;
  return copy;
}

TEST(RepliedOriginal, TakesTheOldestCopyOutsideDraftsAndSentThenOneInSent) {
  constexpr int64_t kInbox = 1, kDrafts = 2, kSent = 3, kArchive = 4;
  const store::MessageSummary received[] = {CopyIn(10, kSent), CopyIn(11, kDrafts),
                                            CopyIn(12, kArchive), CopyIn(13, kInbox)};
  EXPECT_EQ(RepliedOriginal(received, kDrafts, kSent), 12);
  const store::MessageSummary own[] = {CopyIn(20, kDrafts), CopyIn(21, kSent), CopyIn(22, kSent)};
  EXPECT_EQ(RepliedOriginal(own, kDrafts, kSent), 21);
  const store::MessageSummary only_a_draft[] = {CopyIn(30, kDrafts)};
  EXPECT_EQ(RepliedOriginal(only_a_draft, kDrafts, kSent), std::nullopt);
  EXPECT_EQ(RepliedOriginal({}, kDrafts, kSent), std::nullopt);
}

}  // namespace
}  // namespace pigeon::mua::compose
