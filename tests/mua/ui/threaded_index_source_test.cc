#include "mua/ui/threaded_index_source.h"

#include <algorithm>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "common/store/schema.h"

namespace pigeon::mua::ui {
namespace {

using store::MessageSummary;
using store::PageCursor;

// The store's threaded pages over a vector, with the store's cursor rules (store_read.cc).
// Its query language is a stand-in: "is:unread -is:deleted", else a substring of the subject.
class FakeThreads : public ThreadPageReader {
 public:
  // A message of thread `thread` answering message `parent` (0: none) of the same thread.
  void Add(int64_t id, int64_t thread, int64_t date, int64_t parent = 0, std::string subject = "",
           int flags = store::kFlagSeen) {
    MessageSummary m;
    m.id = id;
    m.thread_id = thread;
    m.date = date;
    m.flags = flags;
    m.message_id = "m" + std::to_string(id);
    if (parent != 0) m.parent_id = "m" + std::to_string(parent);
    m.subject = subject.empty() ? "s" + std::to_string(thread) : std::move(subject);
    messages.push_back(m);
  }
  int64_t ThreadDate(int64_t thread) const {
    int64_t latest = std::numeric_limits<int64_t>::min();
    for (const MessageSummary& m : messages) {
      if (m.thread_id == thread) latest = std::max(latest, m.date);
    }
    return latest;
  }
  bool Matches(const MessageSummary& m, std::string_view query) const {
    if (m.subject.find(limit) == std::string::npos) return false;
    if (query == UnreadQuery()) return !(m.flags & (store::kFlagSeen | store::kFlagDeleted));
    return m.subject.find(query) != std::string::npos;
  }

  Result<std::vector<MessageSummary>> ThreadPage(std::optional<PageCursor> after, bool newest_first,
                                                 int limit, std::string_view query) override {
    ++pages;
    std::vector<MessageSummary> rows;
    for (MessageSummary m : messages) {
      if (!Matches(m, query)) continue;
      m.thread_date = ThreadDate(m.thread_id);
      rows.push_back(m);
    }
    auto thread_key = [](const auto& x) { return std::tie(x.thread_date, x.thread_id); };
    std::sort(rows.begin(), rows.end(), [&](const MessageSummary& a, const MessageSummary& b) {
      if (thread_key(a) != thread_key(b)) {
        return newest_first ? thread_key(a) > thread_key(b) : thread_key(a) < thread_key(b);
      }
      return std::tie(a.date, a.id) < std::tie(b.date, b.id);
    });
    std::vector<MessageSummary> out;
    for (const MessageSummary& m : rows) {
      if (static_cast<int>(out.size()) == limit) break;
      if (after) {
        const auto key = std::tie(after->thread_date, after->thread_id);
        const bool later_thread = newest_first ? thread_key(m) < key : thread_key(m) > key;
        const bool later_in_thread =
            thread_key(m) == key && std::tie(m.date, m.id) > std::tie(after->date, after->id);
        if (!later_thread && !later_in_thread) continue;
      }
      out.push_back(m);
    }
    rows_read += static_cast<int>(out.size());
    return out;
  }
  Result<std::optional<MessageSummary>> CurrentThreadRow(int64_t id) override {
    for (MessageSummary m : messages) {
      if (m.id != id) continue;
      m.thread_date = ThreadDate(m.thread_id);
      return std::optional<MessageSummary>(m);
    }
    return std::optional<MessageSummary>();
  }
  std::string_view UnreadQuery() const override { return "is:unread -is:deleted"; }
  Result<std::optional<MessageSummary>> OldestUnread() override {
    std::optional<MessageSummary> oldest;
    for (const MessageSummary& m : messages) {
      if (!Matches(m, UnreadQuery())) continue;
      if (!oldest || std::tie(m.date, m.id) < std::tie(oldest->date, oldest->id)) oldest = m;
    }
    if (!oldest) return oldest;
    return CurrentThreadRow(oldest->id);
  }

