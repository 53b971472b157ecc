// The store under contention from real processes: an inserter, a reader and a flag/move
// writer, each a forked child with its own Store on one database, for a few seconds. No
// operation may fail (the busy timeout must absorb every lock wait), pages must stay in keyset
// order, and afterwards every committed message is there exactly once, the folder counts match
// a scan and the database passes integrity_check. Does not test crashes (see crash_test.cc).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/store/schema.h"
#include "common/store/store.h"
#include "tests/common/store/child_process.h"
#include "tests/support/temp_directory.h"

namespace pigeon::store {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kRunTime = std::chrono::seconds(5);
constexpr int kMaxErrorsReported = 10;
constexpr int64_t kBaseDate = 1'700'000'000;

// What a child saw: errors and counters, written to the report pipe when it ends.
struct ChildLog {
  explicit ChildLog(int fd) : fd(fd) {}
  // Records a failure (only the first few are written back).
  void Fail(std::string_view what, const std::string& detail) {
    if (++errors <= kMaxErrorsReported) {
      WriteReport(fd, "error: " + std::string(what) + ": " + detail + "\n");
    }
  }
  template <class T>
  bool Check(const Result<T>& result, std::string_view what) {
    if (!result) Fail(what, result.error().message);
    return static_cast<bool>(result);
  }
  int Finish(std::string_view counters) {
    WriteReport(fd, std::string(counters) + "\n");
    return errors == 0 ? 0 : 1;
  }
  int fd;
  int errors = 0;
};

std::string RfcDate(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return text;
}

// Message number `n`: unique Message-ID and bytes; dates spread so pages interleave; some
// reply to an earlier message so threads form.
std::string StressMessage(int64_t n, std::mt19937_64& rng) {
  std::string raw = "From: Writer <writer@example.org>\r\nTo: Reader <reader@example.net>\r\n";
  raw += "Subject: stress " + std::to_string(n) + "\r\n";
  raw += "Date: " + RfcDate(kBaseDate + static_cast<int64_t>(rng() % 100'000)) + "\r\n";
  raw += "Message-ID: <c" + std::to_string(n) + "@stress.test>\r\n";
  if (n > 0 && rng() % 4 == 0) {
    raw += "In-Reply-To: <c" + std::to_string(rng() % n) + "@stress.test>\r\n";
  }
  raw += "\r\nbody of message " + std::to_string(n) + "\r\n" + std::string(rng() % 2000, 'x');
  return raw + "\r\n";
}

Result<std::unique_ptr<Store>> OpenIn(const std::string& path, const sys::Clock& clock) {
  return Store::Open(path, clock);
}

// Inserts until the deadline; reports "committed N".
int RunInserter(const std::string& path, int fd) {
  ChildLog log(fd);
  sys::FixedClock clock(kBaseDate);
  Result<std::unique_ptr<Store>> store = OpenIn(path, clock);
  if (!log.Check(store, "open")) return log.Finish("committed 0");
  Result<FolderInfo> inbox = (*store)->FindFolder("INBOX");
  if (!log.Check(inbox, "inbox")) return log.Finish("committed 0");
  std::mt19937_64 rng(1);
  int64_t committed = 0;
  const auto deadline = Clock::now() + kRunTime;
  while (Clock::now() < deadline && log.errors == 0) {
    InsertOptions options;
    options.flags = rng() % 3 == 0 ? kFlagSeen : 0;
    if (rng() % 5 == 0) {  // a single durable insert, as delivery does
      Result<InsertResult> one =
          (*store)->Insert(inbox->id, StressMessage(committed, rng), options, true);
      if (log.Check(one, "durable insert") && one->duplicate) log.Fail("insert", "duplicate");
      if (one) ++committed;
      continue;
    }
    Result<Batch> batch = (*store)->BeginBatch(false);
    if (!log.Check(batch, "begin batch")) break;
    const int64_t size = 1 + static_cast<int64_t>(rng() % 20);
    for (int64_t i = 0; i < size && log.errors == 0; ++i) {
      Result<InsertResult> added =
          batch->Add(inbox->id, StressMessage(committed + i, rng), options);
      if (log.Check(added, "batch add") && added->duplicate) log.Fail("batch add", "duplicate");
    }
    if (log.errors == 0 && log.Check(batch->Commit(), "commit")) committed += size;
  }
  return log.Finish("committed " + std::to_string(committed));
}

// One keyset scan of INBOX (at most `max_pages` pages) in `order`; checks that keys strictly
// progress, so no id repeats and none is out of order. Returns the ids seen.
std::vector<int64_t> ScanInbox(Store& store, int64_t inbox, SortOrder order, int max_pages,
                               std::mt19937_64& rng, ChildLog& log) {
  std::vector<int64_t> ids;
  std::set<int64_t> seen;
  PageRequest request;
  request.folder_id = inbox;
  request.order = order;
  std::optional<MessageSummary> previous;
  for (int page_number = 0; page_number < max_pages; ++page_number) {
    request.limit = 1 + static_cast<int>(rng() % 30);
    Result<std::vector<MessageSummary>> page = store.Page(request);
    if (!log.Check(page, "page") || page->empty()) break;
    for (const MessageSummary& summary : *page) {
      if (!seen.insert(summary.id).second) log.Fail("page", "duplicate id");
      if (previous) {
        auto before = std::pair(previous->date, previous->id);
        auto now = std::pair(summary.date, summary.id);
        bool in_order = order == SortOrder::kDateDescending ? now < before : before < now;
        if (!in_order) log.Fail("page", "out of order at id " + std::to_string(summary.id));
      }
      previous = summary;
      ids.push_back(summary.id);
    }
    request.after = PageCursor{.date = page->back().date, .id = page->back().id};
  }
  return ids;
}

// Checks Thread and Raw of message `id` (messages are never deleted in this test).
void LookAtMessage(Store& store, int64_t id, ChildLog& log) {
  Result<std::vector<MessageSummary>> thread = store.Thread(id);
  if (log.Check(thread, "thread")) {
    bool found = std::any_of(thread->begin(), thread->end(),
                             [id](const MessageSummary& s) { return s.id == id; });
    if (!found) log.Fail("thread", "does not contain its own message");
  }
  Result<std::string> raw = store.Raw(id);
  Result<MessageSummary> summary = store.Summary(id);
  if (log.Check(raw, "raw") && log.Check(summary, "summary") && summary->message_id &&
      raw->find("<" + *summary->message_id + ">") == std::string::npos) {
    log.Fail("raw", "bytes of another message");
  }
}

// Pages, counts, threads and raw bytes until the deadline; reports "scans N changes M".
int RunReader(const std::string& path, int fd) {
  ChildLog log(fd);
  sys::FixedClock clock(kBaseDate);
  Result<std::unique_ptr<Store>> store = OpenIn(path, clock);
  if (!log.Check(store, "open")) return log.Finish("scans 0");
  Result<FolderInfo> inbox = (*store)->FindFolder("INBOX");
  if (!log.Check(inbox, "inbox")) return log.Finish("scans 0");
  std::mt19937_64 rng(2);
  int64_t scans = 0, changes = 0;
  const auto deadline = Clock::now() + kRunTime;
  while (Clock::now() < deadline && log.errors == 0) {
    SortOrder order = rng() % 2 ? SortOrder::kDateDescending : SortOrder::kDateAscending;
    std::vector<int64_t> ids =
        ScanInbox(**store, inbox->id, order, 1 + static_cast<int>(rng() % 100), rng, log);
    ++scans;
    PageRequest whole_inbox;
    whole_inbox.folder_id = inbox->id;
    log.Check((*store)->Count(whole_inbox), "count");
    log.Check((*store)->Folders(), "folders");
    if (!ids.empty()) LookAtMessage(**store, ids[rng() % ids.size()], log);
    Result<bool> changed = (*store)->Changed();
    if (log.Check(changed, "changed") && *changed) ++changes;
  }
  return log.Finish("scans " + std::to_string(scans) + " changes " + std::to_string(changes));
}

// Up to 10 ids of existing messages: some of the newest, some anywhere.
std::vector<int64_t> PickMessages(Store& store, std::mt19937_64& rng, ChildLog& log) {
  Result<std::vector<MessageSummary>> newest = store.Page(PageRequest{});  // the 50 newest
  if (!log.Check(newest, "page") || newest->empty()) return {};
  const int64_t max_id = std::max_element(newest->begin(), newest->end(), [](auto& a, auto& b) {
                           return a.id < b.id;
                         })->id;
  std::vector<int64_t> ids;
  for (size_t i = 0, n = 1 + rng() % 10; i < n; ++i) {
    ids.push_back(rng() % 2 ? (*newest)[rng() % newest->size()].id
                            : 1 + static_cast<int64_t>(rng() % max_id));
  }
  return ids;
}

// Flips seen, adds and removes a keyword, moves between INBOX and Archive until the deadline.
int RunFlipper(const std::string& path, int fd) {
  ChildLog log(fd);
  sys::FixedClock clock(kBaseDate);
  Result<std::unique_ptr<Store>> store = OpenIn(path, clock);
  if (!log.Check(store, "open")) return log.Finish("changes 0");
  Result<FolderInfo> inbox = (*store)->FindFolder("INBOX");
  Result<FolderInfo> archive = (*store)->FindFolder("Archive");
  if (!log.Check(inbox, "inbox") || !log.Check(archive, "archive")) return log.Finish("");
  std::mt19937_64 rng(3);
  int64_t operations = 0;
  const auto deadline = Clock::now() + kRunTime;
  while (Clock::now() < deadline && log.errors == 0) {
    std::vector<int64_t> ids = PickMessages(**store, rng, log);
    if (ids.empty()) continue;
    switch (rng() % 6) {
      case 0:
        log.Check((*store)->SetFlags(ids, kFlagSeen, 0), "set seen");
        break;
      case 1:
        log.Check((*store)->SetFlags(ids, 0, kFlagSeen), "clear seen");
        break;
      case 2:
        log.Check((*store)->AddKeyword(ids, "work"), "add keyword");
        break;
      case 3:
        log.Check((*store)->RemoveKeyword(ids, "work"), "remove keyword");
        break;
      case 4:
        log.Check((*store)->Move(ids, archive->id), "move to archive");
        break;
      default:
        log.Check((*store)->Move(ids, inbox->id), "move to inbox");
        break;
    }
    ++operations;
  }
  return log.Finish("operations " + std::to_string(operations));
}

// One column of one row, as text.
std::string QueryText(Store& store, std::string_view sql) {
  Result<Statement> statement = store.database().Prepare(sql);
  EXPECT_TRUE(statement) << statement.error().message;
  if (!statement) return "";
  Result<bool> row = statement->Step();
  EXPECT_TRUE(row && *row) << sql;
  return row && *row ? statement->ColumnText(0) : "";
}

class StoreConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    // Create the schema first, then close: no connection may cross a fork.
    ASSERT_TRUE(Store::Open(path_, clock_));
  }

  void ExpectCountsMatchAScan(Store& store);
  void ExpectEachMessageOnce(Store& store, int64_t committed);

  sys::FixedClock clock_{kBaseDate};
  testing::TempDirectory dir_{"concurrency-test"};
  std::string path_ = dir_.path() + "/pigeon.db";
};

void StoreConcurrencyTest::ExpectCountsMatchAScan(Store& store) {
  Result<std::vector<FolderInfo>> folders = store.Folders();
  ASSERT_TRUE(folders) << folders.error().message;
  for (const FolderInfo& folder : *folders) {
    std::string id = std::to_string(folder.id);
    EXPECT_EQ(folder.total,
              std::stoll(QueryText(store, "SELECT count(*) FROM messages WHERE folder_id = " + id)))
        << folder.name;
    EXPECT_EQ(folder.unread, std::stoll(QueryText(store,
                                                  "SELECT count(*) FROM messages WHERE flags & 1 "
                                                  "= 0 AND folder_id = " +
                                                      id)))
        << folder.name;
  }
}

void StoreConcurrencyTest::ExpectEachMessageOnce(Store& store, int64_t committed) {
  Result<Statement> ids = store.database().Prepare("SELECT message_id FROM messages");
  ASSERT_TRUE(ids);
  std::vector<int> times_seen(static_cast<size_t>(committed), 0);
  int64_t rows = 0, strangers = 0;
  for (Result<bool> row = ids->Step(); row && *row; row = ids->Step()) {
    ++rows;
    std::string message_id = ids->ColumnText(0);  // c<n>@stress.test
    int64_t n = std::stoll(message_id.substr(1));
    if (n < 0 || n >= committed) {
      ++strangers;
    } else {
      ++times_seen[static_cast<size_t>(n)];
    }
  }
  EXPECT_EQ(rows, committed);
  EXPECT_EQ(strangers, 0) << "rows not reported as committed";
  for (size_t n = 0; n < times_seen.size(); ++n) {
    ASSERT_EQ(times_seen[n], 1) << "message c" << n;
  }
}

int64_t CommittedFrom(const std::string& report) {
  size_t at = report.find("committed ");
  return at == std::string::npos ? -1 : std::stoll(report.substr(at + 10));
}

TEST_F(StoreConcurrencyTest, ProcessesInsertReadAndFlipWithoutErrorsOrLostRows) {
  const std::string path = path_;
  std::vector<std::unique_ptr<ChildProcess>> children;
  for (auto* body : {&RunInserter, &RunReader, &RunFlipper}) {
    children.push_back(ChildProcess::Start([&path, body](int fd) { return body(path, fd); }));
    ASSERT_NE(children.back(), nullptr) << "fork failed";
  }
  std::vector<std::string> reports;
  const char* names[] = {"inserter", "reader", "flipper"};
  for (size_t i = 0; i < children.size(); ++i) {
    int status = children[i]->Wait();
    reports.push_back(children[i]->ReadReport());
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << names[i] << " " << DescribeStatus(status) << ":\n"
        << reports.back();
    std::cout << names[i] << ": " << reports.back();
  }
  const int64_t committed = CommittedFrom(reports[0]);
  ASSERT_GT(committed, 0) << reports[0];
  EXPECT_EQ(reports[1].find("changes 0"), std::string::npos) << "the reader saw no commit";

  Result<std::unique_ptr<Store>> store = Store::Open(path_, clock_);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(QueryText(**store, "PRAGMA integrity_check"), "ok");
  ExpectCountsMatchAScan(**store);
  ExpectEachMessageOnce(**store, committed);
}

// Opens the store at a common instant (the database may not exist yet), inserts a few
// messages and reads them back. Reports errors only.
int RunOpener(const std::string& path, Clock::time_point start, int number, int fd) {
  ChildLog log(fd);
  std::this_thread::sleep_until(start);
  sys::FixedClock clock(kBaseDate);
  Result<std::unique_ptr<Store>> store = OpenIn(path, clock);
  if (!log.Check(store, "open")) return log.Finish("");
  Result<FolderInfo> inbox = (*store)->FindFolder("INBOX");
  if (!log.Check(inbox, "inbox")) return log.Finish("");
  std::mt19937_64 rng(number);
  PageRequest first_page;
  first_page.folder_id = inbox->id;
  for (int i = 0; i < 20 && log.errors == 0; ++i) {
    log.Check((*store)->Insert(inbox->id, StressMessage(number * 1000 + i, rng), {}), "insert");
    log.Check((*store)->Page(first_page), "page");
  }
  return log.Finish("");
}

// Creating the database (schema migration, WAL mode) races safely with other processes.
TEST(StoreConcurrency, ProcessesCreatingTheStoreTogether) {
  const testing::TempDirectory dir("concurrency-test");
  ASSERT_FALSE(dir.path().empty());
  const std::string path = dir.path() + "/pigeon.db";
  const auto start = Clock::now() + std::chrono::milliseconds(200);
  std::vector<std::unique_ptr<ChildProcess>> children;
  for (int number = 1; number <= 4; ++number) {
    children.push_back(ChildProcess::Start(
        [&path, start, number](int fd) { return RunOpener(path, start, number, fd); }));
    ASSERT_NE(children.back(), nullptr) << "fork failed";
  }
  for (auto& child : children) {
    int status = child->Wait();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << DescribeStatus(status) << ":\n"
                                                               << child->ReadReport();
  }
  sys::FixedClock clock(kBaseDate);
  Result<std::unique_ptr<Store>> store = Store::Open(path, clock);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(QueryText(**store, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(QueryText(**store, "SELECT count(*) FROM messages"), "80");
  EXPECT_EQ(QueryText(**store, "PRAGMA journal_mode"), "wal");
}

}  // namespace
}  // namespace pigeon::store
