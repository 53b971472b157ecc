#include "mua/ui/pager_model.h"

#include <clocale>

#include <gtest/gtest.h>

#include "mua/ui/display_width.h"

namespace pigeon::mua::ui {
namespace {

class PagerModelTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(std::setlocale(LC_ALL, "C.UTF-8"), nullptr); }
};

TEST_F(PagerModelTest, QuoteLevelCountsLeadingMarks) {
  struct Case {
    const char* line;
    int level;
  } cases[] = {
      {"", 0},       {"plain", 0},    {"> one", 1}, {">> two", 2}, {"> > two", 2},
      {" > one", 1}, {"\t>> two", 2}, {"a > b", 0}, {">", 1},      {">>>>>", 5},
  };
  for (const Case& c : cases) EXPECT_EQ(QuoteLevel(c.line), c.level) << c.line;
}

TEST_F(PagerModelTest, ClassifiesQuotesSignatureAndLineEnds) {
  std::vector<SourceLine> lines = ClassifyBody(
      "Hi,\r\n> quoted\r\n>> deeper\r\n\r\ntab\there\r\n-- \r\nAda\r\n> not a quote\n");
  ASSERT_EQ(lines.size(), 8u);
  EXPECT_EQ(lines[0].text, "Hi,");
  EXPECT_EQ(lines[0].kind, LineKind::kBody);
  EXPECT_EQ(lines[1].kind, LineKind::kQuoted);
  EXPECT_EQ(lines[1].quote_level, 1);
  EXPECT_EQ(lines[2].quote_level, 2);
  EXPECT_EQ(lines[3].kind, LineKind::kBlank);
  EXPECT_EQ(lines[4].text, "tab     here");
  EXPECT_EQ(lines[5].kind, LineKind::kSignature);
  EXPECT_EQ(lines[6].kind, LineKind::kSignature);
  EXPECT_EQ(lines[7].kind, LineKind::kSignature);  // in the signature, '>' is not a quote
}

TEST_F(PagerModelTest, OnlyTheLastSeparatorStartsTheSignature) {
  std::vector<SourceLine> lines = ClassifyBody("a\n-- \nb\n-- \nsig\n");
  EXPECT_EQ(lines[1].kind, LineKind::kBody);
  EXPECT_EQ(lines[2].kind, LineKind::kBody);
  EXPECT_EQ(lines[3].kind, LineKind::kSignature);
  EXPECT_EQ(ClassifyBody("--\nx")[1].kind, LineKind::kBody);  // "--" without the space is text
}

TEST_F(PagerModelTest, ControlCharactersNeverReachTheScreen) {
  std::vector<SourceLine> lines = ClassifyBody("evil\x1B]0;title\x07 text\n");
  EXPECT_EQ(lines[0].text, "evil?]0;title? text");
}

TEST_F(PagerModelTest, WrapsAtSpacesElseBetweenCharacters) {
  EXPECT_EQ(WrapText("hello world foo", 11, 11), (std::vector<std::string>{"hello world", "foo"}));
  EXPECT_EQ(WrapText("hello world foo", 8, 8), (std::vector<std::string>{"hello", "world", "foo"}));
  EXPECT_EQ(WrapText("abcdefghij", 4, 3), (std::vector<std::string>{"abcd", "efg", "hij"}));
  EXPECT_EQ(WrapText("", 10, 10), (std::vector<std::string>{""}));
  EXPECT_EQ(WrapText("short", 10, 10), (std::vector<std::string>{"short"}));
  EXPECT_EQ(WrapText("a  b", 1, 1), (std::vector<std::string>{"a", "b"}));
}

TEST_F(PagerModelTest, WrapNeverSplitsOrOverflowsWideCharacters) {
  const std::string cjk =
      "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE6\x97\xA5\xE6\x9C\xAC"
      "\xE8\xAA\x9E";  // 日本語日本語
  std::vector<std::string> rows = WrapText(cjk, 5, 5);
  ASSERT_EQ(rows.size(), 3u);
  for (const std::string& row : rows) {
    EXPECT_EQ(DisplayWidth(row), 4);
    EXPECT_EQ(Printable(row), row);  // whole characters only
  }
  const std::string mixed = "emoji \xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80 end";
  for (int width = 2; width < 20; ++width) {
    std::string joined;
    for (const std::string& row : WrapText(mixed, width, width - 1)) {
      EXPECT_LE(DisplayWidth(row), width) << width;
      EXPECT_EQ(Printable(row), row) << width;
      joined += row;
    }
    size_t emoji = 0;
    for (size_t at = joined.find("\xF0\x9F\x98\x80"); at != std::string::npos;
         at = joined.find("\xF0\x9F\x98\x80", at + 4)) {
      ++emoji;
    }
    EXPECT_EQ(emoji, 3u) << width;
  }
}

