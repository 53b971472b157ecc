// RFC 5322 §3.4 address-list and mailbox-list parsing with the obsolete forms of §4.4, and
// the inverse formatting; IDNA conversion through libidn2. Field values are untrusted: the
// parser never fails, repairs what it can (missing commas, unclosed quotes and angles) and
// records defects; work is linear in the input and the address count is bounded. Where real
// mail is ambiguous the results follow Python's email.headerregistry (policy=default).
#include "common/message/address.h"

#include <idn2.h>

#include <memory>
#include <utility>

#include "common/message/address_lexer.h"
#include "common/message/charset.h"
#include "common/message/encoded_word.h"

namespace pigeon::message {
namespace {

using Words = std::vector<AddressToken>;

std::string Excerpt(const AddressToken& token) {
  return token.kind == AddressTokenKind::kEnd ? "end of field"
                                              : "'" + token.text.substr(0, 40) + "'";
}

class AddressParser {
 public:
  AddressParser(std::string_view value, Defects* defects)
      : lexer_(value, defects), defects_(defects) {}

  AddressList Run();

 private:
  Words CollectWords();
  Group ParseGroup(std::string name);
  std::optional<Mailbox> ParseMailboxAfter(const Words& phrase);
  void ParseAngleAddr(Mailbox* mailbox);
  void SkipObsRoute();
  std::string ParseDomain();
  void EndOfAddress();
  bool StartsAddress() const;
  void SkipToSeparator();
  bool HasRoom();
  std::string LocalPart(const Words& words);
  std::string DisplayName(const Words& words);

