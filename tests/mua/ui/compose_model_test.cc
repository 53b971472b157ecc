#include "mua/ui/compose_model.h"

#include <gtest/gtest.h>

namespace pigeon::mua::ui {
namespace {

compose::EditableDraft Draft() {
  compose::EditableDraft draft;
  draft.from = "Ada <ada@example.org>";
  draft.to = "bob@example.com";
  draft.subject = "Plan";
  draft.body = "line one\nline two\n";
  draft.other_fields = {{"X-Mood", "calm"}};
  return draft;
}

message::Attachment File(std::string name, size_t size, std::string type = "") {
  return message::Attachment{std::move(name), std::string(size, 'x'), std::move(type), false};
}

std::vector<std::string> Texts(const ComposeModel& model) {
  std::vector<std::string> texts;
  for (const ComposeRow& row : model.Rows()) texts.push_back(row.text);
  return texts;
}

TEST(ComposeModelTest, ShowsTheFieldsAlignedAsMuttDoes) {
  const ComposeModel model(Draft(), "");
  const std::vector<std::string> texts = Texts(model);
  ASSERT_GE(texts.size(), 10u);
  EXPECT_EQ(texts[0], "    From: Ada <ada@example.org>");
  EXPECT_EQ(texts[1], "      To: bob@example.com");
  EXPECT_EQ(texts[2], "      Cc: ");
  EXPECT_EQ(texts[3], "     Bcc: ");
  EXPECT_EQ(texts[4], " Subject: Plan");
  EXPECT_EQ(texts[5], "Reply-To: ");
  EXPECT_EQ(texts[6], "     Fcc: Sent");  // "" is the Sent folder
  EXPECT_EQ(texts[8], "-- Message: 2 lines, 18");
  EXPECT_EQ(texts[9], "-- No attachments (a attaches a file)");
  EXPECT_FALSE(model.changed());
}

TEST(ComposeModelTest, EditsFieldsAndReplyToAmongTheOtherFields) {
  ComposeModel model(Draft(), "work");
  model.SetField(ComposeField::kTo, "bob@example.com");  // the same value: no change
  EXPECT_FALSE(model.changed());
  model.SetField(ComposeField::kCc, "carol@example.net");
  EXPECT_TRUE(model.changed());
  model.SetField(ComposeField::kReplyTo, "list@example.org");
  EXPECT_EQ(model.Field(ComposeField::kReplyTo), "list@example.org");
  EXPECT_EQ(model.draft().cc, "carol@example.net");
  ASSERT_EQ(model.draft().other_fields.size(), 2u);
  EXPECT_EQ(model.draft().other_fields[1].first, "Reply-To");
  model.SetField(ComposeField::kReplyTo, "other@example.org");
  EXPECT_EQ(model.draft().other_fields.size(), 2u);  // replaced, not added
  model.SetField(ComposeField::kReplyTo, "");
  ASSERT_EQ(model.draft().other_fields.size(), 1u);  // removed
  EXPECT_EQ(model.draft().other_fields[0].first, "X-Mood");
  EXPECT_EQ(Texts(model)[6], "     Fcc: work");
}

TEST(ComposeModelTest, AttachesDetachesAndKeepsTheCursorOnAFile) {
  ComposeModel model(Draft(), "");
  EXPECT_FALSE(model.Detach());
  model.Attach(File("a.pdf", 3000, "application/pdf"));
  model.Attach(File("b.txt", 10));
  model.Attach(File("c.png", 5, "image/png"));
  EXPECT_EQ(model.cursor(), 2u);  // the file just attached
  const std::vector<ComposeRow> rows = model.Rows();
  ASSERT_EQ(rows.size(), 13u);
  EXPECT_EQ(rows[9].text, "-- Attachments");
  EXPECT_EQ(rows[10].text, "   1 a.pdf  [application/pdf, 2.9K]");
  EXPECT_EQ(rows[10].attachment, 0u);
  EXPECT_EQ(rows[11].text, "   2 b.txt  [application/octet-stream, 10]");
  model.SetCursor(7);  // kept within the list
  EXPECT_EQ(model.cursor(), 2u);
  model.SetCursor(1);
  EXPECT_TRUE(model.Detach());  // b.txt
  EXPECT_EQ(model.cursor(), 1u);
  ASSERT_EQ(model.draft().attachments.size(), 2u);
  EXPECT_EQ(model.draft().attachments[1].filename, "c.png");
  EXPECT_TRUE(model.Detach());  // the last one: the cursor steps back
  EXPECT_EQ(model.cursor(), 0u);
  EXPECT_GT(model.ApproximateSize(), 4000);  // base64 of 3000 bytes and the text
}

TEST(ComposeModelTest, TheEditorReplacesTheTextButKeepsTheAttachments) {
  ComposeModel model(Draft(), "");
  model.Attach(File("a.pdf", 10, "application/pdf"));
  compose::EditableDraft edited = Draft();
  edited.subject = "New plan";
  model.ReplaceFromEditor(edited);
  EXPECT_EQ(model.draft().subject, "New plan");
  ASSERT_EQ(model.draft().attachments.size(), 1u);
  EXPECT_EQ(model.draft().attachments[0].filename, "a.pdf");
  EXPECT_TRUE(model.changed());
}

}  // namespace
}  // namespace pigeon::mua::ui
