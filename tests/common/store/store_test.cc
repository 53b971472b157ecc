#include "common/store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "common/store/query.h"
#include "common/store/schema.h"
#include "common/store/thread_tree.h"
#include "tests/support/temp_directory.h"

namespace pigeon::store {
namespace {

// A store in a fresh temporary directory, removed afterwards.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    store_ = OpenStore();
    inbox_ = store_->FindFolder("INBOX")->id;
  }
  std::unique_ptr<Store> OpenStore() {
    Result<std::unique_ptr<Store>> store = Store::Open(path_, clock_);
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(*store) : nullptr;
  }
  int64_t Add(std::string_view raw, int flags = 0, int64_t folder = 0) {
    InsertOptions options;
    options.flags = flags;
    Result<InsertResult> inserted = store_->Insert(folder ? folder : inbox_, raw, options);
    EXPECT_TRUE(inserted) << inserted.error().message;
    return inserted ? inserted->id : 0;
  }
  FolderInfo Folder(std::string_view name) { return *store_->FindFolder(name); }
  std::vector<int64_t> Ids(const PageRequest& request) {
    Result<std::vector<MessageSummary>> page = store_->Page(request);
    EXPECT_TRUE(page) << page.error().message;
    std::vector<int64_t> ids;
    if (page) {
      for (const MessageSummary& summary : *page) ids.push_back(summary.id);
    }
    return ids;
  }

  sys::FixedClock clock_{1'700'000'000};
  testing::TempDirectory dir_{"store-test"};
  std::string path_ = dir_.path() + "/pigeon.db";
  std::unique_ptr<Store> store_;
  int64_t inbox_ = 0;
};

std::string Mail(std::string_view id, std::string_view subject, std::string_view date,
                 std::string_view extra = "", std::string_view body = "hello\r\n") {
  return "From: Ada Lovelace <ada@example.org>\r\nTo: Bob <bob@example.net>\r\n"
         "Subject: " +
         std::string(subject) + "\r\nDate: " + std::string(date) + "\r\nMessage-ID: <" +
         std::string(id) + ">\r\n" + std::string(extra) + "\r\n" + std::string(body);
}

TEST_F(StoreTest, CreatesTheSystemFoldersOnce) {
  Result<std::vector<FolderInfo>> folders = store_->Folders();
  ASSERT_TRUE(folders);
  std::vector<std::string> names;
  for (const FolderInfo& folder : *folders) names.push_back(folder.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"INBOX", "Drafts", "Sent", "Archive", "Junk", "Trash"}));
  store_ = OpenStore();  // reopening applies nothing twice
  EXPECT_EQ(store_->Folders()->size(), 6u);
  EXPECT_EQ(store_->FindFolder("inbox")->id, inbox_);
}

TEST_F(StoreTest, RefusesADatabaseFromANewerPigeon) {
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 999", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  Result<std::unique_ptr<Store>> store = Store::Open(path_, clock_);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("newer pigeon"), std::string::npos) << store.error().message;
}

