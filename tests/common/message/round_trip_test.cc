// Round trip: seeded random drafts are built, parsed back (Message, ParseMime) and compared.
// The equivalence checked, part by part:
//  - text/plain and text/html: TextUtf8 equals the input with every LF not preceded by CR made
//    CRLF (a lone CR stays as it is) and CRLF appended when the text is non-empty and does not
//    already end with one; empty text stays empty;
//  - attachments: DecodedBody is the input bytes exactly, the file name and type are the input's
//    (or the ExtensionSniffer's when none was given), the disposition is the one asked for;
//  - Subject, From, To, Cc decode to the input (generated without leading or trailing
//    whitespace, which unfolding trims, and without line breaks, which become spaces);
//  - on the wire: every line ends with CRLF, holds no other CR or LF, and is ≤ 998 octets.
// A failure names the seed; rerun one with --gtest_filter and kFirstSeed set to it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/message/builder.h"
#include "common/message/message.h"

namespace pigeon::message {

// gtest prints mailboxes readably (and, for long texts, only their start).
void PrintTo(const Mailbox& mailbox, std::ostream* os) {
  *os << "{\"" << mailbox.name.substr(0, 60) << "\" " << mailbox.local_part.substr(0, 60) << "@"
      << mailbox.domain.substr(0, 60) << "}";
}

namespace {

constexpr uint64_t kFirstSeed = 1;
constexpr int kDrafts = 600;

class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_(seed) {}
  size_t Below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  bool OneIn(size_t n) { return Below(n) == 0; }
  template <class T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }
  uint64_t Bits() { return rng_(); }

 private:
  std::mt19937_64 rng_;
};

// Pieces of text for each flavour, as UTF-8.
const std::vector<std::vector<std::string>>& Alphabets() {
  static const std::vector<std::vector<std::string>> kAlphabets = {
      {"a", "b", "z", "Q", "0", "9", " ", " ",  ".", ",", "-", "=", "_", "?", "\"",
       "(", ")", "<", ">", "@", ";", ":", "\\", "[", "]", "'", "!", "~", "\t"},
      {"\xC3\xA9", "\xC3\xBC", "\xC3\x9F", "\xC3\xB1", "\xC3\x85", "e", "s", " ", "\xC2\xA0"},
      {"\xE6\x97\xA5", "\xE6\x9C\xAC", "\xE8\xAA\x9E", "\xE4\xB8\xAD", "\xED\x95\x9C",
       "\xE3\x80\x82", " "},
      {"\xF0\x9F\x98\x80", "\xF0\x9F\x8E\x89", "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD",
       "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9", " ", "x"},
  };
  return kAlphabets;
}

// A run of `length` pieces from one or two alphabets.
std::string Run(Gen& gen, size_t length) {
  const auto& alphabets = Alphabets();
  const auto& first = alphabets[gen.Below(alphabets.size())];
  const auto& second = gen.OneIn(2) ? alphabets[0] : first;
  std::string out;
  for (size_t i = 0; i < length; ++i) out += gen.Pick(gen.OneIn(3) ? second : first);
  return out;
}

// Body text: lines of every length (a few thousand octets now and then, with and without
// spaces), mbox and SMTP hazards, mixed line ends, sometimes no final line break.
std::string RandomText(Gen& gen) {
  static const std::vector<std::string> kHazards = {
      "From here",       ".",     "..",           "--", "--=_pigeon_0", "=", "=3D",
      "trailing space ", "tab\t", "=?utf-8?q?x?="};
  std::string text;
  size_t lines = gen.Below(12);
  for (size_t i = 0; i < lines; ++i) {
    size_t kind = gen.Below(10);
    if (kind == 0) {
      text += std::string(1 + gen.Below(5000), "xyz"[gen.Below(3)]);
    } else if (kind == 1) {
      text += Run(gen, 500 + gen.Below(4500));
    } else if (kind == 2) {
      text += gen.Pick(kHazards);
    } else if (kind == 3 && gen.OneIn(4)) {
      text += "cr\ralone";
    } else {
      text += Run(gen, gen.Below(100));
    }
    if (i + 1 < lines || gen.OneIn(2)) text += gen.OneIn(2) ? "\n" : "\r\n";
  }
  return text;
}

