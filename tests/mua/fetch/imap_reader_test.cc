#include "mua/fetch/imap_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pigeon::mua::fetch {
namespace {

std::vector<ImapResponse> ReadAll(std::string_view input, ImapLimits limits = {}) {
  ImapReader reader(limits);
  reader.Feed(input);
  std::vector<ImapResponse> out;
  for (;;) {
    Result<std::optional<ImapResponse>> next = reader.Next();
    EXPECT_TRUE(next) << next.error().message;
    if (!next || !*next) return out;
    out.push_back(std::move(**next));
  }
}

std::string ErrorOf(std::string_view input, ImapLimits limits = {}) {
  ImapReader reader(limits);
  reader.Feed(input);
  for (;;) {
    Result<std::optional<ImapResponse>> next = reader.Next();
    if (!next) return next.error().message;
    if (!*next) return "(no error)";
  }
}

TEST(ImapReader, StatusResponsesWithCodes) {
  const std::vector<ImapResponse> r = ReadAll(
      "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n* OK [UIDNEXT 4392] Predicted next UID\r\n"
      "* 172 EXISTS\r\n* FLAGS (\\Answered \\Seen)\r\nP1 OK [READ-ONLY] EXAMINE completed\r\n"
      "P2 NO [AUTHENTICATIONFAILED] Authentication failed.\r\np3 bad\r\n* BYE\r\n");
  ASSERT_EQ(r.size(), 8u);
  EXPECT_EQ(r[0].kind, ImapResponse::Kind::kUntagged);
  EXPECT_EQ(r[0].status, "OK");
  EXPECT_EQ(r[0].code, "UIDVALIDITY 3857529045");
  EXPECT_EQ(CodeNumber(r[0].code, "UIDVALIDITY"), 3857529045u);
  EXPECT_EQ(CodeNumber(r[1].code, "UIDNEXT"), 4392u);
  EXPECT_EQ(CodeNumber(r[1].code, "UIDVALIDITY"), std::nullopt);
  EXPECT_EQ(r[1].text, "Predicted next UID");
  EXPECT_EQ(r[2].number, 172u);
  EXPECT_EQ(r[2].name, "EXISTS");
  EXPECT_EQ(r[3].name, "FLAGS");
  EXPECT_EQ(r[3].text, "(\\Answered \\Seen)");
  EXPECT_EQ(r[4].kind, ImapResponse::Kind::kTagged);
  EXPECT_EQ(r[4].tag, "P1");
  EXPECT_EQ(r[4].status, "OK");
  EXPECT_EQ(r[4].code, "READ-ONLY");
  EXPECT_EQ(r[4].text, "EXAMINE completed");
  EXPECT_EQ(r[5].status, "NO");
  EXPECT_EQ(r[5].code, "AUTHENTICATIONFAILED");
  EXPECT_EQ(r[6].tag, "p3");
  EXPECT_EQ(r[6].status, "BAD");  // upper-cased
  EXPECT_EQ(r[7].status, "BYE");
}

TEST(ImapReader, FetchItemsAndLiterals) {
  const std::string body = "Subject: x\r\n\r\nline with ) and {3}\r\n";
  const std::vector<ImapResponse> r = ReadAll(
      "* 12 FETCH (UID 4827 RFC822.SIZE 44 FLAGS (\\Seen $Junk) INTERNALDATE "
      "\"17-Jul-1996 02:44:25 -0700\" BODY[] {" +
      std::to_string(body.size()) + "}\r\n" + body +
      ")\r\n* 13 FETCH (BODY[HEADER.FIELDS (MESSAGE-ID)] {4+}\r\nab\r\n UID 5 BODY[] NIL)\r\n"
      "* 14 fetch (uid 6 rfc822 \"q\\\"uoted\")\n* 15 FETCH (FLAGS ())\r\n");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].number, 12u);
  EXPECT_EQ(r[0].name, "FETCH");
  EXPECT_EQ(r[0].fetch.uid, 4827u);
  EXPECT_EQ(r[0].fetch.size, 44u);
  EXPECT_EQ(r[0].fetch.body, body);
  EXPECT_EQ(r[1].fetch.uid, 5u);
  EXPECT_EQ(r[1].fetch.body, std::nullopt);
  EXPECT_EQ(r[2].fetch.uid, 6u);
  EXPECT_EQ(r[2].fetch.body, "q\"uoted");
  EXPECT_EQ(r[3].fetch.uid, std::nullopt);
}

TEST(ImapReader, WaitsForWholeResponses) {
  const std::string input =
      "* 1 FETCH (UID 1 BODY[] {10}\r\n0123456789)\r\n+ ready\r\nP1 OK done\r\n";
  for (size_t chunk = 1; chunk <= input.size(); ++chunk) {
    ImapReader reader;
    std::vector<ImapResponse> got;
    for (size_t i = 0; i < input.size(); i += chunk) {
      reader.Feed(std::string_view(input).substr(i, chunk));
      for (;;) {
        Result<std::optional<ImapResponse>> next = reader.Next();
        ASSERT_TRUE(next) << next.error().message;
        if (!*next) break;
        got.push_back(std::move(**next));
      }
    }
    ASSERT_EQ(got.size(), 3u) << "chunk " << chunk;
    EXPECT_EQ(got[0].fetch.body, "0123456789");
    EXPECT_EQ(got[1].kind, ImapResponse::Kind::kContinuation);
    EXPECT_EQ(got[1].text, "ready");
    EXPECT_EQ(got[2].tag, "P1");
    EXPECT_EQ(reader.buffered(), 0u);
  }
}

TEST(ImapReader, RefusesMalformedAndOversized) {
  const ImapLimits small{64, 100};
  EXPECT_EQ(ErrorOf(std::string(65, 'x'), small), "IMAP response line too long");
  EXPECT_EQ(ErrorOf("* 1 FETCH (BODY[] {101}\r\n", small),
            "IMAP literal of 101 octets is over the limit of 100");
  EXPECT_EQ(ErrorOf("* 1 FETCH (BODY[] {99999999999999999999999}\r\n", small),
            "malformed IMAP response: literal too large or without a size");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"P1 MAYBE\r\n", "malformed IMAP response: a tagged response that is not OK, NO or BAD"},
      {"* 1 FETCH (UID 0)\r\n", "malformed IMAP response: bad UID"},
      {"* 1 FETCH (UID 4294967296)\r\n", "malformed IMAP response: bad UID"},
      {"* 1 FETCH (UID 1\r\n", "malformed IMAP response: expected ' '"},
      {"* 1 FETCH (BODY[] \"abc)\r\n", "malformed IMAP response: line end in a quoted string"},
      {"* 1 FETCH (BODY[ x)\r\n", "malformed IMAP response: unclosed section ["},
      {"* OK [UIDVALIDITY 1\r\n", "malformed IMAP response: unclosed response code ["},
      {"* 1 FETCH (X " + std::string(100, '(') + ")\r\n",
       "malformed IMAP response: lists nested too deep"},
      {"\r\n", "malformed IMAP response: expected an atom"},
      {"* 1 FETCH (BODY[] XYZ)\r\n", "malformed IMAP response: expected a string or NIL"},
  };
  for (const auto& [input, error] : cases) EXPECT_EQ(ErrorOf(input), error) << input;
}

}  // namespace
}  // namespace pigeon::mua::fetch
