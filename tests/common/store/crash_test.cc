// Crash consistency of the store: a forked child inserts messages in batches forever and is
// SIGKILLed at a random moment, many times over on one database. After each kill the parent
// reopens the store and checks that what is there is exactly a prefix of whole batches, each
// message complete (a checksum line closes its bytes), findable once by full-text search, and
// counted. Simulates process death, not power loss (that needs a VM or dm-flakey). Every
// write goes through the WAL write buffer; half the runs checkpoint on a thread of their own.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/store/schema.h"
#include "common/store/store.h"
#include "common/util/sha256.h"
#include "tests/common/store/child_process.h"
#include "tests/support/temp_directory.h"

namespace pigeon::store {
namespace {

constexpr int kKills = 60;
constexpr int64_t kBaseDate = 1'700'000'000;
constexpr std::string_view kChecksumField = "Checksum: ";

// Batches are a fixed function of where they start, so the checker knows every batch
// boundary: 1 to 17 messages each.
int64_t BatchSize(int64_t start) { return 1 + static_cast<int64_t>((start * 2654435761u) % 17); }

// Message `seq` of the batch [start, start + size): headers name both, the body carries a
// unique search token and filler of varying length, and the last line is the SHA-256 of all
// bytes before it, so a torn message cannot pass.
std::string CrashMessage(int64_t seq, int64_t start, int64_t size) {
  const std::string n = std::to_string(seq);
  std::string raw = "From: Crash <crash@example.org>\r\nTo: Check <check@example.net>\r\n";
  raw += "Subject: crash " + n + "\r\nMessage-ID: <s" + n + "@crash.test>\r\n";
  raw += "X-Batch: " + std::to_string(start) + " " + std::to_string(size) + "\r\n";
  raw += "X-Seq: " + n + "\r\n\r\ntoken sqtok" + n + "\r\n";
  for (int64_t line = 0; line < (seq * 7919) % 12; ++line) {
    raw += "filler line " + std::to_string(line) + " of message " + n + " padding padding\r\n";
  }
  return raw + std::string(kChecksumField) + Sha256Hex(raw) + "\r\n";
}

// The child: continues after the last committed message, a batch per transaction, until
// killed. Mixes durable and ordinary commits. Returns only on an error (written to `fd`).
int RunWriter(const std::string& path, int fd) {
  sys::FixedClock clock(kBaseDate);
  auto fail = [fd](std::string_view what, const Error& error) {
    WriteReport(fd, std::string(what) + ": " + error.message + "\n");
    return 1;
  };
  Result<std::unique_ptr<Store>> store = Store::Open(path, clock);
  if (!store) return fail("open", store.error());
  Result<FolderInfo> inbox = (*store)->FindFolder("INBOX");
  if (!inbox) return fail("inbox", inbox.error());
  Result<int64_t> next = (*store)->Count({});
  if (!next) return fail("count", next.error());
  // Every other run checkpoints on a thread (as pigeon import does), with limits small enough
  // that the kill often lands in a checkpoint or a catch-up.
  if (*next % 2 == 1) {
    Result<void> started =
        (*store)->CheckpointInBackground({.start_frames = 8, .catch_up_frames = 60});
    if (!started) return fail("checkpointer", started.error());
  }
  for (int64_t start = *next;; start += BatchSize(start)) {
    Result<Batch> batch = (*store)->BeginBatch(start % 4 != 0);
    if (!batch) return fail("begin", batch.error());
    const int64_t size = BatchSize(start);
    for (int64_t seq = start; seq < start + size; ++seq) {
      InsertOptions options;
      options.flags = seq % 3 == 0 ? kFlagSeen : 0;
      Result<InsertResult> added = batch->Add(inbox->id, CrashMessage(seq, start, size), options);
      if (!added) return fail("add", added.error());
    }
    if (Result<void> done = batch->Commit(); !done) return fail("commit", done.error());
  }
}

// The value of header `name` ("X-Seq: "), or "" when absent.
std::string HeaderValue(std::string_view raw, std::string_view name) {
  size_t at = raw.find(std::string("\r\n") + std::string(name));
  if (at == std::string_view::npos) return "";
  at += 2 + name.size();
  return std::string(raw.substr(at, raw.find("\r\n", at) - at));
}

// True when the message ends with a checksum line matching everything before it.
bool ChecksumHolds(std::string_view raw) {
  size_t line = raw.rfind(std::string("\r\n") + std::string(kChecksumField));
  if (line == std::string_view::npos) return false;
  std::string_view before = raw.substr(0, line + 2);
  return raw.substr(line + 2) == std::string(kChecksumField) + Sha256Hex(before) + "\r\n";
}

int64_t QueryInt(Store& store, std::string_view sql) {
  Result<Statement> statement = store.database().Prepare(sql);
  EXPECT_TRUE(statement) << statement.error().message;
  if (!statement) return -1;
  Result<bool> row = statement->Step();
  EXPECT_TRUE(row && *row) << sql;
  return row && *row ? statement->ColumnInt(0) : -1;
}

class StoreCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    ASSERT_TRUE(Store::Open(path_, clock_));  // closed again: no connection crosses a fork
  }

