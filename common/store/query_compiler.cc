// CompileQuery: turns a parsed query into SQL over `messages m`. NOTs are pushed down to the
// terms (every column is NOT NULL, so each term has an exact negation), and the most deeply
// nested operand of each AND/OR comes first: SQLite 3.40's parser stack holds ~90 open
// parentheses this way but only ~30 when they nest on the right. Full-text terms joined by
// AND/OR/NOT merge into one FTS5 MATCH (nesting at most kMaxFtsHeight, as FTS5's parser is
// also small). User text only ever reaches SQL as a bound parameter.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "common/store/query.h"
#include "common/store/query_dates.h"
#include "common/store/schema.h"

namespace pigeon::store {
namespace {

constexpr int kMaxFtsHeight = 12;
constexpr size_t kMaxJoin = 64;  // operands per flat AND/OR; longer lists nest (expr depth 1000)

// A piece of the WHERE clause; `nesting` is how many parentheses it opens, for ordering.
struct Fragment {
  std::string sql;
  std::vector<SqlValue> params;
  int nesting = 0;
};

bool IsTokenByte(char c) {
  const auto byte = static_cast<unsigned char>(c);
  // Non-ASCII bytes may be letters; FTS5's unicode61 tokenizer decides. ASCII is split here.
  return byte >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The text's ASCII-separated tokens, space-separated, as the contents of one FTS5 string; ""
// when there is none (the term then matches everything).
std::string FtsTokens(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (!IsTokenByte(text[i])) {
      ++i;
      continue;
    }
    if (!out.empty()) out += ' ';
    while (i < text.size() && IsTokenByte(text[i])) out += text[i++];
  }
  return out;
}

// An FTS5 string: double quotes around, internal ones doubled, so no user byte is FTS5 syntax.
std::string FtsString(std::string_view tokens) {
  std::string out = "\"";
  for (char c : tokens) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

std::string_view FtsColumn(TextField field) {
  switch (field) {
    case TextField::kAny:
      return "";
    case TextField::kSubject:
      return "subject";
    case TextField::kFrom:
      return "sender";
    case TextField::kTo:
      return "recipients";
    case TextField::kCc:
      return "cc";
    case TextField::kBody:
      return "body";
  }
  return "";
}

// Strips NOT wrappers; `negated` tells whether an odd number was removed.
const QueryNode& StripNots(const QueryNode& node, bool& negated) {
  const QueryNode* inner = &node;
  negated = false;
  while (const auto* not_node = std::get_if<NotNode>(&inner->value)) {
    inner = not_node->child.get();
    negated = !negated;
  }
  return *inner;
}

// Height of `node` as a positive FTS5 expression, or -1 when it is not one (a non-text term, a
// term without tokens, a top-level NOT, an AND of only NOTs, or too deep).
int FtsHeight(const QueryNode& node) {
  if (const auto* text = std::get_if<TextTerm>(&node.value)) {
    return FtsTokens(text->text).empty() ? -1 : 0;
  }
  const auto* and_node = std::get_if<AndNode>(&node.value);
  const auto* or_node = std::get_if<OrNode>(&node.value);
  if (!and_node && !or_node) return -1;
  const std::vector<QueryNode>& children = and_node ? and_node->children : or_node->children;
  int height = 0;
  bool any_positive = false;
  for (const QueryNode& child : children) {
    bool negated = false;
    const int child_height = FtsHeight(StripNots(child, negated));
    if (child_height < 0 || (negated && or_node)) return -1;
    any_positive = any_positive || !negated;
    height = std::max(height, child_height + 1);
  }
  return any_positive && height <= kMaxFtsHeight ? height : -1;
}

std::string FtsExpr(const QueryNode& node);

// `nodes` (positive FTS expressions) joined by `op`, in parentheses when more than one.
std::string FtsJoin(const std::vector<const QueryNode*>& nodes, std::string_view op) {
  if (nodes.size() == 1) return FtsExpr(*nodes.front());
  std::string out = "(";
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (i > 0) out.append(" ").append(op).append(" ");
    out += FtsExpr(*nodes[i]);
  }
  return out + ")";
}

// FTS5 has only a binary NOT, so an AND is (its positive operands) NOT (its negated ones).
std::string FtsAndNot(const std::vector<const QueryNode*>& positive,
                      const std::vector<const QueryNode*>& negative) {
  if (negative.empty()) return FtsJoin(positive, "AND");
  return "(" + FtsJoin(positive, "AND") + " NOT " + FtsJoin(negative, "OR") + ")";
}

// Requires FtsHeight(node) >= 0.
std::string FtsExpr(const QueryNode& node) {
  if (const auto* text = std::get_if<TextTerm>(&node.value)) {
    const std::string_view column = FtsColumn(text->field);
    const std::string phrase = FtsString(FtsTokens(text->text));
    return column.empty() ? phrase : std::string(column) + " : " + phrase;
  }
  const bool is_and = std::holds_alternative<AndNode>(node.value);
  const std::vector<QueryNode>& children =
      is_and ? std::get<AndNode>(node.value).children : std::get<OrNode>(node.value).children;
  std::vector<const QueryNode*> positive, negative;
  for (const QueryNode& child : children) {
    bool negated = false;
    const QueryNode& inner = StripNots(child, negated);
    (negated ? negative : positive).push_back(&inner);
  }
  return is_and ? FtsAndNot(positive, negative) : FtsJoin(positive, "OR");
}

constexpr std::string_view kPositiveMatch =
    "m.body_id IN (SELECT rowid FROM search WHERE search MATCH ?)";

Fragment Match(std::string expression, bool negated) {
  Fragment out;
  out.sql = negated ? "m.body_id NOT IN (SELECT rowid FROM search WHERE search MATCH ?)"
                    : std::string(kPositiveMatch);
  out.params.emplace_back(std::move(expression));
  return out;
}

// Joins fragments with AND or OR, the most nested first (see the file comment).
Fragment Join(std::vector<Fragment> parts, std::string_view op) {
  // Terms without tokens compile to constants: drop the neutral ones, let absorbing ones win.
  const std::string_view neutral = op == "AND" ? "1" : "0";
  const std::string_view absorbing = op == "AND" ? "0" : "1";
  if (std::any_of(parts.begin(), parts.end(),
                  [&](const Fragment& f) { return f.sql == absorbing; })) {
    return Fragment{std::string(absorbing), {}, 0};
  }
  std::erase_if(parts, [&](const Fragment& f) { return f.sql == neutral; });
  if (parts.empty()) return Fragment{std::string(neutral), {}, 0};
  if (parts.size() == 1) return std::move(parts.front());
  if (parts.size() > kMaxJoin) {
    std::vector<Fragment> chunks;
    for (size_t i = 0; i < parts.size(); i += kMaxJoin) {
      const size_t end = std::min(parts.size(), i + kMaxJoin);
      chunks.push_back(Join({std::make_move_iterator(parts.begin() + i),
                             std::make_move_iterator(parts.begin() + end)},
                            op));
    }
    return Join(std::move(chunks), op);
  }
  std::stable_sort(parts.begin(), parts.end(),
                   [](const Fragment& a, const Fragment& b) { return a.nesting > b.nesting; });
  Fragment out{"(", {}, 0};
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out.sql.append(" ").append(op).append(" ");
    out.sql += parts[i].sql;
    for (SqlValue& value : parts[i].params) out.params.push_back(std::move(value));
    out.nesting = std::max(out.nesting, parts[i].nesting + (i == 0 ? 1 : 3));
  }
  out.sql += ")";
  return out;
}

class Compiler {
 public:
  explicit Compiler(int64_t now) : now_(now) {}