std::vector<SourceLine> Numbered(int count) {
  std::vector<SourceLine> lines;
  for (int i = 0; i < count; ++i) lines.push_back(SourceLine{std::to_string(i)});
  return lines;
}

TEST_F(PagerModelTest, ScrollsByLinesAndPages) {
  PagerModel pager;
  pager.SetLines(Numbered(100));
  pager.Layout(80, 10);
  EXPECT_EQ(pager.Position(), "top");
  EXPECT_FALSE(pager.LineUp());
  EXPECT_TRUE(pager.LineDown());
  EXPECT_EQ(pager.top(), 1);
  EXPECT_TRUE(pager.PageDown());
  EXPECT_EQ(pager.top(), 11);
  EXPECT_EQ(pager.Position(), "21%");
  EXPECT_TRUE(pager.Bottom());
  EXPECT_EQ(pager.top(), 90);
  EXPECT_TRUE(pager.AtEnd());
  EXPECT_EQ(pager.Position(), "end");
  EXPECT_FALSE(pager.PageDown());
  EXPECT_TRUE(pager.PageUp());
  EXPECT_EQ(pager.top(), 80);
  EXPECT_TRUE(pager.Top());
  EXPECT_FALSE(pager.PageUp());

  PagerModel shortText;
  shortText.SetLines(Numbered(3));
  shortText.Layout(80, 10);
  EXPECT_EQ(shortText.Position(), "all");
  EXPECT_TRUE(shortText.AtEnd());
  EXPECT_FALSE(shortText.PageDown());
}

TEST_F(PagerModelTest, RelayoutKeepsTheTopLineAndMarksContinuations) {
  std::vector<SourceLine> lines = Numbered(50);
  lines[20].text = std::string(30, 'x') + " " + std::string(30, 'y');
  PagerModel pager;
  pager.SetLines(lines);
  pager.Layout(80, 10);
  for (int i = 0; i < 25; ++i) pager.LineDown();
  EXPECT_EQ(pager.rows()[static_cast<size_t>(pager.top())].text, "25");
  pager.Layout(20, 10);  // line 20 now takes 4 rows
  EXPECT_EQ(pager.rows()[static_cast<size_t>(pager.top())].text, "25");
  int continuations = 0;
  for (const DisplayLine& row : pager.rows()) {
    EXPECT_LE(DisplayWidth(row.text), row.continuation ? 19 : 20);
    continuations += row.continuation;
  }
  EXPECT_EQ(continuations, 3);
}

const char kMessage[] =
    "From: =?UTF-8?Q?Ren=C3=A9e?= <renee@example.org>\r\n"
    "To: Ada <ada@example.org>\r\n"
    "Subject: =?ISO-8859-1?Q?Gr=FC=DFe?=\r\n"
    "Date: Sat, 15 Jun 2024 09:30:00 +0200\r\n"
    "X-Mailer: test\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=b\r\n"
    "\r\n"
    "--b\r\n"
    "Content-Type: text/plain; charset=iso-8859-1\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Un caf=E9?\r\n"
    "> Oui\r\n"
    "--=20\r\n"  // quoted-printable drops trailing spaces: a signature separator is encoded
    "Ren=E9e\r\n"
    "--b\r\n"
    "Content-Type: application/pdf; name=report.pdf\r\n"
    "Content-Disposition: attachment; filename=report.pdf\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "JVBERi0xLjQK\r\n"
    "--b--\r\n";

std::vector<std::string> Texts(const std::vector<SourceLine>& lines) {
  std::vector<std::string> texts;
  for (const SourceLine& line : lines) texts.push_back(line.text);
  return texts;
}

TEST_F(PagerModelTest, MessageLinesAreDecoded) {
  message::Message message{std::string(kMessage)};
  std::vector<SourceLine> lines = MessageLines(message, false);
  std::vector<std::string> texts = Texts(lines);
  ASSERT_GE(texts.size(), 10u);
  EXPECT_EQ(texts[0].rfind("Date: Sat, 15 Jun 2024 09:30:00 +0200", 0), 0u);
  EXPECT_EQ(texts[1],
            "From: Ren\xC3\xA9"
            "e <renee@example.org>");
  EXPECT_EQ(texts[2], "To: Ada <ada@example.org>");
  EXPECT_EQ(texts[3],
            "Subject: Gr\xC3\xBC\xC3\x9F"
            "e");
  EXPECT_EQ(lines[3].label_columns, 8);
  EXPECT_EQ(lines[4].kind, LineKind::kBlank);
  EXPECT_EQ(texts[5], "Un caf\xC3\xA9?");
  EXPECT_EQ(lines[6].kind, LineKind::kQuoted);
  EXPECT_EQ(lines[7].kind, LineKind::kSignature);
  EXPECT_EQ(texts[8],
            "Ren\xC3\xA9"
            "e");
  EXPECT_EQ(lines.back().kind, LineKind::kAttachment);
  EXPECT_EQ(texts.back(), "[-- Attachment #2 report.pdf: application/pdf, 9 --]");
}

