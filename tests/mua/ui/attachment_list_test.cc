#include "mua/ui/attachment_list.h"

#include <algorithm>
#include <clocale>

#include <gtest/gtest.h>

namespace pigeon::mua::ui {
namespace {

// Rows are made printable by display_width.h, which reads UTF-8 only in a UTF-8 locale.
class Utf8Locale : public ::testing::Environment {
 public:
  void SetUp() override { ASSERT_NE(std::setlocale(LC_ALL, "C.UTF-8"), nullptr); }
};
const ::testing::Environment* const kUtf8Locale =
    ::testing::AddGlobalTestEnvironment(new Utf8Locale);

// multipart/mixed: a text, a nested multipart/alternative, an attached message that is itself
// multipart, and a named PDF.
constexpr std::string_view kNested =
    "From: a@example.org\r\n"
    "Subject: nested\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=outer\r\n"
    "\r\n"
    "--outer\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Hello.\r\n"
    "--outer\r\n"
    "Content-Type: multipart/alternative; boundary=alt\r\n"
    "\r\n"
    "--alt\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "plain\r\n"
    "--alt\r\n"
    "Content-Type: text/html\r\n"
    "\r\n"
    "<p>html</p>\r\n"
    "--alt--\r\n"
    "--outer\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "Subject: =?UTF-8?Q?Caf=C3=A9?= minutes\r\n"
    "Content-Type: multipart/mixed; boundary=inner\r\n"
    "\r\n"
    "--inner\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "inner text\r\n"
    "--inner\r\n"
    "Content-Type: image/png; name=\"dot.png\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "iVBORw0K\r\n"
    "--inner--\r\n"
    "--outer\r\n"
    "Content-Type: application/pdf\r\n"
    "Content-Disposition: attachment; filename=\"../../etc/report\x01.pdf\"\r\n"
    "Content-Description: The =?UTF-8?Q?r=C3=A9port?=\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "JVBERi0xLjQK\r\n"
    "--outer--\r\n";

TEST(AttachmentRows, NestedMultipartsAndAnEnclosedMessage) {
  const message::Part root = message::ParseMime(kNested, nullptr);
  const std::vector<AttachmentRow> rows = AttachmentList::Rows(root);
  ASSERT_EQ(rows.size(), 8u);
  const auto expect = [&rows](size_t i, int depth, std::string tree, std::string type,
                              std::string description) {
    SCOPED_TRACE(i);
    EXPECT_EQ(rows[i].number, static_cast<int>(i) + 1);
    EXPECT_EQ(rows[i].depth, depth);
    EXPECT_EQ(rows[i].tree, tree);
    EXPECT_EQ(rows[i].part->content_type, type);
    EXPECT_EQ(rows[i].description, description);
  };
  expect(0, 0, "", "text/plain", "<no description>");
  expect(1, 0, "", "multipart/alternative", "<no description>");
  expect(2, 1, "├─>", "text/plain", "<no description>");
  expect(3, 1, "└─>", "text/html", "<no description>");
  expect(4, 0, "", "message/rfc822", "Café minutes");
  expect(5, 1, "├─>", "text/plain", "<no description>");
  expect(6, 1, "└─>", "image/png", "dot.png");
  expect(7, 0, "", "application/pdf", "The réport");
  EXPECT_EQ(rows[6].size, 6);  // decoded: "iVBORw0K" is 6 bytes
  const std::vector<const message::Part*> order = AttachmentOrder(root);
  ASSERT_EQ(order.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(order[i], rows[i].part);
  EXPECT_EQ(std::count(order.begin(), order.end(), &root), 0);  // the top multipart is no row
}

TEST(AttachmentRows, DeeperNestingDrawsTheAncestorsLines) {
  constexpr std::string_view kDeep =
      "Content-Type: multipart/mixed; boundary=a\r\n\r\n"
      "--a\r\nContent-Type: multipart/related; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: multipart/alternative; boundary=c\r\n\r\n"
      "--c\r\nContent-Type: text/plain\r\n\r\nx\r\n"
      "--c--\r\n"
      "--b\r\nContent-Type: image/gif\r\n\r\ny\r\n"
      "--b--\r\n"
      "--a--\r\n";
  const message::Part root = message::ParseMime(kDeep, nullptr);
  const std::vector<AttachmentRow> rows = AttachmentList::Rows(root);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1].tree, "├─>");
  EXPECT_EQ(rows[2].tree, "│ └─>");
  EXPECT_EQ(rows[3].tree, "└─>");
}

TEST(AttachmentRows, ASinglePartMessageIsOneRow) {
  const message::Part root = message::ParseMime("Subject: x\r\n\r\nbody\r\n", nullptr);
  const std::vector<AttachmentRow> rows = AttachmentList::Rows(root);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].part, &root);
  EXPECT_EQ(rows[0].part->content_type, "text/plain");
}

TEST(AttachmentRows, FormattedLikeMutt) {
  const message::Part root = message::ParseMime(kNested, nullptr);
  const std::vector<AttachmentRow> rows = AttachmentList::Rows(root);
  const std::string line = FormatAttachmentRow(rows[6], 60);
  EXPECT_EQ(line.rfind("  7 └─>dot.png", 0), 0u) << line;
  EXPECT_NE(line.find("[image/png, base64, 6] "), std::string::npos) << line;
  EXPECT_NE(FormatAttachmentRow(rows[0], 60).find("[text/plain, 7bit, utf-8, "), std::string::npos);
}

TEST(AttachmentListCursor, MovesAndScrolls) {
  const message::Part root = message::ParseMime(kNested, nullptr);
  AttachmentList list;
  list.SetRows(AttachmentList::Rows(root));
  list.Layout(3);
  EXPECT_FALSE(list.Previous());
  EXPECT_TRUE(list.Next());
  EXPECT_TRUE(list.NextPage());
  EXPECT_EQ(list.cursor(), 4);
  EXPECT_EQ(list.top(), 2);
  EXPECT_TRUE(list.Last());
  EXPECT_FALSE(list.Next());
  EXPECT_EQ(list.Selected()->number, 8);
  EXPECT_EQ(list.top(), 5);
  EXPECT_TRUE(list.First());
  EXPECT_EQ(list.top(), 0);
  AttachmentList empty;
  EXPECT_EQ(empty.Selected(), nullptr);
  EXPECT_FALSE(empty.Next());
}

}  // namespace
}  // namespace pigeon::mua::ui
