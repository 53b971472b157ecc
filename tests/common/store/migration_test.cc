// Schema migrations on stores that hold data: a store written at an older schema (built here
// with that schema's migrations and rows as pigeon wrote them then) opens at the current
// schema with every message, thread, thread date, full-text entry and duplicate check intact.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "common/store/schema.h"
#include "common/store/store.h"
#include "common/util/sha256.h"
#include "tests/support/temp_directory.h"

namespace pigeon::store {
namespace {

std::string Mail(std::string_view id, std::string_view subject, std::string_view date,
                 std::string_view extra, std::string_view body) {
  return "From: Ada Lovelace <ada@example.org>\r\nTo: Bob <bob@example.net>\r\nSubject: " +
         std::string(subject) + "\r\nDate: " + std::string(date) + "\r\nMessage-ID: <" +
         std::string(id) + ">\r\n" + std::string(extra) + "\r\n" + std::string(body);
}

// Raw SQLite access to the store file, outside the Store: builds the old schema and checks
// what the migration left.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
  }
  ~RawDb() { sqlite3_close(db_); }
  void Exec(const std::string& sql) {
    char* message = nullptr;
    ASSERT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
        << (message ? message : "") << " in " << sql.substr(0, 200);
  }
  // Runs `sql` with text parameters; every row as strings (NULL as "NULL").
  std::vector<std::vector<std::string>> Rows(const std::string& sql,
                                             const std::vector<std::string>& params = {}) {
    std::vector<std::vector<std::string>> rows;
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
    for (size_t i = 0; i < params.size(); ++i) {
      sqlite3_bind_text(stmt, static_cast<int>(i) + 1, params[i].data(),
                        static_cast<int>(params[i].size()), SQLITE_TRANSIENT);
    }
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        const unsigned char* text = sqlite3_column_text(stmt, c);
        row.push_back(text ? reinterpret_cast<const char*>(text) : "NULL");
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    return rows;
  }
  std::string One(const std::string& sql) {
    auto rows = Rows(sql);
    return rows.empty() || rows[0].empty() ? "" : rows[0][0];
  }

 private:
  sqlite3* db_ = nullptr;
};

class MigrationTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()); }

  // A store at schema `version` (migrations 1..version), WAL mode like every store.
  void CreateAtVersion(int version) {
    RawDb db(path_);
    db.Exec("PRAGMA journal_mode=WAL");
    for (const Migration& migration : Migrations()) {
      if (migration.version > version) break;
      db.Exec("BEGIN; " + std::string(migration.sql) +
              "; PRAGMA user_version = " + std::to_string(migration.version) + "; COMMIT");
    }
  }

  // Writes a message the way schema 5's pigeon did: the body, the row (inserted with thread 0,
  // then moved to its thread), every id it has or names in thread_refs, its full-text entry.
  void AddAtVersion5(RawDb& db, int64_t id, int64_t thread, const std::string& raw,
                     const std::string& message_id, int64_t date,
                     const std::vector<std::string>& refs, const std::string& words) {
    const std::string n = std::to_string(id), t = std::to_string(thread), d = std::to_string(date);
    db.Rows("INSERT INTO bodies (id, sha256, raw) VALUES (" + n + ", ?, ?)", {Sha256Hex(raw), raw});
    db.Rows(
        "INSERT INTO messages (id, folder_id, body_id, thread_id, date, arrived, size, "
        "from_name, from_addr, subject, message_id) VALUES (" +
            n + ", 1, " + n + ", 0, " + d + ", " + d + ", " + std::to_string(raw.size()) +
            ", 'Ada Lovelace', 'ada@example.org', ?, ?)",
        {words, message_id});
    db.Exec("UPDATE messages SET thread_id = " + t + " WHERE id = " + n);
    std::vector<std::string> ids = refs;
    ids.push_back(message_id);
    for (const std::string& ref : ids) {
      db.Rows("INSERT OR REPLACE INTO thread_refs (msgid, thread_id) VALUES (?, " + t + ")", {ref});
    }
    db.Rows("INSERT INTO search (rowid, subject, sender, recipients, cc, body) VALUES (" + n +
                ", ?, 'Ada Lovelace ada@example.org', 'Bob bob@example.net', '', ?)",
            {words, words});
  }

  // thread_folders against what a scan of messages says it must hold.
  void ExpectThreadDatesMatchAScan(RawDb& db) {
    EXPECT_EQ(db.Rows("SELECT thread_id, folder_id, max(date) FROM messages "
                      "GROUP BY thread_id, folder_id ORDER BY 1, 2"),
              db.Rows("SELECT thread_id, folder_id, last_date FROM thread_folders ORDER BY 1, 2"));
  }

  sys::FixedClock clock_{1'700'000'000};
  testing::TempDirectory dir_{"migration-test"};
  std::string path_ = dir_.path() + "/pigeon.db";
};

