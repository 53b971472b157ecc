// Tests of the search language (common/store/query.h): parse and error tables, exact SQL for
// small queries, and the compiled SQL run against a real SQLite database built from the store's
// migrations, including pathological queries at the length and depth limits and random queries
// checked against set algebra over their terms' results.
#include "common/store/query.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/message/date.h"
#include "common/store/schema.h"

namespace pigeon::store {
namespace {

int64_t Utc(int year, unsigned month, unsigned day, int64_t seconds_of_day = 0) {
  return message::DaysFromCivil(year, month, day) * 86400 + seconds_of_day;
}

const int64_t kNow = Utc(2024, 6, 15, 12 * 3600);  // Saturday 2024-06-15 12:00 UTC

std::string Describe(std::string_view query) {
  Result<QueryNode> node = ParseQuery(query);
  if (!node) return "ERROR " + node.error().message;
  return DescribeQuery(*node);
}

std::string ParseError(std::string_view query) {
  Result<QueryNode> node = ParseQuery(query);
  return node ? "parsed as " + DescribeQuery(*node) : node.error().message;
}

struct DescribeCase {
  std::string_view input;
  std::string_view expected;
};

TEST(QueryParse, DescribesValidQueries) {
  const DescribeCase cases[] = {
      {"", ""},
      {" \t\n", ""},
      {"a b", "a b"},
      {"a AND b", "a b"},
      {"a OR b c", "a OR b c"},
      {"(a OR b) c", "(a OR b) c"},
      {"a OR (b OR c)", "a OR b OR c"},
      {"((a)) (b c)", "a b c"},
      {"(a b) c ((d OR e) OR f)", "a b c (d OR e OR f)"},
      {"-a", "NOT a"},
      {"--a", "NOT NOT a"},
      {"NOT a b", "NOT a b"},
      {"NOT (a b)", "NOT (a b)"},
      {"-(a OR b)", "NOT (a OR b)"},
      {"a OR(b)", "a OR b"},
      {"and or not ORx NOT-a", "and or not ORx NOT-a"},
      {"a-b foo*bar ^x", "a-b foo*bar ^x"},
      {"FROM:Ada to:bob@example.com Cc:x SUBJECT:hi body:yo",
       "from:Ada to:bob@example.com cc:x subject:hi body:yo"},
      {"from:\"Ada Lovelace\"", "from:\"Ada Lovelace\""},
      {"\"hello\" \"AND\" \"a b\"", "hello \"AND\" \"a b\""},
      {"10:30 \"x:y\" \"-z\"", "\"10:30\" \"x:y\" \"-z\""},
      {"日本語 café", "日本語 café"},
      {"is:Seen is:replied IS:unread is:draft is:deleted is:forwarded is:flagged",
       "is:read is:answered is:unread is:draft is:deleted is:forwarded is:flagged"},
      {"has:Attachments", "has:attachment"},
      {"folder:Inbox folder:lists/dev folder:\"My Stuff\"",
       "folder:INBOX folder:lists/dev folder:\"My Stuff\""},
      {"tag:$Important", "tag:$Important"},
      {"larger:10240 smaller:2M larger:1500 larger:0 smaller:3g",
       "larger:10k smaller:2M larger:1500 larger:0 smaller:3G"},
      {"after:2024-05-01 before:2024-05 date:2024", "after:2024-05-01 before:2024-05 date:2024"},
      {"date:2024-01-01..2024-03-31 date:..2024 date:7D.. before:TODAY after:yesterday",
       "date:2024-01-01..2024-03-31 date:..2024 date:7d.. before:today after:yesterday"},
      {"after:007d before:2w date:3m..1y", "after:7d before:2w date:3m..1y"},
      {"date:2024-02-29", "date:2024-02-29"},
  };
  for (const DescribeCase& c : cases) {
    EXPECT_EQ(Describe(c.input), c.expected) << c.input;
    EXPECT_EQ(Describe(Describe(c.input)), c.expected) << "round trip of " << c.input;
  }
}

TEST(QueryParse, ReportsErrorsWithColumns) {
  const DescribeCase cases[] = {
      {"subject:hi a form:x", "column 14: unknown field \"form:\" (did you mean from:?)"},
      {"subjet:x", "column 1: unknown field \"subjet:\" (did you mean subject:?)"},
      {"http://x", "column 1: unknown field \"http:\" (put text in quotes to search for it)"},
      {"a \"bc", "column 3: unclosed quote"},
      {"from:\"bc", "column 6: unclosed quote"},
      {"a b c d ) e", "column 9: \")\" without \"(\""},
      {")", "column 1: \")\" without \"(\""},
      {"(a b", "column 1: \"(\" without \")\""},
      {"-(a", "column 2: \"(\" without \")\""},
      {"()", "column 1: empty parentheses"},
      {"\"\"", "column 1: empty quotes"},
      {"a OR", "column 3: \"OR\" needs a term after it"},
      {"a OR )", "column 3: \"OR\" needs a term after it"},
      {"OR a", "column 1: \"OR\" needs a term before it"},
      {"a AND AND b", "column 3: \"AND\" needs a term after it"},
      {"(AND a)", "column 2: \"AND\" needs a term before it"},
      {"NOT", "column 1: \"NOT\" needs a term after it"},
      {"a NOT OR b", "column 3: \"NOT\" needs a term after it"},
      {"a -", "column 3: \"-\" needs a term right after it"},
      {"a - b", "column 3: \"-\" needs a term right after it"},
      {"before:", "column 1: \"before:\" needs a date like 2024-05-01 or 7d"},
      {"x after:2024-02-30", "column 3: \"after:\" needs a date like 2024-05-01 or 7d"},
      {"after:2023-02-29", "column 1: \"after:\" needs a date like 2024-05-01 or 7d"},
      {"after:2024-5-1", "column 1: \"after:\" needs a date like 2024-05-01 or 7d"},
      {"after:7x", "column 1: \"after:\" needs a date like 2024-05-01 or 7d"},
      {"after:123456d", "column 1: \"after:\" needs a date like 2024-05-01 or 7d"},
      {"date:..",
       "column 1: \"date:\" needs a date or range like 2024-05 or 2024-01-01..2024-03-31"},
      {"date:2024..2025..2026",
       "column 1: \"date:\" needs a date or range like 2024-05 or 2024-01-01..2024-03-31"},
      {"is:unred", "column 1: unknown is: value \"unred\" (did you mean unread?)"},
      {"is:x",
       "column 1: unknown is: value \"x\" (expected unread, read, seen, flagged, answered, "
       "replied, draft, deleted or forwarded)"},
      {"is:", "column 1: \"is:\" needs a value like unread"},
      {"has:attach", "column 1: unknown has: value \"attach\" (expected attachment)"},
      {"larger:10q", "column 1: \"larger:\" needs a size like 100k or 2M"},
      {"smaller:", "column 1: \"smaller:\" needs a size like 100k or 2M"},
      {"larger:9999999999G", "column 1: \"larger:\" needs a size like 100k or 2M"},
      {"larger:99999999999999999999", "column 1: \"larger:\" needs a size like 100k or 2M"},
      {"from:", "column 1: \"from:\" needs a word or \"phrase\" right after the colon"},
      {"folder: x", "column 1: \"folder:\" needs a word or \"phrase\" right after the colon"},
      {"tag:\"\"", "column 1: \"tag:\" needs a word or \"phrase\" right after the colon"},
      {"Ünï日 form:x", "column 6: unknown field \"form:\" (did you mean from:?)"},
  };
  for (const DescribeCase& c : cases) EXPECT_EQ(ParseError(c.input), c.expected) << c.input;
}

TEST(QueryParse, EnforcesLengthAndDepthLimits) {
  EXPECT_EQ(ParseError(std::string(4097, 'a')), "query too long: 4097 bytes (at most 4096)");
  EXPECT_TRUE(ParseQuery(std::string(4096, 'a')).has_value());
  EXPECT_EQ(ParseError(std::string(65, '(') + "a" + std::string(65, ')')),
            "column 65: nesting deeper than 64 levels");
  EXPECT_TRUE(ParseQuery(std::string(64, '(') + "a" + std::string(64, ')')).has_value());
  std::string nots;
  for (int i = 0; i < 65; ++i) nots += "NOT ";
  EXPECT_EQ(ParseError(nots + "a"), "column 257: nesting deeper than 64 levels");
  EXPECT_EQ(ParseError(std::string(65, '-') + "a"), "column 65: nesting deeper than 64 levels");
  EXPECT_TRUE(ParseQuery(std::string(64, '-') + "a").has_value());
}

struct CompileCase {
  std::string_view input;
  std::string where;
  std::vector<SqlValue> params;
};

const std::string kMatch = "m.body_id IN (SELECT rowid FROM search WHERE search MATCH ?)";
const std::string kNotMatch = "m.body_id NOT IN (SELECT rowid FROM search WHERE search MATCH ?)";
const std::string kFolder = "m.folder_id IN (SELECT id FROM folders WHERE name = ?)";
const std::string kTag =
    "EXISTS (SELECT 1 FROM keywords k WHERE k.message_id = m.id AND k.keyword = ?)";

template <class... Parts>
std::string S(const Parts&... parts) {
  std::string out;
  (out.append(std::string_view(parts)), ...);
  return out;
}

TEST(QueryCompile, ProducesParameterizedSql) {
  using V = std::vector<SqlValue>;
  const CompileCase cases[] = {
      {"", "1", {}},
      {"& ~~~", "1", {}},
      {"-&", "0", {}},
      {"& OR is:read", "1", {}},
      {"ada", kMatch, V{"\"ada\""}},
      {"from:ada@example.org", kMatch, V{"sender : \"ada example org\""}},
      {"to:x cc:y subject:z body:w", kMatch,
       V{"(recipients : \"x\" AND cc : \"y\" AND subject : \"z\" AND body : \"w\")"}},
      {"a b OR c", kMatch, V{"((\"a\" AND \"b\") OR \"c\")"}},
      {"a -b -c", kMatch, V{"(\"a\" NOT (\"b\" OR \"c\"))"}},
      {"-a", kNotMatch, V{"\"a\""}},
      {"-a -b", kNotMatch, V{"(\"a\" OR \"b\")"}},
      {"NOT (a OR b)", kNotMatch, V{"(\"a\" OR \"b\")"}},
      {"a OR -b", S("(", kMatch, " OR ", kNotMatch, ")"), V{"\"a\"", "\"b\""}},
      {"a folder:inbox", S("(", kFolder, " AND ", kMatch, ")"), V{"INBOX", "\"a\""}},
      {"a (b OR tag:x)", S("((", kTag, " OR ", kMatch, ") AND ", kMatch, ")"),
       V{"x", "\"b\"", "\"a\""}},
      {"NOT (folder:a OR tag:b)",
       S("(m.folder_id NOT IN (SELECT id FROM folders WHERE name = ?) AND NOT ", kTag, ")"),
       V{"a", "b"}},
      {"is:unread -is:flagged is:answered",
       "((m.flags & 1) = 0 AND (m.flags & 4) = 0 AND (m.flags & 2) <> 0)", V{}},
      {"has:attachment OR -has:attachment", "(m.has_attachment = 1 OR m.has_attachment <> 1)", V{}},
      {"larger:10k -smaller:1M", "(m.size > ? AND m.size >= ?)", V{10240, 1048576}},
      {"after:2024-06-01 before:2024-07", "(m.date >= ? AND m.date < ?)",
       V{Utc(2024, 6, 1), Utc(2024, 7, 1)}},
      {"date:2024-02", "(m.date >= ? AND m.date < ?)", V{Utc(2024, 2, 1), Utc(2024, 3, 1)}},
      {"-date:2024", "(m.date < ? OR m.date >= ?)", V{Utc(2024, 1, 1), Utc(2025, 1, 1)}},
      {"date:..2023-12", "m.date < ?", V{Utc(2024, 1, 1)}},
      {"after:7d", "m.date >= ?", V{Utc(2024, 6, 8)}},
      {"after:2w before:yesterday", "(m.date >= ? AND m.date < ?)",
       V{Utc(2024, 6, 1), Utc(2024, 6, 14)}},
      {"date:today", "(m.date >= ? AND m.date < ?)", V{Utc(2024, 6, 15), Utc(2024, 6, 16)}},
      {"after:4m after:1y", "(m.date >= ? AND m.date >= ?)", V{Utc(2024, 2, 15), Utc(2023, 6, 15)}},
  };
  for (const CompileCase& c : cases) {
    Result<QueryNode> node = ParseQuery(c.input);
    ASSERT_TRUE(node.has_value()) << c.input << ": " << node.error().message;
    const SqlCondition sql = CompileQuery(*node, kNow);
    EXPECT_EQ(sql.where, c.where) << c.input;
    EXPECT_EQ(sql.params, c.params) << c.input;
  }
}

TEST(QueryCompile, QuotesFtsSyntaxAsPlainText) {
  // Every FTS5 operator character in user text ends up inside one double-quoted string.
  Result<QueryNode> node = ParseQuery("\"x NEAR(y z)* AND ^w:v -u\" body:{a}+b");
  ASSERT_TRUE(node.has_value());
  const SqlCondition sql = CompileQuery(*node, kNow);
  EXPECT_EQ(sql.where, kMatch);
  EXPECT_EQ(sql.params, std::vector<SqlValue>{"(\"x NEAR y z AND w v u\" AND body : \"a b\")"});
  // A term built by hand with a double quote still cannot escape its string.
  const QueryNode hand{TextTerm{TextField::kAny, "x\"y"}};
  EXPECT_EQ(CompileQuery(hand, kNow).params, std::vector<SqlValue>{"\"x y\""});
}

TEST(QueryCompile, ClampsNow) {
  Result<QueryNode> node = ParseQuery("after:99999y before:99999m date:today");
  ASSERT_TRUE(node.has_value());
  for (int64_t now : {INT64_MIN, int64_t{-1}, int64_t{0}, INT64_MAX}) {
    EXPECT_EQ(CompileQuery(*node, now).params.size(), 4u);
  }
}

// ---------------------------------------------------------------------------------------------
// Against a real database: the store's schema, five messages, and their full-text rows.

class QueryDatabase : public ::testing::Test {
 public:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    for (const Migration& migration : Migrations()) Exec(std::string(migration.sql));
    Exec("INSERT INTO folders (id, name) VALUES (7, 'lists/dev'), (8, 'My Stuff')");
    // id, folder, date, flags, size, attachment, subject, sender, recipients, cc, body
    Add(1, 1, Utc(2024, 6, 14, 36000), 0, 2000, 1, "Quarterly report",
        "Ada Lovelace <ada@example.org>", "bob@example.com", "",
        "Numbers attached for Q2. The engine works.");
    Add(2, 1, Utc(2024, 6, 15, 32400), kFlagSeen, 500, 0, "Lunch?", "Bob <bob@example.com>",
        "ada@example.org", "carol@example.net", "Tacos at noon");
    Add(3, 7, Utc(2024, 5, 1), kFlagSeen | kFlagFlagged, 50 * 1024, 0, "[dev] Café crème release",
        "Carol <carol@example.net>", "dev@lists.example.org", "",
        "Use foo*bar and \"quoted\" text: a-b ^start NEAR(x y) AND or col:on");
    Add(4, 2, Utc(2024, 1, 1) - 1, kFlagSeen | kFlagAnswered, 3 << 20, 0, "Re: Quarterly report",
        "bob@example.com", "Ada <ada@example.org>", "", "Thanks Ada, numbers look good");
    Add(5, 8, Utc(2024, 5, 1) - 1, kFlagSeen | kFlagForwarded, 1024, 0, "Résumé",
        "Dana <dana@example.com>", "bob@example.com", "ada@example.org", "my CV: 日本語 text");
    Exec("INSERT INTO keywords VALUES (1, 'work'), (2, 'personal'), (3, 'work'), (3, 'urgent')");
  }
  void TearDown() override { sqlite3_close(db_); }