// The reader looks for a folder's first unread message on opening it and on Tab, and a limit
// may ask for flagged messages. Without indexes on those bits that read the whole folder when
// few messages matched; the plan of each query (the folder, the flag test as CompileQuery
// writes it, date order) must use the partial index of those messages.
TEST_F(StoreTest, UnreadAndFlaggedMessagesAreFoundThroughTheirIndexes) {
  Add(Mail("a@x", "read", "Mon, 1 Jan 2024 10:00:00 +0000"), kFlagSeen);
  const int64_t unread = Add(Mail("b@x", "unread", "Tue, 2 Jan 2024 10:00:00 +0000"));
  const int64_t flagged =
      Add(Mail("c@x", "flagged", "Wed, 3 Jan 2024 10:00:00 +0000"), kFlagSeen | kFlagFlagged);
  const std::pair<std::string, std::string> cases[] = {
      {"is:unread -is:deleted", "messages_unread_by_folder_date"},
      {"is:flagged", "messages_flagged_by_folder_date"},
  };
  PageRequest request;
  request.folder_id = inbox_;
  request.order = SortOrder::kDateAscending;
  request.query = cases[0].first;
  EXPECT_EQ(Ids(request), std::vector<int64_t>{unread});
  request.query = cases[1].first;
  EXPECT_EQ(Ids(request), std::vector<int64_t>{flagged});

  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  for (const auto& [text, index] : cases) {
    Result<QueryNode> query = ParseQuery(text);
    ASSERT_TRUE(query);
    const SqlCondition condition = CompileQuery(*query, 0);
    ASSERT_TRUE(condition.params.empty());
    const std::string sql = "EXPLAIN QUERY PLAN SELECT m.id FROM messages m WHERE m.folder_id = " +
                            std::to_string(inbox_) + " AND (" + condition.where +
                            ") ORDER BY m.date, m.id LIMIT 1";
    std::string plan;
    auto append_row = [](void* out, int, char** values, char**) {
      *static_cast<std::string*>(out) += std::string(values[3]) + "\n";
      return 0;
    };
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), append_row, &plan, nullptr), SQLITE_OK);
    EXPECT_NE(plan.find("USING INDEX " + index), std::string::npos) << text << ":\n" << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << text << ":\n" << plan;
  }
  sqlite3_close(db);
}

TEST_F(StoreTest, UserFoldersAreValidatedAndCreatedOnce) {
  Result<FolderInfo> dev = store_->CreateFolder("lists/dev");
  ASSERT_TRUE(dev);
  EXPECT_EQ(store_->CreateFolder("lists/dev")->id, dev->id);
  for (std::string_view bad : {"", "/x", "x/", "a//b", "tab\there"}) {
    EXPECT_FALSE(store_->CreateFolder(bad)) << bad;
  }
  EXPECT_EQ(store_->FindFolder("nope").error().code, ErrorCode::kNotFound);
}

TEST_F(StoreTest, InsertKeepsRawBytesAndExtractsTheSummary) {
  std::string raw = Mail("a@x", "=?utf-8?q?caf=C3=A9?=", "Tue, 14 Nov 2023 22:13:20 +0000", "",
                         "body \xff bytes\r\n");
  int64_t id = Add(raw);
  EXPECT_EQ(*store_->Raw(id), raw);
  MessageSummary summary = *store_->Summary(id);
  EXPECT_EQ(summary.subject, "café");
  EXPECT_EQ(summary.from_name, "Ada Lovelace");
  EXPECT_EQ(summary.from_addr, "ada@example.org");
  EXPECT_EQ(summary.to_text, "Bob <bob@example.net>");
  EXPECT_EQ(summary.date, 1700000000);
  EXPECT_EQ(summary.message_id, "a@x");
  EXPECT_EQ(summary.size, static_cast<int64_t>(raw.size()));
  EXPECT_FALSE(summary.has_attachment);
  EXPECT_EQ(summary.snippet.substr(0, 5), "body ");
}

TEST_F(StoreTest, ArrivalsAreTheMessagesOfAFolderStoredAfterAnId) {
  EXPECT_EQ(*store_->LastMessageId(), 0);
  const int64_t old = Add(Mail("old@x", "old", "Tue, 14 Nov 2023 22:13:20 +0000"));
  const int64_t seen_up_to = *store_->LastMessageId();
  EXPECT_EQ(seen_up_to, old);
  const int64_t other = store_->CreateFolder("other")->id;
  // Arrival order, not Date order: the second arrival is dated earlier.
  const int64_t first = Add(Mail("a@x", "first", "Tue, 14 Nov 2023 22:13:20 +0000"));
  Add(Mail("b@x", "elsewhere", "Tue, 14 Nov 2023 22:13:20 +0000"), 0, other);
  const int64_t second = Add(Mail("c@x", "second", "Mon, 13 Nov 2023 22:13:20 +0000"));
  Add(Mail("d@x", "third", "Tue, 14 Nov 2023 22:13:20 +0000"));
  Result<std::vector<MessageSummary>> arrived = store_->Arrivals(inbox_, seen_up_to, 2);
  ASSERT_TRUE(arrived) << arrived.error().message;
  ASSERT_EQ(arrived->size(), 2u);
  EXPECT_EQ((*arrived)[0].id, first);
  EXPECT_EQ((*arrived)[1].id, second);
  EXPECT_EQ((*arrived)[1].subject, "second");
  EXPECT_TRUE(store_->Arrivals(inbox_, *store_->LastMessageId(), 5)->empty());
}