  std::vector<MessageSummary> messages;
  std::string limit;
  int pages = 0;
  int rows_read = 0;
};

std::vector<int64_t> Ids(const IndexModel& model) {
  std::vector<int64_t> ids;
  for (const MessageSummary& row : model.rows()) ids.push_back(row.id);
  return ids;
}

int64_t SelectedId(const IndexModel& model) { return model.Selected() ? model.Selected()->id : -1; }

// Thread 1 (dates 10..): 1 ─ 2 ─ 4, 1 ─ 3 (3 is older than 4: date order would be 1 2 3 4).
// Thread 2: 5 alone, latest of all.  Thread 3: 6 ─ 7, 6 ─ 8, between the others.
void ThreeThreads(FakeThreads& threads) {
  threads.Add(1, 1, 10);
  threads.Add(2, 1, 11, 1);
  threads.Add(3, 1, 12, 1);
  threads.Add(4, 1, 13, 2);
  threads.Add(6, 3, 20);
  threads.Add(7, 3, 21, 6);
  threads.Add(8, 3, 22, 6);
  threads.Add(5, 2, 30);
}

const std::vector<int64_t> kDisplayOrder = {1, 2, 4, 3, 6, 7, 8, 5};

std::vector<int64_t> WalkDown(IndexModel& model) {
  std::vector<int64_t> seen = {SelectedId(model)};
  while (*model.Next(false) == Moved::kYes) seen.push_back(SelectedId(model));
  return seen;
}

std::vector<int64_t> WalkUp(IndexModel& model) {
  std::vector<int64_t> seen = {SelectedId(model)};
  while (*model.Previous(false) == Moved::kYes) seen.push_back(SelectedId(model));
  return seen;
}

TEST(ThreadedIndexSource, PagesInThreadOrderAcrossPageBoundaries) {
  FakeThreads threads;
  ThreeThreads(threads);
  for (int height = 1; height <= 9; ++height) {
    ThreadedIndexSource source(threads, /*newest_first=*/false, true);
    IndexModel model(source);
    ASSERT_TRUE(model.Open(height));
    EXPECT_EQ(SelectedId(model), 5) << height;  // the last row: newest thread at the bottom
    std::vector<int64_t> up = WalkUp(model);
    std::reverse(up.begin(), up.end());
    EXPECT_EQ(up, kDisplayOrder) << height;
    EXPECT_EQ(WalkDown(model), kDisplayOrder) << height;
    ASSERT_TRUE(model.First());
    EXPECT_EQ(SelectedId(model), 1);
    ASSERT_TRUE(model.Last());
    EXPECT_EQ(SelectedId(model), 5);
  }
}

TEST(ThreadedIndexSource, PagesByScreenfuls) {
  FakeThreads threads;
  ThreeThreads(threads);
  ThreadedIndexSource source(threads, false, true);
  IndexModel model(source);
  ASSERT_TRUE(model.Open(3));
  ASSERT_TRUE(model.First());
  EXPECT_EQ(Ids(model), (std::vector<int64_t>{1, 2, 4}));
  ASSERT_EQ(*model.NextPage(), Moved::kYes);
  EXPECT_EQ(Ids(model), (std::vector<int64_t>{3, 6, 7}));
  ASSERT_EQ(*model.NextPage(), Moved::kYes);
  EXPECT_EQ(Ids(model), (std::vector<int64_t>{7, 8, 5}));  // the last page is kept full
  ASSERT_EQ(*model.PreviousPage(), Moved::kYes);           // 6, the row before, at the bottom
  EXPECT_EQ(Ids(model), (std::vector<int64_t>{4, 3, 6}));
}

TEST(ThreadedIndexSource, ReversedThreadsPutTheNewestThreadFirst) {
  FakeThreads threads;
  ThreeThreads(threads);
  ThreadedIndexSource source(threads, /*newest_first=*/true, true);
  IndexModel model(source);
  ASSERT_TRUE(model.Open(4, /*at_top=*/true));
  EXPECT_EQ(SelectedId(model), 5);
  EXPECT_EQ(WalkDown(model), (std::vector<int64_t>{5, 6, 7, 8, 1, 2, 4, 3}));
  std::vector<int64_t> up = WalkUp(model);
  EXPECT_EQ(up, (std::vector<int64_t>{3, 4, 2, 1, 8, 7, 6, 5}));
}

TEST(ThreadedIndexSource, TreeArtComesFromTheWholeThreadWhenTheWindowCutsIt) {
  FakeThreads threads;
  ThreeThreads(threads);
  ThreadedIndexSource source(threads, false, true);
  IndexModel model(source);
  ASSERT_TRUE(model.Open(2));
  ASSERT_TRUE(model.First());
  ASSERT_EQ(*model.NextPage(), Moved::kYes);
  EXPECT_EQ(Ids(model), (std::vector<int64_t>{4, 3}));  // thread 1 without its first rows
  ASSERT_NE(source.Decoration(4), nullptr);
  EXPECT_EQ(source.Decoration(4)->art, "│ └─>");
  EXPECT_TRUE(source.Decoration(4)->hide_subject);
  EXPECT_EQ(source.Decoration(3)->art, "└─>");
}

TEST(ThreadedIndexSource, NewMailInTheSelectedThreadKeepsTheSelection) {
  FakeThreads threads;
  ThreeThreads(threads);
  ThreadedIndexSource source(threads, false, true);
  IndexModel model(source);
  ASSERT_TRUE(model.Open(10));
  ASSERT_TRUE(model.First());
  ASSERT_EQ(*model.Next(false), Moved::kYes);
  ASSERT_EQ(SelectedId(model), 2);
  // A reply to 2 arrives: thread 1 is now the newest and moves to the bottom.
  threads.Add(9, 1, 40, 2, "", 0);
  ASSERT_TRUE(model.Refresh());
  EXPECT_EQ(SelectedId(model), 2);
  EXPECT_EQ(Ids(model), (std::vector<int64_t>{6, 7, 8, 5, 1, 2, 4, 9, 3}));
  EXPECT_EQ(source.Decoration(4)->art, "│ ├─>");
  EXPECT_EQ(source.Decoration(9)->art, "│ └─>");
}

TEST(ThreadedIndexSource, CollapsedThreadsShowOneRowWithTheirCount) {
  FakeThreads threads;
  ThreeThreads(threads);
  threads.messages[3].flags = 0;  // 4 is unread
  ThreadedIndexSource source(threads, false, true);
  IndexModel model(source);
  ASSERT_TRUE(model.Open(10));
  ASSERT_TRUE(model.First());
  ASSERT_EQ(*model.Next(false), Moved::kYes);  // on 2
  source.ToggleThread(1);
  ASSERT_TRUE(model.Refresh());
  EXPECT_EQ(Ids(model), (std::vector<int64_t>{1, 6, 7, 8, 5}));
  EXPECT_EQ(SelectedId(model), 1);  // the selection goes to the thread's row
  EXPECT_EQ(source.Decoration(1)->hidden, 3);
  EXPECT_TRUE(source.Decoration(1)->hidden_unread);
  EXPECT_TRUE(source.Collapsed(1));
  source.ToggleAll();  // everything collapsed
  ASSERT_TRUE(model.Refresh());
  EXPECT_EQ(Ids(model), (std::vector<int64_t>{1, 6, 5}));
  EXPECT_EQ(source.Decoration(6)->hidden, 2);
  EXPECT_EQ(source.Decoration(5)->hidden, 0);
  source.ToggleThread(3);
  ASSERT_TRUE(model.Refresh());
  EXPECT_EQ(Ids(model), (std::vector<int64_t>{1, 6, 7, 8, 5}));
  source.ToggleAll();  // everything expanded
  ASSERT_TRUE(model.Refresh());
  EXPECT_EQ(Ids(model), kDisplayOrder);
}

TEST(ThreadedIndexSource, SearchAndNextUnreadFollowTheDisplayOrder) {
  FakeThreads threads;
  threads.Add(1, 1, 10, 0, "plan");
  threads.Add(2, 1, 11, 1, "plan b");
  threads.Add(3, 1, 12, 1, "plan c", 0);
  threads.Add(4, 1, 13, 2, "plan d", 0);  // after 2 in the tree, before 3
  threads.Add(5, 2, 20, 0, "other", 0);
  ThreadedIndexSource source(threads, false, true);
  IndexModel model(source);
  ASSERT_TRUE(model.Open(10));
  EXPECT_EQ(SelectedId(model), 3);  // the oldest unread: found by date, not by a scan
  ASSERT_TRUE(model.First());
  ASSERT_EQ(*model.NextUnread(), Moved::kYes);
  EXPECT_EQ(SelectedId(model), 4);  // then in display order: 1 2 4 3 5
  ASSERT_EQ(*model.NextUnread(), Moved::kYes);
  EXPECT_EQ(SelectedId(model), 3);
  ASSERT_EQ(*model.NextUnread(), Moved::kYes);
  EXPECT_EQ(SelectedId(model), 5);
  ASSERT_EQ(*model.NextUnread(), Moved::kWrapped);
  EXPECT_EQ(SelectedId(model), 3);
  ASSERT_EQ(*model.Previous(false), Moved::kYes);
  EXPECT_EQ(SelectedId(model), 4);
  // A search finds a message hidden in a collapsed thread and expands it.
  source.ToggleThread(1);
  ASSERT_TRUE(model.Refresh());
  ASSERT_EQ(Ids(model), (std::vector<int64_t>{1, 5}));
  ASSERT_EQ(*model.Search("plan c"), Moved::kYes);
  EXPECT_EQ(SelectedId(model), 3);
  EXPECT_FALSE(source.Collapsed(1));
  EXPECT_EQ(Ids(model), (std::vector<int64_t>{1, 2, 4, 3, 5}));
}

TEST(ThreadedIndexSource, ALimitShowsTheMatchingMessagesInTheirThreadsOrder) {
  FakeThreads threads;
  ThreeThreads(threads);
  threads.messages[1].subject = "keep";  // 2
  threads.messages[3].subject = "keep";  // 4
  threads.messages[5].subject = "keep";  // 7
  threads.limit = "keep";
  ThreadedIndexSource source(threads, false, true);
  IndexModel model(source);
  ASSERT_TRUE(model.Open(10));
  EXPECT_EQ(Ids(model), (std::vector<int64_t>{2, 4, 7}));
  EXPECT_EQ(source.Decoration(4)->art, "└─>");  // the tree of what is shown
}

TEST(ThreadedIndexSource, AdjacentThreadsAreTheirFirstRows) {
  FakeThreads threads;
  ThreeThreads(threads);
  ThreadedIndexSource source(threads, false, true);
  IndexModel model(source);
  ASSERT_TRUE(model.Open(3));
  ASSERT_TRUE(model.First());
  ASSERT_EQ(*model.Next(false), Moved::kYes);  // 2, inside thread 1
  Result<std::optional<MessageSummary>> next = source.AdjacentThread(*model.Selected(), true);
  ASSERT_TRUE(next && *next);
  EXPECT_EQ((*next)->id, 6);
  ASSERT_EQ(*model.Select(**next), Moved::kYes);
  EXPECT_EQ(SelectedId(model), 6);
  Result<std::optional<MessageSummary>> previous = source.AdjacentThread(*model.Selected(), false);
  ASSERT_TRUE(previous && *previous);
  EXPECT_EQ((*previous)->id, 1);
  ASSERT_TRUE(model.Last());
  next = source.AdjacentThread(*model.Selected(), true);
  ASSERT_TRUE(next);
  EXPECT_FALSE(*next);
}

TEST(ThreadedIndexSource, ReadsOnlyTheThreadsNearTheWindow) {
  FakeThreads threads;
  for (int64_t i = 1; i <= 3000; ++i) threads.Add(i, (i + 1) / 2, i, i % 2 == 0 ? i - 1 : 0);
  ThreadedIndexSource source(threads, false, true);
  IndexModel model(source);
  ASSERT_TRUE(model.Open(20));
  EXPECT_EQ(SelectedId(model), 3000);
  EXPECT_LT(threads.rows_read, 200);
  const int before = threads.rows_read;
  ASSERT_TRUE(model.PreviousPage());
  EXPECT_LT(threads.rows_read - before, 200);
}

}  // namespace
}  // namespace pigeon::mua::ui