  void CheckAfterKill(int kill);
  void CheckMessages(Store& store, std::vector<int64_t>& id_of_seq);
  void CheckSearch(Store& store, const std::vector<int64_t>& id_of_seq);
  void CheckCounts(Store& store);

  sys::FixedClock clock_{kBaseDate};
  testing::TempDirectory dir_{"crash-test"};
  std::string path_ = dir_.path() + "/pigeon.db";
  std::mt19937_64 rng_{std::random_device{}()};
  int64_t checked_ = 0;  // messages present at the previous check
};

// Every row has its body and every body is whole and belongs to the batch its header names.
// Fills id_of_seq (-1: absent; a second row for one seq is a failure).
void StoreCrashTest::CheckMessages(Store& store, std::vector<int64_t>& id_of_seq) {
  EXPECT_EQ(QueryInt(store,
                     "SELECT count(*) FROM messages m LEFT JOIN bodies b ON b.id = m.body_id "
                     "WHERE b.id IS NULL"),
            0)
      << "messages without a body";
  Result<Statement> rows = store.database().Prepare(
      "SELECT m.id, m.message_id, b.raw FROM messages m JOIN bodies b ON b.id = m.body_id");
  ASSERT_TRUE(rows);
  for (Result<bool> row = rows->Step(); row && *row; row = rows->Step()) {
    const std::string_view raw = rows->ColumnBlob(2);
    ASSERT_TRUE(ChecksumHolds(raw)) << "torn message, row " << rows->ColumnInt(0);
    const int64_t seq = std::stoll(HeaderValue(raw, "X-Seq: "));
    ASSERT_EQ(rows->ColumnText(1), "s" + std::to_string(seq) + "@crash.test");
    if (seq >= static_cast<int64_t>(id_of_seq.size())) id_of_seq.resize(seq + 1, -1);
    ASSERT_EQ(id_of_seq[seq], -1) << "message " << seq << " stored twice";
    id_of_seq[seq] = rows->ColumnInt(0);
  }
  // Exactly the whole batches [0, n): walk the boundaries from 0.
  const int64_t present = static_cast<int64_t>(id_of_seq.size());
  int64_t boundary = 0;
  while (boundary < present) boundary += BatchSize(boundary);
  ASSERT_EQ(boundary, present) << "a half batch is visible: its end is " << boundary;
  for (int64_t seq = 0; seq < present; ++seq) {
    ASSERT_NE(id_of_seq[seq], -1) << "message " << seq << " lost, later ones kept";
  }
}

