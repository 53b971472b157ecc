#include "common/message/charset.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace pigeon::message {
namespace {

constexpr std::string_view kFffd = "\xEF\xBF\xBD";

bool Has(const Defects& defects, DefectKind kind) {
  return std::any_of(defects.begin(), defects.end(),
                     [kind](const Defect& d) { return d.kind == kind; });
}

struct Utf8Case {
  const char* name;
  std::string_view input;
  bool valid;
  std::string_view sanitized;  // SanitizeUtf8(input)
};

TEST(Utf8, ValidationAndRepairCaseTable) {
  const Utf8Case cases[] = {
      {"empty", "", true, ""},
      {"ascii", "hello", true, "hello"},
      {"nul is valid", std::string_view("a\0b", 3), true, std::string_view("a\0b", 3)},
      {"two bytes", "caf\xC3\xA9", true, "caf\xC3\xA9"},
      {"three bytes", "\xE2\x82\xAC", true, "\xE2\x82\xAC"},
      {"four bytes", "\xF0\x9F\x98\x80", true, "\xF0\x9F\x98\x80"},
      {"max code point", "\xF4\x8F\xBF\xBF", true, "\xF4\x8F\xBF\xBF"},
      {"lone continuation", "a\x80z", false, "a\xEF\xBF\xBDz"},
      {"overlong slash", "\xC0\xAF", false, "\xEF\xBF\xBD\xEF\xBF\xBD"},
      {"overlong three", "\xE0\x80\xAF", false, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
      {"surrogate", "\xED\xA0\x80", false, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
      {"above U+10FFFF", "\xF4\x90\x80\x80", false,
       "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
      {"f5 lead", "\xF5\x80", false, "\xEF\xBF\xBD\xEF\xBF\xBD"},
      {"ff", "\xFF", false, "\xEF\xBF\xBD"},
      {"truncated three at end", "a\xE2\x82", false, "a\xEF\xBF\xBD"},
      {"truncated four then ascii", "\xF0\x9F\x98z", false, "\xEF\xBF\xBDz"},
      {"latin-1 word", "caf\xE9!", false, "caf\xEF\xBF\xBD!"},
      // The example of the Unicode Standard §3.9, "U+FFFD substitution of maximal subparts".
      {"unicode 3.9 example", "\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64", false,
       "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
       "b\xEF\xBF\xBD"
       "c\xEF\xBF\xBD\xEF\xBF\xBD"
       "d"},
  };
  for (const Utf8Case& c : cases) {
    EXPECT_EQ(IsValidUtf8(c.input), c.valid) << c.name;
    EXPECT_EQ(SanitizeUtf8(c.input), c.sanitized) << c.name;
  }
}

TEST(Utf8, FastPathFindsErrorAtEveryOffset) {
  // The ASCII fast path reads eight bytes at a time; an error at any offset must be seen.
  for (size_t offset = 0; offset < 40; ++offset) {
    std::string s(48, 'x');
    s[offset] = '\x80';
    EXPECT_FALSE(IsValidUtf8(s)) << offset;
    s.replace(offset, 1, "\xC3\xA9");
    EXPECT_TRUE(IsValidUtf8(s)) << offset;
  }
}

TEST(Utf8, SanitizedIsAlwaysValidAndIdempotent) {
  std::mt19937 rng(3629);
  for (int i = 0; i < 5000; ++i) {
    std::string s(rng() % 64, '\0');
    for (char& c : s) c = static_cast<char>(i % 2 ? rng() : 0x7F + rng() % 0x81);
    const std::string clean = SanitizeUtf8(s);
    ASSERT_TRUE(IsValidUtf8(clean));
    ASSERT_EQ(SanitizeUtf8(clean), clean);
    if (IsValidUtf8(s)) {
      ASSERT_EQ(clean, s);
    }
  }
}

TEST(BytesToUtf8, CaseTable) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"plain", "plain"},
      {"caf\xC3\xA9", "caf\xC3\xA9"},                        // valid UTF-8 as is
      {"caf\xE9", "caf\xC3\xA9"},                            // latin-1
      {"\x93quoted\x94", "\xE2\x80\x9Cquoted\xE2\x80\x9D"},  // windows-1252 quotes
      {"\x80 5", "\xE2\x82\xAC 5"},                          // euro sign
      {"\x81", kFffd},                                       // undefined in 1252
      {"\xFF\xFE", "\xC3\xBF\xC3\xBE"},
  };
  for (const auto& [input, want] : cases) EXPECT_EQ(BytesToUtf8(input), want) << input;
}

TEST(NormalizeCharset, AliasesAndMislabels) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"UTF-8", "utf-8"},
      {"utf8", "utf-8"},
      {"UTF_8", "utf-8"},
      {"x-utf-8", "utf-8"},
      {"unicode-1-1-utf-7", "utf-7"},
      {"utf16le", "utf-16le"},
      {"latin1", "iso-8859-1"},
      {"Latin-1", "iso-8859-1"},
      {"ISO8859-1", "iso-8859-1"},
      {"iso_8859-1:1987", "iso-8859-1"},
      {"ISO_8859-15", "iso-8859-15"},
      {"iso-8859-8-i", "iso-8859-8"},
      {"latin9", "iso-8859-15"},
      {"cp1252", "windows-1252"},
      {"x-cp1250", "windows-1250"},
      {"win-1251", "windows-1251"},
      {"WINDOWS-1257", "windows-1257"},
      {"ascii", "us-ascii"},
      {"US-ASCII", "us-ascii"},
      {"ANSI_X3.4-1968", "us-ascii"},
      {"x-sjis", "shift_jis"},
      {"Shift-JIS", "shift_jis"},
      {"windows-31j", "shift_jis"},
      {"x-euc-jp", "euc-jp"},
      {"csISO2022JP", "iso-2022-jp"},
      {"ks_c_5601-1987", "cp949"},
      {"EUC-KR", "euc-kr"},
      {"gb2312", "gbk"},
      {"GB_2312-80", "gbk"},
      {"GB18030", "gb18030"},
      {"x-x-big5", "big5"},
      {"koi8r", "koi8-r"},
      {"tis-620", "windows-874"},
      {" \"utf-8\" ", "utf-8"},
      {"X-Unknown-Thing", "x-unknown-thing"},
      {"", ""},
  };
  for (const auto& [input, want] : cases) EXPECT_EQ(NormalizeCharset(input), want) << input;
}