  // The condition for `node`, or for NOT node when `negated`.
  Fragment Compile(const QueryNode& node, bool negated) const {
    return std::visit([&](const auto& term) { return CompileTerm(term, node, negated); },
                      node.value);
  }

 private:
  Fragment CompileTerm(const MatchAll&, const QueryNode&, bool negated) const {
    return Fragment{negated ? "0" : "1", {}, 0};
  }
  Fragment CompileTerm(const TextTerm& term, const QueryNode& node, bool negated) const {
    if (FtsTokens(term.text).empty()) return Fragment{negated ? "0" : "1", {}, 0};
    return Match(FtsExpr(node), negated);
  }
  Fragment CompileTerm(const FolderTerm& term, const QueryNode&, bool negated) const {
    return Fragment{std::string("m.folder_id ") + (negated ? "NOT IN" : "IN") +
                        " (SELECT id FROM folders WHERE name = ?)",
                    {term.name},
                    0};
  }
  Fragment CompileTerm(const TagTerm& term, const QueryNode&, bool negated) const {
    return Fragment{std::string(negated ? "NOT EXISTS" : "EXISTS") +
                        " (SELECT 1 FROM keywords k WHERE k.message_id = m.id AND k.keyword = ?)",
                    {term.keyword},
                    0};
  }
  Fragment CompileTerm(const FlagTerm& term, const QueryNode&, bool negated) const {
    int bit = kFlagSeen;
    bool set = true;
    switch (term.test) {
      case FlagTest::kUnread:
        set = false;
        break;
      case FlagTest::kRead:
        break;
      case FlagTest::kFlagged:
        bit = kFlagFlagged;
        break;
      case FlagTest::kAnswered:
        bit = kFlagAnswered;
        break;
      case FlagTest::kDraft:
        bit = kFlagDraft;
        break;
      case FlagTest::kDeleted:
        bit = kFlagDeleted;
        break;
      case FlagTest::kForwarded:
        bit = kFlagForwarded;
        break;
    }
    // The bit is our constant, not user text, so it is written into the SQL.
    return Fragment{
        "(m.flags & " + std::to_string(bit) + (set != negated ? ") <> 0" : ") = 0"), {}, 0};
  }
  Fragment CompileTerm(const AttachmentTerm&, const QueryNode&, bool negated) const {
    return Fragment{negated ? "m.has_attachment <> 1" : "m.has_attachment = 1", {}, 0};
  }
  Fragment CompileTerm(const SizeTerm& term, const QueryNode&, bool negated) const {
    const char* op = term.larger ? (negated ? "<=" : ">") : (negated ? ">=" : "<");
    return Fragment{std::string("m.size ") + op + " ?", {term.bytes}, 0};
  }
  Fragment CompileTerm(const DateTerm& term, const QueryNode&, bool negated) const {
    const query_internal::SecondsRange range = query_internal::ResolveDates(term, now_);
    std::vector<Fragment> parts;
    if (range.from) parts.push_back({negated ? "m.date < ?" : "m.date >= ?", {*range.from}, 0});
    if (range.until) parts.push_back({negated ? "m.date >= ?" : "m.date < ?", {*range.until}, 0});
    return Join(std::move(parts), negated ? "OR" : "AND");
  }
  Fragment CompileTerm(const NotNode& term, const QueryNode&, bool negated) const {
    return Compile(*term.child, !negated);
  }
  Fragment CompileTerm(const AndNode& term, const QueryNode& node, bool negated) const {
    return CompileList(term.children, node, /*is_and=*/true, negated);
  }
  Fragment CompileTerm(const OrNode& term, const QueryNode& node, bool negated) const {
    return CompileList(term.children, node, /*is_and=*/false, negated);
  }

