#include "common/message/header.h"

#include <gtest/gtest.h>

namespace pigeon::message {
namespace {

struct SplitCase {
  const char* name;
  std::string_view input;
  std::string_view header;
  std::string_view body;
  bool has_separator;
};

TEST(SplitHeaderBody, CaseTable) {
  const SplitCase cases[] = {
      {"crlf", "A: 1\r\nB: 2\r\n\r\nbody\r\n", "A: 1\r\nB: 2\r\n", "body\r\n", true},
      {"lf", "A: 1\nB: 2\n\nbody\n", "A: 1\nB: 2\n", "body\n", true},
      {"mixed line ends", "A: 1\r\n\nbody", "A: 1\r\n", "body", true},
      {"empty header", "\r\nbody", "", "body", true},
      {"no body", "A: 1\r\n", "A: 1\r\n", "", false},
      {"no final line break", "A: 1", "A: 1", "", false},
      {"empty input", "", "", "", false},
      {"continuation", "A: 1\r\n 2\r\n\r\nx", "A: 1\r\n 2\r\n", "x", true},
      {"whitespace-only line continues", "A: 1\n \nB: 2\n\nx", "A: 1\n \nB: 2\n", "x", true},
      {"garbage line ends header", "A: 1\nthis is body\nmore\n", "A: 1\n", "this is body\nmore\n",
       false},
      {"mbox From line kept", "From a@b Sat Jan  3 01:05:34 1996\nA: 1\n\nx",
       "From a@b Sat Jan  3 01:05:34 1996\nA: 1\n", "x", true},
  };
  for (const SplitCase& c : cases) {
    HeaderBodySplit got = SplitHeaderBody(c.input);
    EXPECT_EQ(got.header, c.header) << c.name;
    EXPECT_EQ(got.body, c.body) << c.name;
    EXPECT_EQ(got.has_separator, c.has_separator) << c.name;
  }
}

TEST(HeaderParse, FieldsInOrderWithDuplicates) {
  Defects defects;
  Header header = Header::Parse("Received: a\r\nreceived: b\r\nSubject: hi\r\n", &defects);
  ASSERT_EQ(header.fields().size(), 3u);
  EXPECT_EQ(header.fields()[1].name, "received");
  EXPECT_EQ(header.FindAll("RECEIVED").size(), 2u);
  EXPECT_EQ(header.Get("subject"), "hi");
  EXPECT_EQ(header.Get("Missing"), std::nullopt);
  EXPECT_TRUE(defects.empty());
}

TEST(HeaderParse, UnfoldsContinuationLines) {
  Header header = Header::Parse("Subject: one\r\n two\r\n\tthree\r\nX: y\r\n", nullptr);
  const HeaderField* subject = header.Find("Subject");
  ASSERT_NE(subject, nullptr);
  EXPECT_EQ(subject->raw, " one\r\n two\r\n\tthree");
  EXPECT_EQ(subject->Unfolded(), "one two\tthree");
  EXPECT_EQ(header.Get("X"), "y");
}

TEST(HeaderParse, ObsoleteWhitespaceBeforeColon) {
  Defects defects;
  Header header = Header::Parse("Subject \t: hello\n", &defects);
  EXPECT_EQ(header.Get("Subject"), "hello");
  ASSERT_EQ(defects.size(), 1u);
  EXPECT_EQ(defects[0].kind, DefectKind::kHeaderWhitespaceBeforeColon);
}

TEST(HeaderParse, EmptyValueAndEightBitBytesKept) {
  Header header = Header::Parse("X-Empty:\nX-Raw: caf\xe9\n", nullptr);
  EXPECT_EQ(header.Get("X-Empty"), "");
  EXPECT_EQ(header.Get("X-Raw"), "caf\xe9");
}

TEST(HeaderParse, ContinuationBeforeAnyFieldIsADefect) {
  Defects defects;
  Header header = Header::Parse(" orphan\nA: 1\n", &defects);
  EXPECT_EQ(header.Get("A"), "1");
  ASSERT_FALSE(defects.empty());
  EXPECT_EQ(defects[0].kind, DefectKind::kHeaderContinuationFirst);
}

TEST(HeaderParse, SkipsMboxEnvelopeLine) {
  Header header = Header::Parse("From someone Sat Jan  3 01:05:34 1996\nFrom: a@b\n", nullptr);
  ASSERT_EQ(header.fields().size(), 1u);
  EXPECT_EQ(header.Get("From"), "a@b");
}

TEST(HeaderParse, BoundsTheNumberOfFields) {
  std::string many;
  for (size_t i = 0; i < kMaxHeaderFields + 10; ++i) many += "X: 1\n";
  Defects defects;
  Header header = Header::Parse(many, &defects);
  EXPECT_EQ(header.fields().size(), kMaxHeaderFields);
  ASSERT_FALSE(defects.empty());
  EXPECT_EQ(defects.back().kind, DefectKind::kLimitExceeded);
}

TEST(EqualsIgnoreCase, AsciiOnly) {
  EXPECT_TRUE(EqualsIgnoreCase("Content-Type", "content-TYPE"));
  EXPECT_FALSE(EqualsIgnoreCase("a", "ab"));
  EXPECT_FALSE(EqualsIgnoreCase("\xc3\xa9", "\xc3\x89"));
}

}  // namespace
}  // namespace pigeon::message
