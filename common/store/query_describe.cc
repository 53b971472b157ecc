// DescribeQuery: prints a parsed query in normalized syntax (field names lower-case, NOT for
// "-", synonyms such as is:seen as is:read, parentheses only where precedence needs them) for
// tests and the UI's status line. The output parses back to the same tree.
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "common/store/query.h"
#include "common/store/query_fields.h"

namespace pigeon::store {
namespace {

using query_internal::FlagTestName;
using query_internal::FormatDateSpec;
using query_internal::FormatSize;
using query_internal::TextFieldName;

bool EndsWord(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '(' ||
         c == ')' || c == '"';
}

// A field value, bare when the parser would read it back as one word, else in quotes.
std::string Value(std::string_view text) {
  bool bare = !text.empty();
  for (char c : text) bare = bare && !EndsWord(c);
  return bare ? std::string(text) : fmt::format("\"{}\"", text);
}

// Free text must also not look like an operator, a "-" prefix or a field.
std::string FreeText(std::string_view text) {
  const bool special = text == "AND" || text == "OR" || text == "NOT" ||
                       (!text.empty() && text.front() == '-') ||
                       text.find(':') != std::string_view::npos;
  return special ? fmt::format("\"{}\"", text) : Value(text);
}

std::string Describe(const QueryNode& node);

std::string DescribeDate(const DateTerm& term) {
  const auto spec = [](const std::optional<DateSpec>& s) {
    return s ? FormatDateSpec(*s) : std::string();
  };
  switch (term.op) {
    case DateTerm::Op::kAfter:
      return "after:" + spec(term.first);
    case DateTerm::Op::kBefore:
      return "before:" + spec(term.first);
    case DateTerm::Op::kOn:
      return "date:" + spec(term.first);
    case DateTerm::Op::kRange:
      return "date:" + spec(term.first) + ".." + spec(term.second);
  }
  return "";
}

// `child` as an operand: in parentheses when it binds more loosely than `parent_precedence`
// (OR 0, AND 1, NOT 2).
std::string Operand(const QueryNode& child, int parent_precedence) {
  const int precedence = std::holds_alternative<OrNode>(child.value)    ? 0
                         : std::holds_alternative<AndNode>(child.value) ? 1
                                                                        : 2;
  std::string text = Describe(child);
  return precedence <= parent_precedence && precedence < 2 ? "(" + text + ")" : text;
}

std::string JoinOperands(const std::vector<QueryNode>& children, std::string_view separator,
                         int precedence) {
  std::string out;
  for (const QueryNode& child : children) {
    if (!out.empty()) out += separator;
    out += Operand(child, precedence);
  }
  return out;
}

struct Describer {
  std::string operator()(const MatchAll&) const { return ""; }
  std::string operator()(const TextTerm& term) const {
    if (term.field == TextField::kAny) return FreeText(term.text);
    return fmt::format("{}:{}", TextFieldName(term.field), Value(term.text));
  }
  std::string operator()(const FolderTerm& term) const { return "folder:" + Value(term.name); }
  std::string operator()(const TagTerm& term) const { return "tag:" + Value(term.keyword); }
  std::string operator()(const FlagTerm& term) const {
    return fmt::format("is:{}", FlagTestName(term.test));
  }
  std::string operator()(const AttachmentTerm&) const { return "has:attachment"; }
  std::string operator()(const DateTerm& term) const { return DescribeDate(term); }
  std::string operator()(const SizeTerm& term) const {
    return (term.larger ? "larger:" : "smaller:") + FormatSize(term.bytes);
  }
  std::string operator()(const AndNode& node) const { return JoinOperands(node.children, " ", 1); }
  std::string operator()(const OrNode& node) const {
    return JoinOperands(node.children, " OR ", 0);
  }
  std::string operator()(const NotNode& node) const { return "NOT " + Operand(*node.child, 2); }
};

std::string Describe(const QueryNode& node) { return std::visit(Describer{}, node.value); }

}  // namespace

std::string DescribeQuery(const QueryNode& node) { return Describe(node); }

}  // namespace pigeon::store
