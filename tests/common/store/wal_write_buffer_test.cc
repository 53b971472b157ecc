// The WAL write buffer (every store connection's VFS): what one connection commits is in the
// WAL file at once for any other (including one on SQLite's default VFS, as another program
// would be), transactions larger than the buffer and rolled-back transactions that spilled
// pages to the WAL leave a consistent database, and writers taking turns never clobber each
// other's frames. Crashes mid-write are crash_test's.
#include "common/store/wal_write_buffer.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "common/store/sqlite.h"
#include "tests/support/temp_directory.h"

namespace pigeon::store {
namespace {

class WalWriteBufferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    writer_ = Open();
    ASSERT_TRUE(writer_->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT, data BLOB)"));
  }

  std::unique_ptr<Database> Open() {
    Result<std::unique_ptr<Database>> db = Database::Open(path_);
    EXPECT_TRUE(db) << db.error().message;
    return db ? std::move(*db) : nullptr;
  }
  // Inserts `rows` rows of `bytes` bytes each (a fixed pattern per id) in one transaction.
  static void Insert(Database& db, const std::string& who, int first, int rows, int bytes,
                     bool commit = true) {
    ASSERT_TRUE(db.Exec("BEGIN IMMEDIATE"));
    Result<Statement> insert = db.Prepare("INSERT INTO t (id, who, data) VALUES (?, ?, ?)");
    ASSERT_TRUE(insert);
    for (int id = first; id < first + rows; ++id) {
      const std::string data(static_cast<size_t>(bytes), static_cast<char>('a' + id % 26));
      insert->Reset();
      ASSERT_TRUE(insert->Bind(1, int64_t{id}).Bind(2, who).BindBlob(3, data).Run());
    }
    ASSERT_TRUE(db.Exec(commit ? "COMMIT" : "ROLLBACK"));
  }
  // Count and a checksum of every row, read through SQLite's default VFS.
  std::pair<int64_t, int64_t> ReadWithDefaultVfs() {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db,
                                 "SELECT count(*), coalesce(sum(id * length(data) + "
                                 "unicode(substr(data, length(data)))), 0) FROM t",
                                 -1, &stmt, nullptr),
              SQLITE_OK);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    std::pair<int64_t, int64_t> result{sqlite3_column_int64(stmt, 0),
                                       sqlite3_column_int64(stmt, 1)};
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return result;
  }
  static int64_t Expected(int first, int rows, int bytes) {
    int64_t sum = 0;
    for (int id = first; id < first + rows; ++id) sum += int64_t{id} * bytes + 'a' + id % 26;
    return sum;
  }
  std::string IntegrityCheck() {
    Result<Statement> check = writer_->Prepare("PRAGMA integrity_check");
    EXPECT_TRUE(check && *check->Step());
    return check->ColumnText(0);
  }

  testing::TempDirectory dir_{"wal-buffer-test"};
  std::string path_ = dir_.path() + "/test.db";
  std::unique_ptr<Database> writer_;
};

TEST_F(WalWriteBufferTest, StoreConnectionsUseIt) { EXPECT_NE(WalWriteBufferVfs(), nullptr); }

TEST_F(WalWriteBufferTest, ACommitIsInTheFileForOtherConnectionsAtOnce) {
  // Small and large transactions: one frame, and many times the buffer.
  Insert(*writer_, "w", 0, 1, 10);
  EXPECT_EQ(ReadWithDefaultVfs(), std::make_pair(int64_t{1}, Expected(0, 1, 10)));
  Insert(*writer_, "w", 1, 400, 3000);
  EXPECT_EQ(ReadWithDefaultVfs(),
            std::make_pair(int64_t{401}, Expected(0, 1, 10) + Expected(1, 400, 3000)));
  EXPECT_EQ(IntegrityCheck(), "ok");
}

TEST_F(WalWriteBufferTest, ARolledBackTransactionThatSpilledLeavesNothing) {
  // A tiny page cache makes SQLite write pages of the open transaction to the WAL early.
  ASSERT_TRUE(writer_->Exec("PRAGMA cache_size = 10"));
  Insert(*writer_, "w", 0, 50, 2000);
  Insert(*writer_, "w", 50, 300, 2000, /*commit=*/false);
  Insert(*writer_, "w", 50, 20, 2000);
  EXPECT_EQ(ReadWithDefaultVfs(), std::make_pair(int64_t{70}, Expected(0, 70, 2000)));
  EXPECT_EQ(IntegrityCheck(), "ok");
}

TEST_F(WalWriteBufferTest, WritersTakingTurnsKeepEachOthersFrames) {
  std::unique_ptr<Database> other = Open();
  ASSERT_TRUE(other);
  ASSERT_TRUE(writer_->Exec("PRAGMA cache_size = 10"));
  ASSERT_TRUE(other->Exec("PRAGMA cache_size = 10"));
  int next = 0;
  for (int round = 0; round < 20; ++round) {
    Insert(*writer_, "w", next, 7, 1500 + round);
    next += 7;
    if (round % 3 == 0) Insert(*other, "o", 100000 + round, 40, 2500, /*commit=*/false);
    Insert(*other, "o", next, 5, 900);
    next += 5;
  }
  EXPECT_EQ(ReadWithDefaultVfs().first, next);
  EXPECT_EQ(IntegrityCheck(), "ok");
  Result<Statement> rows = other->Prepare("SELECT count(*) FROM t WHERE who = 'o'");
  ASSERT_TRUE(rows && *rows->Step());
  EXPECT_EQ(rows->ColumnInt(0), 20 * 5);
}

// A synced commit leaves the WAL a whole number of MiB long (zeros after the last frame), so
// the next commits write over zeros and change no metadata; a copy of the files (as after a
// power cut: no shared memory) recovers every committed row from such a log.
TEST_F(WalWriteBufferTest, ASyncedWalGrowsByWholeMebibytesAndRecoversWithItsZeros) {
  ASSERT_TRUE(writer_->Exec("PRAGMA synchronous = FULL"));
  const std::string wal = path_ + "-wal";
  for (int round = 0; round < 5; ++round) {
    Insert(*writer_, "w", round * 100, 100, 3000);
    const auto size = std::filesystem::file_size(wal);
    EXPECT_EQ(size % (1 << 20), 0u) << "after commit " << round << ": " << size;
  }
  const std::string copy = dir_.path() + "/copy.db";
  std::filesystem::copy_file(path_, copy);
  std::filesystem::copy_file(wal, copy + "-wal");
  path_ = copy;
  EXPECT_EQ(ReadWithDefaultVfs(), std::make_pair(int64_t{500}, Expected(0, 500, 3000)));
}

}  // namespace
}  // namespace pigeon::store