TEST_F(StoreTest, SameBytesTwiceInOneFolderIsADuplicate) {
  std::string raw = Mail("a@x", "s", "Tue, 14 Nov 2023 22:13:20 +0000");
  Result<InsertResult> first = store_->Insert(inbox_, raw, {});
  Result<InsertResult> second = store_->Insert(inbox_, raw, {});
  ASSERT_TRUE(first && second);
  EXPECT_FALSE(first->duplicate);
  EXPECT_TRUE(second->duplicate);
  EXPECT_EQ(second->id, first->id);
  EXPECT_EQ(Folder("INBOX").total, 1);
  // The same bytes in another folder are a second message sharing the body.
  Result<InsertResult> archived = store_->Insert(Folder("Archive").id, raw, {});
  ASSERT_TRUE(archived);
  EXPECT_FALSE(archived->duplicate);
}

TEST_F(StoreTest, CountsFollowInsertsFlagsAndMoves) {
  int64_t a = Add(Mail("a@x", "a", "Tue, 14 Nov 2023 22:13:20 +0000"));
  int64_t b = Add(Mail("b@x", "b", "Tue, 14 Nov 2023 22:13:21 +0000"), kFlagSeen);
  EXPECT_EQ(Folder("INBOX").total, 2);
  EXPECT_EQ(Folder("INBOX").unread, 1);
  const int64_t both[] = {a, b};
  ASSERT_TRUE(store_->SetFlags(both, kFlagSeen | kFlagFlagged, 0));
  EXPECT_EQ(Folder("INBOX").unread, 0);
  EXPECT_EQ(store_->Summary(a)->flags, kFlagSeen | kFlagFlagged);
  ASSERT_TRUE(store_->SetFlags(both, 0, kFlagSeen));
  EXPECT_EQ(Folder("INBOX").unread, 2);
  EXPECT_EQ(store_->Summary(b)->flags, kFlagFlagged);
  const int64_t just_a[] = {a};
  ASSERT_TRUE(store_->Move(just_a, Folder("Archive").id));
  EXPECT_EQ(Folder("INBOX").total, 1);
  EXPECT_EQ(Folder("Archive").total, 1);
  EXPECT_EQ(Folder("Archive").unread, 1);
}

TEST_F(StoreTest, KeywordsAndCopies) {
  int64_t a = Add(Mail("a@x", "a", "Tue, 14 Nov 2023 22:13:20 +0000"));
  const int64_t ids[] = {a};
  ASSERT_TRUE(store_->AddKeyword(ids, "work"));
  ASSERT_TRUE(store_->AddKeyword(ids, "urgent"));
  ASSERT_TRUE(store_->AddKeyword(ids, "work"));
  EXPECT_EQ(*store_->Keywords(a), (std::vector<std::string>{"urgent", "work"}));
  Result<std::vector<int64_t>> copies = store_->Copy(ids, Folder("Archive").id);
  ASSERT_TRUE(copies);
  ASSERT_EQ(copies->size(), 1u);
  EXPECT_EQ(*store_->Keywords(copies->front()), (std::vector<std::string>{"urgent", "work"}));
  EXPECT_EQ(*store_->Raw(copies->front()), *store_->Raw(a));
  ASSERT_TRUE(store_->RemoveKeyword(ids, "urgent"));
  EXPECT_EQ(*store_->Keywords(a), (std::vector<std::string>{"work"}));
}