// What the text part decodes to (see the equivalence at the top of the file).
std::string ExpectedText(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  if (!out.empty() && !out.ends_with("\r\n")) out += "\r\n";
  return out;
}

std::string Trimmed(std::string s) {
  size_t start = s.find_first_not_of(" \t");
  if (start == std::string::npos) return {};
  size_t end = s.find_last_not_of(" \t");
  return s.substr(start, end - start + 1);
}

std::string RandomSubject(Gen& gen) {
  if (gen.OneIn(20)) return "";
  std::string subject = Run(gen, gen.OneIn(15) ? 1000 + gen.Below(3000) : gen.Below(60));
  if (gen.OneIn(5)) subject = "Re: [list] " + subject;
  for (char& c : subject) {
    if (c == '\t') c = ' ';
  }
  return Trimmed(subject);
}

Mailbox RandomMailbox(Gen& gen) {
  static const std::vector<std::string> kLocals = {
      "alice", "bob.smith", "x", "first.last+tag", "o'brien", "a_b-c", "user123"};
  static const std::vector<std::string> kQuotedLocals = {"john smith", "a\"b", "x@y", "dot..dot"};
  static const std::vector<std::string> kDomains = {"example.org", "mail.example.net", "x.test"};
  Mailbox mailbox;
  if (!gen.OneIn(3)) {
    mailbox.name = Run(gen, 1 + gen.Below(gen.OneIn(10) ? 200 : 25));
    for (char& c : mailbox.name) {
      if (c == '\t') c = ' ';
    }
    mailbox.name = Trimmed(mailbox.name);
  }
  mailbox.local_part = gen.OneIn(10) ? gen.Pick(kQuotedLocals) : gen.Pick(kLocals);
  mailbox.domain = gen.Pick(kDomains);
  return mailbox;
}

std::vector<Mailbox> RandomMailboxes(Gen& gen, size_t max) {
  std::vector<Mailbox> list(gen.Below(max + 1));
  for (Mailbox& mailbox : list) mailbox = RandomMailbox(gen);
  return list;
}

// At most `max` octets of `s`, cut between UTF-8 characters.
std::string CutUtf8(std::string s, size_t max) {
  if (s.size() <= max) return s;
  while (max > 0 && (static_cast<unsigned char>(s[max]) & 0xc0) == 0x80) --max;
  return s.substr(0, max);
}

// Names up to 240 octets (the builder shortens longer ones), specials and quotes included.
std::string RandomFilename(Gen& gen) {
  static const std::vector<std::string> kExtensions = {".pdf",   ".png",    ".txt", ".csv",
                                                       ".docx",  ".tar.gz", ".qqq", ".c",
                                                       ".PATCH", ".json",   ".eml", ""};
  if (gen.OneIn(15)) return "";
  std::string stem = CutUtf8(Run(gen, 1 + gen.Below(gen.OneIn(6) ? 120 : 12)), 230);
  for (char& c : stem) {
    if (c == '\t') c = '_';
  }
  stem = Trimmed(stem);
  if (stem.empty()) stem = "file";
  return stem + gen.Pick(kExtensions);
}

std::string RandomContent(Gen& gen, bool eml) {
  size_t kind = gen.Below(eml ? 2 : 5);
  if (kind == 0) {
    return eml ? "From: a@example.org\r\nSubject: fwd\r\n\r\nbody\r\n" : "";
  }
  if (kind == 1 || kind == 2) {
    std::string bytes(gen.Below(gen.OneIn(4) ? 20000 : 300), '\0');
    for (char& c : bytes) c = static_cast<char>(gen.Bits());
    return bytes;
  }
  std::string text = RandomText(gen);
  if (kind == 3) text = ExpectedText(text);  // canonical CRLF text: may go 7bit
  return text;
}

