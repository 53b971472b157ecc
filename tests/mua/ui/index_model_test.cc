#include "mua/ui/index_model.h"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "common/store/schema.h"

namespace pigeon::mua::ui {
namespace {

using store::MessageSummary;

// The folder as a sorted vector; counts what the model reads. Its query language is a
// stand-in for the store's: a query matches the subjects that contain it, and `limit` (one
// such query) hides the other rows from every read, as the store's limit does.
class FakeSource : public IndexSource {
 public:
  explicit FakeSource(int count) {
    for (int i = 1; i <= count; ++i) {
      MessageSummary row;
      row.id = i;
      row.date = 1000 + i * 10;
      row.flags = store::kFlagSeen;
      row.subject = (i % 2 == 0 ? "even " : "odd ") + std::to_string(i);
      rows.push_back(row);
    }
  }
  void Add(int64_t id, int64_t date, int flags, std::string subject = "") {
    MessageSummary row;
    row.id = id;
    row.date = date;
    row.flags = flags;
    row.subject = std::move(subject);
    rows.push_back(row);
    std::sort(rows.begin(), rows.end(), [](const MessageSummary& a, const MessageSummary& b) {
      return std::tie(a.date, a.id) < std::tie(b.date, b.id);
    });
  }
  void Remove(int64_t id) {
    std::erase_if(rows, [id](const MessageSummary& row) { return row.id == id; });
  }
  MessageSummary& Row(int64_t id) {
    return *std::find_if(rows.begin(), rows.end(), [id](auto& r) { return r.id == id; });
  }

  // `row` comes after `key` (or is it, for an inclusive key).
  static bool Past(const MessageSummary& row, const RowKey& key) {
    return key.inclusive ? std::tie(row.date, row.id) >= std::tie(key.date, key.id)
                         : std::tie(row.date, row.id) > std::tie(key.date, key.id);
  }

  bool Matches(const MessageSummary& row, std::string_view query) const {
    return row.subject.find(query) != std::string::npos &&
           row.subject.find(this->limit) != std::string::npos;
  }

  Result<std::vector<MessageSummary>> After(std::optional<RowKey> after, int limit) override {
    std::vector<MessageSummary> out;
    for (const MessageSummary& row : rows) {
      if (static_cast<int>(out.size()) == limit) break;
      if (!Matches(row, "")) continue;
      if (after && !Past(row, *after)) continue;
      out.push_back(row);
    }
    rows_read += static_cast<int>(out.size());
    return out;
  }
  Result<std::vector<MessageSummary>> Before(std::optional<RowKey> before, int limit) override {
    std::vector<MessageSummary> out;
    for (auto row = rows.rbegin(); row != rows.rend(); ++row) {
      if (static_cast<int>(out.size()) == limit) break;
      if (!Matches(*row, "")) continue;
      if (before && std::tie(row->date, row->id) >= std::tie(before->date, before->id)) continue;
      out.push_back(*row);
    }
    rows_read += static_cast<int>(out.size());
    return out;
  }
  Result<std::optional<MessageSummary>> NextUnread(std::optional<RowKey> after) override {
    for (const MessageSummary& row : rows) {
      if (after && !Past(row, *after)) continue;
      if (!Matches(row, "")) continue;
      if (!(row.flags & (store::kFlagSeen | store::kFlagDeleted))) return row;
    }
    return std::optional<MessageSummary>();
  }
  Result<std::optional<MessageSummary>> FirstMatching(std::string_view query,
                                                      std::optional<RowKey> after) override {
    ++searches;
    for (const MessageSummary& row : rows) {
      if (after && !Past(row, *after)) continue;
      if (Matches(row, query)) return row;
    }
    return std::optional<MessageSummary>();
  }
  Result<std::vector<int64_t>> AllMatching(std::string_view query) override {
    std::vector<int64_t> ids;
    for (const MessageSummary& row : rows) {
      if (Matches(row, query)) ids.push_back(row.id);
    }
    return ids;
  }

