// ParseParameterizedValue and FormatParameter (mime_params.cc): RFC 2045 §5.1, the RFC 2231
// examples verbatim, and the broken forms real mail uses.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/message/mime.h"

namespace pigeon::message {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

struct ParamCase {
  const char* name;
  std::string_view input;
  std::string value;
  Params params;
  bool defect;  // whether at least one defect is expected
};

TEST(ParseParameterizedValue, CaseTable) {
  const ParamCase cases[] = {
      {"simple", "text/plain; charset=us-ascii", "text/plain", {{"charset", "us-ascii"}}, false},
      {"case folded names, value as given",
       "Text/Plain; CHARSET=\"UTF-8\"",
       "text/plain",
       {{"charset", "UTF-8"}},
       false},
      {"RFC 2045 comment",
       "text/plain; charset=us-ascii (Plain text)",
       "text/plain",
       {{"charset", "us-ascii"}},
       false},
      {"comment before value",
       "text/plain (x); charset=a",
       "text/plain",
       {{"charset", "a"}},
       false},
      {"spaces around =",
       "text/plain; charset = \"us-ascii\" ; format=flowed",
       "text/plain",
       {{"charset", "us-ascii"}, {"format", "flowed"}},
       false},
      {"spaces around /", "text / html", "text/html", {}, false},
      {"missing ;",
       "text/plain charset=us-ascii format=flowed",
       "text/plain",
       {{"charset", "us-ascii"}, {"format", "flowed"}},
       true},
      {"missing ; after quoted",
       "attachment; filename=\"a.txt\" size=3",
       "attachment",
       {{"filename", "a.txt"}, {"size", "3"}},
       true},
      {"trailing ;",
       "text/plain; charset=us-ascii;",
       "text/plain",
       {{"charset", "us-ascii"}},
       false},
      {"empty params", "text/plain;; ;charset=x", "text/plain", {{"charset", "x"}}, false},
      {"duplicate: first wins",
       "text/plain; charset=a; CHARSET=b",
       "text/plain",
       {{"charset", "a"}},
       true},
      {"unquoted value with spaces",
       "application/pdf; name=my file.pdf; x=1",
       "application/pdf",
       {{"name", "my file.pdf"}, {"x", "1"}},
       false},
      {"parentheses inside a value",
       "application/pdf; name=report (1).pdf",
       "application/pdf",
       {{"name", "report (1).pdf"}},
       false},
      {"quoted pair", R"(a/b; n="x \"y\" \\z")", "a/b", {{"n", R"(x "y" \z)"}}, false},
      {"semicolon in quotes", "a/b; n=\"x;y\"; m=1", "a/b", {{"n", "x;y"}, {"m", "1"}}, false},
      {"folded value",
       "multipart/mixed;\r\n\tboundary=\"abc\"",
       "multipart/mixed",
       {{"boundary", "abc"}},
       false},
      {"RFC 2047 in quotes",
       "attachment; filename=\"=?UTF-8?B?w6l0w6kucGRm?=\"",
       "attachment",
       {{"filename", "\xC3\xA9t\xC3\xA9.pdf"}},
       false},
      {"RFC 2047 unquoted",
       "attachment; filename==?iso-8859-1?Q?caf=E9.txt?=",
       "attachment",
       {{"filename", "caf\xC3\xA9.txt"}},
       false},
      {"raw UTF-8",
       "attachment; filename=\"\xC3\xA9t\xC3\xA9.pdf\"",
       "attachment",
       {{"filename", "\xC3\xA9t\xC3\xA9.pdf"}},
       false},
      {"raw latin-1",
       "attachment; filename=\"caf\xE9.txt\"",
       "attachment",
       {{"filename", "caf\xC3\xA9.txt"}},
       false},
      {"no params", "attachment", "attachment", {}, false},
      {"quoted leading value", "\"inline\"", "inline", {}, false},
      {"empty", "", "", {}, false},
      {"param without value",
       "text/plain; flowed; charset=x",
       "text/plain",
       {{"charset", "x"}},
       true},
      {"word before a param",
       "text/plain; flowed charset=x",
       "text/plain",
       {{"charset", "x"}},
       true},
      {"unclosed quote", "text/plain; name=\"abc", "text/plain", {{"name", "abc"}}, true},
      {"stray quote", "text/plain; \"; charset=x", "text/plain", {{"charset", "x"}}, true},
      {"empty value", "text/plain; charset=", "text/plain", {{"charset", ""}}, false},
      // RFC 2231 §3, verbatim.
      {"2231 §3 continuations",
       "message/external-body; access-type=URL;\r\n URL*0=\"ftp://\";\r\n"
       " URL*1=\"cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\"",
       "message/external-body",
       {{"access-type", "URL"}, {"url", "ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar"}},
       false},
      // RFC 2231 §4, verbatim.
      {"2231 §4 charset and language",
       "application/x-stuff;\r\n title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A",
       "application/x-stuff",
       {{"title", "This is ***fun***"}},
       false},
      // RFC 2231 §4.1, verbatim (the RFC's example lacks the ";" separators).
      {"2231 §4.1 mixed sections",
       "application/x-stuff\r\n title*0*=us-ascii'en'This%20is%20even%20more%20\r\n"
       " title*1*=%2A%2A%2Afun%2A%2A%2A%20\r\n title*2=\"isn't it!\"",
       "application/x-stuff",
       {{"title", "This is even more ***fun*** isn't it!"}},
       true},
      // RFC 2231 §5, verbatim: a language in an RFC 2047 word (quoted, as mailers put them).
      {"2231 §5 language in an encoded word",
       "a/b; n=\"=?US-ASCII*EN?Q?Keith_Moore?=\"",
       "a/b",
       {{"n", "Keith Moore"}},
       false},
      {"2231 sections out of order", "a/b; t*2=c; t*0=a; t*1=b", "a/b", {{"t", "abc"}}, false},
      {"2231 gap tolerated", "a/b; t*0=a; t*2=c", "a/b", {{"t", "ac"}}, true},
      {"2231 utf-8",
       "attachment; filename*=utf-8''%E2%82%AC%20rates.pdf",
       "attachment",
       {{"filename", "\xE2\x82\xAC rates.pdf"}},
       false},
      {"2231 latin-1",
       "attachment; filename*=iso-8859-1'fr'caf%E9",
       "attachment",
       {{"filename", "caf\xC3\xA9"}},
       false},
      {"2231 quoted extended value",
       "attachment; filename*=\"UTF-8''a%20b\"",
       "attachment",
       {{"filename", "a b"}},
       false},
      {"2231 wins over plain fallback",
       "attachment; filename=\"_.pdf\"; filename*=utf-8''%C3%A9.pdf",
       "attachment",
       {{"filename", "\xC3\xA9.pdf"}},
       false},
      {"2231 split character", "a/b; t*0*=utf-8''%C3; t*1*=%A9", "a/b", {{"t", "\xC3\xA9"}}, false},
      {"2231 no charset prefix", "a/b; t*=abc", "a/b", {{"t", "abc"}}, true},
      {"2231 bad escape kept", "a/b; t*=utf-8''100%", "a/b", {{"t", "100%"}}, true},
      {"2231 huge section dropped", "a/b; t*99999999999=x; u=1", "a/b", {{"u", "1"}}, true},
  };
  for (const ParamCase& c : cases) {
    Defects defects;
    ParameterizedValue got = ParseParameterizedValue(c.input, &defects);
    EXPECT_EQ(got.value, c.value) << c.name;
    EXPECT_EQ(got.params, c.params) << c.name;
    EXPECT_EQ(!defects.empty(), c.defect) << c.name;
  }
}

TEST(ParseParameterizedValue, ParamLooksUpNamesCaseInsensitively) {
  ParameterizedValue value = ParseParameterizedValue("text/plain; Charset=x", nullptr);
  EXPECT_EQ(value.Param("CHARSET"), "x");
  EXPECT_EQ(value.Param("name"), std::nullopt);
}

TEST(ParseParameterizedValue, HostileInputStaysLinear) {
  // Many duplicates (a quadratic first-wins check would take minutes), deep parentheses, and
  // a long run of "(" without ")".
  std::string many = "a/b";
  for (int i = 0; i < 200000; ++i) many += "; x=1";
  EXPECT_EQ(ParseParameterizedValue(many, nullptr).params.size(), 1u);
  std::string nested = "a/b; n=" + std::string(100000, '(') + "x" + std::string(100000, ')') + "y";
  EXPECT_EQ(ParseParameterizedValue(nested, nullptr).params.size(), 1u);
  std::string open = "a/b; n=x " + std::string(200000, '(');
  EXPECT_EQ(ParseParameterizedValue(open, nullptr).Param("n"), "x");
}

struct FormatCase {
  const char* name;
  std::string_view param;
  std::string_view value;
  std::string want;
};

TEST(FormatParameter, CaseTable) {
  const FormatCase cases[] = {
      {"token", "charset", "utf-8", "charset=utf-8"},
      {"specials quoted", "filename", "my file (1).pdf", "filename=\"my file (1).pdf\""},
      {"quote and backslash escaped", "filename", "a\"b\\c", R"(filename="a\"b\\c")"},
      {"empty", "filename", "", "filename=\"\""},
      {"boundary with =", "boundary", "=_pigeon_01", "boundary=\"=_pigeon_01\""},
      {"non-ASCII", "filename", "\xC3\xA9t\xC3\xA9 1.pdf",
       "filename*=utf-8''%C3%A9t%C3%A9%201.pdf"},
      {"control characters", "filename", "a\r\nb", "filename*=utf-8''a%0D%0Ab"},
  };
  for (const FormatCase& c : cases) {
    EXPECT_EQ(FormatParameter(c.param, c.value), c.want) << c.name;
  }
}

TEST(FormatParameter, LongValueIsSplitIntoShortSections) {
  std::string value;
  for (int i = 0; i < 40; ++i) value += "\xC3\xA9\xE2\x82\xAC ";  // é€ and a space
  std::string formatted = FormatParameter("filename", value);
  EXPECT_TRUE(formatted.starts_with("filename*0*=utf-8''"));
  size_t start = 0;
  int sections = 0;
  while (start <= formatted.size()) {
    size_t end = formatted.find(";\r\n ", start);
    std::string_view section = std::string_view(formatted).substr(start, end - start);
    EXPECT_LE(section.size(), 72u) << section;
    EXPECT_TRUE(section.starts_with("filename*" + std::to_string(sections) + "*=")) << section;
    ++sections;
    if (end == std::string::npos) break;
    start = end + 4;
  }
  EXPECT_GT(sections, 3);
  // No section ends inside a character: each decodes on its own.
  ParameterizedValue parsed = ParseParameterizedValue("attachment;\r\n " + formatted, nullptr);
  EXPECT_EQ(parsed.Param("filename"), value);
}

TEST(FormatParameter, RoundTripsThroughTheParser) {
  const std::string values[] = {"plain",
                                "with space",
                                "quote\"s",
                                "back\\slash",
                                "semi;colon",
                                "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E.txt",
                                "tab\there",
                                "",
                                std::string(300, 'x'),
                                "=?utf-8?q?not-a-word?="};
  for (const std::string& value : values) {
    std::string field = "attachment; " + FormatParameter("filename", value);
    EXPECT_EQ(ParseParameterizedValue(field, nullptr).Param("filename"), value) << field;
  }
}

}  // namespace
}  // namespace pigeon::message
