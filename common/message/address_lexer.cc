// Lexer for RFC 5322 §3.2 tokens in address fields; see address_lexer.h. Untrusted input:
// unclosed quotes, comments and literals end at the end of the input (or, for literals, at a
// character that cannot be inside one) and add a defect; nothing here recurses.
#include "common/message/address_lexer.h"

#include <utility>

namespace pigeon::message {
namespace {

// Real encoded-words are at most 75 octets (RFC 2047 §2); broken mailers write longer ones,
// so allow more, but bound the scan so hostile "=?" runs stay linear.
constexpr size_t kMaxEncodedWordLength = 512;

bool IsWhitespace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsControl(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return c < 0x20 || c == 0x7f;
}

// Characters that end an unclosed domain literal: they cannot be in one and usually mean the
// "]" was forgotten before the next address.
bool EndsUnclosedLiteral(char c) {
  return c == ',' || c == ';' || c == '<' || c == '>' || c == '[';
}

}  // namespace

bool IsAddressAtext(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  if (c >= 0x80) return true;  // UTF-8 (RFC 6532) or unlabeled 8-bit: keep it in the word
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  static constexpr std::string_view kAtextSymbols = "!#$%&'*+-/=?^_`{|}~";
  return kAtextSymbols.find(static_cast<char>(c)) != std::string_view::npos;
}

AddressLexer::AddressLexer(std::string_view input, Defects* defects)
    : input_(input), defects_(defects) {
  Advance();
}

AddressToken AddressLexer::Next() {
  AddressToken token = std::move(next_);
  Advance();
  return token;
}

AddressLexer AddressLexer::Lookahead() const {
  AddressLexer copy = *this;
  copy.defects_ = nullptr;
  return copy;
}

void AddressLexer::Advance() {
  next_ = AddressToken{};
  next_.space_before = SkipCfws();
  if (pos_ >= input_.size()) return;  // kEnd
  const char c = input_[pos_];
  if (c == '"') {
    LexQuotedString();
  } else if (c == '[') {
    LexDomainLiteral();
  } else if (IsAddressAtext(c)) {
    LexAtom();
  } else {
    next_.kind = AddressTokenKind::kSpecial;
    next_.text.assign(1, c);
    ++pos_;
  }
}

bool AddressLexer::SkipCfws() {
  const size_t start = pos_;
  while (pos_ < input_.size()) {
    if (IsWhitespace(input_[pos_])) {
      ++pos_;
    } else if (input_[pos_] == '(') {
      SkipComment();
    } else {
      break;
    }
  }
  return pos_ != start;
}

// Comments nest (RFC 5322 §3.2.2); a depth counter instead of recursion keeps hostile nesting
// harmless.
void AddressLexer::SkipComment() {
  size_t depth = 0;
  while (pos_ < input_.size()) {
    const char c = input_[pos_++];
    if (c == '\\') {
      if (pos_ < input_.size()) ++pos_;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth == 0) return;
    }
  }
  AddDefect(defects_, DefectKind::kAddressUnclosedComment, "comment not closed by ')'");
}

void AddressLexer::LexQuotedString() {
  next_.kind = AddressTokenKind::kQuotedString;
  ++pos_;  // opening quote
  while (pos_ < input_.size()) {
    char c = input_[pos_++];
    if (c == '"') return;
    if (c == '\\') {
      if (pos_ >= input_.size()) break;
      c = input_[pos_++];
    }
    // Line breaks only fold the field (RFC 5322 §3.2.4); they are not part of the content.
    if (c == '\r' || c == '\n') continue;
    next_.text.push_back(c);
  }
  AddDefect(defects_, DefectKind::kAddressUnclosedQuote, "quoted string not closed by '\"'");
}

void AddressLexer::LexDomainLiteral() {
  next_.kind = AddressTokenKind::kDomainLiteral;
  next_.text.push_back(input_[pos_++]);  // '['
  while (pos_ < input_.size()) {
    const char c = input_[pos_];
    if (EndsUnclosedLiteral(c)) break;
    ++pos_;
    if (c == '\\') {
      // obs-dtext quoted-pair, kept as written. A backslash before a line break or the end
      // is dropped: kept, it would escape whatever is written after the literal.
      if (pos_ < input_.size() && !IsControl(input_[pos_])) {
        next_.text.push_back(c);
        next_.text.push_back(input_[pos_++]);
      }
      continue;
    }
    if (c == '\r' || c == '\n') continue;
    next_.text.push_back(c);
    if (c == ']') return;
  }
  AddDefect(defects_, DefectKind::kAddressInvalidCharacter, "domain literal not closed by ']'");
}

void AddressLexer::LexAtom() {
  next_.kind = AddressTokenKind::kAtom;
  const size_t start = pos_;
  // An encoded-word may hold specials in its text ("=?utf-8?Q?Doe,_J.?="); take it whole so
  // that the comma does not split the display name. Glued atext after it stays in the atom.
  pos_ += EncodedWordLength();
  while (pos_ < input_.size() && IsAddressAtext(input_[pos_])) ++pos_;
  next_.text.assign(input_.substr(start, pos_ - start));
}

// "=?" charset "?" encoding "?" encoded-text "?=" (RFC 2047 §2), no whitespace inside.
size_t AddressLexer::EncodedWordLength() const {
  const std::string_view rest = input_.substr(pos_, kMaxEncodedWordLength);
  if (rest.size() < 2 || rest[0] != '=' || rest[1] != '?') return 0;
  size_t i = 2;
  int question_marks = 0;  // separators seen after the charset and after the encoding
  for (; i < rest.size() && question_marks < 2; ++i) {
    const char c = rest[i];
    if (c == '?') {
      ++question_marks;
    } else if (!IsAddressAtext(c)) {
      return 0;  // charset and encoding are tokens
    }
  }
  if (question_marks < 2) return 0;
  for (; i + 1 < rest.size(); ++i) {
    const char c = rest[i];
    if (IsWhitespace(c) || IsControl(c)) return 0;
    if (c == '?' && rest[i + 1] == '=') return i + 2;
  }
  return 0;
}

}  // namespace pigeon::message