  std::vector<MessageSummary> rows;
  std::string limit;
  int searches = 0;
  int rows_read = 0;
};

std::vector<int64_t> Ids(const IndexModel& model) {
  std::vector<int64_t> ids;
  for (const MessageSummary& row : model.rows()) ids.push_back(row.id);
  return ids;
}

int64_t SelectedId(const IndexModel& model) { return model.Selected() ? model.Selected()->id : -1; }

TEST(IndexModel, OpensOnTheLastMessageWithAFullScreen) {
  FakeSource source(100);
  IndexModel model(source);
  ASSERT_TRUE(model.Open(10));
  EXPECT_EQ(Ids(model), (std::vector<int64_t>{91, 92, 93, 94, 95, 96, 97, 98, 99, 100}));
  EXPECT_EQ(model.cursor(), 9);
  EXPECT_EQ(SelectedId(model), 100);
}

TEST(IndexModel, OpensOnTheFirstUnreadMessage) {
  FakeSource source(100);
  source.Row(40).flags = 0;
  source.Row(70).flags = 0;
  source.Row(30).flags = store::kFlagDeleted;  // unread but deleted: skipped, as mutt does
  IndexModel model(source);
  ASSERT_TRUE(model.Open(10));
  EXPECT_EQ(SelectedId(model), 40);
  EXPECT_EQ(model.cursor(), 0);
  EXPECT_EQ(model.rows().size(), 10u);

  FakeSource near_end(100);
  near_end.Row(98).flags = 0;
  IndexModel bottom(near_end);
  ASSERT_TRUE(bottom.Open(10));
  EXPECT_EQ(SelectedId(bottom), 98);  // the screen is filled from above
  EXPECT_EQ(Ids(bottom).front(), 91);
  EXPECT_EQ(bottom.cursor(), 7);
}

TEST(IndexModel, ReadsOnlyWhatIsVisible) {
  FakeSource source(20000);
  IndexModel model(source);
  ASSERT_TRUE(model.Open(30));
  EXPECT_LE(source.rows_read, 60);
  source.rows_read = 0;
  ASSERT_TRUE(model.First());
  ASSERT_TRUE(model.NextPage());
  ASSERT_TRUE(model.Last());
  EXPECT_LE(source.rows_read, 30 + 61 + 30);
}

TEST(IndexModel, NextAndPreviousTurnPagesLikeMutt) {
  FakeSource source(25);
  IndexModel model(source);
  ASSERT_TRUE(model.Open(10));
  ASSERT_EQ(model.First(), Moved::kYes);
  for (int i = 0; i < 9; ++i) ASSERT_EQ(model.Next(false), Moved::kYes);
  EXPECT_EQ(SelectedId(model), 10);
  EXPECT_EQ(model.cursor(), 9);
  ASSERT_EQ(model.Next(false), Moved::kYes);  // off the bottom: the next page, cursor on top
  EXPECT_EQ(SelectedId(model), 11);
  EXPECT_EQ(model.cursor(), 0);
  EXPECT_EQ(Ids(model).back(), 20);
  ASSERT_EQ(model.Previous(false), Moved::kYes);  // off the top: the previous page
  EXPECT_EQ(SelectedId(model), 10);
  EXPECT_EQ(model.cursor(), 9);
  EXPECT_EQ(Ids(model).front(), 1);
  ASSERT_EQ(model.Previous(false), Moved::kYes);
  EXPECT_EQ(SelectedId(model), 9);
  model.TopOfPage();
  EXPECT_EQ(model.Previous(false), Moved::kNo);  // "You are on the first message."
  ASSERT_EQ(model.Last(), Moved::kYes);
  EXPECT_EQ(model.Next(false), Moved::kNo);
  EXPECT_EQ(SelectedId(model), 25);
}

TEST(IndexModel, PagesKeepTheScreenFull) {
  FakeSource source(25);
  IndexModel model(source);
  ASSERT_TRUE(model.Open(10));
  ASSERT_EQ(model.First(), Moved::kYes);
  ASSERT_EQ(model.NextPage(), Moved::kYes);
  EXPECT_EQ(SelectedId(model), 11);
  EXPECT_EQ(Ids(model).front(), 11);
  ASSERT_EQ(model.NextPage(), Moved::kYes);  // 5 left: the last 10 shown, cursor on the first new
  EXPECT_EQ(Ids(model).front(), 16);
  EXPECT_EQ(SelectedId(model), 21);
  ASSERT_EQ(model.NextPage(), Moved::kYes);  // on the last page: to the last message
  EXPECT_EQ(SelectedId(model), 25);
  EXPECT_EQ(model.NextPage(), Moved::kNo);  // "You are on the last page."
  ASSERT_EQ(model.PreviousPage(), Moved::kYes);
  EXPECT_EQ(SelectedId(model), 15);
  EXPECT_EQ(model.cursor(), 9);
  ASSERT_EQ(model.PreviousPage(), Moved::kYes);
  EXPECT_EQ(Ids(model).front(), 1);
  EXPECT_EQ(SelectedId(model), 5);
  ASSERT_EQ(model.PreviousPage(), Moved::kYes);
  EXPECT_EQ(SelectedId(model), 1);
  EXPECT_EQ(model.PreviousPage(), Moved::kNo);
  model.MiddleOfPage();
  EXPECT_EQ(model.cursor(), 4);
  model.BottomOfPage();
  EXPECT_EQ(model.cursor(), 9);
}

TEST(IndexModel, UndeletedMovesSkipDeletedMessagesAcrossPages) {
  FakeSource source(40);
  for (int id = 6; id <= 27; ++id) source.Row(id).flags |= store::kFlagDeleted;
  IndexModel model(source);
  ASSERT_TRUE(model.Open(5));
  ASSERT_EQ(model.First(), Moved::kYes);
  for (int i = 0; i < 4; ++i) ASSERT_EQ(model.Next(true), Moved::kYes);
  EXPECT_EQ(SelectedId(model), 5);
  ASSERT_EQ(model.Next(true), Moved::kYes);
  EXPECT_EQ(SelectedId(model), 28);
  EXPECT_EQ(model.cursor(), 0);
  ASSERT_EQ(model.Previous(true), Moved::kYes);
  EXPECT_EQ(SelectedId(model), 5);
  EXPECT_EQ(model.cursor(), 4);
  ASSERT_EQ(model.Next(false), Moved::kYes);  // next-entry stops on deleted ones
  EXPECT_EQ(SelectedId(model), 6);
}

TEST(IndexModel, RefreshKeepsTheSelectedMessageWhereItWas) {
  FakeSource source(30);
  IndexModel model(source);
  ASSERT_TRUE(model.Open(10));
  ASSERT_EQ(model.Previous(false), Moved::kYes);
  ASSERT_EQ(model.Previous(false), Moved::kYes);
  EXPECT_EQ(SelectedId(model), 28);
  const int row = model.cursor();
  source.Add(31, 5000, 0);  // new mail, newest
  source.Add(32, 1005, 0);  // new mail with an old Date: sorts near the top
  ASSERT_TRUE(model.Refresh());
  EXPECT_EQ(SelectedId(model), 28);
  EXPECT_EQ(model.cursor(), row);
  source.Remove(28);  // expunged by another process: the next one takes its place
  ASSERT_TRUE(model.Refresh());
  EXPECT_EQ(SelectedId(model), 29);
  EXPECT_EQ(model.cursor(), row);
}

TEST(IndexModel, NewMailShowsWhenThereIsRoom) {
  FakeSource source(3);
  IndexModel model(source);
  ASSERT_TRUE(model.Open(10));
  ASSERT_EQ(model.First(), Moved::kYes);
  source.Add(4, 9000, 0);
  source.Add(5, 9001, 0);
  ASSERT_TRUE(model.Refresh());
  EXPECT_EQ(Ids(model), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(SelectedId(model), 1);
}

TEST(IndexModel, ResizeKeepsTheSelectionVisible) {
  FakeSource source(100);
  IndexModel model(source);
  ASSERT_TRUE(model.Open(20));
  ASSERT_EQ(model.PreviousPage(), Moved::kYes);
  ASSERT_EQ(SelectedId(model), 80);
  ASSERT_EQ(model.cursor(), 19);
  ASSERT_TRUE(model.Resize(5));
  EXPECT_EQ(SelectedId(model), 80);
  EXPECT_EQ(model.rows().size(), 5u);
  EXPECT_EQ(model.cursor(), 4);
  ASSERT_TRUE(model.Resize(40));
  EXPECT_EQ(SelectedId(model), 80);
  EXPECT_EQ(model.rows().size(), 40u);
}

TEST(IndexModel, EmptyFolderIsHarmless) {
  FakeSource source(0);
  IndexModel model(source);
  ASSERT_TRUE(model.Open(10));
  EXPECT_EQ(model.cursor(), -1);
  EXPECT_EQ(model.Selected(), nullptr);
  EXPECT_EQ(model.Next(true), Moved::kNo);
  EXPECT_EQ(model.Previous(true), Moved::kNo);
  EXPECT_EQ(model.NextPage(), Moved::kNo);
  EXPECT_EQ(model.PreviousPage(), Moved::kNo);
  EXPECT_EQ(model.First(), Moved::kNo);
  EXPECT_EQ(model.Last(), Moved::kNo);
  EXPECT_EQ(model.NextUnread(), Moved::kNo);
  EXPECT_EQ(model.MiddleOfPage(), Moved::kNo);
  ASSERT_TRUE(model.Resize(3));
  source.Add(1, 10, 0);  // the first message arrives
  ASSERT_TRUE(model.Refresh());
  EXPECT_EQ(SelectedId(model), 1);
}

TEST(IndexModel, NextUnreadWrapsToTheTop) {
  FakeSource source(50);
  source.Row(10).flags = 0;
  source.Row(45).flags = 0;
  IndexModel model(source);
  ASSERT_TRUE(model.Open(10));
  ASSERT_EQ(SelectedId(model), 10);
  ASSERT_EQ(model.NextUnread(), Moved::kYes);
  EXPECT_EQ(SelectedId(model), 45);
  ASSERT_EQ(model.NextUnread(), Moved::kWrapped);
  EXPECT_EQ(SelectedId(model), 10);
  source.Row(45).flags = store::kFlagSeen;
  EXPECT_EQ(model.NextUnread(), Moved::kNo);  // only the selected one is unread
}

TEST(IndexModel, LimitShowsOnlyMatchingRowsAndKeepsTheSelection) {
  FakeSource source(20);
  IndexModel model(source);
  ASSERT_TRUE(model.Open(4));
  ASSERT_EQ(SelectedId(model), 20);
  source.limit = "even";
  ASSERT_TRUE(model.Refresh());
  EXPECT_EQ(Ids(model), (std::vector<int64_t>{14, 16, 18, 20}));
  EXPECT_EQ(SelectedId(model), 20);
  EXPECT_EQ(model.Next(false), Moved::kNo);
  ASSERT_EQ(model.Previous(false), Moved::kYes);
  ASSERT_EQ(model.Previous(false), Moved::kYes);
  ASSERT_EQ(model.Previous(false), Moved::kYes);
  ASSERT_EQ(model.Previous(false), Moved::kYes);  // off the top: the previous page, limited
  EXPECT_EQ(SelectedId(model), 12);
  EXPECT_EQ(Ids(model), (std::vector<int64_t>{6, 8, 10, 12}));
  ASSERT_EQ(model.First(), Moved::kYes);
  EXPECT_EQ(SelectedId(model), 2);
  // Back to every message: the selected one stays selected, at its row.
  source.limit = "";
  ASSERT_TRUE(model.Refresh());
  EXPECT_EQ(SelectedId(model), 2);
  EXPECT_EQ(Ids(model), (std::vector<int64_t>{2, 3, 4, 5}));
}

TEST(IndexModel, LimitHidingTheSelectionSelectsTheNextMatchingRow) {
  FakeSource source(20);
  IndexModel model(source);
  ASSERT_TRUE(model.Open(4));
  ASSERT_EQ(model.First(), Moved::kYes);
  ASSERT_EQ(model.Next(false), Moved::kYes);
  ASSERT_EQ(model.Next(false), Moved::kYes);
  ASSERT_EQ(SelectedId(model), 3);
  source.limit = "even";
  ASSERT_TRUE(model.Refresh());
  EXPECT_EQ(SelectedId(model), 4);
  source.limit = "nothing matches";
  ASSERT_TRUE(model.Refresh());
  EXPECT_EQ(model.Selected(), nullptr);
  EXPECT_TRUE(model.rows().empty());
  source.limit = "odd";
  ASSERT_TRUE(model.Refresh());
  EXPECT_EQ(SelectedId(model), 19);  // from an empty view: the last message, as on opening
}

TEST(IndexModel, NewMatchingMailAppearsInTheLimitedView) {
  FakeSource source(6);
  source.limit = "even";
  IndexModel model(source);
  ASSERT_TRUE(model.Open(5));
  EXPECT_EQ(Ids(model), (std::vector<int64_t>{2, 4, 6}));
  source.Add(7, 5000, 0, "odd 7");
  source.Add(8, 5001, 0, "even 8");
  ASSERT_TRUE(model.Refresh());
  EXPECT_EQ(Ids(model), (std::vector<int64_t>{2, 4, 6, 8}));
  EXPECT_EQ(SelectedId(model), 6);
  // Tab's next-unread stays in the view: 7 is unread but hidden.
  EXPECT_EQ(model.NextUnread(), Moved::kYes);
  EXPECT_EQ(SelectedId(model), 8);
}

TEST(IndexModel, SearchFindsTheNextMatchAndWrapsToTheTop) {
  FakeSource source(30);
  IndexModel model(source);
  ASSERT_TRUE(model.Open(5));
  ASSERT_EQ(model.First(), Moved::kYes);
  source.searches = 0;
  EXPECT_EQ(model.Search("odd 2"), Moved::kYes);  // "odd 21" after 1: off this page
  EXPECT_EQ(SelectedId(model), 21);
  EXPECT_EQ(model.cursor(), 0);
  EXPECT_EQ(source.searches, 1);
  EXPECT_EQ(model.Search("odd 2"), Moved::kYes);
  EXPECT_EQ(SelectedId(model), 23);
  ASSERT_EQ(model.Search("odd 2"), Moved::kYes);
  ASSERT_EQ(model.Search("odd 2"), Moved::kYes);
  ASSERT_EQ(model.Search("odd 2"), Moved::kYes);
  ASSERT_EQ(SelectedId(model), 29);
  source.searches = 0;
  EXPECT_EQ(model.Search("odd 2"), Moved::kWrapped);
  EXPECT_EQ(SelectedId(model), 21);
  EXPECT_EQ(source.searches, 2);
  // Nothing matches: the selection stays.
  EXPECT_EQ(model.Search("no such subject"), Moved::kNo);
  EXPECT_EQ(SelectedId(model), 21);
  // Only the selected row matches: found again after the wrap, as mutt does.
  EXPECT_EQ(model.Search("odd 21"), Moved::kWrapped);
  EXPECT_EQ(SelectedId(model), 21);
}

TEST(IndexModel, SearchStaysInTheLimitedView) {
  FakeSource source(30);
  source.limit = "even";
  IndexModel model(source);
  ASSERT_TRUE(model.Open(5));
  ASSERT_EQ(model.First(), Moved::kYes);
  EXPECT_EQ(model.Search("1"), Moved::kYes);  // "odd 1", "odd 11"...: hidden by the limit
  EXPECT_EQ(SelectedId(model), 10);
  EXPECT_EQ(model.Search("1"), Moved::kYes);
  EXPECT_EQ(SelectedId(model), 12);
}

}  // namespace
}  // namespace pigeon::mua::ui
