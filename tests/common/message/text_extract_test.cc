// HtmlToText (html_to_text.cc) and ExtractSearchText (text_extract.cc).
#include "common/message/text_extract.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "common/message/charset.h"

namespace pigeon::message {
namespace {

struct HtmlCase {
  const char* name;
  std::string_view html;
  std::string_view want;
};

TEST(HtmlToText, CaseTable) {
  const HtmlCase cases[] = {
      {"inline tags vanish", "<p>Hello <b>wor</b>ld</p>", "Hello world"},
      {"br", "a<br>b<BR/>c", "a\nb\nc"},
      {"double br is one empty line", "a<br><br><br><br>b", "a\n\nb"},
      {"blocks", "<div>a</div><div>b</div><p>c</p><h2>d</h2><ul><li>e<li>f</ul>",
       "a\nb\nc\nd\ne\nf"},
      {"table cells", "<table><tr><td>a</td><td>b</td></tr><tr><th>c</th></tr></table>", "a b\nc"},
      {"whitespace collapses", "  a \r\n\t b   ", "a b"},
      {"pre keeps lines", "<pre>a  b\r\n c</pre>d", "a  b\n c\nd"},
      {"script, style, title",
       "<head><title>T</title><style>p{x}</style></head>"
       "<script type=\"x\">if (a<b) {}</script>body<SCRIPT>x</SCRIPT>",
       "body"},
      {"unclosed script hides the rest", "a<script>b", "a"},
      {"head content", "<html><head>text in head<o:p>x</o:p></HEAD><body>b</body>", "b"},
      {"head ended by body", "<head><meta x>junk<body>b", "b"},
      {"stray text in head is kept", "<head><meta charset=x>Hi", "Hi"},
      {"comments", "a<!-- <p>x</p> -->b<!---->c<!-->d", "abcd"},
      {"unclosed comment", "a<!-- b", "a"},
      {"doctype", "<!DOCTYPE html><html>x</html>", "x"},
      {"quoted >", "<a title=\"a>b\" href='c>d'>link</a>", "link"},
      {"unclosed quote falls back to the first >", "<a href=\"x>text", "text"},
      {"lone <", "a < b and a<3", "a < b and a<3"},
      {"bogus end tag", "a</ x>b", "ab"},
      {"named entities", "&amp;&lt;&gt;&quot;&apos;&copy;&reg;&euro;&hellip;&mdash;&ndash;",
       "&<>\"'\xC2\xA9\xC2\xAE\xE2\x82\xAC\xE2\x80\xA6\xE2\x80\x94\xE2\x80\x93"},
      {"quotes", "&lsquo;a&rsquo; &ldquo;b&rdquo; &bull; &middot; &times;",
       "\xE2\x80\x98"
       "a\xE2\x80\x99 \xE2\x80\x9C"
       "b\xE2\x80\x9D \xE2\x80\xA2 \xC2\xB7 \xC3\x97"},
      {"latin-1 letters", "&eacute;&Eacute;&uuml;&szlig;&ntilde;&aring;&AElig;",
       "\xC3\xA9\xC3\x89\xC3\xBC\xC3\x9F\xC3\xB1\xC3\xA5\xC3\x86"},
      {"nbsp collapses like a space", "a&nbsp;&nbsp;b", "a b"},
      {"numeric", "&#233;&#xE9;&#XE9;&#x1F600;&#65",
       "\xC3\xA9\xC3\xA9\xC3\xA9\xF0\x9F\x98\x80"
       "A"},
      {"windows-1252 references", "&#150;&#147;x&#148;", "\xE2\x80\x93\xE2\x80\x9Cx\xE2\x80\x9D"},
      {"invalid code points", "&#0;&#xD800;&#x110000;&#99999999999999999;",
       "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
      {"unknown and bare entities", "AT&T &bogus; &amp &copy2 &#;", "AT&T &bogus; & &copy2 &#;"},
      {"UTF-8 passes through", "<p>\xE6\x97\xA5\xE6\x9C\xAC</p>", "\xE6\x97\xA5\xE6\x9C\xAC"},
  };
  for (const HtmlCase& c : cases) {
    EXPECT_EQ(HtmlToText(c.html), c.want) << c.name;
  }
}

TEST(HtmlToText, HostileInputIsLinear) {
  const std::string inputs[] = {
      [] {
        std::string s;
        for (int i = 0; i < 200000; ++i) s += "<a x=\"";
        return s;
      }(),
      [] {
        std::string s;
        for (int i = 0; i < 200000; ++i) s += "<a x='>";
        return s;
      }(),
      std::string(400000, '<') + "script>",
      [] {
        std::string s = "<script>";
        for (int i = 0; i < 200000; ++i) s += "</scrip";
        return s;
      }(),
      [] {
        std::string s;
        for (int i = 0; i < 200000; ++i) s += "<head><";
        return s;
      }(),
      "&#" + std::string(1000000, '9'),
      std::string(1000000, '&'),
  };
  auto start = std::chrono::steady_clock::now();
  for (const std::string& input : inputs) {
    EXPECT_TRUE(IsValidUtf8(HtmlToText(input)));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

std::string Extract(std::string_view raw) { return ExtractSearchText(ParseMime(raw, nullptr)); }

TEST(ExtractSearchText, PlainMessage) {
  EXPECT_EQ(Extract("Subject: s\n\nHello there\n"), "Hello there\n");
}

TEST(ExtractSearchText, HtmlOnlyAndCharset) {
  EXPECT_EQ(Extract("Content-Type: text/html; charset=iso-8859-1\n"
                    "Content-Transfer-Encoding: quoted-printable\n\n"
                    "<p>Caf=E9 &amp; cr&egrave;me</p>\n"),
            "Caf\xC3\xA9 & cr\xC3\xA8me");
}

constexpr std::string_view kAlternative =
    "Content-Type: multipart/alternative; boundary=a\n\n"
    "--a\nContent-Type: text/plain\n\nplain words\n"
    "--a\nContent-Type: text/html\n\n<p>html words</p>\n"
    "--a--\n";

TEST(ExtractSearchText, AlternativePrefersPlain) {
  EXPECT_EQ(Extract(kAlternative), "plain words");
}

TEST(ExtractSearchText, AlternativeWithEmptyPlainUsesHtml) {
  EXPECT_EQ(Extract("Content-Type: multipart/alternative; boundary=a\n\n"
                    "--a\nContent-Type: text/plain\n\n \n"
                    "--a\nContent-Type: multipart/related; boundary=r\n\n"
                    "--r\nContent-Type: text/html\n\n<p>rich</p>\n"
                    "--r\nContent-Type: image/png\n\nPNG\n--r--\n"
                    "--a--\n"),
            "rich");
}

TEST(ExtractSearchText, AttachmentsAreSkipped) {
  EXPECT_EQ(Extract("Content-Type: multipart/mixed; boundary=m\n\n"
                    "--m\n\nbody text\n"
                    "--m\nContent-Type: text/plain\nContent-Disposition: attachment\n\nnope\n"
                    "--m\nContent-Type: text/plain; name=notes.txt\n\nnope either\n"
                    "--m\nContent-Type: application/pdf\n\n%PDF\n"
                    "--m\nContent-Type: text/html\n\n<b>more</b> text\n"
                    "--m--\n"),
            "body text\nmore text");
}

TEST(ExtractSearchText, EnclosedMessagesContributeTheirBodies) {
  EXPECT_EQ(Extract("Content-Type: multipart/mixed; boundary=m\n\n"
                    "--m\n\nforwarding this\n"
                    "--m\nContent-Type: message/rfc822\n\n"
                    "Subject: not indexed here\n" +
                    std::string(kAlternative) + "--m--\n"),
            "forwarding this\nplain words");
}

TEST(ExtractSearchText, StructurelessMultipartIsText) {
  EXPECT_EQ(Extract("Content-Type: multipart/mixed; boundary=never\n\nHi there\n"), "Hi there\n");
}

TEST(ExtractSearchText, OutputIsCappedOnACharacterBoundary) {
  std::string body;
  while (body.size() < kMaxExtractedText + 10) body += "\xE2\x82\xAC";  // 3-byte euro signs
  std::string raw = "Content-Type: text/plain; charset=utf-8\n\nx" + body;
  std::string text = Extract(raw);
  EXPECT_LE(text.size(), kMaxExtractedText);
  EXPECT_GT(text.size(), kMaxExtractedText - 4);
  EXPECT_TRUE(IsValidUtf8(text));
}

}  // namespace
}  // namespace pigeon::message