TEST_F(StoreTest, DeleteMovesToTrashThenRemovesForGood) {
  int64_t a = Add(Mail("a@x", "a", "Tue, 14 Nov 2023 22:13:20 +0000"));
  const int64_t ids[] = {a};
  ASSERT_TRUE(store_->Delete(ids));
  EXPECT_EQ(store_->Summary(a)->folder_id, Folder("Trash").id);
  EXPECT_EQ(Folder("Trash").total, 1);
  ASSERT_TRUE(store_->Delete(ids));
  EXPECT_EQ(store_->Summary(a).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Folder("Trash").total, 0);
}

TEST_F(StoreTest, ExpungeRemovesDeletedMessagesAndUnusedBodies) {
  int64_t a = Add(Mail("a@x", "a", "Tue, 14 Nov 2023 22:13:20 +0000"));
  int64_t b = Add(Mail("b@x", "b", "Tue, 14 Nov 2023 22:13:21 +0000"));
  const int64_t ids[] = {a};
  ASSERT_TRUE(store_->SetFlags(ids, kFlagDeleted, 0));
  EXPECT_EQ(*store_->Expunge(inbox_), 1);
  EXPECT_EQ(Ids({.folder_id = inbox_}), std::vector<int64_t>{b});
  Result<Statement> bodies = store_->database().Prepare("SELECT count(*) FROM bodies");
  ASSERT_TRUE(bodies && *bodies->Step());
  EXPECT_EQ(bodies->ColumnInt(0), 1);
}

TEST_F(StoreTest, ToggleFlagsFlipsEachMessageOnItsOwn) {
  int64_t a = Add(Mail("a@x", "a", "Tue, 14 Nov 2023 22:13:20 +0000"), kFlagFlagged | kFlagSeen);
  int64_t b = Add(Mail("b@x", "b", "Tue, 14 Nov 2023 22:13:21 +0000"), kFlagSeen);
  const int64_t ids[] = {a, b};
  ASSERT_TRUE(store_->ToggleFlags(ids, kFlagFlagged));
  EXPECT_EQ(store_->Summary(a)->flags, kFlagSeen);
  EXPECT_EQ(store_->Summary(b)->flags, kFlagSeen | kFlagFlagged);
  EXPECT_EQ(Folder("INBOX").flagged, 1);
}

TEST_F(StoreTest, FolderCountsFlaggedAndDeletedMessages) {
  int64_t a = Add(Mail("a@x", "a", "Tue, 14 Nov 2023 22:13:20 +0000"), kFlagFlagged);
  int64_t b = Add(Mail("b@x", "b", "Tue, 14 Nov 2023 22:13:21 +0000"));
  EXPECT_EQ(Folder("INBOX").flagged, 1);
  EXPECT_EQ(Folder("INBOX").deleted, 0);
  const int64_t both[] = {a, b};
  ASSERT_TRUE(store_->SetFlags(both, kFlagDeleted, 0));
  EXPECT_EQ(Folder("INBOX").deleted, 2);
  const int64_t first[] = {a};
  ASSERT_TRUE(store_->Move(first, Folder("Archive").id));
  EXPECT_EQ(Folder("INBOX").flagged, 0);
  EXPECT_EQ(Folder("INBOX").deleted, 1);
  EXPECT_EQ(Folder("Archive").flagged, 1);
  EXPECT_EQ(Folder("Archive").deleted, 1);
  EXPECT_EQ(*store_->Expunge(Folder("Archive").id), 1);
  EXPECT_EQ(Folder("Archive").flagged, 0);
  EXPECT_EQ(Folder("Archive").deleted, 0);
}