TEST_F(PagerModelTest, AllHeadersShowsEveryFieldDecoded) {
  message::Message message{std::string(kMessage)};
  std::vector<std::string> texts = Texts(MessageLines(message, true));
  EXPECT_EQ(texts[0],
            "From: Ren\xC3\xA9"
            "e <renee@example.org>");
  EXPECT_EQ(texts[4], "X-Mailer: test");
  EXPECT_EQ(texts[6], "Content-Type: multipart/mixed; boundary=b");
}

TEST_F(PagerModelTest, HtmlOnlyMessageShowsItsText) {
  message::Message message{std::string(
      "Subject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hello <b>there</b></p>\r\n")};
  std::vector<std::string> texts = Texts(MessageLines(message, false));
  bool found = false;
  for (const std::string& text : texts)
    found = found || text.find("Hello there") != std::string::npos;
  EXPECT_TRUE(found);
}

TEST_F(PagerModelTest, FindMatchesIsCaseInsensitiveUnlessThePatternHasCapitals) {
  const auto starts = [](std::string_view text, std::string_view pattern) {
    std::vector<size_t> out;
    for (const TextMatch& match : FindMatches(text, pattern)) {
      EXPECT_EQ(match.length, pattern.size());
      out.push_back(match.start);
    }
    return out;
  };
  EXPECT_EQ(starts("Engine ENGINE engine", "engine"), (std::vector<size_t>{0, 7, 14}));
  EXPECT_EQ(starts("Engine ENGINE engine", "Engine"), (std::vector<size_t>{0}));
  EXPECT_EQ(starts("aaaa", "aa"), (std::vector<size_t>{0, 2}));  // not overlapping
  EXPECT_EQ(starts("Café € 12", "€ 1"), (std::vector<size_t>{6}));
  EXPECT_TRUE(FindMatches("anything", "").empty());
  EXPECT_TRUE(FindMatches("short", "longer text").empty());
}

TEST_F(PagerModelTest, SearchScrollsToTheFirstMatchFromTheTopLineAndHighlights) {
  std::vector<SourceLine> lines = Numbered(100);
  lines[5].text = "the Engine starts";
  lines[40].text = "an engine, another ENGINE";
  lines[70].text = "last engine";
  PagerModel pager;
  pager.SetLines(lines);
  pager.Layout(80, 10);
  ASSERT_TRUE(pager.PageDown());  // top row 10: row 5 is above it
  EXPECT_EQ(pager.Search("engine"), Found::kYes);
  EXPECT_EQ(pager.top(), 40);
  std::vector<TextMatch> matches = pager.MatchesOn(40);
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].start, 3u);
  EXPECT_EQ(matches[1].start, 19u);
  EXPECT_TRUE(pager.MatchesOn(41).empty());
  EXPECT_EQ(pager.SearchNext(), Found::kYes);
  EXPECT_EQ(pager.top(), 70);
  EXPECT_EQ(pager.SearchNext(), Found::kWrapped);  // n past the last match: from the top
  EXPECT_EQ(pager.top(), 5);
  EXPECT_EQ(pager.SearchNext(), Found::kYes);
  EXPECT_EQ(pager.top(), 40);
  // Capitals: exact case.
  EXPECT_EQ(pager.Search("ENGINE"), Found::kYes);
  EXPECT_EQ(pager.top(), 40);
  EXPECT_EQ(pager.SearchNext(), Found::kWrapped);  // the only row: found again after the wrap
  EXPECT_EQ(pager.top(), 40);
  // Not found: no highlight, the position kept.
  EXPECT_EQ(pager.Search("missing"), Found::kNo);
  EXPECT_EQ(pager.top(), 40);
  EXPECT_TRUE(pager.search().empty());
  EXPECT_TRUE(pager.MatchesOn(40).empty());
  // Another text clears the highlight.
  EXPECT_EQ(pager.Search("engine"), Found::kYes);
  pager.SetLines(Numbered(3));
  EXPECT_TRUE(pager.search().empty());
}

TEST_F(PagerModelTest, SearchNearTheEndKeepsTheScreenFull) {
  std::vector<SourceLine> lines = Numbered(30);
  lines[27].text = "needle";
  lines[29].text = "needle again";
  PagerModel pager;
  pager.SetLines(lines);
  pager.Layout(80, 10);
  EXPECT_EQ(pager.Search("needle"), Found::kYes);
  EXPECT_EQ(pager.top(), 20);  // as far as the text goes; the match is on screen
  EXPECT_EQ(pager.MatchesOn(27).size(), 1u);
  EXPECT_EQ(pager.SearchNext(), Found::kYes);  // the next match, though the screen stays
  EXPECT_EQ(pager.SearchNext(), Found::kWrapped);
  EXPECT_EQ(pager.top(), 20);
}

}  // namespace
}  // namespace pigeon::mua::ui