Attachment RandomAttachment(Gen& gen) {
  static const std::vector<std::string> kTypes = {"application/x-custom", "text/plain",
                                                  "image/svg+xml", "Application/PDF"};
  Attachment attachment;
  attachment.filename = RandomFilename(gen);
  attachment.content = RandomContent(gen, attachment.filename.ends_with(".eml"));
  if (gen.OneIn(5)) attachment.content_type = gen.Pick(kTypes);
  attachment.inline_disposition = gen.OneIn(4);
  return attachment;
}

Draft RandomDraft(Gen& gen) {
  Draft draft;
  draft.from = RandomMailbox(gen);
  draft.to = RandomMailboxes(gen, gen.OneIn(10) ? 60 : 3);
  draft.cc = RandomMailboxes(gen, 2);
  draft.subject = RandomSubject(gen);
  draft.text = RandomText(gen);
  if (gen.OneIn(3)) draft.html = "<html><body><p>" + RandomText(gen) + "</p></body></html>";
  draft.attachments.resize(gen.Below(5));
  for (Attachment& attachment : draft.attachments) attachment = RandomAttachment(gen);
  draft.allow_8bit = !gen.OneIn(3);
  return draft;
}

void ExpectWireForm(std::string_view raw) {
  ASSERT_TRUE(raw.ends_with("\r\n"));
  for (size_t start = 0; start < raw.size();) {
    size_t end = raw.find("\r\n", start);
    std::string_view line = raw.substr(start, end - start);
    ASSERT_LE(line.size(), 998u) << line.substr(0, 80);
    ASSERT_EQ(line.find_first_of("\r\n"), std::string_view::npos) << line.substr(0, 80);
    start = end + 2;
  }
}

std::string ExpectedType(const Attachment& attachment) {
  if (!attachment.content_type.empty()) {
    std::string lower = attachment.content_type;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower;
  }
  return ExtensionSniffer().Sniff(attachment.content, attachment.filename);
}

// Where two long strings first differ, with a little context, instead of both in full.
std::string FirstDifference(const std::string& got, const std::string& want) {
  size_t i =
      std::mismatch(got.begin(), got.begin() + std::min(got.size(), want.size()), want.begin())
          .first -
      got.begin();
  size_t from = i < 20 ? 0 : i - 20;
  return "sizes " + std::to_string(got.size()) + "/" + std::to_string(want.size()) +
         ", first difference at " + std::to_string(i) + ": got \"" + got.substr(from, 60) +
         "\" want \"" + want.substr(from, 60) + "\"";
}

void ExpectText(const Part& part, std::string_view type, std::string_view text) {
  EXPECT_EQ(part.content_type, type);
  std::string got = part.TextUtf8(nullptr);
  std::string want = ExpectedText(text);
  EXPECT_TRUE(got == want) << type << " " << part.transfer_encoding << ": "
                           << FirstDifference(got, want);
}

void ExpectAttachment(const Part& part, const Attachment& attachment) {
  EXPECT_EQ(part.content_type, ExpectedType(attachment));
  std::string body = part.DecodedBody(nullptr);
  EXPECT_TRUE(body == attachment.content)
      << part.transfer_encoding << ": " << FirstDifference(body, attachment.content);
  if (attachment.filename.empty()) {
    EXPECT_EQ(part.filename, std::nullopt);
  } else {
    EXPECT_EQ(part.filename, attachment.filename);
  }
  EXPECT_EQ(part.disposition, attachment.inline_disposition ? "inline" : "attachment");
}

void ExpectSameParts(const Draft& draft, const Part& root) {
  const Part* text = &root;
  if (!draft.attachments.empty()) {
    ASSERT_EQ(root.content_type, "multipart/mixed");
    ASSERT_EQ(root.children.size(), draft.attachments.size() + 1);
    for (size_t i = 0; i < draft.attachments.size(); ++i) {
      SCOPED_TRACE("attachment " + std::to_string(i));
      ExpectAttachment(root.children[i + 1], draft.attachments[i]);
    }
    text = &root.children[0];
  }
  if (draft.html) {
    ASSERT_EQ(text->content_type, "multipart/alternative");
    ASSERT_EQ(text->children.size(), 2u);
    ExpectText(text->children[1], "text/html", *draft.html);
    text = &text->children[0];
  }
  ExpectText(*text, "text/plain", draft.text);
}

