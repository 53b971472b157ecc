// Tokens of RFC 5322 §3.2 structured header fields as used by addresses (§3.4): atoms,
// quoted strings, domain literals and single specials, with CFWS (§3.2.2, comments nested to
// any depth) skipped and remembered as "space before". Input is untrusted: every scan is
// iterative and each byte is looked at a bounded number of times. Grammar is in address.cc.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/message/defect.h"

namespace pigeon::message {

enum class AddressTokenKind {
  kEnd,
  kAtom,           // 1*atext (8-bit bytes count as atext, RFC 6532), or a whole encoded-word
  kQuotedString,   // text holds the content with quoted-pairs resolved and line breaks removed
  kDomainLiteral,  // text holds "[...]" as written, brackets included (unclosed: no "]")
  kSpecial,        // one of < > : ; @ , . or a stray ] ) \ or control character
};

struct AddressToken {
  AddressTokenKind kind = AddressTokenKind::kEnd;
  std::string text;
  bool space_before = false;  // whitespace or a comment came before this token

  bool IsSpecial(char c) const {
    return kind == AddressTokenKind::kSpecial && text.size() == 1 && text[0] == c;
  }
  // Atoms, quoted strings and dots: what phrases and local parts are made of.
  bool IsWordOrDot() const {
    return kind == AddressTokenKind::kAtom || kind == AddressTokenKind::kQuotedString ||
           IsSpecial('.');
  }
};

// atext of RFC 5322 §3.2.3, extended by RFC 6532 to every byte >= 0x80.
bool IsAddressAtext(char c);

// A cursor over the tokens of `input` (which must outlive it) with one token of lookahead.
// Copying the lexer is cheap and gives an independent cursor for looking further ahead.
class AddressLexer {
 public:
  AddressLexer(std::string_view input, Defects* defects);

  const AddressToken& Peek() const { return next_; }
  AddressToken Next();
  bool AtEnd() const { return next_.kind == AddressTokenKind::kEnd; }
  // An independent copy that reports no defects, for deciding what comes next.
  AddressLexer Lookahead() const;

 private:
  void Advance();   // lexes the token after the current position into next_
  bool SkipCfws();  // true when anything was skipped
  void SkipComment();
  void LexQuotedString();
  void LexDomainLiteral();
  void LexAtom();
  size_t EncodedWordLength() const;  // length of an encoded-word at pos_, 0 when none

  std::string_view input_;
  size_t pos_ = 0;
  Defects* defects_;
  AddressToken next_;
};

}  // namespace pigeon::message
