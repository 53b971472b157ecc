#include "common/message/codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace pigeon::message {
namespace {

bool Has(const Defects& defects, DefectKind kind) {
  return std::any_of(defects.begin(), defects.end(),
                     [kind](const Defect& d) { return d.kind == kind; });
}

std::string RandomBytes(std::mt19937& rng, size_t max_size, std::string_view alphabet = {}) {
  std::string s(rng() % (max_size + 1), '\0');
  for (char& c : s) {
    c = alphabet.empty() ? static_cast<char>(rng()) : alphabet[rng() % alphabet.size()];
  }
  return s;
}

// Every line break of `s` as CRLF: what a CRLF-emitting encoder gives back after decoding.
std::string WithCrlf(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) out += '\r';
    out += s[i];
  }
  return out;
}

std::vector<std::string> SplitCrlf(const std::string& s) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = s.find("\r\n", start)) != std::string::npos; start = end + 2) {
    lines.push_back(s.substr(start, end - start));
  }
  lines.push_back(s.substr(start));
  return lines;
}

struct DecodeCase {
  const char* name;
  std::string_view input;
  std::string_view want;
  std::vector<DefectKind> defects;
};

TEST(Base64Decode, CaseTable) {
  using enum DefectKind;
  const DecodeCase cases[] = {
      {"empty", "", "", {}},
      {"one byte", "YQ==", "a", {}},
      {"two bytes", "YWI=", "ab", {}},
      {"three bytes", "YWJj", "abc", {}},
      {"rfc 4648 foobar", "Zm9vYmFy", "foobar", {}},
      {"crlf lines", "Zm9v\r\nYmFy\r\n", "foobar", {}},
      {"lf and spaces", " Zm9v\n  Ym Fy \n", "foobar", {}},
      {"whitespace inside padding", "YQ=\r\n=\r\n", "a", {}},
      {"garbage skipped", "Zm9v*YmFy!", "foobar", {kBase64InvalidCharacter}},
      {"url-safe alphabet is garbage", "-_-_", "", {kBase64InvalidCharacter}},
      {"missing padding", "YQ", "a", {kBase64BadPadding}},
      {"missing single pad", "YWI", "ab", {kBase64BadPadding}},
      {"lone sextet", "YWJjZ", "abc", {kBase64BadPadding}},
      {"stops at padding", "YQ==YWJj", "a", {kBase64BadPadding}},
      {"too much padding", "YQ===", "a", {kBase64BadPadding}},
      {"pad on quantum boundary", "YWJj=", "abc", {kBase64BadPadding}},
      {"only padding", "====", "", {kBase64BadPadding}},
      {"8-bit garbage", "Y\xffQ==", "a", {kBase64InvalidCharacter}},
  };
  for (const DecodeCase& c : cases) {
    Defects defects;
    EXPECT_EQ(DecodeBase64(c.input, &defects), c.want) << c.name;
    EXPECT_EQ(defects.size(), c.defects.size()) << c.name;
    for (DefectKind kind : c.defects) EXPECT_TRUE(Has(defects, kind)) << c.name;
  }
}

TEST(Base64Decode, ReportsGarbageOnce) {
  Defects defects;
  EXPECT_EQ(DecodeBase64(std::string(10000, '*') + "YWJj", &defects), "abc");
  EXPECT_EQ(defects.size(), 1u);
}

TEST(Base64Decode, AcceptsNullDefects) { EXPECT_EQ(DecodeBase64("Y*Q", nullptr), "a"); }

TEST(Base64Encode, Rfc4648Vectors) {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) EXPECT_EQ(EncodeBase64(plain), encoded);
}

TEST(Base64Encode, BreaksLinesAt76WithoutFinalCrlf) {
  EXPECT_EQ(EncodeBase64(std::string(57, 'x')).size(), 76u);
  const std::string two_lines = EncodeBase64(std::string(58, 'x'));
  EXPECT_EQ(two_lines.substr(76, 2), "\r\n");
  EXPECT_EQ(two_lines.size(), 76u + 2 + 4);
  const std::string many = EncodeBase64(std::string(1000, '\xAB'));
  for (const std::string& line : SplitCrlf(many)) EXPECT_LE(line.size(), 76u);
  EXPECT_NE(many.substr(many.size() - 2), "\r\n");
}