TEST_F(StoreTest, PurgeDeletedMovesToTrashUnflaggedThenRemovesFromTrash) {
  int64_t a = Add(Mail("a@x", "a", "Tue, 14 Nov 2023 22:13:20 +0000"));
  int64_t b = Add(Mail("b@x", "b", "Tue, 14 Nov 2023 22:13:21 +0000"));
  const int64_t ids[] = {a};
  ASSERT_TRUE(store_->SetFlags(ids, kFlagDeleted | kFlagSeen, 0));
  EXPECT_EQ(*store_->PurgeDeleted(inbox_), 1);
  EXPECT_EQ(Ids({.folder_id = inbox_}), std::vector<int64_t>{b});
  const FolderInfo trash = Folder("Trash");
  EXPECT_EQ(store_->Summary(a)->folder_id, trash.id);
  EXPECT_EQ(store_->Summary(a)->flags, kFlagSeen);
  EXPECT_EQ(trash.deleted, 0);
  EXPECT_EQ(Folder("INBOX").deleted, 0);
  EXPECT_EQ(*store_->PurgeDeleted(trash.id), 0);  // nothing is flagged deleted in Trash
  ASSERT_TRUE(store_->SetFlags(ids, kFlagDeleted, 0));
  EXPECT_EQ(*store_->PurgeDeleted(trash.id), 1);
  EXPECT_EQ(store_->Summary(a).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Folder("Trash").total, 0);
}

TEST_F(StoreTest, ThreadsJoinRepliesThatArriveBeforeTheirParent) {
  int64_t reply = Add(Mail("r@x", "Re: plan", "Tue, 14 Nov 2023 22:13:22 +0000",
                           "In-Reply-To: <p@x>\r\nReferences: <root@x> <p@x>\r\n"));
  int64_t other = Add(Mail("o@x", "other", "Tue, 14 Nov 2023 22:13:23 +0000"));
  int64_t root = Add(Mail("root@x", "plan", "Tue, 14 Nov 2023 22:13:20 +0000"));
  int64_t parent =
      Add(Mail("p@x", "Re: plan", "Tue, 14 Nov 2023 22:13:21 +0000", "References: <root@x>\r\n"));
  Result<std::vector<MessageSummary>> thread = store_->Thread(reply);
  ASSERT_TRUE(thread);
  std::vector<int64_t> ids;
  for (const MessageSummary& summary : *thread) ids.push_back(summary.id);
  EXPECT_EQ(ids, (std::vector<int64_t>{root, parent, reply}));
  EXPECT_EQ((*thread)[2].parent_id, "p@x");
  EXPECT_EQ(store_->Thread(other)->size(), 1u);

  Result<std::vector<ThreadNode>> tree = ThreadTreeOf(*store_, root);
  ASSERT_TRUE(tree);
  ASSERT_EQ(tree->size(), 1u);
  EXPECT_EQ((*tree)[0].message.id, root);
  ASSERT_EQ((*tree)[0].replies.size(), 1u);
  EXPECT_EQ((*tree)[0].replies[0].message.id, parent);
  ASSERT_EQ((*tree)[0].replies[0].replies.size(), 1u);
  EXPECT_EQ((*tree)[0].replies[0].replies[0].message.id, reply);
}

TEST_F(StoreTest, KeysetPagesCoverEveryMessageOnceInBothOrders) {
  std::vector<int64_t> all;
  for (int i = 0; i < 23; ++i) {
    // No Date field: all share the arrival time, so the id alone orders them.
    all.push_back(
        Add(Mail(std::to_string(i) + "@x", "m", "", "", "n" + std::to_string(i) + "\r\n")));
  }
  for (SortOrder order : {SortOrder::kDateDescending, SortOrder::kDateAscending}) {
    std::vector<int64_t> seen;
    PageRequest request{.folder_id = inbox_, .order = order, .limit = 5};
    for (;;) {
      Result<std::vector<MessageSummary>> page = store_->Page(request);
      ASSERT_TRUE(page);
      if (page->empty()) break;
      for (const MessageSummary& summary : *page) seen.push_back(summary.id);
      request.after = PageCursor{page->back().date, page->back().id};
    }
    std::vector<int64_t> want = all;
    if (order == SortOrder::kDateDescending) std::reverse(want.begin(), want.end());
    EXPECT_EQ(seen, want);
  }
}