// What a draft exercised, so the test notices when the generator stops covering a case.
void Tally(const Draft& draft, const Part& part, std::map<std::string, int>& seen) {
  if (part.children.empty()) {
    std::string kind = part.filename ? "attachment" : part.content_type;
    ++seen[kind + " " + part.transfer_encoding];
  }
  for (const Part& child : part.children) Tally(draft, child, seen);
}

void TallyDraft(const Draft& draft, std::map<std::string, int>& seen) {
  ++seen["attachments=" + std::to_string(draft.attachments.size())];
  if (draft.html) ++seen["html"];
  if (!draft.allow_8bit) ++seen["7bit only"];
  if (draft.text.find("cr\ralone") != std::string::npos) ++seen["bare cr in text"];
  for (const Attachment& attachment : draft.attachments) {
    if (attachment.content.empty()) ++seen["empty attachment"];
    if (attachment.filename.ends_with(".eml")) ++seen["eml"];
    bool ascii = std::all_of(attachment.filename.begin(), attachment.filename.end(),
                             [](char c) { return (c & 0x80) == 0; });
    if (!ascii) ++seen["non-ascii file name"];
    if (attachment.filename.size() > 100) ++seen["long file name"];
  }
  if (draft.subject.size() > 998) ++seen["long subject"];
}

// Builds the draft for `seed`, parses it back and compares (see the top of the file).
void CheckRoundTrip(uint64_t seed, std::map<std::string, int>& seen) {
  Gen gen(seed);
  Draft draft = RandomDraft(gen);
  BuildContext context;
  context.now_utc_seconds = 1700000000 + static_cast<int64_t>(gen.Below(1000000000));
  context.zone_offset_minutes = static_cast<int>(gen.Below(27 * 60)) - 12 * 60;
  auto random = std::make_shared<Gen>(seed * 7919);
  context.random = [random] { return random->Bits(); };
  std::string raw = BuildMessage(draft, context);
  ExpectWireForm(raw);
  if (!draft.allow_8bit) {
    ASSERT_TRUE(std::none_of(raw.begin(), raw.end(), [](char c) { return c & 0x80; }));
  }
  Message message(raw);
  std::string subject = message.Subject().value_or("(none)");
  EXPECT_TRUE(subject == draft.subject)
      << "got " << subject.substr(0, 200) << "\nwant " << draft.subject.substr(0, 200);
  EXPECT_EQ(message.From(), std::vector<Mailbox>{draft.from});
  EXPECT_EQ(message.AddressesOf("To"), draft.to);
  EXPECT_EQ(message.AddressesOf("Cc"), draft.cc);
  std::optional<DateTime> date = message.Date();
  ASSERT_TRUE(date.has_value());
  EXPECT_EQ(date->utc_seconds, context.now_utc_seconds);
  ExpectSameParts(draft, message.Mime());
  TallyDraft(draft, seen);
  Tally(draft, message.Mime(), seen);
  bool has_eml = std::any_of(draft.attachments.begin(), draft.attachments.end(),
                             [](const Attachment& a) { return a.filename.ends_with(".eml"); });
  if (has_eml) return;  // a forwarded message of random bytes is allowed to look broken
  for (const Defect& defect : message.defects()) {
    ADD_FAILURE() << "defect " << static_cast<int>(defect.kind) << ": " << defect.detail;
  }
}

TEST(RoundTrip, RandomDraftsComeBackUnchanged) {
  std::map<std::string, int> seen;
  for (uint64_t seed = kFirstSeed; seed < kFirstSeed + kDrafts; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    CheckRoundTrip(seed, seen);
    if (HasFailure()) return;  // one seed's worth of output is enough to debug
  }
  // clang-format off
  const char* const kMustSee[] = {
      "text/plain 7bit", "text/plain 8bit", "text/plain quoted-printable",
      "text/html 7bit", "text/html 8bit", "text/html quoted-printable",
      "attachment 7bit", "attachment base64", "attachments=0", "attachments=4", "html",
      "7bit only", "bare cr in text", "empty attachment", "eml", "non-ascii file name",
      "long file name", "long subject"};
  // clang-format on
  for (const char* key : kMustSee) EXPECT_GE(seen[key], 3) << key;
  for (const auto& [key, count] : seen) std::printf("  %-32s %d\n", key.c_str(), count);
}