// The full-text index holds each message's unique token exactly once, for its own body: one
// pass over the index's terms (fts5vocab), then the public search for a sample.
void StoreCrashTest::CheckSearch(Store& store, const std::vector<int64_t>& id_of_seq) {
  EXPECT_EQ(QueryInt(store, "SELECT count(*) FROM search_docsize"),
            QueryInt(store, "SELECT count(*) FROM bodies"))
      << "full-text entries and bodies differ";
  EXPECT_TRUE(store.database().Exec("INSERT INTO search (search) VALUES ('integrity-check')"));
  ASSERT_TRUE(store.database().Exec(
      "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms USING fts5vocab(main, search, "
      "instance)"));
  Result<Statement> terms = store.database().Prepare(
      "SELECT substr(v.term, 6), m.message_id FROM temp.search_terms v "
      "LEFT JOIN messages m ON m.body_id = v.doc WHERE v.term >= 'sqtok' AND v.term < 'sqtol'");
  ASSERT_TRUE(terms);
  std::vector<int> entries(id_of_seq.size(), 0);
  for (Result<bool> row = terms->Step(); row && *row; row = terms->Step()) {
    const int64_t seq = std::stoll(terms->ColumnText(0));
    ASSERT_LT(seq, static_cast<int64_t>(entries.size())) << "an entry for a missing message";
    ASSERT_EQ(terms->ColumnText(1), "s" + std::to_string(seq) + "@crash.test");
    ++entries[seq];
  }
  for (size_t seq = 0; seq < entries.size(); ++seq) {
    ASSERT_EQ(entries[seq], 1) << "full-text entries of message " << seq;
  }
  const int64_t present = static_cast<int64_t>(id_of_seq.size());
  std::vector<int64_t> sample;
  for (int i = 0; i < 20 && present > 0; ++i) sample.push_back(rng_() % present);
  for (int64_t seq : sample) {
    PageRequest search;
    search.query = "sqtok" + std::to_string(seq);
    Result<std::vector<MessageSummary>> found = store.Page(search);
    ASSERT_TRUE(found) << found.error().message;
    ASSERT_EQ(found->size(), 1u) << "search for message " << seq;
    EXPECT_EQ(found->front().id, id_of_seq[seq]);
  }
}

void StoreCrashTest::CheckCounts(Store& store) {
  Result<FolderInfo> inbox = store.FindFolder("INBOX");
  ASSERT_TRUE(inbox);
  EXPECT_EQ(inbox->total, QueryInt(store, "SELECT count(*) FROM messages"));
  EXPECT_EQ(inbox->unread, QueryInt(store, "SELECT count(*) FROM messages WHERE flags & 1 = 0"));
}

void StoreCrashTest::CheckAfterKill(int kill) {
  SCOPED_TRACE("after kill #" + std::to_string(kill));
  Result<std::unique_ptr<Store>> store = Store::Open(path_, clock_);
  ASSERT_TRUE(store) << store.error().message;
  Result<Statement> check = (*store)->database().Prepare("PRAGMA integrity_check");
  ASSERT_TRUE(check && *check->Step());
  ASSERT_EQ(check->ColumnText(0), "ok");
  std::vector<int64_t> id_of_seq;
  ASSERT_NO_FATAL_FAILURE(CheckMessages(**store, id_of_seq));
  ASSERT_NO_FATAL_FAILURE(CheckSearch(**store, id_of_seq));
  ASSERT_NO_FATAL_FAILURE(CheckCounts(**store));
  checked_ = static_cast<int64_t>(id_of_seq.size());
}

TEST_F(StoreCrashTest, KilledWriterLeavesWholeBatchesOnly) {
  const std::string path = path_;
  int64_t grew = 0;  // kills after which more messages were there than before
  std::chrono::steady_clock::duration checking{};
  for (int kill = 1; kill <= kKills; ++kill) {
    const int64_t before = checked_;
    std::unique_ptr<ChildProcess> writer =
        ChildProcess::Start([&path](int fd) { return RunWriter(path, fd); });
    ASSERT_NE(writer, nullptr) << "fork failed";
    std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng_() % 381));
    writer->Kill();
    const int status = writer->Wait();
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the writer stopped by itself (" << DescribeStatus(status)
        << "): " << writer->ReadReport();
    const auto check_start = std::chrono::steady_clock::now();
    ASSERT_NO_FATAL_FAILURE(CheckAfterKill(kill));
    checking += std::chrono::steady_clock::now() - check_start;
    if (checked_ > before) ++grew;
  }
  std::cout << kKills << " kills, " << checked_ << " messages in whole batches, the store grew "
            << grew << " times; checking took "
            << std::chrono::duration_cast<std::chrono::milliseconds>(checking).count() << " ms\n";
  EXPECT_GT(grew, kKills / 2) << "the writer rarely committed before being killed";
}

}  // namespace
}  // namespace pigeon::store
