// ParseMime (mime_parser.cc) and Part's decoding (mime.cc): tree shapes, defaults, delimiters
// as RFC 2046 and Python's feedparser read them, broken structure, and the bounds.
#include "common/message/mime.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>

#include "common/message/charset.h"

namespace pigeon::message {
namespace {

bool HasDefect(const Defects& defects, DefectKind kind) {
  for (const Defect& defect : defects) {
    if (defect.kind == kind) return true;
  }
  return false;
}

// The tree in pre-order as "type" lines indented by depth, for compact shape checks.
std::string Shape(const Part& part, int depth = 0) {
  std::string out = std::string(depth * 2, ' ') + part.content_type + "\n";
  for (const Part& child : part.children) out += Shape(child, depth + 1);
  return out;
}

int Depth(const Part& part) {
  int deepest = 0;
  const Part* p = &part;
  while (!p->children.empty()) {
    p = &p->children.back();
    ++deepest;
  }
  return deepest;
}

TEST(ParseMime, NoContentTypeIsTextPlain) {
  Defects defects;
  Part root = ParseMime("Subject: hi\r\n\r\nHello\r\n", &defects);
  EXPECT_EQ(root.content_type, "text/plain");
  EXPECT_EQ(root.charset, std::nullopt);
  EXPECT_EQ(root.transfer_encoding, "7bit");
  EXPECT_EQ(root.body, "Hello\r\n");
  EXPECT_FALSE(root.IsContainer());
  EXPECT_EQ(root.header.Get("Subject"), "hi");
  EXPECT_TRUE(defects.empty());
}

TEST(ParseMime, EmptyInput) {
  Part root = ParseMime("", nullptr);
  EXPECT_EQ(root.content_type, "text/plain");
  EXPECT_EQ(root.body, "");
}

TEST(ParseMime, ContentFields) {
  Part root = ParseMime(
      "Content-Type: Application/PDF; name=\"a.pdf\"\r\n"
      "Content-Disposition: ATTACHMENT; filename*=utf-8''%C3%A9t%C3%A9.pdf\r\n"
      "Content-Transfer-Encoding: Base64 (by hand)\r\n\r\nQUJD\r\n",
      nullptr);
  EXPECT_EQ(root.content_type, "application/pdf");
  EXPECT_EQ(root.disposition, "attachment");
  EXPECT_EQ(root.filename, "\xC3\xA9t\xC3\xA9.pdf");
  EXPECT_EQ(root.transfer_encoding, "base64");
  EXPECT_EQ(root.content_type_field.Param("name"), "a.pdf");
  EXPECT_EQ(root.DecodedBody(nullptr), "ABC");
}

TEST(ParseMime, FilenameFallsBackToContentTypeName) {
  Part root = ParseMime("Content-Type: image/png; name=\" x.png \"\n\n", nullptr);
  EXPECT_EQ(root.filename, "x.png");  // trimmed, as Python does
  EXPECT_EQ(root.disposition, std::nullopt);
}

struct TypeCase {
  const char* name;
  std::string_view content_type;
  std::string want;
  bool defect;
};

TEST(ParseMime, InvalidContentTypeIsTextPlain) {
  const TypeCase cases[] = {
      {"valid", "text/html", "text/html", false},
      {"no slash", "text", "text/plain", true},
      {"empty subtype", "image/", "text/plain", true},
      {"two slashes", "text/html/x", "text/plain", true},
      {"empty field", "", "text/plain", true},
      {"garbage", "@@@", "text/plain", true},
  };
  for (const TypeCase& c : cases) {
    Defects defects;
    Part root = ParseMime("Content-Type: " + std::string(c.content_type) + "\n\nx", &defects);
    EXPECT_EQ(root.content_type, c.want) << c.name;
    EXPECT_EQ(HasDefect(defects, DefectKind::kMimeInvalidContentType), c.defect) << c.name;
  }
}

constexpr std::string_view kSimpleMultipart =
    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
    "\r\n"
    "preamble line\r\n"
    "--b1\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "first\r\n"
    "\r\n"
    "--b1 \t\r\n"
    "\r\n"
    "second, no header\r\n"
    "--b1--\r\n"
    "epilogue\r\n";

TEST(ParseMime, SimpleMultipart) {
  Defects defects;
  Part root = ParseMime(kSimpleMultipart, &defects);
  EXPECT_EQ(Shape(root), "multipart/mixed\n  text/plain\n  text/plain\n");
  EXPECT_EQ(root.preamble, "preamble line");
  EXPECT_EQ(root.epilogue, "epilogue\r\n");
  // The line break before each delimiter belongs to the delimiter.
  EXPECT_EQ(root.children[0].body, "first\r\n");
  EXPECT_EQ(root.children[0].charset, "utf-8");
  EXPECT_EQ(root.children[1].body, "second, no header");
  EXPECT_TRUE(defects.empty());
}

TEST(ParseMime, LfOnlyAndNoPreamble) {
  Part root =
      ParseMime("Content-Type: multipart/mixed; boundary=x\n\n--x\n\na\n--x\n\nb\n--x--", nullptr);
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.preamble, "");
  EXPECT_EQ(root.children[0].body, "a");
  EXPECT_EQ(root.children[1].body, "b");
  EXPECT_EQ(root.epilogue, "");
}

TEST(ParseMime, LinesThatOnlyLookLikeDelimiters) {
  Part root = ParseMime(
      "Content-Type: multipart/mixed; boundary=b\n\n"
      "--b is the boundary, says the preamble\n"
      "--bb\n"
      "--b\n\n"
      "text\n"
      " --b\n"
      "--b-- trailing words\n"
      "--b---\n"
      "--b--\n",
      nullptr);
  EXPECT_EQ(root.preamble, "--b is the boundary, says the preamble\n--bb");
  ASSERT_EQ(root.children.size(), 1u);
  EXPECT_EQ(root.children[0].body, "text\n --b\n--b-- trailing words\n--b---");
}

TEST(ParseMime, RepeatedDelimitersMakeNoEmptyParts) {
  Part root =
      ParseMime("Content-Type: multipart/mixed; boundary=b\n\n--b\n--b\n\nx\n--b--\n", nullptr);
  ASSERT_EQ(root.children.size(), 1u);
  EXPECT_EQ(root.children[0].body, "x");
}

TEST(ParseMime, EmptyPartBeforeCloseDelimiter) {
  Part root = ParseMime("Content-Type: multipart/mixed; boundary=b\n\n--b\n--b--\n", nullptr);
  ASSERT_EQ(root.children.size(), 1u);
  EXPECT_EQ(root.children[0].body, "");
}

TEST(ParseMime, MissingFinalBoundary) {
  Defects defects;
  Part root =
      ParseMime("Content-Type: multipart/mixed; boundary=b\n\n--b\n\na\n--b\n\nlast\n", &defects);
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[1].body, "last");  // Python drops the final line break too
  EXPECT_TRUE(HasDefect(defects, DefectKind::kMimeMissingFinalBoundary));
}