struct ConvertCase {
  const char* charset;
  std::string_view bytes;
  std::string_view want;
};

TEST(ToUtf8, EveryCommonCharset) {
  const ConvertCase cases[] = {
      {"utf-8", "\xE6\x97\xA5\xE6\x9C\xAC", "日本"},
      {"us-ascii", "plain text", "plain text"},
      {"iso-8859-1", "Andr\xE9", "André"},
      {"iso-8859-1", "\x80", "€"},  // as windows-1252, like every reader
      {"windows-1252", "\x93hi\x94 \x85", "“hi” …"},
      {"iso-8859-2", "\x5A\x61\xBF\xF3\xB3\xE6", "Zażółć"},
      {"iso-8859-5", "\xBF\xE0\xD8\xD2\xD5\xE2", "Привет"},
      {"iso-8859-7", "\xC5\xEB\xEB\xE7\xED\xE9\xEA\xDC", "Ελληνικά"},
      {"iso-8859-8", "\xF9\xEC\xE5\xED", "שלום"},
      {"iso-8859-9",
       "T\xFCrk\xE7"
       "e",
       "Türkçe"},
      {"iso-8859-15", "\xA4", "€"},
      {"windows-1251", "\xCF\xF0\xE8\xE2\xE5\xF2", "Привет"},
      {"koi8-r", "\xF0\xD2\xC9\xD7\xC5\xD4", "Привет"},
      {"koi8-u", "\xB7", "Ї"},
      {"shift_jis", "\x82\xB1\x82\xF1\x82\xC9\x82\xBF\x82\xCD", "こんにちは"},
      {"shift_jis", "C:\\tmp", "C:\\tmp"},  // 0x5C stays a backslash
      {"x-sjis", "\x87\x40", "①"},          // NEC row 13, as cp932
      {"euc-jp", "\xA4\xB3\xA4\xF3\xA4\xCB\xA4\xC1\xA4\xCF", "こんにちは"},
      {"iso-2022-jp", "\x1B$B$3$s$K$A$O\x1B(B", "こんにちは"},
      {"iso-2022-jp", "\x1B(I12\x1B(B", "ｱｲ"},  // half-width katakana, seen in the wild
      {"gb2312", "\xC4\xE3\xBA\xC3", "你好"},
      {"gbk", "\x80", "€"},
      {"gb18030", "\x81\x30\x81\x30", "\xC2\x80"},  // four-byte form
      {"big5", "\xA4\xA4\xA4\xE5", "中文"},
      {"euc-kr", "\xC7\xD1\xB1\xDB", "한글"},
      {"ks_c_5601-1987", "\xC7\xD1\xB1\xDB\x81\x41", "한글갂"},  // cp949 extension
      {"windows-874", "\xE4\xB7\xC2", "ไทย"},
      {"utf-16", std::string_view("\xFE\xFF\x00h\x00i", 6), "hi"},
      {"utf-16le", std::string_view("h\0i\0", 4), "hi"},
      {"utf-7", "Hi Mom -+Jjo--!", "Hi Mom -☺-!"},  // RFC 2152 example
      {"macintosh", "\x8E", "é"},
  };
  for (const ConvertCase& c : cases) {
    Defects defects;
    EXPECT_EQ(ToUtf8(c.bytes, c.charset, &defects), c.want) << c.charset;
    EXPECT_TRUE(defects.empty()) << c.charset;
  }
}