// Any octets at all, control characters and broken UTF-8 included.
std::string Garbage(Gen& gen, size_t max) {
  std::string bytes(gen.Below(max + 1), '\0');
  for (char& c : bytes)
    c = gen.OneIn(3) ? "\r\n\t\0 :;\"<>@=?"[gen.Below(14)] : static_cast<char>(gen.Bits());
  return bytes;
}

Draft HostileDraft(Gen& gen) {
  Draft draft;
  draft.allow_8bit = gen.OneIn(2);
  // A UTF-8 local part is the one thing allowed to put 8-bit octets in a 7bit message.
  auto local = [&gen, &draft] {
    std::string bytes = Garbage(gen, 20);
    for (char& c : bytes) c = draft.allow_8bit ? c : static_cast<char>(c & 0x7f);
    return bytes;
  };
  draft.from = {Garbage(gen, 40), local(), Garbage(gen, 20)};
  for (size_t i = gen.Below(4); i > 0; --i) {
    draft.to.push_back({Garbage(gen, 40), local(), Garbage(gen, 20)});
  }
  draft.subject = Garbage(gen, gen.OneIn(5) ? 3000 : 80);
  draft.text = Garbage(gen, 3000);
  if (gen.OneIn(2)) draft.html = Garbage(gen, 300);
  draft.in_reply_to = Garbage(gen, 60);
  draft.references = {Garbage(gen, 60), Garbage(gen, 1200)};
  draft.extra_headers = {{"X-A", Garbage(gen, 200)}, {Garbage(gen, 10), Garbage(gen, 20)}};
  for (size_t i = gen.Below(3); i > 0; --i) {
    draft.attachments.push_back(
        {Garbage(gen, 300), Garbage(gen, 500), gen.OneIn(3) ? Garbage(gen, 30) : "", gen.OneIn(2)});
  }
  return draft;
}

// The random second extra header survives only when its name is a valid, unreserved one.
bool IsValidExtraName(const std::string& name, const Draft& draft) {
  return name == draft.extra_headers[1].first &&
         name.find_first_of(" \t\r\n:") == std::string::npos;
}

// Whatever the draft holds, the output is well formed and only has the builder's own fields:
// no text can end a field early and start another.
TEST(RoundTrip, HostileDraftsStayWellFormed) {
  const std::set<std::string> allowed = {
      "Date",        "From",       "To",           "Subject",      "Message-ID",
      "In-Reply-To", "References", "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
      "X-A"};
  for (uint64_t seed = kFirstSeed; seed < kFirstSeed + kDrafts / 2; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Gen gen(seed);
    Draft draft = HostileDraft(gen);
    BuildContext context;
    context.random = [&gen] { return gen.Bits(); };
    std::string raw = BuildMessage(draft, context);
    ExpectWireForm(raw);
    Message message(raw);
    std::set<std::string> names;
    for (const HeaderField& field : message.header().fields()) {
      std::string name(field.name);
      EXPECT_TRUE(allowed.contains(name) || IsValidExtraName(name, draft)) << name;
      EXPECT_TRUE(names.insert(name).second) << "twice: " << name;
    }
    EXPECT_TRUE(names.contains("MIME-Version"));
    EXPECT_EQ(message.Mime().children.size(),
              draft.attachments.empty() ? (draft.html ? 2u : 0u) : draft.attachments.size() + 1);
    if (!draft.allow_8bit) {
      size_t eight_bit =
          std::find_if(raw.begin(), raw.end(), [](char c) { return c & 0x80; }) - raw.begin();
      size_t line = raw.rfind("\r\n", eight_bit);
      ASSERT_EQ(eight_bit, raw.size()) << raw.substr(line == raw.npos ? 0 : line + 2, 120);
    }
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace pigeon::message
