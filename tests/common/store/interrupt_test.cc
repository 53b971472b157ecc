// Store::SetInterruptCheck: a running read stops with kCancelled when the check says so, and
// the store reads normally again once the check is removed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "common/store/store.h"
#include "tests/support/temp_directory.h"

namespace pigeon::store {
namespace {

class InterruptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    Result<std::unique_ptr<Store>> store = Store::Open(dir_.path() + "/pigeon.db", clock_);
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
  PageRequest Everything() const {
    PageRequest request;
    request.folder_id = inbox_;
    request.query = "body:text";
    return request;
  }

  sys::FixedClock clock_{1'700'000'000};
  testing::TempDirectory dir_{"interrupt-test"};
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
