#include "common/message/encoded_word.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "common/message/charset.h"
#include "common/message/header.h"

namespace pigeon::message {
namespace {

bool Has(const Defects& defects, DefectKind kind) {
  return std::any_of(defects.begin(), defects.end(),
                     [kind](const Defect& d) { return d.kind == kind; });
}

struct DecodeCase {
  const char* name;
  std::string_view input;
  std::string_view want;
  std::vector<DefectKind> defects = {};
};

void RunDecodeCases(const std::vector<DecodeCase>& cases) {
  for (const DecodeCase& c : cases) {
    Defects defects;
    EXPECT_EQ(DecodeEncodedWords(c.input, &defects), c.want) << c.name;
    EXPECT_EQ(defects.size(), c.defects.size()) << c.name;
    for (DefectKind kind : c.defects) EXPECT_TRUE(Has(defects, kind)) << c.name;
  }
}

TEST(EncodedWordDecode, Rfc2047Section8Examples) {
  RunDecodeCases({
      {"from", "=?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>", "Keith Moore <moore@cs.utk.edu>"},
      {"to", "=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>",
       "Keld Jørn Simonsen <keld@dkuug.dk>"},
      {"cc", "=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>",
       "André Pirard <PIRARD@vm1.ulg.ac.be>"},
      {"subject",
       "=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n"
       "    =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=",
       "If you can read this you understand the example."},
      {"from with comment",
       "Nathaniel Borenstein <nsb@thumper.bellcore.com> (=?iso-8859-8?b?7eXs+SDv4SDp7Oj08A==?=)",
       "Nathaniel Borenstein <nsb@thumper.bellcore.com> (םולש ןב ילטפנ)"},
      {"display 1", "(=?ISO-8859-1?Q?a?=)", "(a)"},
      {"display 2", "(=?ISO-8859-1?Q?a?= b)", "(a b)"},
      {"display 3", "(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)"},
      {"display 4", "(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)"},
      {"display 5", "(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", "(ab)"},
      {"display 6", "(=?ISO-8859-1?Q?a_b?=)", "(a b)"},
      {"display 7", "(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)"},
  });
}

TEST(EncodedWordDecode, JoinsSplitMultibyteCharacter) {
  RunDecodeCases({
      {"q split", "=?utf-8?q?caf=C3?= =?utf-8?q?=A9?=", "café"},
      {"b split", "=?UTF-8?B?5pel5g==?= =?UTF-8?B?nKw=?=", "日本"},
      {"mixed b and q", "=?UTF-8?B?5pel5g==?= =?UTF-8?Q?=9C=AC?=", "日本"},
      {"charset spelled differently", "=?utf8?q?caf=C3?= =?UTF-8?Q?=A9?=", "café"},
      {"shift_jis split", "=?shift_jis?q?=82?==?shift_jis?q?=B1?=", "こ"},
  });
}

TEST(EncodedWordDecode, SplitCharacterIsNotJoinedAcrossText) {
  Defects defects;
  EXPECT_EQ(DecodeEncodedWords("=?utf-8?q?caf=C3?= x =?utf-8?q?=A9?=", &defects),
            "caf\xEF\xBF\xBD x \xEF\xBF\xBD");
  EXPECT_TRUE(Has(defects, DefectKind::kEncodedWordInvalidBytes));
}

TEST(EncodedWordDecode, EveryCommonCharset) {
  RunDecodeCases({
      {"koi8-r", "=?koi8-r?B?8NLJ18XU?=", "Привет"},
      {"windows-1251", "=?windows-1251?B?z/Do4uXy?=", "Привет"},
      {"iso-8859-2", "=?ISO-8859-2?Q?Za=BF=F3=B3=E6?=", "Zażółć"},
      {"iso-8859-7", "=?iso-8859-7?b?xevr5+3p6tw=?=", "Ελληνικά"},
      {"iso-8859-15", "=?iso-8859-15?q?=A4?=", "€"},
      {"shift_jis", "=?Shift_JIS?B?grGC8YLJgr+CzQ==?=", "こんにちは"},
      {"euc-jp", "=?EUC-JP?B?pLOk86TLpMGkzw==?=", "こんにちは"},
      {"iso-2022-jp", "=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=", "こんにちは"},
      {"iso-2022-jp kanji", "=?iso-2022-jp?B?GyRCRnxLXDhsJE4lRiU5JUgbKEI=?=", "日本語のテスト"},
      {"gb2312", "=?gb2312?B?xOO6ww==?=", "你好"},
      {"gbk", "=?GBK?Q?=C4=E3=BA=C3?=", "你好"},
      {"big5", "=?big5?B?pKSk5Q==?=", "中文"},
      {"ks_c_5601-1987", "=?ks_c_5601-1987?B?x9Gx2w==?=", "한글"},
      {"euc-kr", "=?euc-kr?b?x9Gx2w==?=", "한글"},
      {"utf-7", "=?utf-7?q?Hi_Mom_-+Jjo--!?=", "Hi Mom -☺-!"},
      {"windows-874", "=?windows-874?B?5LfC?=", "ไทย"},
      {"iso-8859-9", "=?iso-8859-9?B?VPxya+dl?=", "Türkçe"},
  });
}

TEST(EncodedWordDecode, ToleratesRealWorldBreakage) {
  RunDecodeCases({
      {"lower-case encoding", "=?utf-8?b?w6k=?= =?utf-8?q?=C3=A9?=", "éé"},
      {"charset any case", "=?UtF-8?Q?=C3=A9?=", "é"},
      {"rfc 2231 language", "=?utf-8*en?q?hello?=", "hello"},
      {"language with region", "=?US-ASCII*EN-us?Q?Keith?=", "Keith"},
      {"glued to text", "foo=?utf-8?q?bar?=baz", "foobarbaz"},
      {"no space between words", "=?utf-8?q?a?==?utf-8?q?b?=", "ab"},
      {"question mark in q text",
       "=?utf-8?q?Really?"
       "?=",
       "Really?"},  // no trigraph
      {"question marks inside", "=?utf-8?q?a?b?c?=", "a?b?c"},
      {"empty text",
       "x =?utf-8?q?"
       "?= y",
       "x  y"},
      {"text before and after", "Re: =?utf-8?q?caf=C3=A9?= au lait", "Re: café au lait"},
      {"whitespace to text kept", "=?utf-8?q?a?=  \tb", "a  \tb"},
      {"tab between words dropped", "=?utf-8?q?a?=\t=?utf-8?q?b?=", "ab"},
      {"folded plain text", "a\r\n b", "a b"},
      {"lf fold", "a\n\tb", "a\tb"},
      {"raw utf-8 text",
       "Gr\xC3\xBC\xC3\x9F"
       "e =?utf-8?q?x?=",
       "Grüße x"},
      {"no words at all", "just text", "just text"},
      {"equals question without word", "what=?", "what=?"},
      {"unknown encoding kept",
       "=?utf-8?x?abc?=",
       "=?utf-8?x?abc?=",
       {DefectKind::kEncodedWordMalformed}},
      {"unterminated kept", "=?utf-8?q?abc", "=?utf-8?q?abc", {DefectKind::kEncodedWordMalformed}},
      {"space inside kept",
       "=?utf-8?q?a b?=",
       "=?utf-8?q?a b?=",
       {DefectKind::kEncodedWordMalformed}},
      {"missing charset kept", "=??q?abc?=", "=??q?abc?="},
      {"word after broken one",
       "=?utf-8?q?a b =?utf-8?q?c?=",
       "=?utf-8?q?a b c",
       {DefectKind::kEncodedWordMalformed}},
      {"bad q escape", "=?utf-8?q?100=%?=", "100=%", {DefectKind::kEncodedWordMalformed}},
      {"unpadded base64", "=?utf-8?b?w6k?=", "é", {DefectKind::kEncodedWordMalformed}},
  });
}

TEST(EncodedWordDecode, ReportsCharsetProblems) {
  RunDecodeCases({
      {"unknown charset",
       "=?x-klingon?q?caf=E9?=",
       "café",
       {DefectKind::kEncodedWordUnknownCharset}},
      {"invalid bytes",
       "=?utf-8?q?a=FFb?=",
       "a\xEF\xBF\xBD"
       "b",
       {DefectKind::kEncodedWordInvalidBytes}},
      {"raw latin-1", "Andr\xE9 =?utf-8?q?x?=", "André x", {DefectKind::kHeaderNonUtf8Bytes}},
      {"slash in charset is text", "=?utf-8//IGNORE?q?a?=", "=?utf-8//IGNORE?q?a?="},
      {"language only", "=?*en?q?caf=E9?=", "café", {DefectKind::kEncodedWordUnknownCharset}},
  });
}

TEST(EncodedWordDecode, ReportsEachKindOnce) {
  std::string input;
  for (int i = 0; i < 1000; ++i) input += "=?x-bad?q?a?= =?utf-8?q?a b ";
  Defects defects;
  DecodeEncodedWords(input, &defects);
  EXPECT_EQ(defects.size(), 2u);
}

TEST(EncodedWordDecode, HostileInputTakesLinearTime) {
  const std::string patterns[] = {
      "=?a?q?",                           // every position starts a word that never ends
      "=?utf-8?q?x",                      // long words without terminator
      "=?utf-8?q?a?=",                    // many tiny words
      "=?iso-8859-1?q?a?==?utf-8?q?b?=",  // charset changes every word
      "=?",
  };
  for (const std::string& pattern : patterns) {
    std::string input;
    while (input.size() < 1'000'000) input += pattern;
    const auto start = std::chrono::steady_clock::now();
    const std::string out = DecodeEncodedWords(input, nullptr);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_LT(elapsed, std::chrono::seconds(5)) << pattern;
    EXPECT_TRUE(IsValidUtf8(out));
  }
}

TEST(EncodedWordDecode, OutputIsAlwaysValidUtf8) {
  std::mt19937 rng(2047);
  const std::string_view pieces[] = {
      "=?",    "?=",   "?q?",  "?B?", "utf-8", "shift_jis", "=C3", "=A9",         "=82",    " ",
      "\r\n ", "\xE9", "\xC3", "a",   "_",     "5pel",      "==",  "iso-2022-jp", "\x1B$B", "*en"};
  for (int i = 0; i < 20000; ++i) {
    std::string input;
    for (int n = rng() % 20; n > 0; --n) input += pieces[rng() % std::size(pieces)];
    ASSERT_TRUE(IsValidUtf8(DecodeEncodedWords(input, nullptr))) << input;
  }
}

// ---- Encoding ----

// The encoded-words in an encoder's output, "=?UTF-8?Q?...?=" or "=?UTF-8?B?...?=".
std::vector<std::string_view> EncodedWordsIn(std::string_view s) {
  std::vector<std::string_view> words;
  for (size_t start = 0; (start = s.find("=?UTF-8?", start)) != std::string_view::npos;) {
    const size_t end = s.find("?=", start + 10);
    if (end == std::string_view::npos) break;
    words.push_back(s.substr(start, end + 2 - start));
    start = end + 2;
  }
  return words;
}

// Checks the RFC 2047 §2 and RFC 5322 §2.1.1 limits of an encoded field value: lines of at
// most 76 columns, except a line holding a single ASCII word too long to fold (a URL) or a
// first line that starts too far right for any encoded-word; continuation lines that start
// with whitespace and are not only whitespace.
void ExpectWellFormed(const std::string& encoded, size_t used_on_first_line) {
  size_t start = 0;
  bool first = true;
  while (true) {
    const size_t end = encoded.find("\r\n", start);
    const std::string line = encoded.substr(start, end - start);
    const size_t columns = line.size() + (first ? used_on_first_line : 0);
    const std::string_view content = TrimWhitespace(line);
    const bool one_plain_word = content.find_first_of(" \t") == std::string_view::npos &&
                                content.find("=?") == std::string_view::npos;
    if (!one_plain_word && !(first && used_on_first_line > 76 - 24)) {
      EXPECT_LE(columns, 76u) << encoded;
    }
    EXPECT_LE(columns, 998u) << encoded;
    if (!first) {
      ASSERT_FALSE(line.empty()) << encoded;
      EXPECT_TRUE(line[0] == ' ' || line[0] == '\t') << encoded;
      EXPECT_FALSE(content.empty()) << encoded;
    }
    if (end == std::string::npos) break;
    start = end + 2;
    first = false;
  }
  for (std::string_view word : EncodedWordsIn(encoded)) {
    EXPECT_LE(word.size(), 75u) << encoded;
    // Each word alone decodes to whole characters: no UTF-8 sequence is split.
    Defects defects;
    DecodeEncodedWords(word, &defects);
    EXPECT_TRUE(defects.empty()) << word;
  }
}

std::string RoundTrip(std::string_view text, size_t used = 0) {
  const std::string encoded = EncodeUnstructured(text, used);
  ExpectWellFormed(encoded, used);
  Defects defects;
  std::string decoded = DecodeEncodedWords(encoded, &defects);
  EXPECT_TRUE(defects.empty()) << encoded;
  return decoded;
}

TEST(EncodeUnstructured, LeavesPlainAsciiUnchanged) {
  for (std::string_view text : {"", "Hello, world!", "Re: [list] 50% off (today)", "a\tb",
                                "  padded  ", "question? equals= apart", "?= alone"}) {
    EXPECT_EQ(EncodeUnstructured(text, 9), text);
  }
}

TEST(EncodeUnstructured, FoldsLongAsciiAtWhitespace) {
  std::string text;
  for (int i = 0; i < 30; ++i) text += "word" + std::to_string(i) + " ";
  text += "end";
  const std::string encoded = EncodeUnstructured(text, 9);
  EXPECT_EQ(encoded.find("=?"), std::string::npos);
  EXPECT_NE(encoded.find("\r\n "), std::string::npos);
  ExpectWellFormed(encoded, 9);
  EXPECT_EQ(DecodeEncodedWords(encoded, nullptr), text);
}

TEST(EncodeUnstructured, KeepsLongUnbreakableAsciiWord) {
  const std::string url = "see https://example.com/" + std::string(100, 'x');
  EXPECT_EQ(EncodeUnstructured(url, 9), "see\r\n " + url.substr(4));
}

TEST(EncodeUnstructured, EncodesHazards) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"caf\xC3\xA9", "=?UTF-8?B?Y2Fmw6k=?="},
      {"Re: caf\xC3\xA9 au lait", "Re: =?UTF-8?B?Y2Fmw6k=?= au lait"},
      {"Hello w\xC3\xB6rld, how are you", "Hello =?UTF-8?Q?w=C3=B6rld,?= how are you"},
      {"not =?an?q?word?=", "not =?UTF-8?B?PT9hbj9xP3dvcmQ/PQ==?="},
      {"line\r\nbreak", "=?UTF-8?Q?line=0D=0Abreak?="},
      {"日本語", "=?UTF-8?B?5pel5pys6Kqe?="},
      {"\xC3\xA9 \xC3\xA9", "=?UTF-8?B?w6kgw6k=?="},
      {"  padded \xC3\xA9 ", "=?UTF-8?Q?__padded_=C3=A9_?="},  // a tie goes to Q
  };
  for (const auto& [text, want] : cases) {
    EXPECT_EQ(EncodeUnstructured(text), want) << text;
    EXPECT_EQ(DecodeEncodedWords(want, nullptr), text);
  }
}