TEST(Base64Encode, NoLineBreaksWhenLengthZero) {
  EXPECT_EQ(EncodeBase64(std::string(300, 'x'), 0).find('\r'), std::string::npos);
}

TEST(Base64, RoundTripsRandomBytes) {
  std::mt19937 rng(2045);
  for (int i = 0; i < 2000; ++i) {
    const std::string data = RandomBytes(rng, 300);
    const size_t line_length = (i % 3 == 0) ? 0 : 4 + rng() % 100;
    Defects defects;
    ASSERT_EQ(DecodeBase64(EncodeBase64(data, line_length), &defects), data);
    EXPECT_TRUE(defects.empty());
  }
}

TEST(Base64Decode, EveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  EXPECT_EQ(DecodeBase64(EncodeBase64(all), nullptr), all);
}

TEST(QuotedPrintableDecode, CaseTable) {
  using enum DefectKind;
  const DecodeCase cases[] = {
      {"empty", "", "", {}},
      {"plain", "hello", "hello", {}},
      {"escape upper", "caf=C3=A9", "caf\xC3\xA9", {}},
      {"escape lower", "caf=c3=a9", "caf\xC3\xA9", {}},
      {"escaped equals", "a=3Db", "a=b", {}},
      {"soft break crlf", "long=\r\nline", "longline", {}},
      {"soft break lf", "long=\nline", "longline", {}},
      {"whitespace before soft break", "long= \t\r\nline", "longline", {}},
      {"soft break at end", "end=", "end", {}},
      {"hard break crlf kept", "a\r\nb", "a\r\nb", {}},
      {"hard break lf kept", "a\nb", "a\nb", {}},
      {"trailing whitespace dropped", "a \t\r\nb  ", "a\r\nb", {}},
      {"escaped trailing space kept", "a=20\r\n", "a \r\n", {}},
      {"underscore is literal", "a_b", "a_b", {}},
      {"bad escape kept", "100=%", "100=%", {kQuotedPrintableBadEscape}},
      {"half escape kept", "a=4g", "a=4g", {kQuotedPrintableBadEscape}},
      {"escape cut by line end", "a=4\r\nb", "a=4\r\nb", {kQuotedPrintableBadEscape}},
      {"escape before soft break", "a=3D=\r\nb", "a=b", {}},
      {"bare cr kept", "a\rb", "a\rb", {}},
      {"empty lines", "\r\n\r\n", "\r\n\r\n", {}},
      {"8-bit passes", "caf\xE9", "caf\xE9", {}},
      {"long line",
       std::string_view(
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
       std::string_view(
           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
       {kQuotedPrintableLongLine}},
  };
  for (const DecodeCase& c : cases) {
    Defects defects;
    EXPECT_EQ(DecodeQuotedPrintable(c.input, &defects), c.want) << c.name;
    EXPECT_EQ(defects.size(), c.defects.size()) << c.name;
    for (DefectKind kind : c.defects) EXPECT_TRUE(Has(defects, kind)) << c.name;
  }
}

TEST(QuotedPrintableDecode, ReportsEachKindOnce) {
  Defects defects;
  std::string input;
  for (int i = 0; i < 1000; ++i) input += "=zz " + std::string(80, 'y') + "\r\n";
  DecodeQuotedPrintable(input, &defects);
  EXPECT_EQ(defects.size(), 2u);
}

struct EncodeCase {
  const char* name;
  std::string_view input;
  std::string_view want;
};

TEST(QuotedPrintableEncode, CaseTable) {
  const EncodeCase cases[] = {
      {"empty", "", ""},
      {"plain", "hello world", "hello world"},
      {"equals", "a=b", "a=3Db"},
      {"utf-8", "caf\xC3\xA9", "caf=C3=A9"},
      {"trailing space", "a ", "a=20"},
      {"trailing tab", "a\t", "a=09"},
      {"trailing space before break", "a \nb", "a=20\r\nb"},
      {"inner whitespace kept", "a \tb", "a \tb"},
      {"lf becomes crlf", "a\nb\n", "a\r\nb\r\n"},
      {"crlf kept", "a\r\nb", "a\r\nb"},
      {"bare cr escaped", "a\rb", "a=0Db"},
      {"cr at end escaped", "a\r", "a=0D"},
      {"leading dot", ".\n.hidden", "=2E\r\n=2Ehidden"},
      {"dot inside line", "a.b", "a.b"},
      {"from line", "From me\nFrom: x\nFromage", "=46rom me\r\nFrom: x\r\nFromage"},
      {"controls", std::string_view("\x00\x7f", 2), "=00=7F"},
      {"question mark and underscore literal", "a?_b", "a?_b"},
  };
  for (const EncodeCase& c : cases) EXPECT_EQ(EncodeQuotedPrintable(c.input), c.want) << c.name;
}

TEST(QuotedPrintableEncode, SoftBreaksKeepLinesAt76) {
  const std::string encoded = EncodeQuotedPrintable(std::string(200, 'a'));
  const std::vector<std::string> lines = SplitCrlf(encoded);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], std::string(75, 'a') + "=");
  EXPECT_EQ(lines[1], std::string(75, 'a') + "=");
  EXPECT_EQ(lines[2], std::string(50, 'a'));
}

