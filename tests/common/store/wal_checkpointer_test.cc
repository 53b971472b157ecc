// WalCheckpointer: a writer committing batch after batch with checkpoints on a thread of their
// own keeps every row, keeps the WAL within its limit, and leaves a consistent database that
// other connections read as they go.
#include "common/store/wal_checkpointer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "common/store/store.h"
#include "tests/support/temp_directory.h"

namespace pigeon::store {
namespace {

class WalCheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()); }

  std::unique_ptr<Store> Open() {
    Result<std::unique_ptr<Store>> store = Store::Open(path_, clock_);
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(*store) : nullptr;
  }
  int64_t WalBytes() const {
    std::error_code error;
    const auto size = std::filesystem::file_size(path_ + "-wal", error);
    return error ? 0 : static_cast<int64_t>(size);
  }
  static std::string Message(int n) {
    std::string raw = "From: a@example.org\r\nSubject: message " + std::to_string(n) +
                      "\r\nMessage-ID: <" + std::to_string(n) + "@wal.test>\r\n\r\nword" +
                      std::to_string(n) + "\r\n";
    for (int line = 0; line < 40; ++line) raw += "filler line of some length to take space\r\n";
    return raw;
  }
  static int64_t Integer(Store& store, std::string_view sql) {
    Result<Statement> statement = store.database().Prepare(sql);
    EXPECT_TRUE(statement);
    Result<bool> row = statement->Step();
    EXPECT_TRUE(row && *row);
    return statement->ColumnInt(0);
  }

  sys::FixedClock clock_{1'700'000'000};
  testing::TempDirectory dir_{"checkpointer-test"};
  std::string path_ = dir_.path() + "/pigeon.db";
};

TEST_F(WalCheckpointerTest, BatchesCommitWhileTheThreadCheckpointsAndTheWalStaysBounded) {
  constexpr CheckpointLimits kLimits{.start_frames = 8, .catch_up_frames = 200};
  constexpr int kBatches = 60, kPerBatch = 15;
  std::unique_ptr<Store> writer = Open();
  std::unique_ptr<Store> reader = Open();
  ASSERT_TRUE(writer && reader);
  ASSERT_TRUE(writer->CheckpointInBackground(kLimits));
  ASSERT_TRUE(writer->CheckpointInBackground(kLimits));  // a second call changes nothing
  const int64_t inbox = writer->FindFolder("INBOX")->id;
  int64_t largest_wal = 0;
  for (int b = 0; b < kBatches; ++b) {
    Result<Batch> batch = writer->BeginBatch(/*durable=*/b % 5 == 0);
    ASSERT_TRUE(batch);
    for (int i = 0; i < kPerBatch; ++i) {
      ASSERT_TRUE(batch->Add(inbox, Message(b * kPerBatch + i), {}));
    }
    ASSERT_TRUE(batch->Commit());
    largest_wal = std::max(largest_wal, WalBytes());
    // Another connection sees each batch as soon as it is committed.
    EXPECT_EQ(reader->FindFolder("INBOX")->total, (b + 1) * kPerBatch);
  }
  // One batch here is well under 100 frames: the WAL starts over once it passes the limit
  // (a durable commit pads the file with zeros to a whole MiB: wal_write_buffer.h).
  constexpr int64_t kMiB = 1 << 20;
  constexpr int64_t kFramesBound = (kLimits.catch_up_frames + 200) * (4096 + 24);
  EXPECT_LE(largest_wal, (kFramesBound + kMiB - 1) / kMiB * kMiB);
  EXPECT_GT(largest_wal, kLimits.start_frames * 4096);

  writer.reset();  // stops the thread
  EXPECT_EQ(Integer(*reader, "SELECT count(*) FROM messages"), kBatches * kPerBatch);
  EXPECT_EQ(Integer(*reader, "SELECT count(*) FROM search_docsize"), kBatches * kPerBatch);
  Result<Statement> check = reader->database().Prepare("PRAGMA integrity_check");
  ASSERT_TRUE(check && *check->Step());
  EXPECT_EQ(check->ColumnText(0), "ok");
  PageRequest search;
  search.query = "word" + std::to_string(kBatches * kPerBatch - 1);
  EXPECT_EQ(reader->Page(search)->size(), 1u);
}

TEST_F(WalCheckpointerTest, ACommitAfterTheCheckpointerIsGoneCheckpointsInline) {
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->CheckpointInBackground({.start_frames = 4, .catch_up_frames = 50}));
  const int64_t inbox = store->FindFolder("INBOX")->id;
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(store->Insert(inbox, Message(i), {}));
  store.reset();
  store = Open();  // no checkpointer: SQLite's own auto-checkpoint
  for (int i = 30; i < 60; ++i) ASSERT_TRUE(store->Insert(inbox, Message(i), {}));
  EXPECT_EQ(store->FindFolder("INBOX")->total, 60);
}

}  // namespace
}  // namespace pigeon::store