  AddressLexer lexer_;
  Defects* defects_;
  size_t count_ = 0;  // groups and mailboxes produced so far
  bool limit_hit_ = false;
};

AddressList AddressParser::Run() {
  AddressList list;
  while (!lexer_.AtEnd() && !limit_hit_) {
    const AddressToken& token = lexer_.Peek();
    if (token.IsSpecial(',')) {  // obs-addr-list: empty elements are allowed
      lexer_.Next();
      continue;
    }
    if (token.IsSpecial(';')) {  // Outlook users separate with ';': take it as a comma
      AddDefect(defects_, DefectKind::kAddressInvalidCharacter, "';' outside a group");
      lexer_.Next();
      continue;
    }
    if (!HasRoom()) break;
    Words phrase = CollectWords();
    if (lexer_.Peek().IsSpecial(':')) {
      lexer_.Next();
      ++count_;
      list.items.emplace_back(ParseGroup(DisplayName(phrase)));
    } else if (std::optional<Mailbox> mailbox = ParseMailboxAfter(phrase)) {
      ++count_;
      list.items.emplace_back(std::move(*mailbox));
    }
    EndOfAddress();
  }
  return list;
}

Words AddressParser::CollectWords() {
  Words words;
  while (lexer_.Peek().IsWordOrDot()) words.push_back(lexer_.Next());
  return words;
}

Group AddressParser::ParseGroup(std::string name) {
  Group group{std::move(name), {}};
  bool saw_comma = false;
  while (true) {
    const AddressToken& token = lexer_.Peek();
    if (token.kind == AddressTokenKind::kEnd) {
      AddDefect(defects_, DefectKind::kAddressInvalidCharacter, "group not closed by ';'");
      break;
    }
    if (token.IsSpecial(';')) {
      lexer_.Next();
      break;
    }
    if (token.IsSpecial(',')) {
      saw_comma = true;
      lexer_.Next();
      continue;
    }
    if (!HasRoom()) break;
    Words phrase = CollectWords();
    if (lexer_.Peek().IsSpecial(':')) {
      // Groups do not nest (§3.4); drop the inner "name:" and keep its members.
      AddDefect(defects_, DefectKind::kAddressInvalidCharacter, "group inside a group");
      lexer_.Next();
      continue;
    }
    if (std::optional<Mailbox> mailbox = ParseMailboxAfter(phrase)) {
      ++count_;
      group.members.push_back(std::move(*mailbox));
    }
    EndOfAddress();
  }
  // "name:;" is a valid empty group; only the obsolete comma-only list is irregular.
  if (group.members.empty() && saw_comma) {
    AddDefect(defects_, DefectKind::kAddressEmptyGroup, "group of empty list elements");
  }
  return group;
}

// `phrase` are the words already read; what follows decides whether they were a display
// name, a local part, or (with nothing after them) a local part without a domain.
std::optional<Mailbox> AddressParser::ParseMailboxAfter(const Words& phrase) {
  const AddressToken& token = lexer_.Peek();
  Mailbox mailbox;
  if (token.IsSpecial('<')) {
    mailbox.name = DisplayName(phrase);
    ParseAngleAddr(&mailbox);
    return mailbox;
  }
  if (token.IsSpecial('@')) {
    lexer_.Next();
    if (phrase.empty()) AddDefect(defects_, DefectKind::kAddressInvalidCharacter, "no local part");
    mailbox.local_part = LocalPart(phrase);
    mailbox.domain = ParseDomain();
    return mailbox;
  }
  if (phrase.empty()) {
    if (token.kind == AddressTokenKind::kEnd) return std::nullopt;
    AddDefect(defects_, DefectKind::kAddressInvalidCharacter, "unexpected " + Excerpt(token));
    lexer_.Next();
    SkipToSeparator();
    return std::nullopt;
  }
  // "undisclosed-recipients", "postmaster": a bare local part, as Python reads it.
  AddDefect(defects_, DefectKind::kAddressMissingDomain, "address without '@'");
  mailbox.local_part = LocalPart(phrase);
  return mailbox;
}

void AddressParser::ParseAngleAddr(Mailbox* mailbox) {
  lexer_.Next();         // '<'
  int extra_angles = 0;  // "<<a@b>>" written by some broken clients
  while (lexer_.Peek().IsSpecial('<') && extra_angles < 8) {
    lexer_.Next();
    ++extra_angles;
  }
  if (lexer_.Peek().IsSpecial('@') || lexer_.Peek().IsSpecial(',')) SkipObsRoute();
  const Words local = CollectWords();
  mailbox->local_part = LocalPart(local);
  if (lexer_.Peek().IsSpecial('@')) {
    lexer_.Next();
    mailbox->domain = ParseDomain();
  } else {
    AddDefect(defects_, DefectKind::kAddressMissingDomain,
              local.empty() ? "empty angle address" : "angle address without '@'");
  }
  if (!lexer_.Peek().IsSpecial('>')) {
    const AddressToken& token = lexer_.Peek();
    if (token.kind != AddressTokenKind::kEnd && !token.IsSpecial(',') && !token.IsSpecial(';')) {
      AddDefect(defects_, DefectKind::kAddressInvalidCharacter, "unexpected " + Excerpt(token));
    }
    while (!lexer_.AtEnd() && !lexer_.Peek().IsSpecial('>') && !lexer_.Peek().IsSpecial(',') &&
           !lexer_.Peek().IsSpecial(';')) {
      lexer_.Next();
    }
  }
  if (!lexer_.Peek().IsSpecial('>')) {
    AddDefect(defects_, DefectKind::kAddressUnclosedAngle, "angle address not closed by '>'");
    return;
  }
  lexer_.Next();
  for (; extra_angles > 0 && lexer_.Peek().IsSpecial('>'); --extra_angles) lexer_.Next();
  if (extra_angles > 0 || lexer_.Peek().IsSpecial('>')) {
    AddDefect(defects_, DefectKind::kAddressInvalidCharacter, "unbalanced angle brackets");
  }
}

// obs-route = obs-domain-list ":" (§4.4): source routes are ignored, as RFC 5321 §3.3 asks.
void AddressParser::SkipObsRoute() {
  AddDefect(defects_, DefectKind::kAddressObsoleteRoute);
  while (lexer_.Peek().IsSpecial('@') || lexer_.Peek().IsSpecial(',')) {
    if (lexer_.Next().IsSpecial('@')) ParseDomain();
  }
  if (lexer_.Peek().IsSpecial(':')) {
    lexer_.Next();
  } else {
    AddDefect(defects_, DefectKind::kAddressInvalidCharacter, "route not ended by ':'");
  }
}

// dot-atom, obs-domain (CFWS around the dots) or domain-literal, kept as written less CFWS.
std::string AddressParser::ParseDomain() {
  std::string domain;
  if (lexer_.Peek().kind == AddressTokenKind::kDomainLiteral) return lexer_.Next().text;
  while (true) {
    const AddressToken& token = lexer_.Peek();
    const bool after_dot = domain.empty() || domain.back() == '.';
    if (token.IsSpecial('.') || (token.kind == AddressTokenKind::kAtom && after_dot)) {
      domain += lexer_.Next().text;
    } else {
      break;
    }
  }
  if (domain.empty()) AddDefect(defects_, DefectKind::kAddressMissingDomain, "nothing after '@'");
  return domain;
}

// After an address: a separator, the end, another address whose comma was forgotten, or
// junk that is skipped up to the next separator.
void AddressParser::EndOfAddress() {
  const AddressToken& token = lexer_.Peek();
  if (token.kind == AddressTokenKind::kEnd || token.IsSpecial(',') || token.IsSpecial(';')) {
    return;
  }
  if (StartsAddress()) {
    AddDefect(defects_, DefectKind::kAddressInvalidCharacter, "missing comma between addresses");
    return;
  }
  AddDefect(defects_, DefectKind::kAddressInvalidCharacter, "unexpected " + Excerpt(token));
  SkipToSeparator();
}

// Whether the next tokens are words followed by '<', '@' or ':': a whole new mailbox or group
// rather than trailing junk such as "a@b (x) junk". Reads no further than the parser will.
bool AddressParser::StartsAddress() const {
  AddressLexer ahead = lexer_.Lookahead();
  while (ahead.Peek().IsWordOrDot()) ahead.Next();
  const AddressToken& token = ahead.Peek();
  return token.IsSpecial('<') || token.IsSpecial('@') || token.IsSpecial(':');
}

void AddressParser::SkipToSeparator() {
  while (!lexer_.AtEnd() && !lexer_.Peek().IsSpecial(',') && !lexer_.Peek().IsSpecial(';')) {
    lexer_.Next();
  }
}

bool AddressParser::HasRoom() {
  if (count_ < kMaxAddresses) return true;
  if (!limit_hit_) {
    AddDefect(defects_, DefectKind::kLimitExceeded, "more than kMaxAddresses addresses");
    limit_hit_ = true;
  }
  return false;
}

// Words of a local part joined by their dots ("john . smith" is obs-local-part for
// "john.smith"); words with only space between them are kept with one space, like Python.
std::string AddressParser::LocalPart(const Words& words) {
  std::string local;
  bool after_dot = true;
  bool spaced = false;
  bool bad_dot = false;
  for (const AddressToken& word : words) {
    if (word.IsSpecial('.')) {
      bad_dot = bad_dot || after_dot;  // leading or doubled
      local += '.';
      after_dot = true;
      continue;
    }
    if (!after_dot) {
      local += ' ';
      spaced = true;
    }
    local += word.text;
    after_dot = false;
  }
  if (spaced) {
    AddDefect(defects_, DefectKind::kAddressInvalidCharacter, "local part of several words");
  } else if (bad_dot || (!words.empty() && after_dot)) {
    AddDefect(defects_, DefectKind::kAddressInvalidCharacter, "misplaced '.' in local part");
  }
  return local;
}

// Runs of atoms and dots are decoded as RFC 2047 phrases (obs-phrase allows the dots of
// "John Q. Public"); quoted strings are taken literally unless they hold an encoded-word,
// which most readers decode even though §5 of RFC 2047 forbids it. Words are joined with one
// space where CFWS separated them.
std::string AddressParser::DisplayName(const Words& words) {
  std::string name;
  std::string run;
  bool run_spaced = false;
  auto append = [&name](std::string_view piece, bool spaced) {
    if (!name.empty() && spaced) name += ' ';
    name += piece;
  };
  auto flush = [&] {
    if (run.empty()) return;
    append(DecodeEncodedWords(run, defects_), run_spaced);
    run.clear();
  };
  for (const AddressToken& word : words) {
    if (word.kind == AddressTokenKind::kQuotedString) {
      flush();
      const bool encoded = word.text.find("=?") != std::string::npos;
      append(encoded ? DecodeEncodedWords(word.text, defects_) : BytesToUtf8(word.text),
             word.space_before);
      continue;
    }
    if (run.empty()) {
      run_spaced = word.space_before;
    } else if (word.space_before) {
      run += ' ';
    }
    run += word.text;
  }
  flush();
  return name;
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Atoms joined by single dots (a dot-atom) or single spaces (a phrase): such text is
// written as it is; anything else needs quoting.
bool IsAtomSequence(std::string_view s, char separator) {
  if (s.empty() || s.front() == separator || s.back() == separator) return false;
  char previous = separator;
  for (char c : s) {
    if (c == separator) {
      if (previous == separator) return false;
    } else if (!IsAddressAtext(c)) {
      return false;
    }
    previous = c;
  }
  return true;
}

// Control characters cannot be written in a header value (a CR or LF would end the field and
// let a crafted name inject header lines); they become spaces.
std::string WithoutControls(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) c = ' ';
  }
  return out;
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : WithoutControls(s)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

// A display name or group name as a phrase: atoms as they are, else a quoted string; an
// ASCII "=?" would be read back as an encoded-word, so it is quoted too.
std::string FormatPhrase(std::string_view name) {
  // A name that merely looks encoded ("=?…?=") is encoded for real: readers decode
  // encoded-words even inside quoted strings, so quoting alone would not protect it.
  if (!IsAscii(name) || name.find("=?") != std::string_view::npos) return EncodePhrase(name);
  if (IsAtomSequence(name, ' ')) return std::string(name);
  return Quote(name);
}

}  // namespace

std::string Mailbox::AddrSpec() const {
  if (local_part.empty() && domain.empty()) return {};
  // "=?" is quoted too so that the local part cannot be lexed as an encoded-word.
  const bool dot_atom =
      IsAtomSequence(local_part, '.') && local_part.find("=?") == std::string::npos;
  std::string out = dot_atom ? local_part : Quote(local_part);
  if (domain.empty()) return out;
  out += '@';
  out += WithoutControls(domain);
  return out;
}

std::vector<Mailbox> AddressList::Mailboxes() const {
  std::vector<Mailbox> out;
  for (const Address& address : items) {
    if (const auto* mailbox = std::get_if<Mailbox>(&address)) {
      out.push_back(*mailbox);
    } else {
      const auto& members = std::get<Group>(address).members;
      out.insert(out.end(), members.begin(), members.end());
    }
  }
  return out;
}

AddressList ParseAddressList(std::string_view value, Defects* defects) {
  return AddressParser(value, defects).Run();
}

Result<Mailbox> ParseMailbox(std::string_view value) {
  Defects defects;
  AddressList list = ParseAddressList(value, &defects);
  if (list.items.size() != 1 || !std::holds_alternative<Mailbox>(list.items[0])) {
    return MakeError(ErrorCode::kParse, "not exactly one mailbox");
  }
  for (const Defect& defect : defects) {
    // A bare local name ("postmaster") is fine on a command line; SMTP ignores source routes.
    if (defect.kind == DefectKind::kAddressMissingDomain ||
        defect.kind == DefectKind::kAddressObsoleteRoute) {
      continue;
    }
    return MakeError(ErrorCode::kParse, "malformed address: " + defect.detail);
  }
  Mailbox mailbox = std::move(std::get<Mailbox>(list.items[0]));
  if (!mailbox.name.empty()) return MakeError(ErrorCode::kParse, "display name not allowed");
  if (mailbox.local_part.empty()) return MakeError(ErrorCode::kParse, "empty local part");
  return mailbox;
}

std::string FormatMailbox(const Mailbox& mailbox) {
  const std::string addr = mailbox.AddrSpec();
  if (mailbox.name.empty()) return addr.empty() ? "<>" : addr;
  return FormatPhrase(mailbox.name) + " <" + addr + ">";
}

std::string FormatAddressList(const AddressList& list) {
  std::string out;
  for (const Address& address : list.items) {
    if (!out.empty()) out += ", ";
    if (const auto* mailbox = std::get_if<Mailbox>(&address)) {
      out += FormatMailbox(*mailbox);
      continue;
    }
    const Group& group = std::get<Group>(address);
    if (!group.name.empty()) out += FormatPhrase(group.name);
    out += ':';
    for (size_t i = 0; i < group.members.size(); ++i) {
      out += i == 0 ? " " : ", ";
      out += FormatMailbox(group.members[i]);
    }
    out += ';';
  }
  return out;
}

namespace {

struct Idn2Deleter {
  void operator()(char* p) const { idn2_free(p); }
};
using Idn2String = std::unique_ptr<char, Idn2Deleter>;

std::string AsciiLowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Result<std::string> IdnError(std::string_view domain, int rc) {
  return MakeError(
      ErrorCode::kInvalidArgument,
      "IDNA refused '" + std::string(domain.substr(0, 80)) + "': " + idn2_strerror(rc));
}

}  // namespace

Result<std::string> DomainToAscii(std::string_view domain) {
  if (domain.find('\0') != std::string_view::npos) return IdnError(domain, IDN2_ENCODING_ERROR);
  if (IsAscii(domain)) return AsciiLowerCopy(domain);
  const std::string input(domain);  // libidn2 wants a NUL-terminated string
  char* raw = nullptr;
  int rc = idn2_to_ascii_8z(input.c_str(), &raw, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
  if (rc != IDN2_OK) {
    // Some names valid under IDNA 2003 (e.g. with symbols) only pass transitional processing.
    rc = idn2_to_ascii_8z(input.c_str(), &raw, IDN2_TRANSITIONAL | IDN2_NFC_INPUT);
  }
  Idn2String owned(raw);
  if (rc != IDN2_OK || owned == nullptr) return IdnError(domain, rc);
  return std::string(owned.get());
}

Result<std::string> DomainToUnicode(std::string_view domain) {
  if (domain.find('\0') != std::string_view::npos) return IdnError(domain, IDN2_ENCODING_ERROR);
  const std::string input = AsciiLowerCopy(domain);
  char* raw = nullptr;
  const int rc = idn2_to_unicode_8z8z(input.c_str(), &raw, 0);
  Idn2String owned(raw);
  if (rc != IDN2_OK || owned == nullptr) return IdnError(domain, rc);
  return std::string(owned.get());
}

Result<Mailbox> ParseNamedMailbox(std::string_view value) {
  Defects defects;
  const std::vector<Mailbox> mailboxes = ParseAddressList(value, &defects).Mailboxes();
  if (!defects.empty() || mailboxes.size() != 1 || mailboxes.front().local_part.empty() ||
      mailboxes.front().domain.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "expected one address, as \"Name <local@domain>\"");
  }
  return mailboxes.front();
}

}  // namespace pigeon::message
