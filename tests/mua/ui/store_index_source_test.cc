#include "mua/ui/store_index_source.h"

#include <unistd.h>

#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "common/store/schema.h"
#include "mua/ui/threaded_index_source.h"
#include "mua/ui/view_query.h"
#include "tests/support/temp_directory.h"

namespace pigeon::mua::ui {
namespace {

// The limited view over a real store in a temporary directory: the limit and the searches
// are the store's query language, combined by view_query.h.
class StoreIndexSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    Result<std::unique_ptr<store::Store>> opened =
        store::Store::Open(dir_.path() + "/pigeon.db", clock_);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    inbox_ = store_->FindFolder("INBOX")->id;
  }
  // Message `n` of a day, one minute apart, so that ids and dates sort alike.
  int64_t Add(int n, std::string_view from, std::string_view subject, int flags = 0,
              std::string_view extra_fields = "") {
    const std::string raw = fmt::format(
        "From: {}\r\nTo: ada@example.org\r\nSubject: {}\r\nDate: Tue, 14 Nov 2023 {:02}:{:02}:00 "
        "+0000\r\nMessage-ID: <{}@test>\r\n{}\r\nbody {}\r\n",
        from, subject, n / 60, n % 60, n, extra_fields, n);
    store::InsertOptions options;
    options.flags = flags;
    Result<store::InsertResult> inserted = store_->Insert(inbox_, raw, options);
    EXPECT_TRUE(inserted) << inserted.error().message;
    return inserted ? inserted->id : 0;
  }
  void Limit(StoreIndexSource& source, std::string_view query) {
    Result<std::string> normalized = NormalizeQuery(query);
    ASSERT_TRUE(normalized) << normalized.error().message;
    source.SetLimit(*normalized);
  }
  static std::vector<int64_t> Ids(const Result<std::vector<store::MessageSummary>>& rows) {
    EXPECT_TRUE(rows) << rows.error().message;
    std::vector<int64_t> ids;
    if (rows) {
      for (const store::MessageSummary& row : *rows) ids.push_back(row.id);
    }
    return ids;
  }

  sys::FixedClock clock_{1'700'000'000};
  testing::TempDirectory dir_{"source-test"};
  std::unique_ptr<store::Store> store_;
  int64_t inbox_ = 0;
};

TEST_F(StoreIndexSourceTest, LimitAppliesToEveryRead) {
  const int64_t a1 = Add(1, "ada@example.org", "alpha one", store::kFlagSeen);
  const int64_t b2 = Add(2, "bob@example.org", "beta two");
  const int64_t a3 = Add(3, "ada@example.org", "alpha three");
  const int64_t b4 = Add(4, "bob@example.org", "beta four", store::kFlagSeen);
  const int64_t a5 = Add(5, "ada@example.org", "alpha five", store::kFlagSeen);
  StoreIndexSource source(*store_, inbox_);
  EXPECT_EQ(Ids(source.After(std::nullopt, 10)), (std::vector<int64_t>{a1, b2, a3, b4, a5}));
  Limit(source, "from:ada");
  EXPECT_EQ(Ids(source.After(std::nullopt, 10)), (std::vector<int64_t>{a1, a3, a5}));
  EXPECT_EQ(Ids(source.After(RowKey{store_->Summary(a1)->date, a1}, 1)),
            (std::vector<int64_t>{a3}));
  EXPECT_EQ(Ids(source.Before(std::nullopt, 2)), (std::vector<int64_t>{a5, a3}));
  // next-unread within the limit: b2 is unread but hidden.
  Result<std::optional<store::MessageSummary>> unread = source.NextUnread(std::nullopt);
  ASSERT_TRUE(unread && *unread);
  EXPECT_EQ((*unread)->id, a3);
  // A search within the limit.
  Result<std::optional<store::MessageSummary>> found = source.FirstMatching("beta", std::nullopt);
  ASSERT_TRUE(found);
  EXPECT_FALSE(*found);
  found = source.FirstMatching("subject:five", std::nullopt);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->id, a5);
  // No limit again.
  source.SetLimit("");
  EXPECT_EQ(Ids(source.After(std::nullopt, 10)).size(), 5u);
}