TEST_F(StoreTest, ThreadedPagesListNewestThreadFirstAndPageByKeyset) {
  // Thread A: 10:00, 10:05 (reply); thread B: 10:02; thread C: 10:01, reply 10:07.
  int64_t a1 = Add(Mail("a1@x", "A", "Tue, 14 Nov 2023 10:00:00 +0000"));
  int64_t b1 = Add(Mail("b1@x", "B", "Tue, 14 Nov 2023 10:02:00 +0000"));
  int64_t c1 = Add(Mail("c1@x", "C", "Tue, 14 Nov 2023 10:01:00 +0000"));
  int64_t a2 =
      Add(Mail("a2@x", "Re: A", "Tue, 14 Nov 2023 10:05:00 +0000", "In-Reply-To: <a1@x>\r\n"));
  int64_t c2 =
      Add(Mail("c2@x", "Re: C", "Tue, 14 Nov 2023 10:07:00 +0000", "References: <c1@x>\r\n"));
  const std::vector<int64_t> want = {c1, c2, a1, a2, b1};
  EXPECT_EQ(Ids({.folder_id = inbox_, .order = SortOrder::kThreads}), want);
  for (int limit = 1; limit <= 3; ++limit) {
    std::vector<int64_t> seen;
    PageRequest request{.folder_id = inbox_, .order = SortOrder::kThreads, .limit = limit};
    for (;;) {
      Result<std::vector<MessageSummary>> page = store_->Page(request);
      ASSERT_TRUE(page) << page.error().message;
      if (page->empty()) break;
      for (const MessageSummary& summary : *page) seen.push_back(summary.id);
      request.after = CursorAfter(page->back());
    }
    EXPECT_EQ(seen, want) << "limit " << limit;
  }
  // The mirror order, oldest thread first, pages the same way.
  const std::vector<int64_t> oldest_first = {b1, a1, a2, c1, c2};
  for (int limit = 1; limit <= 3; ++limit) {
    std::vector<int64_t> seen;
    PageRequest request{
        .folder_id = inbox_, .order = SortOrder::kThreadsOldestFirst, .limit = limit};
    for (;;) {
      Result<std::vector<MessageSummary>> page = store_->Page(request);
      ASSERT_TRUE(page) << page.error().message;
      if (page->empty()) break;
      for (const MessageSummary& summary : *page) seen.push_back(summary.id);
      request.after = CursorAfter(page->back());
    }
    EXPECT_EQ(seen, oldest_first) << "limit " << limit;
  }
  // Moving the newest message of C away makes C older than A in INBOX.
  const int64_t moved[] = {c2};
  ASSERT_TRUE(store_->Move(moved, Folder("Archive").id));
  EXPECT_EQ(Ids({.folder_id = inbox_, .order = SortOrder::kThreads}),
            (std::vector<int64_t>{a1, a2, b1, c1}));
  EXPECT_EQ(Ids({.folder_id = Folder("Archive").id, .order = SortOrder::kThreads}),
            std::vector<int64_t>{c2});
  EXPECT_FALSE(store_->Page({.order = SortOrder::kThreads}));  // needs a folder
}