TEST(ParseMime, MultipartWithoutBoundaryParameterIsALeaf) {
  Defects defects;
  Part root = ParseMime("Content-Type: multipart/alternative;\n\nBlah blah\n", &defects);
  EXPECT_EQ(root.content_type, "multipart/alternative");
  EXPECT_FALSE(root.IsContainer());
  EXPECT_EQ(root.body, "Blah blah\n");
  EXPECT_TRUE(HasDefect(defects, DefectKind::kMimeMissingBoundary));
}

TEST(ParseMime, BoundaryNeverUsed) {
  Defects defects;
  Part root = ParseMime("Content-Type: multipart/mixed; boundary=b\n\nHi there\n", &defects);
  EXPECT_FALSE(root.IsContainer());
  EXPECT_EQ(root.body, "Hi there\n");
  EXPECT_TRUE(HasDefect(defects, DefectKind::kMimeNoStartBoundary));
  // Only a close delimiter: the content is what precedes it (as Python reads it).
  root = ParseMime("Content-Type: multipart/mixed; boundary=b\n\nHi\n--b--\nafter\n", nullptr);
  EXPECT_FALSE(root.IsContainer());
  EXPECT_EQ(root.body, "Hi\n");
}

TEST(ParseMime, NestedBoundaryWithOuterAsPrefix) {
  Part root = ParseMime(
      "Content-Type: multipart/mixed; boundary=\"outer\"\n\n"
      "--outer\n"
      "Content-Type: multipart/alternative; boundary=\"outerX\"\n\n"
      "--outerX\n\none\n"
      "--outerX\n\ntwo\n"
      "--outerX--\n"
      "--outer\n\nthree\n"
      "--outer--\n",
      nullptr);
  EXPECT_EQ(Shape(root),
            "multipart/mixed\n  multipart/alternative\n    text/plain\n    text/plain\n"
            "  text/plain\n");
  EXPECT_EQ(root.children[0].children[1].body, "two");
  EXPECT_EQ(root.children[1].body, "three");
}