  void Exec(const std::string& sql) {
    char* message = nullptr;
    ASSERT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK) << message;
  }

  void Add(int64_t id, int64_t folder, int64_t date, int flags, int64_t size, int attachment,
           const char* subject, const char* sender, const char* recipients, const char* cc,
           const char* body) {
    const std::vector<SqlValue> message = {id, folder, date, flags, size, attachment, subject};
    ASSERT_TRUE(Run("INSERT INTO bodies (id, sha256, raw) VALUES (?1, ?1, ?7)", message));
    ASSERT_TRUE(
        Run("INSERT INTO messages (id, folder_id, body_id, thread_id, date, arrived, "
            "flags, size, has_attachment) VALUES (?1, ?2, ?1, ?1, ?3, ?3, ?4, ?5, ?6)",
            message));
    ASSERT_TRUE(
        Run("INSERT INTO search (rowid, subject, sender, recipients, cc, body) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            {id, subject, sender, recipients, cc, body}));
  }

  // Runs `sql` with `params`; the first column of each row, or nullopt on any SQLite error.
  std::optional<std::vector<int64_t>> Run(const std::string& sql,
                                          const std::vector<SqlValue>& params) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sqlite3_errmsg(db_) << " in " << sql.substr(0, 300);
      return std::nullopt;
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      if (const auto* number = std::get_if<int64_t>(&params[i])) {
        sqlite3_bind_int64(stmt, index, *number);
      } else {
        const std::string& text = std::get<std::string>(params[i]);
        sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()),
                          SQLITE_TRANSIENT);
      }
    }
    std::vector<int64_t> ids;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) ids.push_back(sqlite3_column_int64(stmt, 0));
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
      ADD_FAILURE() << sqlite3_errmsg(db_) << " in " << sql.substr(0, 300);
      return std::nullopt;
    }
    return ids;
  }

  std::vector<int64_t> Select(const QueryNode& node) {
    const SqlCondition condition = CompileQuery(node, kNow);
    // Embedded the way a Store page query would be, so parser-stack use is realistic.
    return Run("SELECT m.id FROM messages m WHERE m.id IN (SELECT m.id FROM messages m WHERE " +
                   condition.where +
                   " ORDER BY m.date DESC, m.id DESC LIMIT 1000) ORDER BY m.date DESC, m.id DESC",
               condition.params)
        .value_or(std::vector<int64_t>{-1});
  }

  std::vector<int64_t> Search(std::string_view query) {
    Result<QueryNode> node = ParseQuery(query);
    if (!node) {
      ADD_FAILURE() << query << ": " << node.error().message;
      return {-1};
    }
    std::vector<int64_t> ids = Select(*node);
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  sqlite3* db_ = nullptr;
};