TEST_F(StoreTest, ThreadDatesStayConsistentThroughMergesMovesAndDeletes) {
  for (int i = 0; i < 30; ++i) {
    std::string refs = i % 3 == 0 ? "" : "References: <m" + std::to_string(i - 1) + "@x>\r\n";
    Add(Mail("m" + std::to_string((i * 7) % 30) + "@x", "s",
             "Tue, 14 Nov 2023 10:" + std::to_string(10 + i) + ":00 +0000", refs));
  }
  Result<std::vector<MessageSummary>> all = store_->Page({.folder_id = inbox_, .limit = 100});
  ASSERT_TRUE(all);
  std::vector<int64_t> some;
  for (size_t i = 0; i < all->size(); i += 4) some.push_back((*all)[i].id);
  ASSERT_TRUE(store_->Move(some, Folder("Archive").id));
  ASSERT_TRUE(store_->Delete(std::span<const int64_t>(some).first(3)));
  Result<Statement> mismatches = store_->database().Prepare(
      "SELECT count(*) FROM (SELECT thread_id, folder_id, max(date) AS d FROM messages "
      "GROUP BY thread_id, folder_id) t FULL JOIN thread_folders tf USING (thread_id, folder_id) "
      "WHERE t.d IS NOT tf.last_date");
  ASSERT_TRUE(mismatches) << mismatches.error().message;
  ASSERT_TRUE(*mismatches->Step());
  EXPECT_EQ(mismatches->ColumnInt(0), 0);
}

TEST_F(StoreTest, ChangedSeesCommitsOfOtherConnections) {
  EXPECT_FALSE(*store_->Changed());  // the first look sets the baseline
  Result<std::unique_ptr<Store>> other = Store::Open(path_, clock_);
  ASSERT_TRUE(other);
  EXPECT_FALSE(*store_->Changed());
  ASSERT_TRUE((*other)->Insert(inbox_, Mail("a@x", "a", ""), {}));
  EXPECT_TRUE(*store_->Changed());
  EXPECT_FALSE(*store_->Changed());
}

TEST_F(StoreTest, SearchFindsWordsAddressesAndFlags) {
  int64_t a = Add(Mail("a@x", "quarterly report", "Tue, 14 Nov 2023 22:13:20 +0000", "",
                       "the xylophonist played\r\n"));
  int64_t b = Add(Mail("b@x", "lunch", "Tue, 14 Nov 2023 22:13:21 +0000"), kFlagSeen);
  EXPECT_EQ(Ids({.query = "xylophonist"}), std::vector<int64_t>{a});
  EXPECT_EQ(Ids({.query = "subject:lunch"}), std::vector<int64_t>{b});
  EXPECT_EQ(Ids({.query = "from:ada@example.org", .order = SortOrder::kDateAscending}),
            (std::vector<int64_t>{a, b}));
  EXPECT_EQ(Ids({.query = "is:unread"}), std::vector<int64_t>{a});
  EXPECT_EQ(*store_->Count({.query = "NOT lunch"}), 1);
  Result<std::vector<MessageSummary>> bad = store_->Page({.query = "(unclosed"});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("column"), std::string::npos) << bad.error().message;
}

// A bulk load merges full-text segments 8 at a time, then hands the store back merged down to
// at most 3 segments a level, with FTS5's default of 4 set again.
TEST_F(StoreTest, BulkLoadLeavesTheSearchIndexMergedAndTheDefaultSet) {
  auto automerge = [this] {
    Result<Statement> query =
        store_->database().Prepare("SELECT v FROM search_config WHERE k = 'automerge'");
    Result<bool> row = query->Step();
    return row && *row ? query->ColumnInt(0) : int64_t{4};
  };
  ASSERT_TRUE(store_->BeginBulkLoad());
  EXPECT_EQ(automerge(), 8);
  for (int b = 0; b < 40; ++b) {  // a full-text segment per batch
    Result<Batch> batch = store_->BeginBatch(/*durable=*/false);
    ASSERT_TRUE(batch);
    for (int i = 0; i < 3; ++i) {
      const std::string n = std::to_string(b * 3 + i);
      ASSERT_TRUE(batch->Add(inbox_,
                             Mail(n + "@bulk", "bulk " + n, "Tue, 14 Nov 2023 22:13:20 +0000", "",
                                  "word" + n + "\r\n"),
                             {}));
    }
    ASSERT_TRUE(batch->Commit());
  }
  ASSERT_TRUE(store_->EndBulkLoad());
  EXPECT_EQ(automerge(), 4);
  // No level holds 4 segments any more: another merge step finds nothing to do.
  const int64_t before = store_->database().TotalChanges();
  ASSERT_TRUE(store_->database().Exec("INSERT INTO search (search, rank) VALUES ('merge', 1000)"));
  EXPECT_LT(store_->database().TotalChanges() - before, 2);
  EXPECT_EQ(Ids({.query = "word77"}).size(), 1u);
  EXPECT_EQ(*store_->Count({.query = "bulk"}), 120);
}

}  // namespace
}  // namespace pigeon::store

