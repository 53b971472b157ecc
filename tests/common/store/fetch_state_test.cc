#include "common/store/fetch_state.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fmt/format.h>

#include "common/store/schema.h"
#include "tests/support/temp_directory.h"

namespace pigeon::store {
namespace {

class FetchStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    store_ = Open();
    ASSERT_NE(store_, nullptr);
  }
  std::unique_ptr<Store> Open() {
    Result<std::unique_ptr<Store>> store = Store::Open(path_, clock_);
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(*store) : nullptr;
  }
  int64_t Count(std::string_view table) {
    Result<Statement> count =
        store_->database().Prepare(fmt::format("SELECT count(*) FROM {}", table));
    EXPECT_TRUE(count && *count->Step());
    return count->ColumnInt(0);
  }

  sys::FixedClock clock_{1'700'000'000};
  testing::TempDirectory dir_{"fetch-state-test"};
  std::string path_ = dir_.path() + "/pigeon.db";
  std::unique_ptr<Store> store_;
};

TEST_F(FetchStateTest, FolderStateIsKeptPerAccountAndFolder) {
  FetchState state(*store_);
  EXPECT_EQ(*state.Folder("work", "INBOX"), std::nullopt);
  ASSERT_TRUE(state.SetFolder("work", "INBOX", {42, 7}));
  ASSERT_TRUE(state.SetFolder("home", "INBOX", {1, 3}));
  EXPECT_EQ(*state.Folder("work", "INBOX"), (FetchFolderState{42, 7}));
  EXPECT_EQ(*state.Folder("work", "Sent"), std::nullopt);
  ASSERT_TRUE(state.SetFolder("work", "INBOX", {43, 0}));
  EXPECT_EQ(*state.Folder("work", "INBOX"), (FetchFolderState{43, 0}));
  EXPECT_EQ(*state.Folder("home", "INBOX"), (FetchFolderState{1, 3}));
}

TEST_F(FetchStateTest, SeenByHashOrMessageIdWithinTheFolder) {
  FetchState state(*store_);
  ASSERT_TRUE(state.Record("work", "INBOX", {"5/1", "aa", std::string("m1@x")}));
  ASSERT_TRUE(state.Record("work", "INBOX", {"5/2", "bb", std::nullopt}));
  EXPECT_TRUE(*state.Seen("work", "INBOX", "aa", std::nullopt));
  EXPECT_TRUE(*state.Seen("work", "INBOX", "zz", std::string("m1@x")));
  EXPECT_TRUE(*state.Seen("work", "INBOX", "bb", std::string("other@x")));
  EXPECT_FALSE(*state.Seen("work", "INBOX", "zz", std::string("other@x")));
  EXPECT_FALSE(*state.Seen("work", "INBOX", "zz", std::nullopt));
  EXPECT_FALSE(*state.Seen("work", "Sent", "aa", std::nullopt));
  EXPECT_FALSE(*state.Seen("home", "INBOX", "aa", std::string("m1@x")));
  EXPECT_TRUE(*state.HasRemoteId("work", "INBOX", "5/2"));
  EXPECT_FALSE(*state.HasRemoteId("work", "INBOX", "5/3"));
  EXPECT_EQ(*state.RemoteIds("work", "INBOX"), (std::vector<std::string>{"5/1", "5/2"}));
  ASSERT_TRUE(state.Forget("work", "INBOX", "5/1"));
  EXPECT_EQ(*state.RemoteIds("work", "INBOX"), (std::vector<std::string>{"5/2"}));
}

// The state commits or rolls back with the messages of the batch it was written in.
TEST_F(FetchStateTest, WrittenInTheBatchTransaction) {
  const int64_t inbox = store_->FindFolder("INBOX")->id;
  {
    Result<Batch> batch = store_->BeginBatch(/*durable=*/true);
    ASSERT_TRUE(batch);
    ASSERT_TRUE(batch->Add(inbox, "Subject: a\r\n\r\na\r\n", {}));
    FetchState state(*store_);
    ASSERT_TRUE(state.SetFolder("work", "INBOX", {9, 1}));
    ASSERT_TRUE(state.Record("work", "INBOX", {"9/1", "aa", std::nullopt}));
    // Not committed: dropped here.
  }
  FetchState state(*store_);
  EXPECT_EQ(*state.Folder("work", "INBOX"), std::nullopt);
  EXPECT_EQ(Count("fetched"), 0);
  EXPECT_EQ(Count("messages"), 0);
  {
    Result<Batch> batch = store_->BeginBatch(/*durable=*/true);
    ASSERT_TRUE(batch);
    ASSERT_TRUE(batch->Add(inbox, "Subject: a\r\n\r\na\r\n", {}));
    ASSERT_TRUE(state.SetFolder("work", "INBOX", {9, 1}));
    ASSERT_TRUE(state.Record("work", "INBOX", {"9/1", "aa", std::nullopt}));
    ASSERT_TRUE(batch->Commit());
  }
  store_ = Open();
  FetchState reopened(*store_);
  EXPECT_EQ(*reopened.Folder("work", "INBOX"), (FetchFolderState{9, 1}));
  EXPECT_EQ(Count("fetched"), 1);
  EXPECT_EQ(Count("messages"), 1);
}

}  // namespace
}  // namespace pigeon::store