TEST(ParseMime, EnclosingBoundaryEndsInnerParts) {
  // The inner multipart never closes; "--outer" ends it (and its last part) all the same.
  Defects defects;
  Part root = ParseMime(
      "Content-Type: multipart/mixed; boundary=outer\n\n"
      "--outer\n"
      "Content-Type: multipart/mixed; boundary=outerinner\n\n"
      "--outerinner\n\nin\n"
      "--outer\n\nafter\n"
      "--outer--\n",
      &defects);
  EXPECT_EQ(Shape(root), "multipart/mixed\n  multipart/mixed\n    text/plain\n  text/plain\n");
  EXPECT_EQ(root.children[0].children[0].body, "in");
  EXPECT_EQ(root.children[1].body, "after");
  EXPECT_TRUE(HasDefect(defects, DefectKind::kMimeMissingFinalBoundary));
}

TEST(ParseMime, InnerMultipartReusingTheOuterBoundary) {
  // Python's msg_15: the outer boundary wins, the inner multipart finds no start delimiter.
  Part root = ParseMime(
      "Content-Type: multipart/mixed; boundary=b\n\n"
      "--b\nContent-Type: multipart/alternative; boundary=b\n\n\n"
      "--b\nContent-Type: text/plain\n\ntext\n"
      "--b--\n",
      nullptr);
  EXPECT_EQ(Shape(root), "multipart/mixed\n  multipart/alternative\n  text/plain\n");
  EXPECT_EQ(root.children[0].body, "\n");  // the break before "--b" stays, as Python keeps it
}

TEST(ParseMime, DigestDefaultsToMessage) {
  Part root = ParseMime(
      "Content-Type: multipart/digest; boundary=d\n\n"
      "--d\n\nSubject: one\n\nbody one\n"
      "--d\nContent-Type: text/plain\n\nnot a message\n"
      "--d\nContent-Type: bogus\n\ninvalid means text/plain even here\n"
      "--d--\n",
      nullptr);
  EXPECT_EQ(Shape(root),
            "multipart/digest\n  message/rfc822\n    text/plain\n  text/plain\n  text/plain\n");
  EXPECT_EQ(root.children[0].children[0].header.Get("Subject"), "one");
  EXPECT_EQ(root.children[0].children[0].body, "body one");
}

TEST(ParseMime, EnclosedMessage) {
  Part root = ParseMime(
      "Content-Type: multipart/mixed; boundary=m\n\n"
      "--m\nContent-Type: message/rfc822\n\n"
      "Subject: inner\nContent-Type: multipart/alternative; boundary=i\n\n"
      "--i\n\nplain\n--i--\n"
      "--m--\n",
      nullptr);
  EXPECT_EQ(Shape(root),
            "multipart/mixed\n  message/rfc822\n    multipart/alternative\n      text/plain\n");
  const Part& message = root.children[0];
  EXPECT_TRUE(message.IsMessage());
  EXPECT_EQ(message.children[0].header.Get("Subject"), "inner");
}

TEST(ParseMime, EncodedEnclosedMessageIsDecodedAndOwned) {
  // "Subject: x\n\nhello\n" in base64, which RFC 2046 forbids and mailers do anyway.
  std::string raw =
      "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
      "U3ViamVjdDogeAoKaGVsbG8K\n";
  Part copy;
  {
    Part root = ParseMime(raw, nullptr);
    copy = root.children.at(0);  // outlives the Part that decoded it
  }
  raw.assign(raw.size(), '#');  // the child must not view the caller's bytes
  EXPECT_EQ(copy.header.Get("Subject"), "x");
  EXPECT_EQ(copy.body, "hello\n");
}

TEST(ParseMime, DeliveryStatusBlocks) {
  Part root = ParseMime(
      "Content-Type: message/delivery-status\n\n"
      "Reporting-MTA: dns; a.example\n\n"
      "Final-Recipient: rfc822; x@b.example\nAction: failed\n\n"
      "Final-Recipient: rfc822; y@b.example\nAction: failed\n",
      nullptr);
  ASSERT_EQ(root.children.size(), 3u);
  EXPECT_EQ(root.children[2].header.Get("Final-Recipient"), "rfc822; y@b.example");
  EXPECT_EQ(root.children[2].body, "");
}

TEST(ParseMime, ExternalBodyEnclosesItsPhantomHeader) {
  Part root = ParseMime(
      "Content-Type: message/external-body; access-type=URL; URL=\"http://x\"\n\n"
      "Content-Type: text/plain\n\n",
      nullptr);
  EXPECT_EQ(Shape(root), "message/external-body\n  text/plain\n");
}