TEST_F(MigrationTest, Version5StoreWithMessagesMigratesToTheCurrentSchema) {
  CreateAtVersion(5);
  const std::string a = Mail("a@x", "plan", "Tue, 14 Nov 2023 22:13:20 +0000", "", "alpha\r\n");
  const std::string b = Mail("b@x", "Re: plan", "Tue, 14 Nov 2023 23:00:00 +0000",
                             "In-Reply-To: <a@x>\r\nReferences: <a@x>\r\n", "bravo\r\n");
  const std::string c = Mail("c@x", "other", "Wed, 15 Nov 2023 10:00:00 +0000", "", "charlie\r\n");
  {
    RawDb db(path_);
    AddAtVersion5(db, 1, 1, a, "a@x", 1700000000, {}, "plan alpha");
    AddAtVersion5(db, 2, 1, b, "b@x", 1700002800, {"a@x"}, "plan bravo");
    AddAtVersion5(db, 3, 3, c, "c@x", 1700042400, {}, "other charlie");
    ASSERT_EQ(db.One("PRAGMA user_version"), "5");
    ASSERT_EQ(db.One("SELECT count(*) FROM sqlite_schema WHERE name IN "
                     "('messages_by_message_id', 'messages_by_thread')"),
              "2");
    // Flagged (4) and deleted (8) before the folders counted them (migration 6).
    db.Rows("UPDATE messages SET flags = 4 WHERE id = 1");
    db.Rows("UPDATE messages SET flags = 4 | 8 | 1 WHERE id = 2");
  }

  Result<std::unique_ptr<Store>> store = Store::Open(path_, clock_);
  ASSERT_TRUE(store) << store.error().message;
  {
    RawDb db(path_);
    EXPECT_EQ(db.One("PRAGMA user_version"), std::to_string(CurrentSchemaVersion()));
    EXPECT_EQ(db.One("SELECT count(*) FROM sqlite_schema WHERE name IN "
                     "('messages_by_message_id', 'messages_by_thread')"),
              "0");
    EXPECT_EQ(db.One("PRAGMA integrity_check"), "ok");
    ExpectThreadDatesMatchAScan(db);
    EXPECT_EQ(db.One("SELECT flagged || ' ' || deleted FROM folders WHERE id = 1"), "2 1");
  }

  // What was there is still found, listed and threaded.
  const int64_t inbox = (*store)->FindFolder("INBOX")->id;
  EXPECT_EQ((*store)->FindFolder("INBOX")->total, 3);
  Result<std::vector<MessageSummary>> thread = (*store)->Thread(2);
  ASSERT_TRUE(thread);
  ASSERT_EQ(thread->size(), 2u);
  EXPECT_EQ((*thread)[0].id, 1);
  EXPECT_EQ((*thread)[1].id, 2);
  PageRequest search;
  search.query = "bravo";
  ASSERT_EQ((*store)->Page(search)->size(), 1u);
  EXPECT_EQ((*store)->Page(search)->front().id, 2);
  // The same bytes again are a duplicate, found by the old rows' hashes.
  Result<InsertResult> again = (*store)->Insert(inbox, a, {});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->id, 1);

  // New messages thread with the old ones: a reply to b joins thread 1; a message naming both
  // a@x and c@x merges thread 3 into 1; a reply older than its thread leaves its date alone.
  const std::string d = Mail("d@x", "Re: plan", "Thu, 16 Nov 2023 10:00:00 +0000",
                             "References: <a@x> <b@x>\r\n", "delta\r\n");
  const std::string e = Mail("e@x", "both", "Fri, 17 Nov 2023 10:00:00 +0000",
                             "References: <c@x> <a@x>\r\n", "echo\r\n");
  const std::string f = Mail("f@x", "Re: plan", "Mon, 13 Nov 2023 10:00:00 +0000",
                             "In-Reply-To: <b@x>\r\n", "foxtrot\r\n");
  for (const std::string& raw : {d, e, f}) {
    Result<InsertResult> added = (*store)->Insert(inbox, raw, {});
    ASSERT_TRUE(added) << added.error().message;
    EXPECT_FALSE(added->duplicate);
  }
  Result<std::vector<MessageSummary>> merged = (*store)->Thread(3);
  ASSERT_TRUE(merged);
  std::set<std::string> ids;
  for (const MessageSummary& m : *merged) {
    EXPECT_EQ(m.thread_id, 1);
    ids.insert(*m.message_id);
  }
  EXPECT_EQ(ids, (std::set<std::string>{"a@x", "b@x", "c@x", "d@x", "e@x", "f@x"}));
  RawDb db(path_);
  ExpectThreadDatesMatchAScan(db);
  EXPECT_EQ(db.One("SELECT count(DISTINCT thread_id) FROM thread_refs"), "1");
  EXPECT_EQ(db.One("PRAGMA integrity_check"), "ok");
}

TEST_F(MigrationTest, EveryOlderVersionReachesTheCurrentOne) {
  for (int version = 1; version < CurrentSchemaVersion(); ++version) {
    SCOPED_TRACE("from schema " + std::to_string(version));
    std::filesystem::remove_all(dir_.path());
    std::filesystem::create_directory(dir_.path());
    CreateAtVersion(version);
    Result<std::unique_ptr<Store>> store = Store::Open(path_, clock_);
    ASSERT_TRUE(store) << store.error().message;
    const std::string raw = Mail("m@x", "s", "Tue, 14 Nov 2023 22:13:20 +0000", "", "x\r\n");
    ASSERT_TRUE((*store)->Insert((*store)->FindFolder("INBOX")->id, raw, {}));
    RawDb db(path_);
    EXPECT_EQ(db.One("PRAGMA user_version"), std::to_string(CurrentSchemaVersion()));
    EXPECT_EQ(db.One("PRAGMA integrity_check"), "ok");
  }
}

}  // namespace
}  // namespace pigeon::store