TEST(EncodeUnstructured, ChoosesShorterEncoding) {
  EXPECT_NE(EncodeUnstructured("Stra\xC3\x9F"
                               "enbahn")
                .find("?Q?"),
            std::string::npos);
  EXPECT_NE(EncodeUnstructured("\xF0\x9F\x98\x80\xF0\x9F\x98\x80").find("?B?"), std::string::npos);
}

TEST(EncodeUnstructured, FoldsLongTextIntoShortWords) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "日本語のテスト ";
  const std::string encoded = EncodeUnstructured(text, strlen("Subject: "));
  EXPECT_NE(encoded.find("\r\n "), std::string::npos);
  EXPECT_EQ(RoundTrip(text, 9), text);
}

TEST(EncodeUnstructured, RespectsUsedColumns) {
  const std::string text = std::string(50, 'x') + " \xC3\xA9t\xC3\xA9 " + std::string(10, 'y');
  for (size_t used : {0, 9, 30, 60, 75}) EXPECT_EQ(RoundTrip(text, used), text) << used;
}

TEST(EncodeUnstructured, PreservesWhitespaceExactly) {
  for (std::string_view text :
       {" \xC3\xA9", "\xC3\xA9 ", "\xC3\xA9  \xC3\xA9", "a \t \xC3\xA9\t b", "\xC3\xA9\t\t",
        "\xC3\xA9            x", "x              \xC3\xA9", "x            y \xC3\xA9",
        "\xC3\xA9                                                                         x"}) {
    EXPECT_EQ(RoundTrip(text, 9), text) << text;
  }
}