TEST(ToUtf8, EightBitInUsAsciiIsAMislabelReadAsUtf8OrWindows1252) {
  const ConvertCase cases[] = {
      {"us-ascii", "caf\xE9", "café"},
      {"US-ASCII", "caf\xC3\xA9", "café"},
      {"ascii", "\x93quoted\x94", "“quoted”"},
  };
  for (const ConvertCase& c : cases) {
    Defects defects;
    EXPECT_EQ(ToUtf8(c.bytes, c.charset, &defects), c.want) << c.bytes;
    ASSERT_EQ(defects.size(), 1u) << c.bytes;
    EXPECT_EQ(defects[0].kind, DefectKind::kCharsetInvalidBytes);
  }
}

TEST(ToUtf8, InvalidSequencesBecomeReplacementCharacters) {
  const ConvertCase cases[] = {
      {"utf-8",
       "a\xFF"
       "b",
       "a\xEF\xBF\xBD"
       "b"},
      {"windows-1252",
       "a\x81"
       "b",
       "a\xEF\xBF\xBD"
       "b"},
      {"shift_jis", "\x82\xB1\x82", "こ\xEF\xBF\xBD"},         // truncated at the end
      {"euc-jp", "\xA4\xB3\xFF\xA4\xF3", "こ\xEF\xBF\xBDん"},  // resynchronizes
      {"iso-2022-jp", "\x1B$B$3\x80$s\x1B(B", "こ\xEF\xBF\xBDん"},
      {"utf-16le", "h", "\xEF\xBF\xBD"},
      {"gbk", "\xC4\xE3\xFF", "你\xEF\xBF\xBD"},
  };
  for (const ConvertCase& c : cases) {
    Defects defects;
    EXPECT_EQ(ToUtf8(c.bytes, c.charset, &defects), c.want) << c.charset;
    EXPECT_TRUE(Has(defects, DefectKind::kCharsetInvalidBytes)) << c.charset;
  }
}

TEST(ToUtf8, UnknownCharsetFallsBack) {
  for (std::string_view charset : {"x-klingon", "", "utf-8//IGNORE", "UTF-8//TRANSLIT",
                                   "../../etc/passwd", "x-user-defined", "unknown-8bit"}) {
    Defects defects;
    EXPECT_EQ(ToUtf8("caf\xE9", charset, &defects), "café") << charset;
    EXPECT_TRUE(Has(defects, DefectKind::kUnknownCharset)) << charset;
  }
  Defects defects;
  EXPECT_EQ(ToUtf8("caf\xC3\xA9", "x-klingon", &defects), "café");
}