struct SearchCase {
  std::string_view query;
  std::vector<int64_t> ids;
};

TEST_F(QueryDatabase, FindsExactlyTheExpectedMessages) {
  const SearchCase cases[] = {
      {"", {1, 2, 3, 4, 5}},
      {"quarterly", {1, 4}},
      {"\"quarterly report\" report QUARTERLY", {1, 4}},
      {"\"report quarterly\"", {}},
      {"from:ada@example.org", {1}},
      {"to:ada@example.org", {2, 4}},
      {"cc:ada@example.org", {5}},
      {"ada@example.org", {1, 2, 4, 5}},
      {"from:\"Ada Lovelace\"", {1}},
      {"from:bob OR from:carol", {2, 3, 4}},
      {"quarterly -from:ada", {4}},
      {"NOT quarterly", {2, 3, 5}},
      {"-lunch -tacos", {1, 3, 4, 5}},
      {"lunch OR -from:ada", {2, 3, 4, 5}},
      {"(lunch OR résumé) is:read", {2, 5}},
      {"resume", {5}},
      {"cafe CRÈME", {3}},
      {"日本語", {5}},
      {"& lunch", {2}},
      {"(quarterly OR lunch) (folder:inbox OR tag:urgent)", {1, 2}},
      {"NOT (quarterly OR tag:work)", {2, 5}},
      {"NOT (is:read folder:inbox)", {1, 3, 4, 5}},
      {"numbers -(thanks OR engine) OR lunch", {2}},
      {"folder:inbox", {1, 2}},
      {"folder:INBOX", {1, 2}},
      {"folder:lists/dev", {3}},
      {"folder:Lists/Dev", {}},
      {"folder:\"My Stuff\"", {5}},
      {"tag:work", {1, 3}},
      {"tag:work -tag:urgent", {1}},
      {"tag:Work", {}},
      {"is:unread", {1}},
      {"-is:read", {1}},
      {"is:flagged", {3}},
      {"is:replied", {4}},
      {"is:forwarded", {5}},
      {"has:attachment", {1}},
      {"after:2024-06-14", {1, 2}},
      {"before:2024-05-01", {4, 5}},
      {"after:2024-05-01", {1, 2, 3}},
      {"date:2024-05", {3}},
      {"date:2024-04..2024-05", {3, 5}},
      {"date:..2023", {4}},
      {"date:2024", {1, 2, 3, 5}},
      {"-date:2024-05", {1, 2, 4, 5}},
      {"after:1d", {1, 2}},
      {"date:today", {2}},
      {"date:yesterday", {1}},
      {"after:2m", {1, 2, 3, 5}},
      {"before:1y", {}},
      {"after:1y", {1, 2, 3, 4, 5}},
      {"larger:1k", {1, 3, 4}},
      {"smaller:1k", {2}},
      {"larger:1M", {4}},
      {"larger:49k smaller:51k", {3}},
      // FTS5 syntax in user text is plain text.
      {"\"foo*bar\"", {3}},
      {"foo*bar", {3}},
      {"\"NEAR(x y)\"", {3}},
      {"NEAR", {3}},
      {"\"AND or\"", {3}},
      {"\"AND\"", {3}},
      {"^start", {3}},
      {"\"quoted\"", {3}},
      {"\"text:\"", {3, 5}},
      {"\"col:on\"", {3}},
      {"a-b", {3}},
      {"\"-start\"", {3}},
      {"subject:\"dev]\"", {3}},
      {"body:{start}", {3}},
  };
  for (const SearchCase& c : cases) EXPECT_EQ(Search(c.query), c.ids) << c.query;
}