TEST(QuotedPrintableEncode, LastCharacterMayUseColumn76) {
  EXPECT_EQ(EncodeQuotedPrintable(std::string(76, 'a')), std::string(76, 'a'));
  EXPECT_EQ(EncodeQuotedPrintable(std::string(77, 'a')), std::string(75, 'a') + "=\r\naa");
}

TEST(QuotedPrintableEncode, NeverSplitsAnEscape) {
  const std::string encoded = EncodeQuotedPrintable(std::string(74, 'a') + "\xC3\xA9\xC3\xA9");
  EXPECT_EQ(encoded, std::string(74, 'a') + "=\r\n=C3=A9=C3=A9");
}

TEST(QuotedPrintableEncode, EscapesHazardsAfterSoftBreak) {
  EXPECT_EQ(EncodeQuotedPrintable(std::string(75, 'a') + ".x"), std::string(75, 'a') + "=\r\n=2Ex");
  EXPECT_EQ(EncodeQuotedPrintable(std::string(75, 'a') + "From x"),
            std::string(75, 'a') + "=\r\n=46rom x");
}

TEST(QuotedPrintable, RoundTripsRandomInput) {
  std::mt19937 rng(2047);
  for (int i = 0; i < 3000; ++i) {
    const std::string data =
        i % 2 == 0 ? RandomBytes(rng, 400) : RandomBytes(rng, 400, "ab .=\t\r\nF\xC3\xA9rom");
    const std::string encoded = EncodeQuotedPrintable(data);
    for (const std::string& line : SplitCrlf(encoded)) {
      ASSERT_LE(line.size(), 76u);
      ASSERT_FALSE(line.starts_with(".") || line.starts_with("From "));
      ASSERT_TRUE(line.empty() || (line.back() != ' ' && line.back() != '\t'));
    }
    Defects defects;
    ASSERT_EQ(DecodeQuotedPrintable(encoded, &defects), WithCrlf(data));
    EXPECT_TRUE(defects.empty());
  }
}

TEST(QDecode, CaseTable) {
  using enum DefectKind;
  const DecodeCase cases[] = {
      {"underscore is space", "a_b", "a b", {}},
      {"escaped underscore", "a=5Fb", "a_b", {}},
      {"escapes either case", "=C3=a9", "\xC3\xA9", {}},
      {"question mark literal", "why?", "why?", {}},
      {"bad escape kept", "a=XYb", "a=XYb", {kQuotedPrintableBadEscape}},
      {"escape cut at end", "a=C", "a=C", {kQuotedPrintableBadEscape}},
      {"lone equals", "=", "=", {kQuotedPrintableBadEscape}},
  };
  for (const DecodeCase& c : cases) {
    Defects defects;
    EXPECT_EQ(DecodeQ(c.input, &defects), c.want) << c.name;
    EXPECT_EQ(defects.size(), c.defects.size()) << c.name;
    for (DefectKind kind : c.defects) EXPECT_TRUE(Has(defects, kind)) << c.name;
  }
}

}  // namespace
}  // namespace pigeon::message