  // By De Morgan, a negated AND is an OR of negations and vice versa. Full-text operands are
  // gathered into at most two MATCHes: the ones that stay positive and the negated ones.
  Fragment CompileList(const std::vector<QueryNode>& children, const QueryNode& node, bool is_and,
                       bool negated) const {
    if (FtsHeight(node) >= 0) return Match(FtsExpr(node), negated);
    const bool joins_and = is_and != negated;
    std::vector<const QueryNode*> positive, negative;
    std::vector<Fragment> parts;
    for (const QueryNode& child : children) {
      bool child_negated = false;
      const QueryNode& inner = StripNots(child, child_negated);
      if (FtsHeight(inner) >= 0) {
        (child_negated != negated ? negative : positive).push_back(&inner);
      } else {
        parts.push_back(Compile(child, negated));
      }
    }
    if (joins_and && !positive.empty()) {
      parts.push_back(Match(FtsAndNot(positive, negative), false));
    } else if (joins_and && !negative.empty()) {
      parts.push_back(Match(FtsJoin(negative, "OR"), true));
    } else if (!joins_and) {
      if (!positive.empty()) parts.push_back(Match(FtsJoin(positive, "OR"), false));
      if (!negative.empty()) parts.push_back(Match(FtsJoin(negative, "AND"), true));
    }
    return Join(std::move(parts), joins_and ? "AND" : "OR");
  }

  int64_t now_;
};

}  // namespace

SqlCondition CompileQuery(const QueryNode& node, int64_t now_utc_seconds) {
  Fragment fragment = Compiler(now_utc_seconds).Compile(node, false);
  const bool sole_match = fragment.sql == kPositiveMatch;
  return SqlCondition{std::move(fragment.sql), std::move(fragment.params), sole_match};
}

}  // namespace pigeon::store