// Queries at the length and nesting limits must still be accepted by SQLite (parser stack,
// expression depth) and by FTS5's own parser.
TEST_F(QueryDatabase, RunsPathologicalQueries) {
  // The most deeply nested query that parses, alternating AND and OR groups of two leaves.
  const auto nest = [](std::string_view leaf_a, std::string_view leaf_b) {
    for (int levels = kMaxQueryDepth; levels > 0; --levels) {
      std::string query;
      for (int i = 0; i < levels; ++i) {
        query.append("(").append(i % 2 ? leaf_a : leaf_b).append(i % 2 ? " OR " : " ");
      }
      query += "x" + std::string(std::count(query.begin(), query.end(), '('), ')');
      if (ParseQuery(query)) return query;
    }
    return std::string("nothing parses");
  };
  const auto repeat = [](std::string_view unit) {
    std::string query;
    while (query.size() + unit.size() <= kMaxQueryBytes) query += unit;
    return query;
  };
  std::string nots;
  for (int i = 0; i < 64; ++i) nots += i % 2 ? "NOT " : "-";
  const std::string queries[] = {
      nest("tag:a", "is:read"),  nest("a", "b"),
      nest("-a", "tag:b"),       nest("-tag:a", "-b"),
      nest("a", "-(b"),          nest("-(tag:a", "b"),
      nest("NOT (a", "-(-b"),    nots + "tag:x",
      repeat("tag:a "),          repeat("a "),
      repeat("a OR "),           repeat("-tag:a OR "),
      repeat("(a OR tag:b) "),   repeat("-a "),
      repeat("(is:read a) OR "), repeat("date:2024 OR -larger:1 "),
  };
  for (const std::string& query : queries) {
    Result<QueryNode> node = ParseQuery(query.substr(0, query.find_last_not_of(" OR") + 1));
    ASSERT_TRUE(node.has_value()) << query << ": " << node.error().message;
    EXPECT_NE(Select(*node), std::vector<int64_t>{-1}) << query;
  }
}

