// Store::SetInterruptCheck: a running read stops with kCancelled when the check says so, and
// the store reads normally again once the check is removed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "common/store/store.h"

namespace pigeon::store {
namespace {

class InterruptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/pigeon-interrupt-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    Result<std::unique_ptr<Store>> store = Store::Open(dir_ + "/pigeon.db", clock_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    inbox_ = store_->FindFolder("INBOX")->id;
    for (int i = 0; i < 200; ++i) {
      const std::string raw = "From: a@example.org\r\nSubject: number " + std::to_string(i) +
                              "\r\nMessage-ID: <" + std::to_string(i) +
                              "@example.org>\r\n\r\nbody text\r\n";
      ASSERT_TRUE(store_->Insert(inbox_, raw, InsertOptions{}));
    }
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  PageRequest Everything() const {
    PageRequest request;
    request.folder_id = inbox_;
    request.query = "body:text";
    return request;
  }

  sys::FixedClock clock_{1'700'000'000};
  std::string dir_;
  std::unique_ptr<Store> store_;
  int64_t inbox_ = 0;
};

TEST_F(InterruptTest, AReadStopsWhenTheCheckSaysSoAndRunsAgainWithoutIt) {
  int asked = 0;
  store_->SetInterruptCheck(
      [&asked] {
        ++asked;
        return true;
      },
      1);
  Result<int64_t> stopped = store_->Count(Everything());
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().code, ErrorCode::kCancelled);
  EXPECT_GE(asked, 1);

  store_->SetInterruptCheck(nullptr);
  Result<int64_t> counted = store_->Count(Everything());
  ASSERT_TRUE(counted) << counted.error().message;
  EXPECT_EQ(*counted, 200);
}

TEST_F(InterruptTest, ACheckThatSaysNoChangesNothing) {
  store_->SetInterruptCheck([] { return false; });
  Result<std::vector<MessageSummary>> page = store_->Page(Everything());
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->size(), 50u);
}

}  // namespace
}  // namespace pigeon::store