TEST_F(StoreIndexSourceTest, ReversedDatesAndThreadsOverTheStore) {
  const int64_t m1 = Add(1, "ada@example.org", "plan");
  const int64_t m2 = Add(2, "bob@example.org", "lunch");
  const int64_t m3 = Add(3, "cy@example.org", "Re: plan", 0, "In-Reply-To: <1@test>\r\n");
  const int64_t m4 = Add(4, "dee@example.org", "Re: plan", 0, "In-Reply-To: <1@test>\r\n");
  const int64_t m5 = Add(5, "eve@example.org", "Re: plan", 0, "In-Reply-To: <3@test>\r\n");
  StoreIndexSource source(*store_, inbox_);
  source.SetReverse(true);
  EXPECT_EQ(Ids(source.After(std::nullopt, 10)), (std::vector<int64_t>{m5, m4, m3, m2, m1}));
  const int64_t m3_date = store_->Summary(m3)->date;
  EXPECT_EQ(Ids(source.After(RowKey{m3_date, m3, 0, 0, /*inclusive=*/true}, 2)),
            (std::vector<int64_t>{m3, m2}));
  EXPECT_EQ(Ids(source.Before(RowKey{m3_date, m3}, 5)), (std::vector<int64_t>{m4, m5}));

  // Threads: "lunch" (its latest at 00:02) before "plan" (00:05), each in reply order.
  source.SetReverse(false);
  ThreadedIndexSource threads(source, /*newest_first=*/false, /*utf8=*/false);
  IndexModel model(threads);
  ASSERT_TRUE(model.Open(2));
  EXPECT_EQ(model.Selected()->id, m1);  // the oldest unread
  ASSERT_TRUE(model.First());
  std::vector<int64_t> seen = {model.Selected()->id};
  while (*model.Next(false) == Moved::kYes) seen.push_back(model.Selected()->id);
  EXPECT_EQ(seen, (std::vector<int64_t>{m2, m1, m3, m5, m4}));
  EXPECT_EQ(ThreadSubject(*threads.Decoration(m5)), "| `->");
  EXPECT_EQ(ThreadSubject(*threads.Decoration(m4)), "`->");
  seen = {model.Selected()->id};
  while (*model.Previous(false) == Moved::kYes) seen.push_back(model.Selected()->id);
  EXPECT_EQ(seen, (std::vector<int64_t>{m4, m5, m3, m1, m2}));
  ThreadedIndexSource newest_first(source, /*newest_first=*/true, /*utf8=*/true);
  EXPECT_EQ(Ids(newest_first.After(std::nullopt, 10)), (std::vector<int64_t>{m1, m3, m5, m4, m2}));
  EXPECT_EQ(Ids(newest_first.Before(std::nullopt, 10)), (std::vector<int64_t>{m2, m4, m5, m3, m1}));
}

TEST_F(StoreIndexSourceTest, AnOrLimitStaysWholeWhenCombined) {
  const int64_t a1 = Add(1, "ada@example.org", "alpha one");
  const int64_t b2 = Add(2, "bob@example.org", "beta two");
  Add(3, "cy@example.org", "gamma three");
  StoreIndexSource source(*store_, inbox_);
  Limit(source, "subject:alpha OR subject:beta");
  // "(a OR b) (is:unread -is:deleted)", not "a OR (b is:unread ...)".
  ASSERT_TRUE(store_->SetFlags({&b2, 1}, store::kFlagDeleted, 0));
  Result<std::vector<int64_t>> unread = source.AllMatching("is:unread -is:deleted");
  ASSERT_TRUE(unread);
  EXPECT_EQ(*unread, (std::vector<int64_t>{a1}));
  Result<std::vector<int64_t>> deleted = source.AllMatching("is:deleted");
  ASSERT_TRUE(deleted);
  EXPECT_EQ(*deleted, (std::vector<int64_t>{b2}));
}

TEST_F(StoreIndexSourceTest, AllMatchingReadsPastOnePage) {
  Result<store::Batch> batch = store_->BeginBatch(false);
  ASSERT_TRUE(batch);
  for (int n = 0; n < 1205; ++n) {
    const std::string raw = fmt::format(
        "From: ada@example.org\r\nSubject: {} {}\r\nDate: Tue, 14 Nov 2023 10:00:00 +0000\r\n"
        "Message-ID: <{}@bulk>\r\n\r\nbody\r\n",
        n % 2 == 0 ? "even" : "odd", n, n);
    ASSERT_TRUE(batch->Add(inbox_, raw, {}));
  }
  ASSERT_TRUE(batch->Commit());
  StoreIndexSource source(*store_, inbox_, /*matching_page=*/500);
  Result<std::vector<int64_t>> all = source.AllMatching("");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1205u);
  EXPECT_TRUE(std::is_sorted(all->begin(), all->end()));
  Limit(source, "subject:even");
  Result<std::vector<int64_t>> even = source.AllMatching("");
  ASSERT_TRUE(even);
  EXPECT_EQ(even->size(), 603u);
}

TEST_F(StoreIndexSourceTest, AStoreErrorIsReturnedNotThrown) {
  Add(1, "ada@example.org", "alpha");
  StoreIndexSource source(*store_, inbox_);
  source.SetLimit("form:ada");  // never normalized: the store's parser refuses it
  EXPECT_FALSE(source.After(std::nullopt, 10));
  EXPECT_FALSE(source.AllMatching(""));
}

}  // namespace
}  // namespace pigeon::mua::ui