TEST(PartDecoding, TransferEncodings) {
  struct Case {
    const char* name;
    std::string encoding;
    std::string body;
    std::string want;
  };
  const Case cases[] = {
      {"7bit", "7bit", "as is\r\n", "as is\r\n"},
      {"base64", "base64", "aGVs\r\nbG8=\r\n", "hello"},
      {"quoted-printable", "quoted-printable", "caf=C3=A9 =\r\nok", "caf\xC3\xA9 ok"},
      {"uuencode", "x-uuencode", "begin 644 f.txt\n#86)C\n`\nend\n", "abc"},
      {"uuencode without begin", "x-uuencode", "junk\n", "junk\n"},
      {"unknown", "x-custom", "raw", "raw"},
  };
  for (const Case& c : cases) {
    Part part;
    part.transfer_encoding = c.encoding;
    part.body = c.body;
    EXPECT_EQ(part.DecodedBody(nullptr), c.want) << c.name;
  }
}

TEST(PartDecoding, TextUtf8UsesTheCharset) {
  Part part;
  part.content_type = "text/plain";
  part.body = "caf\xE9";
  part.charset = "ISO-8859-1";
  EXPECT_EQ(part.TextUtf8(nullptr), "caf\xC3\xA9");
  part.charset.reset();  // unlabelled 8-bit text: UTF-8 when it is valid UTF-8
  part.body = "caf\xC3\xA9";
  EXPECT_EQ(part.TextUtf8(nullptr), "caf\xC3\xA9");
}

std::string NestedMultiparts(int levels, bool distinct_boundaries) {
  std::string out;
  for (int i = 0; i < levels; ++i) {
    std::string b = distinct_boundaries ? "b" + std::to_string(i) : "b";
    out += "Content-Type: multipart/mixed; boundary=" + b + "\n\n--" + b + "\n";
  }
  return out + "\ninnermost\n";
}

// Runs `parse` and checks it takes well under a second (generous for sanitizer builds).
void ExpectFast(const std::function<void()>& parse) {
  auto start = std::chrono::steady_clock::now();
  parse();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(ParseMimeBounds, TenThousandNestedMultiparts) {
  std::string raw = NestedMultiparts(10000, true);
  ExpectFast([&raw] {
    Defects defects;
    Part root = ParseMime(raw, &defects);
    EXPECT_EQ(Depth(root), kMaxMimeDepth);
    EXPECT_TRUE(HasDefect(defects, DefectKind::kMimeNestingTooDeep));
  });
}

TEST(ParseMimeBounds, TenThousandNestedMessages) {
  std::string raw;
  for (int i = 0; i < 10000; ++i) raw += "Content-Type: message/rfc822\n\n";
  ExpectFast([&raw] {
    Part root = ParseMime(raw, nullptr);
    EXPECT_EQ(Depth(root), kMaxMimeDepth);
  });
}

TEST(ParseMimeBounds, SameBoundaryNestingIsFlat) {
  // Each inner "--b" is the outer delimiter, so this is one multipart with many parts.
  std::string raw = NestedMultiparts(5000, false);
  Part root = ParseMime(raw, nullptr);
  EXPECT_EQ(Depth(root), 1);
  EXPECT_EQ(root.children.size(), 5000u);
}

TEST(ParseMimeBounds, PartCountIsBounded) {
  std::string raw = "Content-Type: multipart/mixed; boundary=b\n\n";
  for (int i = 0; i < 3 * static_cast<int>(kMaxMimeParts); ++i) raw += "--b\n\nx\n";
  Defects defects;
  Part root = ParseMime(raw, &defects);
  EXPECT_EQ(root.children.size(), kMaxMimeParts - 1);  // the root counts too
  EXPECT_TRUE(HasDefect(defects, DefectKind::kMimeTooManyParts));
  EXPECT_FALSE(root.epilogue.empty());  // the rest is kept, unparsed
}

TEST(ParseMimeBounds, ManyNearDelimitersAtEveryLevel) {
  // Every body line starts like a delimiter of every level but is none: a rescanning parser
  // would be quadratic here.
  std::string raw;
  for (int i = 0; i < 30; ++i) {
    raw += "Content-Type: multipart/mixed; boundary=bound" + std::to_string(i) + "\n\n--bound" +
           std::to_string(i) + "\n";
  }
  raw += "\n";
  for (int i = 0; i < 200000; ++i) raw += "--bound1x\n";
  ExpectFast([&raw] { EXPECT_EQ(Depth(ParseMime(raw, nullptr)), 30); });
}

}  // namespace
}  // namespace pigeon::message
