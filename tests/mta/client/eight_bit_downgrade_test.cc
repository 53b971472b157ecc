#include "mta/client/eight_bit_downgrade.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/message/mime.h"

namespace pigeon::mta::client {
namespace {

using message::Part;

std::string Crlf(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out.push_back('\r');
    out.push_back(text[i]);
  }
  return out;
}

std::vector<const Part*> Leaves(const Part& part) {
  if (!part.IsContainer()) return {&part};
  std::vector<const Part*> leaves;
  for (const Part& child : part.children) {
    for (const Part* leaf : Leaves(child)) leaves.push_back(leaf);
  }
  return leaves;
}

std::string Downgrade(std::string_view in) {
  Result<std::string> out = DowngradeTo7Bit(in);
  EXPECT_TRUE(out) << (out ? "" : out.error().message);
  if (!out) return "";
  EXPECT_FALSE(HasEightBit(*out)) << *out;
  return *out;
}

TEST(DowngradeTo7Bit, SevenBitMessageIsUnchanged) {
  const std::string in = "Subject: hi\r\n\r\nplain text\r\n";
  EXPECT_EQ(Downgrade(in), in);
}

TEST(DowngradeTo7Bit, NonMimeMessageGetsQuotedPrintableAndMimeVersion) {
  const std::string body =
      "Gr\xc3\xbc\xc3\x9f"
      "e aus K\xc3\xb6ln\n.\nFrom here\n";
  const std::string in = "Received: from a by b\nSubject: hi\n\n" + body;
  const std::string out = Downgrade(in);
  EXPECT_TRUE(out.starts_with("Received: from a by b\n")) << out;  // trace fields stay on top
  EXPECT_NE(out.find("Content-Transfer-Encoding: quoted-printable"), std::string::npos);
  EXPECT_NE(out.find("MIME-Version: 1.0"), std::string::npos);
  Part root = message::ParseMime(out, nullptr);
  EXPECT_EQ(root.transfer_encoding, "quoted-printable");
  EXPECT_EQ(root.DecodedBody(nullptr), Crlf(body));
}

TEST(DowngradeTo7Bit, ExistingTransferEncodingIsReplaced) {
  const std::string in =
      "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
      "Content-Transfer-Encoding: 8bit\r\n\r\ncaf\xc3\xa9\r\n";
  const std::string out = Downgrade(in);
  EXPECT_EQ(out,
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9\r\n");
}

// A message as a real mailer writes it: alternative text and HTML, an attachment, a forwarded
// message, a 7-bit part; LF line ends as the store may hold them.
const char kMultipart[] =
    "From: Ana <ana@example.org>\n"
    "To: bob@example.net\n"
    "Subject: =?utf-8?q?R=C3=A9sum=C3=A9?=\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"outer\"\n"
    "\n"
    "This is a multi-part message in MIME format.\n"
    "--outer\n"
    "Content-Type: multipart/alternative; boundary=inner\n"
    "\n"
    "--inner\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "\n"
    "Ol\xc3\xa1 Bob,\n"
    "o relat\xc3\xb3rio est\xc3\xa1 anexo.\n"
    ".\n"
    "-- \n"
    "Ana\n"
    "--inner\n"
    "Content-Type: text/html; charset=utf-8\n"
    "\n"
    "<p>Ol\xc3\xa1 Bob</p>\n"
    "--inner--\n"
    "--outer\n"
    "Content-Type: application/octet-stream; name=data.bin\n"
    "Content-Disposition: attachment; filename=data.bin\n"
    "\n"
    "\x01\x02\xff\xfe\x80 binary\n"
    "--outer\n"
    "Content-Type: text/plain; charset=us-ascii\n"
    "\n"
    "just ascii\n"
    "--outer\n"
    "Content-Type: message/rfc822\n"
    "\n"
    "From: carl@example.com\n"
    "Subject: fwd\n"
    "Content-Type: text/plain; charset=iso-8859-1\n"
    "Content-Transfer-Encoding: 8bit\n"
    "\n"
    "Fran\xe7ois\n"
    "--outer--\n"
    "epilogue\n";

TEST(DowngradeTo7Bit, MultipartLeavesDecodeToTheSameContent) {
  const std::string in = kMultipart;
  const Part before = message::ParseMime(in, nullptr);
  const std::string out = Downgrade(in);
  const Part after = message::ParseMime(out, nullptr);
  const std::vector<const Part*> old_leaves = Leaves(before);
  const std::vector<const Part*> new_leaves = Leaves(after);
  ASSERT_EQ(old_leaves.size(), 5u);
  ASSERT_EQ(new_leaves.size(), old_leaves.size());
  const std::vector<std::string> encodings = {"quoted-printable", "quoted-printable", "base64",
                                              "7bit", "quoted-printable"};
  for (size_t i = 0; i < old_leaves.size(); ++i) {
    EXPECT_EQ(new_leaves[i]->content_type, old_leaves[i]->content_type) << i;
    EXPECT_EQ(new_leaves[i]->transfer_encoding, encodings[i]) << i;
    const std::string original = old_leaves[i]->DecodedBody(nullptr);
    const std::string decoded = new_leaves[i]->DecodedBody(nullptr);
    if (old_leaves[i]->IsText()) {
      EXPECT_EQ(decoded, Crlf(original)) << i;
      EXPECT_EQ(new_leaves[i]->TextUtf8(nullptr), Crlf(old_leaves[i]->TextUtf8(nullptr))) << i;
    } else {
      EXPECT_EQ(decoded, original) << i;
    }
  }
  // The header, the 7-bit part and the structure are kept byte for byte.
  EXPECT_TRUE(out.starts_with(std::string(in.substr(0, in.find("--outer")))));
  EXPECT_NE(out.find("--outer\nContent-Type: text/plain; charset=us-ascii\n\njust ascii\n"),
            std::string::npos);
  EXPECT_TRUE(out.ends_with("--outer--\nepilogue\n"));
  EXPECT_EQ(after.children[3].children[0].header.Get("Subject"), "fwd");
}

TEST(DowngradeTo7Bit, PartWithoutFieldsGetsOne) {
  const std::string in =
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nna\xc3\xafve\r\n--b\r\n"
      "caf\xc3\xa9 without header\r\n--b--\r\n";
  const std::string out = Downgrade(in);
  const Part after = message::ParseMime(out, nullptr);
  ASSERT_EQ(after.children.size(), 2u);
  EXPECT_EQ(after.children[0].transfer_encoding, "quoted-printable");
  EXPECT_EQ(after.children[0].DecodedBody(nullptr), "na\xc3\xafve");
  EXPECT_EQ(after.children[1].transfer_encoding, "quoted-printable");
  EXPECT_EQ(after.children[1].DecodedBody(nullptr), "caf\xc3\xa9 without header");
}

TEST(DowngradeTo7Bit, EightBitPreambleIsBlanked) {
  const std::string in =
      "Content-Type: multipart/mixed; boundary=b\r\n\r\npr\xc3\xa9\r\n--b\r\n\r\nok\r\n--b--\r\n";
  const std::string out = Downgrade(in);
  EXPECT_NE(out.find("pr??\r\n--b"), std::string::npos);
}

TEST(DowngradeTo7Bit, EightBitHeadersCannotBeConverted) {
  Result<std::string> top = DowngradeTo7Bit("Subject: caf\xc3\xa9\r\n\r\nbody\xc3\xa9\r\n");
  ASSERT_FALSE(top);
  EXPECT_EQ(top.error().code, ErrorCode::kUnsupported);
  Result<std::string> part = DowngradeTo7Bit(
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
      "Content-Disposition: attachment; filename=\"\xc3\xa9.txt\"\r\n\r\nx\r\n--b--\r\n");
  ASSERT_FALSE(part);
  EXPECT_EQ(part.error().code, ErrorCode::kUnsupported);
}

TEST(DowngradeTo7Bit, MultipartWithoutPartsCannotBeEncoded) {
  Result<std::string> out =
      DowngradeTo7Bit("Content-Type: multipart/mixed\r\n\r\ncaf\xc3\xa9\r\n");  // no boundary
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, ErrorCode::kInvalidArgument);
}

TEST(DowngradeTo7Bit, GarbageInAnEncodedPartIsReencoded) {
  const std::string in =
      "Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
      "QUJD\xff\r\n";
  const std::string out = Downgrade(in);
  EXPECT_EQ(message::ParseMime(out, nullptr).DecodedBody(nullptr), "ABC");
}

}  // namespace
}  // namespace pigeon::mta::client
