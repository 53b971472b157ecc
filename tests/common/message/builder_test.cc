// BuildMessage and friends: encoding choice, header order and folding, line bounds on
// pathological drafts, Bcc, RFC 2231 file names, boundary collisions, Message-ID and Date.
// Output is checked on the wire (lines, CRLF) and by parsing it back with Message/ParseMime.
#include "common/message/builder.h"

#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "common/message/encoded_word.h"
#include "common/message/message.h"

namespace pigeon::message {

// gtest prints mailboxes readably (and, for long texts, only their start).
void PrintTo(const Mailbox& mailbox, std::ostream* os) {
  *os << "{\"" << mailbox.name.substr(0, 60) << "\" " << mailbox.local_part.substr(0, 60) << "@"
      << mailbox.domain.substr(0, 60) << "}";
}

namespace {

constexpr int64_t kNow = 1795957387;  // 2026-11-29T13:03:07Z

// Returns start, start + 1, …: boundaries and Message-IDs become predictable.
std::function<uint64_t()> Counter(uint64_t start) {
  auto next = std::make_shared<uint64_t>(start);
  return [next] { return (*next)++; };
}

BuildContext Context() {
  BuildContext context;
  context.now_utc_seconds = kNow;
  context.zone_offset_minutes = 60;
  context.message_id_domain = "example.org";
  context.random = Counter(1);
  return context;
}

Draft SimpleDraft() {
  Draft draft;
  draft.from = {"Alice", "alice", "example.org"};
  draft.to = {{"", "bob", "example.net"}};
  draft.subject = "Hello";
  draft.text = "Hi Bob.\n";
  return draft;
}

std::vector<std::string> Lines(std::string_view raw) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < raw.size()) {
    size_t end = raw.find("\r\n", start);
    if (end == std::string_view::npos) end = raw.size();
    lines.emplace_back(raw.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

// Every line ends with CRLF, holds no other CR or LF, and is at most `limit` octets long.
void ExpectWireForm(std::string_view raw, size_t limit = 998) {
  ASSERT_TRUE(raw.ends_with("\r\n"));
  for (const std::string& line : Lines(raw)) {
    EXPECT_LE(line.size(), limit) << line.substr(0, 80);
    EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos) << line.substr(0, 80);
  }
}

// The header section's lines (without the empty line and body).
std::vector<std::string> HeaderLines(std::string_view raw) {
  return Lines(raw.substr(0, raw.find("\r\n\r\n") + 2));
}

struct EncodingCase {
  const char* name;
  std::string text;
  bool allow_8bit;
  const char* transfer_encoding;
  const char* charset;
  std::string decoded;  // TextUtf8 of the part
};

TEST(BuildMessage, ChoosesTransferEncodingAndCharset) {
  const std::string utf8 =
      "Gr\xC3\xBC\xC3\x9F"
      "e \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80";
  const EncodingCase cases[] = {
      {"ascii", "plain text\n", true, "7bit", "us-ascii", "plain text\r\n"},
      {"lf becomes crlf", "a\nb\r\nc", true, "7bit", "us-ascii", "a\r\nb\r\nc\r\n"},
      {"from and dot stay 7bit", "From me\n.\n", true, "7bit", "us-ascii", "From me\r\n.\r\n"},
      {"998 octets", std::string(998, 'x'), true, "7bit", "us-ascii",
       std::string(998, 'x') + "\r\n"},
      {"999 octets", std::string(999, 'x'), true, "quoted-printable", "us-ascii",
       std::string(999, 'x') + "\r\n"},
      {"5000 without spaces", std::string(5000, 'y'), true, "quoted-printable", "us-ascii",
       std::string(5000, 'y') + "\r\n"},
      {"utf-8 8bit", utf8, true, "8bit", "utf-8", utf8 + "\r\n"},
      {"utf-8 without 8bit", utf8, false, "quoted-printable", "utf-8", utf8 + "\r\n"},
      {"long utf-8 line", std::string(600, 'z') + utf8 + std::string(600, 'z'), true,
       "quoted-printable", "utf-8", std::string(600, 'z') + utf8 + std::string(600, 'z') + "\r\n"},
      {"bare cr kept", "a\rb\n", true, "quoted-printable", "us-ascii", "a\rb\r\n"},
      {"nul", std::string("a\0b", 3), true, "quoted-printable", "us-ascii",
       std::string("a\0b\r\n", 5)},
      {"invalid utf-8 repaired", "caf\xE9\n", true, "8bit", "utf-8", "caf\xEF\xBF\xBD\r\n"},
      {"empty", "", true, "7bit", "us-ascii", ""},
  };
  for (const EncodingCase& c : cases) {
    Draft draft = SimpleDraft();
    draft.text = c.text;
    draft.allow_8bit = c.allow_8bit;
    std::string raw = BuildMessage(draft, Context());
    ExpectWireForm(raw);
    Message message(raw);
    const Part& root = message.Mime();
    EXPECT_EQ(root.content_type, "text/plain") << c.name;
    EXPECT_EQ(root.transfer_encoding, c.transfer_encoding) << c.name;
    EXPECT_EQ(root.charset, c.charset) << c.name;
    EXPECT_EQ(root.TextUtf8(nullptr), c.decoded) << c.name;
    if (std::string_view(c.transfer_encoding) == "quoted-printable") ExpectWireForm(raw, 78);
  }
}

TEST(BuildMessage, HeaderFieldsInOrder) {
  Draft draft = SimpleDraft();
  draft.cc = {{"", "carol", "example.net"}};
  draft.bcc = {{"", "dave", "example.net"}};
  draft.reply_to = {{"", "list", "example.org"}};
  draft.in_reply_to = "<parent@example.org>";
  draft.references = {"<root@example.org>", "<parent@example.org>"};
  draft.extra_headers = {{"X-Mailer", "pigeon"}};
  draft.include_bcc = true;
  std::vector<std::string> names;
  for (const std::string& line : HeaderLines(BuildMessage(draft, Context()))) {
    if (!line.starts_with(" ")) names.push_back(line.substr(0, line.find(':')));
  }
  const std::vector<std::string> want = {"Date",         "From",
                                         "To",           "Cc",
                                         "Bcc",          "Reply-To",
                                         "Subject",      "Message-ID",
                                         "In-Reply-To",  "References",
                                         "X-Mailer",     "MIME-Version",
                                         "Content-Type", "Content-Transfer-Encoding"};
  EXPECT_EQ(names, want);
}

TEST(BuildMessage, DateAndMessageIdForm) {
  Draft draft = SimpleDraft();
  std::string raw = BuildMessage(draft, Context());
  Message message(raw);
  EXPECT_EQ(message.header().Get("Date"), "Sun, 29 Nov 2026 14:03:07 +0100");
  // A single-part message draws no boundary, so the Message-ID takes the first value.
  EXPECT_EQ(message.MessageId(), "<20261129130307.0000000000000001@example.org>");
  EXPECT_EQ(MakeMessageId(Context()), "<20261129130307.0000000000000001@example.org>");
  EXPECT_EQ(message.header().Get("MIME-Version"), "1.0");
}

// "<" 14 digits "." 16 lower-case hex digits "@" domain ">".
bool IsMessageIdForm(std::string_view id, std::string_view domain) {
  if (id.size() != 1 + 14 + 1 + 16 + 1 + domain.size() + 1) return false;
  if (!id.starts_with('<') || id[15] != '.' || id[32] != '@' || !id.ends_with('>')) return false;
  for (size_t i = 1; i < 15; ++i) {
    if (id[i] < '0' || id[i] > '9') return false;
  }
  for (size_t i = 16; i < 32; ++i) {
    if (std::string_view("0123456789abcdef").find(id[i]) == std::string_view::npos) return false;
  }
  return id.substr(33, domain.size()) == domain;
}

TEST(MakeMessageId, FormAndFallbacks) {
  BuildContext context;  // no generator: a local one is used
  std::string first = MakeMessageId(context);
  EXPECT_TRUE(IsMessageIdForm(first, "localhost")) << first;
  EXPECT_NE(first, MakeMessageId(context));
  EXPECT_TRUE(first.ends_with("@localhost>"));
  context.message_id_domain =
      "B\xC3\xBC"
      "cher.example";  // IDN: the A-label goes on the wire
  EXPECT_TRUE(IsMessageIdForm(MakeMessageId(context), "xn--bcher-kva.example"));
  context.message_id_domain = "bad domain>";
  EXPECT_TRUE(MakeMessageId(context).ends_with("@localhost>"));
  context.now_utc_seconds = -5;  // clamped, not garbage
  EXPECT_TRUE(MakeMessageId(context).starts_with("<19700101000000."));
}

TEST(BuildMessage, BccOnlyWhenAsked) {
  Draft draft = SimpleDraft();
  draft.bcc = {{"Secret", "hidden", "example.com"}};
  std::string wire = BuildMessage(draft, Context());
  EXPECT_EQ(wire.find("hidden"), std::string::npos);
  EXPECT_FALSE(Message(wire).header().Find("Bcc"));
  draft.include_bcc = true;
  Message kept(BuildMessage(draft, Context()));
  std::vector<Mailbox> want = {{"Secret", "hidden", "example.com"}};
  EXPECT_EQ(kept.AddressesOf("Bcc"), want);
}

TEST(BuildMessage, FoldsHugeAddressListsBetweenAddresses) {
  Draft draft = SimpleDraft();
  draft.to.clear();
  for (int i = 0; i < 2000; ++i) {
    draft.to.push_back(
        {i % 3 == 0 ? "User " + std::to_string(i) : "", "user" + std::to_string(i), "example.net"});
  }
  std::string raw = BuildMessage(draft, Context());
  ExpectWireForm(raw, 78);
  EXPECT_EQ(Message(raw).AddressesOf("To"), draft.to);
}

TEST(BuildMessage, InternationalAddresses) {
  Draft draft = SimpleDraft();
  draft.allow_8bit = false;
  draft.to = {{"", "info",
               "B\xC3\xBC"
               "cher.example"},                   // IDN: the A-label is sent
              {"", "j\xC3\xB6rg", "example.de"},  // SMTPUTF8: kept as UTF-8
              {"", "bad\xff", "example.de"},      // not UTF-8: dropped
              {"", "x", "\xff\xfe"}};             // not a domain at all
  Message message(BuildMessage(draft, Context()));
  std::vector<Mailbox> want = {{"", "info", "xn--bcher-kva.example"},
                               {"", "j\xC3\xB6rg", "example.de"}};
  EXPECT_EQ(message.AddressesOf("To"), want);
}

TEST(BuildMessage, DisplayNamesThatLookEncodedSurvive) {
  Draft draft = SimpleDraft();
  draft.to = {{"=?utf-8?q?hi?=", "a", "example.org"},
              {"x =?utf-8?b?aGk=?= y", "b", "example.org"},
              {"a=?-?:9 x", "c", "example.org"}};
  Message message(BuildMessage(draft, Context()));
  EXPECT_EQ(message.AddressesOf("To"), draft.to);
  EXPECT_TRUE(message.defects().empty());
}

TEST(BuildMessage, LongDisplayNamesStayWithinLines) {
  Draft draft = SimpleDraft();
  draft.from.name = std::string(3000, 'n');
  draft.to = {{"J\xC3\xBCrgen " + std::string(1500, 'q') + " \"the\" <boss>", "j", "example.de"}};
  std::string raw = BuildMessage(draft, Context());
  ExpectWireForm(raw);
  Message message(raw);
  // One 3000-octet word cannot be folded: the name goes, the address stays.
  EXPECT_EQ(message.From(), (std::vector<Mailbox>{{"", "alice", "example.org"}}));
  EXPECT_EQ(message.AddressesOf("To"), draft.to);
}

struct SubjectCase {
  const char* name;
  std::string subject;
};

TEST(BuildMessage, SubjectsOfAnyLengthFitLines) {
  std::string words;
  for (int i = 0; i < 1500; ++i) words += "word" + std::to_string(i) + " ";
  words.pop_back();
  const SubjectCase cases[] = {
      {"short", "Lunch?"},
      {"10000 without spaces", std::string(10000, 's')},
      {"10000 with spaces", words},
      {"non-ascii", "\xC3\xA9t\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xF0\x9F\x8E\x89"},
      {"long non-ascii", std::string(3000, 'a') + "\xC3\xA9" + std::string(3000, 'b')},
      {"looks encoded", "=?utf-8?q?not_really?= x"},
      {"specials", "Re: [list] \"quoted\" (comment) <angle> a@b; c,d"},
  };
  for (const SubjectCase& c : cases) {
    Draft draft = SimpleDraft();
    draft.subject = c.subject;
    std::string raw = BuildMessage(draft, Context());
    ExpectWireForm(raw);
    for (const std::string& line : HeaderLines(raw)) EXPECT_LE(line.size(), 78u) << c.name;
    std::string got = Message(raw).Subject().value_or("(none)");
    EXPECT_TRUE(got == c.subject) << c.name << ": got " << got.substr(0, 200);
  }
}

TEST(BuildMessage, LineBreaksCannotInjectFields) {
  Draft draft = SimpleDraft();
  draft.subject = "hi\r\nBcc: evil@example.com";
  draft.from.name = "x\nX-Injected: 1";
  draft.to[0].local_part = "bob\r\nX-Injected: 2";
  draft.extra_headers = {{"X-Note", "a\r\nX-Injected: 3"}, {"X-Bad\r\nName", "v"}};
  Attachment attachment{"a\r\nX-Injected: 4.txt", "data", "", false};
  draft.attachments = {attachment};
  std::string raw = BuildMessage(draft, Context());
  ExpectWireForm(raw);
  EXPECT_EQ(raw.find("\r\nBcc:"), std::string::npos);
  EXPECT_EQ(raw.find("\r\nX-Injected"), std::string::npos);
  Message message(raw);
  EXPECT_EQ(message.Subject(), "hi Bcc: evil@example.com");
}

TEST(BuildMessage, ExtraHeadersEncodedAndFiltered) {
  Draft draft = SimpleDraft();
  draft.extra_headers = {{"X-Comment", "caf\xC3\xA9"},
                         {"Subject", "second subject"},
                         {"bcc", "leak@example.com"},
                         {"Content-Type", "text/html"},
                         {"Bad Name", "v"},
                         {"", "v"},
                         {std::string(100, 'X'), "v"},
                         {"Sender", "Bob <b@example.org>"}};
  Message message(BuildMessage(draft, Context()));
  EXPECT_EQ(DecodeEncodedWords(*message.header().Get("X-Comment"), nullptr), "caf\xC3\xA9");
  EXPECT_EQ(message.header().FindAll("Subject").size(), 1u);
  EXPECT_EQ(message.header().Find("Bcc"), nullptr);
  EXPECT_EQ(message.header().FindAll("Content-Type").size(), 1u);
  EXPECT_EQ(message.header().Find("Bad Name"), nullptr);
  EXPECT_EQ(message.header().Get("Sender"), "Bob <b@example.org>");
  EXPECT_EQ(message.header().fields().size(), 10u);  // 9 own fields + Sender
}

TEST(BuildMessage, ReferencesOneIdPerLineWhenLong) {
  Draft draft = SimpleDraft();
  draft.in_reply_to = "parent@example.org";
  for (int i = 0; i < 50; ++i)
    draft.references.push_back("<id" + std::to_string(i) + "@example.org>");
  draft.references.push_back("<" + std::string(2000, 'L') + "@example.org>");  // cannot fit
  draft.references.push_back("not<valid>");
  std::string raw = BuildMessage(draft, Context());
  ExpectWireForm(raw, 78);
  Message message(raw);
  EXPECT_EQ(message.header().Get("In-Reply-To"), "<parent@example.org>");
  const HeaderField* references = message.header().Find("References");
  ASSERT_NE(references, nullptr);
  EXPECT_TRUE(references->raw.starts_with(" <id0@example.org>\r\n <id1@example.org>\r\n"));
  EXPECT_EQ(raw.find("LLLL"), std::string::npos);
  EXPECT_EQ(raw.find("valid"), std::string::npos);
}

TEST(BuildMessage, AlternativeAndMixedStructure) {
  Draft draft = SimpleDraft();
  draft.html = "<p>Hi <b>Bob</b></p>\n";
  draft.attachments = {{"photo.PNG", std::string("\x89PNG\r\n\x1a\n\0\0", 10), "", false},
                       {"notes.txt", "line one\r\nline two\r\n", "", true}};
  std::string raw = BuildMessage(draft, Context());
  ExpectWireForm(raw, 78);
  Message message(raw);
  const Part& root = message.Mime();
  EXPECT_EQ(root.content_type, "multipart/mixed");
  ASSERT_EQ(root.children.size(), 3u);
  const Part& alternative = root.children[0];
  EXPECT_EQ(alternative.content_type, "multipart/alternative");
  ASSERT_EQ(alternative.children.size(), 2u);
  EXPECT_EQ(alternative.children[0].content_type, "text/plain");
  EXPECT_EQ(alternative.children[1].content_type, "text/html");
  EXPECT_EQ(alternative.children[1].TextUtf8(nullptr), "<p>Hi <b>Bob</b></p>\r\n");
  const Part& photo = root.children[1];
  EXPECT_EQ(photo.content_type, "image/png");
  EXPECT_EQ(photo.transfer_encoding, "base64");
  EXPECT_EQ(photo.disposition, "attachment");
  EXPECT_EQ(photo.filename, "photo.PNG");
  EXPECT_EQ(photo.DecodedBody(nullptr), draft.attachments[0].content);
  const Part& notes = root.children[2];
  EXPECT_EQ(notes.content_type, "text/plain");
  EXPECT_EQ(notes.transfer_encoding, "7bit");  // canonical ASCII text goes as is
  EXPECT_EQ(notes.disposition, "inline");
  EXPECT_EQ(notes.DecodedBody(nullptr), draft.attachments[1].content);
  EXPECT_TRUE(message.defects().empty());
}

struct AttachmentCase {
  const char* name;
  Attachment attachment;
  const char* content_type;
  const char* transfer_encoding;
};

TEST(BuildMessage, AttachmentTypesAndEncodings) {
  const std::string eml = "From: a@example.org\r\nSubject: x\r\n\r\nbody\r\n";
  const AttachmentCase cases[] = {
      {"empty file", {"empty.bin", "", "", false}, "application/octet-stream", "base64"},
      {"lf text goes base64", {"a.txt", "one\ntwo\n", "", false}, "text/plain", "base64"},
      {"utf-8 text", {"a.csv", "\xC3\xA9,1\r\n", "", false}, "text/csv", "base64"},
      {"explicit type",
       {"x", "\x01\x02", "Application/X-Thing; a=b", false},
       "application/x-thing",
       "base64"},
      {"invalid type sniffed",
       {"doc.pdf", "%PDF", "not a type", false},
       "application/pdf",
       "base64"},
      {"multipart refused",
       {"m", "--x\r\n", "multipart/mixed", false},
       "application/octet-stream",
       "base64"},
      {"clean message", {"fwd.eml", eml, "", false}, "message/rfc822", "7bit"},
      {"binary message",
       {"fwd.eml", std::string("\0\xff", 2), "", false},
       "message/rfc822",
       "base64"},
  };
  for (const AttachmentCase& c : cases) {
    Draft draft = SimpleDraft();
    draft.attachments = {c.attachment};
    std::string raw = BuildMessage(draft, Context());
    ExpectWireForm(raw, 78);
    Message message(raw);
    ASSERT_EQ(message.Mime().children.size(), 2u) << c.name;
    const Part& part = message.Mime().children[1];
    EXPECT_EQ(part.content_type, c.content_type) << c.name;
    EXPECT_EQ(part.transfer_encoding, c.transfer_encoding) << c.name;
    EXPECT_EQ(part.DecodedBody(nullptr), c.attachment.content) << c.name;
  }
}

struct FilenameCase {
  const char* name;
  std::string filename;
  std::string want;
};

TEST(BuildMessage, FileNamesSurviveIncludingRfc2231) {
  const std::string long_name = std::string(300, 'a') + ".pdf";
  const FilenameCase cases[] = {
      {"plain", "report.pdf", "report.pdf"},
      {"spaces and specials", "my report; v=2 \"final\".pdf", "my report; v=2 \"final\".pdf"},
      {"latin", "r\xC3\xA9sum\xC3\xA9.pdf", "r\xC3\xA9sum\xC3\xA9.pdf"},
      {"cjk", "\xE5\xA0\xB1\xE5\x91\x8A\xE6\x9B\xB8.docx",
       "\xE5\xA0\xB1\xE5\x91\x8A\xE6\x9B\xB8.docx"},
      {"long non-ascii", std::string(80, 'x') + "\xC3\xA9" + std::string(80, 'y') + ".txt",
       std::string(80, 'x') + "\xC3\xA9" + std::string(80, 'y') + ".txt"},
      {"too long keeps extension", long_name, std::string(251, 'a') + ".pdf"},
      {"controls removed", "a\tb\x01.txt", "ab.txt"},
      {"looks encoded", "=?utf-8?q?hi?=.txt", "=?utf-8?q?hi?=.txt"},
  };
  for (const FilenameCase& c : cases) {
    Draft draft = SimpleDraft();
    draft.attachments = {{c.filename, "x", "", false}};
    std::string raw = BuildMessage(draft, Context());
    ExpectWireForm(raw);
    Message message(raw);
    ASSERT_EQ(message.Mime().children.size(), 2u) << c.name;
    const Part& part = message.Mime().children[1];
    EXPECT_EQ(part.filename, c.want) << c.name;
    EXPECT_EQ(part.content_type_field.Param("name"), c.want) << c.name;
  }
  Draft draft = SimpleDraft();
  draft.attachments = {{"r\xC3\xA9sum\xC3\xA9.pdf", "x", "", false}};
  EXPECT_NE(BuildMessage(draft, Context()).find("filename*"), std::string::npos);
}

TEST(BuildMessage, BoundaryAvoidsEnclosedContent) {
  Draft draft = SimpleDraft();
  // The first two values the generator will give, planted in the text and an attachment.
  draft.text = "before\n--=_pigeon_0000000000000001\nafter\n";
  draft.attachments = {{"a.txt", "--=_pigeon_0000000000000002--\r\n", "", false}};
  std::string raw = BuildMessage(draft, Context());
  Message message(raw);
  const Part& root = message.Mime();
  EXPECT_EQ(root.content_type_field.Param("boundary"), "=_pigeon_0000000000000003");
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[0].TextUtf8(nullptr),
            "before\r\n--=_pigeon_0000000000000001\r\nafter\r\n");
  EXPECT_EQ(root.children[1].DecodedBody(nullptr), draft.attachments[0].content);
}

TEST(BuildMessage, BoundarySearchEndsWithAStuckGenerator) {
  Draft draft = SimpleDraft();
  draft.text = "--=_pigeon_0000000000000007\n";
  draft.html = "<p>x</p>";
  BuildContext context = Context();
  context.random = [] { return uint64_t{7}; };
  Message message(BuildMessage(draft, context));
  EXPECT_EQ(message.Mime().children.size(), 2u);
  EXPECT_EQ(message.Mime().children[0].TextUtf8(nullptr), "--=_pigeon_0000000000000007\r\n");
}

class FixedSniffer : public MimeTypeSniffer {
 public:
  std::string Sniff(std::string_view, std::string_view) const override { return "image/x-fixed"; }
};

TEST(BuildMessage, UsesTheContextSniffer) {
  FixedSniffer sniffer;
  BuildContext context = Context();
  context.sniffer = &sniffer;
  Draft draft = SimpleDraft();
  draft.attachments = {{"a.pdf", "x", "", false}, {"b.pdf", "x", "application/pdf", false}};
  Message message(BuildMessage(draft, context));
  ASSERT_EQ(message.Mime().children.size(), 3u);
  EXPECT_EQ(message.Mime().children[1].content_type, "image/x-fixed");
  EXPECT_EQ(message.Mime().children[2].content_type, "application/pdf");
}

TEST(BuildMessage, EightBitPartsMarkTheirMultipart) {
  Draft draft = SimpleDraft();
  draft.text = "\xC3\xA9t\xC3\xA9\n";
  draft.attachments = {{"a.bin", "x", "", false}};
  Message eight(BuildMessage(draft, Context()));
  EXPECT_EQ(eight.Mime().transfer_encoding, "8bit");
  draft.allow_8bit = false;
  std::string raw = BuildMessage(draft, Context());
  for (unsigned char c : raw) ASSERT_LT(c, 128) << "8-bit octet with allow_8bit = false";
  EXPECT_EQ(Message(raw).Mime().transfer_encoding, "7bit");
}

}  // namespace
}  // namespace pigeon::message