TEST(EncodeUnstructured, RepairsInvalidInput) {
  EXPECT_EQ(DecodeEncodedWords(EncodeUnstructured("caf\xE9"), nullptr), "caf\xEF\xBF\xBD");
}

std::string RandomUtf8(std::mt19937& rng) {
  static const std::string kLong[] = {std::string(30, 'x'), std::string(90, 'y'),
                                      std::string(20, ' ')};
  static constexpr std::string_view kPieces[] = {"a",
                                                 "Z",
                                                 "0",
                                                 " ",
                                                 "  ",
                                                 "\t",
                                                 "=",
                                                 "?",
                                                 "_",
                                                 "=?",
                                                 "?=",
                                                 ".",
                                                 "(",
                                                 "\"",
                                                 "\r\n",
                                                 "\x01",
                                                 "é",
                                                 "ß",
                                                 "€",
                                                 "日",
                                                 "本",
                                                 "語",
                                                 "한",
                                                 "Я",
                                                 "ا",
                                                 "😀",
                                                 "👍🏽",
                                                 "e\xCC\x81",
                                                 "\xE2\x80\x8B",
                                                 "\xEF\xBB\xBF",
                                                 "word"};
  std::string s;
  for (int n = rng() % 40; n > 0; --n) {
    const size_t pick = rng() % (std::size(kPieces) + std::size(kLong));
    s += pick < std::size(kPieces) ? kPieces[pick] : kLong[pick - std::size(kPieces)];
  }
  return s;
}

