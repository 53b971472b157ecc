// The search language of `pigeon search` and the UI's limit: ParseQuery turns the user's text
// (untrusted, at most kMaxQueryBytes) into a QueryNode tree, CompileQuery turns the tree into a
// WHERE condition over `messages m` with every user value bound as a parameter, and
// DescribeQuery prints the tree back in normalized syntax. Pure: no I/O and no SQLite calls; the
// Store runs the SQL. Syntax and its decisions are documented in doc comments below.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/util/result.h"

namespace pigeon::store {

// Syntax summary:
//   words, "quoted phrases"        full text, all columns (subject, sender, recipients, cc, body)
//   from: to: cc: subject: body:   full text in one column; the value is a word, a "phrase", or
//                                  an address (ada@example.org is the phrase "ada example org")
//   folder:NAME tag:NAME           exact name; INBOX in any case is INBOX (RFC 3501 5.1), other
//                                  folder names and keywords are case-sensitive
//   is:unread|read|seen|flagged|answered|replied|draft|deleted|forwarded   has:attachment
//   after:D before:D date:D date:A..B   UTC days; after: includes D, before: excludes D,
//                                  date:A..B includes all of B, date:D is the period D
//   D = YYYY-MM-DD | YYYY-MM | YYYY | Nd | Nw | Nm | Ny (N days/weeks/months/years ago) | today |
//       yesterday
//   larger:N smaller:N             bytes, strictly greater/less; suffix k, M, G (1024-based)
//   a b, a AND b, a OR b, NOT a, -a, ( )   precedence NOT > AND > OR; keywords are upper-case
// Field names and is:/has: values are case-insensitive. A word whose prefix before ':' is all
// letters is a field (unknown ones are errors); quote such text to search for it. Columns in
// error messages count UTF-8 characters from 1.
inline constexpr size_t kMaxQueryBytes = 4096;
inline constexpr int kMaxQueryDepth = 64;  // parentheses and NOTs, nested

// Full-text column; kAny searches all of them.
enum class TextField { kAny, kSubject, kFrom, kTo, kCc, kBody };

// A word or phrase. Its FTS5 tokens are derived at compile time (ASCII punctuation separates
// them; other characters are left to FTS5's unicode61 tokenizer). A term without any ASCII
// letter or digit and without non-ASCII characters (e.g. "&") matches every message, like
// punctuation ignored by a search engine.
struct TextTerm {
  TextField field = TextField::kAny;
  std::string text;  // as written, without the quotes; never contains '"'
};

struct FolderTerm {
  std::string name;  // "INBOX" when written as inbox in any case
};

struct TagTerm {
  std::string keyword;
};

enum class FlagTest { kUnread, kRead, kFlagged, kAnswered, kDraft, kDeleted, kForwarded };

struct FlagTerm {
  FlagTest test = FlagTest::kUnread;
};

struct AttachmentTerm {};

// A period of UTC days, absolute or relative to the `now` given to CompileQuery.
struct DateSpec {
  enum class Kind {
    kDay,
    kMonth,
    kYear,
    kDaysAgo,
    kWeeksAgo,
    kMonthsAgo,
    kYearsAgo,
    kToday,
    kYesterday
  };
  Kind kind = Kind::kToday;
  int year = 0;   // kDay, kMonth, kYear
  int month = 0;  // kDay, kMonth: 1..12
  int day = 0;    // kDay: 1..31, valid for the month
  int count = 0;  // k*Ago: 0..99999
};

struct DateTerm {
  enum class Op { kAfter, kBefore, kOn, kRange };
  Op op = Op::kOn;
  std::optional<DateSpec> first;   // kAfter, kBefore, kOn; kRange: lower end (may be absent)
  std::optional<DateSpec> second;  // kRange: upper end, inclusive (may be absent)
};

struct SizeTerm {
  bool larger = true;  // larger: (size > bytes) or smaller: (size < bytes)
  int64_t bytes = 0;
};

struct QueryNode;

struct AndNode {
  std::vector<QueryNode> children;  // two or more, none of them an AndNode
};

struct OrNode {
  std::vector<QueryNode> children;  // two or more, none of them an OrNode
};

struct NotNode {
  std::unique_ptr<QueryNode> child;  // never null
};

struct MatchAll {};  // the empty query

struct QueryNode {
  std::variant<MatchAll, TextTerm, FolderTerm, TagTerm, FlagTerm, AttachmentTerm, DateTerm,
               SizeTerm, AndNode, OrNode, NotNode>
      value;
};

// Parses the query; errors read "column 14: unknown field "form:" (did you mean from:?)".
// Never throws; linear in the input, recursion bounded by kMaxQueryDepth.
Result<QueryNode> ParseQuery(std::string_view text);

using SqlValue = std::variant<int64_t, std::string>;

// A boolean SQL expression over `messages m` (and the tables folders, keywords, search) with
// `?` placeholders bound, in order, to params.
struct SqlCondition {
  std::string where;
  std::vector<SqlValue> params;
  // True when the whole query is one positive full-text MATCH (words, phrases, field words:
  // most queries). `where` is then "m.body_id IN (SELECT rowid FROM search WHERE search MATCH
  // ?)" and params holds its expression alone, so a caller may join the index instead.
  bool sole_match = false;
};

// Compiles a parsed query. Full-text parts that are joined only by AND/OR/NOT become a single
// FTS5 MATCH. now_utc_seconds anchors today, 7d, etc.; it is clamped to years 0000..9999.
// At the depth limit the condition nests ~70 parentheses and SQLite 3.40's parser stack holds
// ~90, so put it directly in a statement's WHERE, not several subqueries deep.
SqlCondition CompileQuery(const QueryNode& node, int64_t now_utc_seconds);

// The query in normalized syntax ("" for the empty query); ParseQuery accepts it back and gives
// the same tree.
std::string DescribeQuery(const QueryNode& node);

}  // namespace pigeon::store