// The merged and NOT-pushed SQL must agree with set algebra over each term's own results.
std::set<int64_t> Evaluate(const QueryNode& node, QueryDatabase& db, const std::set<int64_t>& all);

TEST_F(QueryDatabase, AgreesWithSetAlgebraOnRandomQueries) {
  const char* const leaves[] = {
      "quarterly", "ada",     "from:bob",     "to:ada",    "lunch",
      "tag:work",  "is:read", "folder:inbox", "date:2024", "larger:1k",
      "&",         "numbers", "\"a-b\"",      "cc:ada",    "has:attachment"};
  std::mt19937 random(20240615);
  const auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  const std::set<int64_t> all = {1, 2, 3, 4, 5};
  for (int round = 0; round < 400; ++round) {
    std::string query;
    int open = 0;
    for (int terms = 1 + pick(8); terms > 0; --terms) {
      if (pick(3) == 0) query += pick(2) ? "-" : "NOT ";
      if (pick(3) == 0 && open < 6) {
        query += "(";
        ++open;
      }
      query += leaves[pick(std::size(leaves))];
      if (open > 0 && pick(3) == 0) {
        query += ")";
        --open;
      }
      if (terms > 1) query += pick(2) ? " OR " : pick(2) ? " AND " : " ";
    }
    query += std::string(open, ')');
    Result<QueryNode> node = ParseQuery(query);
    ASSERT_TRUE(node.has_value()) << query << ": " << node.error().message;
    const std::vector<int64_t> got = Select(*node);
    EXPECT_EQ(std::set<int64_t>(got.begin(), got.end()), Evaluate(*node, *this, all)) << query;
  }
}

std::set<int64_t> Evaluate(const QueryNode& node, QueryDatabase& db, const std::set<int64_t>& all) {
  std::set<int64_t> out;
  if (const auto* not_node = std::get_if<NotNode>(&node.value)) {
    const std::set<int64_t> inner = Evaluate(*not_node->child, db, all);
    std::set_difference(all.begin(), all.end(), inner.begin(), inner.end(),
                        std::inserter(out, out.end()));
  } else if (const auto* and_node = std::get_if<AndNode>(&node.value)) {
    out = all;
    for (const QueryNode& child : and_node->children) {
      std::set<int64_t> next;
      const std::set<int64_t> part = Evaluate(child, db, all);
      std::set_intersection(out.begin(), out.end(), part.begin(), part.end(),
                            std::inserter(next, next.end()));
      out = std::move(next);
    }
  } else if (const auto* or_node = std::get_if<OrNode>(&node.value)) {
    for (const QueryNode& child : or_node->children) out.merge(Evaluate(child, db, all));
  } else {
    const std::vector<int64_t> ids = db.Select(node);  // a single term
    out.insert(ids.begin(), ids.end());
  }
  return out;
}

}  // namespace
}  // namespace pigeon::store