TEST(EncodeUnstructured, RoundTripsRandomText) {
  std::mt19937 rng(822);
  for (int i = 0; i < 5000; ++i) {
    const std::string text = RandomUtf8(rng);
    const size_t used = rng() % 30;
    ASSERT_EQ(RoundTrip(text, used), text) << EncodeUnstructured(text, used);
  }
}

TEST(EncodeUnstructured, RoundTripsRandomCodePoints) {
  std::mt19937 rng(5322);
  for (int i = 0; i < 2000; ++i) {
    std::string text;
    for (int n = rng() % 60; n > 0; --n) {
      char32_t cp = rng() % 0x110000;
      if (cp >= 0xD800 && cp < 0xE000) cp = ' ';
      if (cp < 0x80) {
        text += static_cast<char>(cp);
      } else if (cp < 0x800) {
        text += {static_cast<char>(0xC0 | cp >> 6), static_cast<char>(0x80 | (cp & 0x3F))};
      } else if (cp < 0x10000) {
        text += {static_cast<char>(0xE0 | cp >> 12), static_cast<char>(0x80 | (cp >> 6 & 0x3F)),
                 static_cast<char>(0x80 | (cp & 0x3F))};
      } else {
        text += {static_cast<char>(0xF0 | cp >> 18), static_cast<char>(0x80 | (cp >> 12 & 0x3F)),
                 static_cast<char>(0x80 | (cp >> 6 & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
      }
    }
    ASSERT_TRUE(IsValidUtf8(text));
    ASSERT_EQ(RoundTrip(text, 9), text);
  }
}

TEST(EncodePhrase, LeavesAsciiForTheCallerToQuote) {
  EXPECT_EQ(EncodePhrase("Smith, John"), "Smith, John");
  EXPECT_EQ(EncodePhrase("John Smith"), "John Smith");
}

TEST(EncodePhrase, UsesPhraseAlphabet) {
  EXPECT_EQ(EncodePhrase("J\xC3\xB6rg Smith"), "=?UTF-8?B?SsO2cmc=?= Smith");
  EXPECT_EQ(EncodePhrase("Hans-J\xC3\xBCrgen Schmidt"), "=?UTF-8?Q?Hans-J=C3=BCrgen?= Schmidt");
  EXPECT_EQ(EncodePhrase("Sch\xC3\xB6n, Marcus"), "=?UTF-8?B?U2Now7ZuLA==?= Marcus");
  // Long ASCII text around one accent keeps Q; none of it may be a phrase special.
  const std::string encoded =
      EncodePhrase("\xC3\xA9 (team.lead) <x@y> \"quoted\" a_b=c? [all]; more: text");
  int words = 0;
  for (std::string_view word : EncodedWordsIn(encoded)) {
    if (word[8] != 'Q') continue;
    ++words;
    for (char c : word.substr(10, word.size() - 12)) {
      const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      EXPECT_TRUE(alnum || std::string_view("!*+-/=_").find(c) != std::string_view::npos)
          << encoded;
    }
  }
  EXPECT_GT(words, 0) << encoded;
}

TEST(EncodePhrase, RoundTripsRandomText) {
  std::mt19937 rng(2822);
  for (int i = 0; i < 3000; ++i) {
    const std::string text = RandomUtf8(rng);
    const std::string encoded = EncodePhrase(text);
    EXPECT_EQ(encoded.find_first_of("\r\n"), std::string::npos) << encoded;
    ASSERT_EQ(DecodeEncodedWords(encoded, nullptr), text) << encoded;
  }
}

}  // namespace
}  // namespace pigeon::message