namespace pigeon::store {
namespace {

TEST_F(StoreTest, DeliverWritesEveryCopyAndQueueEntryOrNothing) {
  const int64_t lists = store_->CreateFolder("lists/dev")->id;
  const std::string raw = Mail("d@x", "hello", "Tue, 14 Nov 2023 22:13:20 +0000");
  IncomingMessage message{.raw = raw, .queue_id = "Q1", .sender = "ada@example.org"};
  message.copies = {{.folder_id = inbox_, .keywords = {"work"}}, {.folder_id = lists}};
  message.remote_recipients = {"bob@remote.test", "carol@remote.test"};
  {
    Result<Batch> batch = store_->BeginBatch(/*durable=*/true);
    ASSERT_TRUE(batch);
    ASSERT_TRUE(batch->Deliver(message));
    ASSERT_TRUE(batch->Commit());
  }
  std::vector<int64_t> in_inbox = Ids({.folder_id = inbox_});
  ASSERT_EQ(in_inbox.size(), 1u);
  EXPECT_EQ(*store_->Raw(in_inbox[0]), "Return-Path: <ada@example.org>\r\n" + raw);
  EXPECT_EQ(*store_->Keywords(in_inbox[0]), std::vector<std::string>{"work"});
  EXPECT_EQ(Ids({.folder_id = lists}).size(), 1u);
  EXPECT_EQ(Ids({.query = "hello"}).size(), 2u);

  Database& db = store_->database();
  Statement queued = *db.Prepare(
      "SELECT q.queue_id, q.sender, r.address, r.state, length(b.raw) FROM queue q "
      "JOIN queue_recipients r ON r.queue_row = q.id JOIN bodies b ON b.id = q.body_id "
      "ORDER BY r.address");
  std::vector<std::string> rows;
  while (*queued.Step()) {
    rows.push_back(queued.ColumnText(0) + " " + queued.ColumnText(1) + " " + queued.ColumnText(2) +
                   " " + queued.ColumnText(3) + " " + std::to_string(queued.ColumnInt(4)));
  }
  const std::string size = std::to_string(raw.size());
  EXPECT_EQ(rows,
            (std::vector<std::string>{"Q1 ada@example.org bob@remote.test queued " + size,
                                      "Q1 ada@example.org carol@remote.test queued " + size}));

  // A failing copy (no such folder) takes the whole message back out, queue entry included.
  IncomingMessage broken = message;
  const std::string other = Mail("e@x", "second", "Tue, 14 Nov 2023 22:13:21 +0000");
  broken.raw = other;
  broken.queue_id = "Q2";
  broken.copies.push_back({.folder_id = 999999});
  Result<Batch> batch = store_->BeginBatch(true);
  ASSERT_TRUE(batch);
  EXPECT_FALSE(batch->Deliver(broken));
  ASSERT_TRUE(batch->Commit());
  EXPECT_EQ(Ids({.folder_id = inbox_}).size(), 1u);
  Statement count = *db.Prepare("SELECT count(*) FROM queue");
  ASSERT_TRUE(*count.Step());
  EXPECT_EQ(count.ColumnInt(0), 1);
}

}  // namespace
}  // namespace pigeon::store