// Converters are reused per thread (see charset.cc): a conversion that ends in a shifted state
// or after a byte order mark, or many charsets taking turns, must not change how any text
// reads. Each case is first converted on a new thread, with nothing cached.
TEST(ToUtf8, NoConversionInheritsStateFromThePreviousOne) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"iso-2022-jp", "\x1B$B$3"},  // ends in JIS X 0208 mode
      {"iso-2022-jp", "$3"},
      {"utf-16", std::string("\xFF\xFEh\0", 4)},  // little-endian mark
      {"utf-16", std::string("\0h", 2)},          // no mark
      {"shift_jis", "\x82\xB1 \xC1\xC2"},
      {"euc-jp", "\xA4\xB3 \xC1\xC2"},
      {"gbk", "\xC1\xC2"},
      {"big5", "\xC1\xC2"},
      {"euc-kr", "\xC1\xC2"},
      {"koi8-r", "\xC1\xC2"},
      {"koi8-u", "\xC1\xC2"},
      {"cp1251", "\xC1\xC2"},
      {"iso-8859-5", "\xC1\xC2"},
      {"gb18030", "\xC1\xC2"},
      {"utf-7", "+AGE-"},
      {"iso-2022-kr", "\x1B$)C\x0E\x21\x21"},
  };
  std::vector<std::string> fresh(cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    std::thread([&, i] { fresh[i] = ToUtf8(cases[i].second, cases[i].first, nullptr); }).join();
  }
  EXPECT_EQ(fresh[0], "こ");
  EXPECT_EQ(fresh[1], "$3");
  EXPECT_EQ(fresh[2], "h");
  // Forwards, backwards and forwards again, more charsets than the cache keeps.
  for (int round = 0; round < 3; ++round) {
    for (size_t k = 0; k < cases.size(); ++k) {
      const size_t i = round == 1 ? cases.size() - 1 - k : k;
      EXPECT_EQ(ToUtf8(cases[i].second, cases[i].first, nullptr), fresh[i])
          << cases[i].first << " case " << i << " round " << round;
    }
  }
}

TEST(ToUtf8, LargeInputGrowsOutput) {
  // Each byte becomes three UTF-8 bytes: the buffer must grow.
  const std::string thai(100000, '\xE4');
  Defects defects;
  const std::string out = ToUtf8(thai, "tis-620", &defects);
  EXPECT_EQ(out.size(), 300000u);
  EXPECT_TRUE(defects.empty());
}

TEST(ToUtf8, OutputIsValidUtf8ForRandomBytes) {
  const char* charsets[] = {"utf-8",   "us-ascii",  "iso-8859-1",  "iso-8859-2",  "windows-1251",
                            "koi8-r",  "shift_jis", "euc-jp",      "iso-2022-jp", "gbk",
                            "gb18030", "big5",      "euc-kr",      "utf-16",      "utf-16le",
                            "utf-7",   "utf-32",    "iso-2022-kr", "x-unknown"};
  std::mt19937 rng(1987);
  for (int i = 0; i < 300; ++i) {
    std::string bytes(rng() % 200, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    for (const char* charset : charsets) {
      ASSERT_TRUE(IsValidUtf8(ToUtf8(bytes, charset, nullptr))) << charset;
    }
  }
}

TEST(IsKnownCharset, CaseTable) {
  for (std::string_view known :
       {"utf-8", "UTF8", "us-ascii", "latin1", "windows-1252", "koi8-r", "x-sjis", "ks_c_5601-1987",
        "gb2312", "big5", "iso-2022-jp", "utf-16", "utf-7"}) {
    EXPECT_TRUE(IsKnownCharset(known)) << known;
  }
  for (std::string_view unknown : {"", "x-klingon", "utf-8//ignore", "x-user-defined"}) {
    EXPECT_FALSE(IsKnownCharset(unknown)) << unknown;
  }
}

}  // namespace
}  // namespace pigeon::message
