// ParseQuery: a recursive-descent parser over untrusted text (query.h has the grammar). Input
// is bounded to kMaxQueryBytes and nesting to kMaxQueryDepth, so recursion and time stay small;
// every error names a column. Field values are handed to query_fields.cc.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "common/store/query.h"
#include "common/store/query_fields.h"

namespace pigeon::store {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Characters that end a bare word (and so cannot appear in one).
bool EndsWord(char c) { return IsSpace(c) || c == '(' || c == ')' || c == '"'; }

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Adds `node` to the children of an AND (or OR), splicing in the children of a node of the
// same kind so that (a b) c is one AND of three.
template <class Combined>
void AppendFlattened(std::vector<QueryNode>& children, QueryNode node) {
  if (auto* same = std::get_if<Combined>(&node.value)) {
    for (QueryNode& child : same->children) children.push_back(std::move(child));
  } else {
    children.push_back(std::move(node));
  }
}

template <class Combined>
QueryNode Combine(std::vector<QueryNode> children) {
  if (children.size() == 1) return std::move(children.front());
  return QueryNode{Combined{std::move(children)}};
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<QueryNode> ParseAll() {
    SkipSpace();
    if (AtEnd()) return QueryNode{MatchAll{}};
    Result<QueryNode> node = ParseOr(0);
    if (!node) return node;
    SkipSpace();
    if (!AtEnd()) return Fail(pos_, "\")\" without \"(\"");  // the only thing ParseOr leaves
    return node;
  }

 private:
  Result<QueryNode> ParseOr(int depth) {
    std::vector<QueryNode> children;
    Result<QueryNode> first = ParseAnd(depth);
    if (!first) return first;
    AppendFlattened<OrNode>(children, std::move(*first));
    for (SkipSpace(); PeekKeyword() == "OR"; SkipSpace()) {
      const size_t op = pos_;
      pos_ += 2;
      if (AtOperandEnd()) return Fail(op, "\"OR\" needs a term after it");
      Result<QueryNode> next = ParseAnd(depth);
      if (!next) return next;
      AppendFlattened<OrNode>(children, std::move(*next));
    }
    return Combine<OrNode>(std::move(children));
  }

  Result<QueryNode> ParseAnd(int depth) {
    std::vector<QueryNode> children;
    Result<QueryNode> first = ParseUnary(depth);
    if (!first) return first;
    AppendFlattened<AndNode>(children, std::move(*first));
    for (SkipSpace(); !AtEnd() && text_[pos_] != ')'; SkipSpace()) {
      const std::string_view keyword = PeekKeyword();
      if (keyword == "OR") break;
      if (keyword == "AND") {
        const size_t op = pos_;
        pos_ += 3;
        if (AtOperandEnd()) return Fail(op, "\"AND\" needs a term after it");
      }
      Result<QueryNode> next = ParseUnary(depth);
      if (!next) return next;
      AppendFlattened<AndNode>(children, std::move(*next));
    }
    return Combine<AndNode>(std::move(children));
  }

  Result<QueryNode> ParseUnary(int depth) {
    SkipSpace();
    const size_t op = pos_;
    if (!AtEnd() && text_[pos_] == '-') {
      ++pos_;
      if (AtEnd() || IsSpace(text_[pos_]) || text_[pos_] == ')') {
        return Fail(op, "\"-\" needs a term right after it");
      }
    } else if (PeekKeyword() == "NOT") {
      pos_ += 3;
      if (AtOperandEnd()) return Fail(op, "\"NOT\" needs a term after it");
    } else {
      return ParsePrimary(depth);
    }
    if (depth >= kMaxQueryDepth) return TooDeep(op);
    Result<QueryNode> child = ParseUnary(depth + 1);
    if (!child) return child;
    return QueryNode{NotNode{std::make_unique<QueryNode>(std::move(*child))}};
  }

  Result<QueryNode> ParsePrimary(int depth) {
    if (AtEnd()) return Fail(pos_, "expected a term");  // callers check; kept for safety
    const size_t start = pos_;
    switch (text_[pos_]) {
      case '(':
        return ParseGroup(depth);
      case ')':
        return Fail(start, "\")\" without \"(\"");
      case '"': {
        Result<std::string_view> phrase = ReadPhrase();
        if (!phrase) return tl::unexpected(phrase.error());
        if (phrase->empty()) return Fail(start, "empty quotes");
        return QueryNode{TextTerm{TextField::kAny, std::string(*phrase)}};
      }
      default:
        break;
    }
    if (const std::string_view keyword = PeekKeyword(); keyword == "AND" || keyword == "OR") {
      return Fail(start, fmt::format("\"{}\" needs a term before it", keyword));
    }
    return ParseWord();
  }

  Result<QueryNode> ParseGroup(int depth) {
    const size_t open = pos_;
    if (depth >= kMaxQueryDepth) return TooDeep(open);
    ++pos_;
    SkipSpace();
    if (!AtEnd() && text_[pos_] == ')') return Fail(open, "empty parentheses");
    if (AtEnd()) return Fail(open, "\"(\" without \")\"");
    Result<QueryNode> inner = ParseOr(depth + 1);
    if (!inner) return inner;
    SkipSpace();
    if (AtEnd()) return Fail(open, "\"(\" without \")\"");
    ++pos_;  // ParseOr stops only at the end or at ')'
    return inner;
  }

  // A bare word: a field term when the part before the first ':' is all letters, else text.
  Result<QueryNode> ParseWord() {
    const size_t start = pos_;
    while (!AtEnd() && !EndsWord(text_[pos_])) ++pos_;
    const std::string_view word = text_.substr(start, pos_ - start);
    const size_t colon = word.find(':');
    bool is_field = colon != std::string_view::npos && colon > 0;
    for (size_t i = 0; is_field && i < colon; ++i) is_field = IsAsciiLetter(word[i]);
    if (!is_field) return QueryNode{TextTerm{TextField::kAny, std::string(word)}};
    std::string_view value = word.substr(colon + 1);
    if (value.empty() && !AtEnd() && text_[pos_] == '"') {  // from:"Ada Lovelace"
      Result<std::string_view> phrase = ReadPhrase();
      if (!phrase) return tl::unexpected(phrase.error());
      value = *phrase;
    }
    return query_internal::ParseFieldTerm(word.substr(0, colon), value, Column(start));
  }

  // At '"': the text up to the next '"' (there is no escape; a '"' could not be searched for
  // anyway, as the tokenizer drops it).
  Result<std::string_view> ReadPhrase() {
    const size_t open = pos_;
    const size_t close = text_.find('"', open + 1);
    if (close == std::string_view::npos) return Fail(open, "unclosed quote");
    pos_ = close + 1;
    return text_.substr(open + 1, close - open - 1);
  }

  // "AND", "OR" or "NOT" when the bare word at pos_ is exactly one of them, else "".
  std::string_view PeekKeyword() const {
    for (std::string_view keyword : {"AND", "OR", "NOT"}) {
      const size_t end = pos_ + keyword.size();
      if (text_.substr(pos_, keyword.size()) == keyword &&
          (end == text_.size() || EndsWord(text_[end]))) {
        return keyword;
      }
    }
    return "";
  }

  // After an operator: true when no operand follows (end, ')', AND, OR). Skips spaces.
  bool AtOperandEnd() {
    SkipSpace();
    if (AtEnd() || text_[pos_] == ')') return true;
    const std::string_view keyword = PeekKeyword();
    return keyword == "AND" || keyword == "OR";
  }

  void SkipSpace() {
    while (!AtEnd() && IsSpace(text_[pos_])) ++pos_;
  }
  bool AtEnd() const { return pos_ >= text_.size(); }

  // 1-based, counting UTF-8 characters (continuation bytes do not start one).
  int Column(size_t pos) const {
    int column = 1;
    for (size_t i = 0; i < pos && i < text_.size(); ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
    }
    return column;
  }

  tl::unexpected<Error> Fail(size_t pos, std::string_view what) const {
    return MakeError(ErrorCode::kParse, fmt::format("column {}: {}", Column(pos), what));
  }
  tl::unexpected<Error> TooDeep(size_t pos) const {
    return Fail(pos, fmt::format("nesting deeper than {} levels", kMaxQueryDepth));
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

Result<QueryNode> ParseQuery(std::string_view text) {
  if (text.size() > kMaxQueryBytes) {
    return MakeError(ErrorCode::kParse, fmt::format("query too long: {} bytes (at most {})",
                                                    text.size(), kMaxQueryBytes));
  }
  return Parser(text).ParseAll();
}

}  // namespace pigeon::store
