#include "mua/fetch/imap_fetcher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "common/store/fetch_state.h"
#include "tests/mua/fetch/fake_imap_server.h"
#include "tests/support/temp_directory.h"

namespace pigeon::mua::fetch {
namespace {

std::string Mail(int n, std::string_view extra = "") {
  return fmt::format(
      "From: sender{0}@example.org\r\nSubject: message {0}\r\nMessage-ID: <m{0}@example.org>\r\n"
      "{1}\r\nbody {0}\r\n",
      n, extra);
}

class ImapFetcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    Result<std::unique_ptr<store::Store>> store =
        store::Store::Open(dir_.path() + "/pigeon.db", clock_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    account_.name = "work";
    account_.host = "fake.example";
    account_.user = "ada";
  }

  // One run of `pigeon fetch` against `server` (a new session each time, as a new process).
  Result<FetchCounts> Fetch(FakeImapServer& server, FetchLimits limits = {}) {
    ImapSession session(server);
    FetchedMessageSink sink(*store_, clock_, {"work", "fake.example", "IMAPS", "here.example"},
                            [this] { return fmt::format("ID{}", ++ids_); });
    ImapFetcher fetcher(session, {*store_, sink, account_, stop_,
                                  [this](const FetchCounts& c) {
                                    progress_.push_back({c.listed, c.stored});
                                  },
                                  limits});
    return fetcher.FetchAll();
  }

  std::vector<std::string> Subjects(std::string_view folder) {
    Result<store::FolderInfo> info = store_->FindFolder(folder);
    if (!info) return {};
    store::PageRequest request;
    request.folder_id = info->id;
    request.order = store::SortOrder::kDateAscending;
    request.limit = 1000;
    std::vector<std::string> subjects;
    Result<std::vector<store::MessageSummary>> page = store_->Page(request);
    EXPECT_TRUE(page) << page.error().message;
    if (!page) return {};
    for (const store::MessageSummary& m : *page) subjects.push_back(m.subject);
    std::sort(subjects.begin(), subjects.end());
    return subjects;
  }

  sys::FixedClock clock_{1'700'000'000};
  testing::TempDirectory dir_{"imap-fetcher-test"};
  std::unique_ptr<store::Store> store_;
  config::FetchAccount account_;
  std::atomic<bool> stop_{false};
  int ids_ = 0;
  std::vector<std::pair<int64_t, int64_t>> progress_;  // (listed, stored) at each report
};

TEST_F(ImapFetcherTest, FirstFetchStoresEveryMessageOnceWithAReceivedField) {
  FakeImapServer server;
  for (int i = 1; i <= 5; ++i) server.folders["INBOX"].Add(Mail(i));
  Result<FetchCounts> counts = Fetch(server, FetchLimits{2, 1 << 20});
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->stored, 5);
  EXPECT_EQ(counts->duplicates, 0);
  // After the listing, then after each group of 2, 2, 1.
  EXPECT_EQ(progress_, (std::vector<std::pair<int64_t, int64_t>>{{5, 0}, {5, 2}, {5, 4}, {5, 5}}));
  EXPECT_EQ(Subjects("INBOX"), (std::vector<std::string>{"message 1", "message 2", "message 3",
                                                         "message 4", "message 5"}));
  // Read-only EXAMINE, a listing, and one UID FETCH per group of consecutive UIDs.
  EXPECT_EQ(server.commands,
            (std::vector<std::string>{"P1 EXAMINE \"INBOX\"", "P2 UID FETCH 1:* (UID RFC822.SIZE)",
                                      "P3 UID FETCH 1:2 (UID BODY.PEEK[])",
                                      "P4 UID FETCH 3:4 (UID BODY.PEEK[])",
                                      "P5 UID FETCH 5:5 (UID BODY.PEEK[])"}));
  Result<std::vector<store::MessageSummary>> page = store_->Page({});
  ASSERT_TRUE(page && !page->empty());
  Result<std::string> raw = store_->Raw(page->back().id);
  ASSERT_TRUE(raw);
  EXPECT_TRUE(raw->starts_with(
      "Received: from fake.example (account work)\r\n\tby here.example (pigeon fetch) with "
      "IMAPS\r\n\tid ID"))
      << *raw;
  EXPECT_TRUE(raw->ends_with(Mail(1))) << *raw;
  store::FetchState state(*store_);
  EXPECT_EQ(*state.Folder("work", "INBOX"), (store::FetchFolderState{1000, 5}));
}

TEST_F(ImapFetcherTest, IncrementalFetchAsksOnlyForNewUids) {
  FakeImapServer server;
  server.folders["INBOX"].Add(Mail(1));
  server.folders["INBOX"].Add(Mail(2));
  ASSERT_TRUE(Fetch(server));
  server.commands.clear();
  // Nothing new: the UIDNEXT of EXAMINE says so, no listing.
  Result<FetchCounts> none = Fetch(server);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(none->stored, 0);
  EXPECT_EQ(server.commands, (std::vector<std::string>{"P1 EXAMINE \"INBOX\""}));
  server.commands.clear();
  server.folders["INBOX"].Add(Mail(3));
  Result<FetchCounts> more = Fetch(server);
  ASSERT_TRUE(more) << more.error().message;
  EXPECT_EQ(more->stored, 1);
  EXPECT_EQ(server.commands,
            (std::vector<std::string>{"P1 EXAMINE \"INBOX\"", "P2 UID FETCH 3:* (UID RFC822.SIZE)",
                                      "P3 UID FETCH 3:3 (UID BODY.PEEK[])"}));
  EXPECT_EQ(Subjects("INBOX").size(), 3u);
}

TEST_F(ImapFetcherTest, FoldersMapToLocalFolders) {
  account_.folders = {{"INBOX", "INBOX"}, {"Lists/dev", "dev"}};
  FakeImapServer server;
  server.folders["INBOX"].Add(Mail(1));
  server.folders["Lists/dev"].Add(Mail(2));
  server.folders["Lists/dev"].Add(Mail(3));
  Result<FetchCounts> counts = Fetch(server);
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->stored, 3);
  EXPECT_EQ(Subjects("INBOX"), std::vector<std::string>{"message 1"});
  EXPECT_EQ(Subjects("dev"), (std::vector<std::string>{"message 2", "message 3"}));
}

TEST_F(ImapFetcherTest, MissingRemoteFolderIsAnErrorNamingIt) {
  account_.folders = {{"Nope", "INBOX"}};
  FakeImapServer server;
  Result<FetchCounts> counts = Fetch(server);
  ASSERT_FALSE(counts);
  EXPECT_EQ(counts.error().message, "folder Nope: EXAMINE failed: NO Mailbox doesn't exist: Nope");
}

// A connection that dies mid-fetch keeps the groups committed before it; the next run goes on
// from there, and in the end every message is stored exactly once.
TEST_F(ImapFetcherTest, CutConnectionLosesNothingAndDuplicatesNothing) {
  FakeImapServer first;
  for (int i = 1; i <= 7; ++i) first.folders["INBOX"].Add(Mail(i));
  first.bodies_before_cut = 5;  // in the third group of 2
  Result<FetchCounts> cut = Fetch(first, FetchLimits{2, 1 << 20});
  ASSERT_FALSE(cut);
  EXPECT_EQ(Subjects("INBOX").size(), 4u);  // the two groups committed
  store::FetchState state(*store_);
  EXPECT_EQ(*state.Folder("work", "INBOX"), (store::FetchFolderState{1000, 4}));

  FakeImapServer second;
  second.folders = first.folders;
  Result<FetchCounts> resumed = Fetch(second, FetchLimits{2, 1 << 20});
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(resumed->stored, 3);
  EXPECT_EQ(second.commands[1], "P2 UID FETCH 5:* (UID RFC822.SIZE)");
  EXPECT_EQ(Subjects("INBOX").size(), 7u);
}

// A new UIDVALIDITY fetches the folder again; what was stored before is recognised by its
// bytes or Message-ID and not stored twice.
TEST_F(ImapFetcherTest, UidValidityChangeRefetchesWithoutDuplicates) {
  FakeImapServer server;
  server.folders["INBOX"].Add(Mail(1));
  server.folders["INBOX"].Add(Mail(2));
  ASSERT_TRUE(Fetch(server));
  FakeFolder renumbered;
  renumbered.uidvalidity = 2000;
  renumbered.Add(Mail(1));
  renumbered.Add(Mail(2, "X-Rewritten: yes\r\n"));  // same Message-ID, other bytes
  renumbered.Add(Mail(3));
  server.folders["INBOX"] = renumbered;
  Result<FetchCounts> counts = Fetch(server);
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->stored, 1);
  EXPECT_EQ(counts->duplicates, 2);
  EXPECT_EQ(Subjects("INBOX"), (std::vector<std::string>{"message 1", "message 2", "message 3"}));
  store::FetchState state(*store_);
  EXPECT_EQ(*state.Folder("work", "INBOX"), (store::FetchFolderState{2000, 3}));
}

// In an ordinary fetch the UID alone says a message is new: a second copy with the same
// Message-ID (a list copy of a message also sent directly) is stored too.
TEST_F(ImapFetcherTest, SameMessageIdTwiceIsStoredTwiceInAnOrdinaryFetch) {
  FakeImapServer server;
  server.folders["INBOX"].Add(Mail(1));
  ASSERT_TRUE(Fetch(server));
  server.folders["INBOX"].Add(Mail(1, "List-Id: <dev.example.org>\r\n"));
  Result<FetchCounts> counts = Fetch(server);
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->stored, 1);
  EXPECT_EQ(Subjects("INBOX"), (std::vector<std::string>{"message 1", "message 1"}));
}

TEST_F(ImapFetcherTest, EmptyFolderRemembersItsUidValidity) {
  FakeImapServer server;
  server.folders["INBOX"].uidvalidity = 77;
  Result<FetchCounts> counts = Fetch(server);
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->stored, 0);
  store::FetchState state(*store_);
  EXPECT_EQ(*state.Folder("work", "INBOX"), (store::FetchFolderState{77, 0}));
}

TEST_F(ImapFetcherTest, StopsBetweenGroupsWhenAsked) {
  FakeImapServer server;
  for (int i = 1; i <= 3; ++i) server.folders["INBOX"].Add(Mail(i));
  stop_ = true;
  Result<FetchCounts> counts = Fetch(server, FetchLimits{1, 1 << 20});
  ASSERT_FALSE(counts);
  EXPECT_EQ(counts.error().message, "folder INBOX: interrupted");
  EXPECT_TRUE(Subjects("INBOX").empty());
}

// keep = false: SELECT (not EXAMINE), and the stored messages are expunged by UID only after
// their commit; messages that arrive meanwhile stay.
TEST_F(ImapFetcherTest, KeepFalseDeletesStoredMessagesOnly) {
  account_.keep = false;
  FakeImapServer server;
  for (int i = 1; i <= 3; ++i) server.folders["INBOX"].Add(Mail(i));
  Result<FetchCounts> counts = Fetch(server, FetchLimits{2, 1 << 20});
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->stored, 3);
  EXPECT_EQ(counts->deleted, 3);
  EXPECT_TRUE(server.folders["INBOX"].messages.empty());
  EXPECT_EQ(server.commands,
            (std::vector<std::string>{
                "P1 CAPABILITY", "P2 SELECT \"INBOX\"", "P3 UID FETCH 1:* (UID RFC822.SIZE)",
                "P4 UID FETCH 1:2 (UID BODY.PEEK[])", "P5 UID FETCH 3:3 (UID BODY.PEEK[])",
                "P6 UID STORE 1:3 +FLAGS.SILENT (\\Deleted)", "P7 UID EXPUNGE 1:3"}));
  EXPECT_EQ(Subjects("INBOX").size(), 3u);
}

// A run cut after its commit but before deleting: the next run deletes what was stored and
// fetches nothing twice.
TEST_F(ImapFetcherTest, KeepFalseDeletionIsFinishedByTheNextRun) {
  account_.keep = false;
  FakeImapServer first;
  for (int i = 1; i <= 4; ++i) first.folders["INBOX"].Add(Mail(i));
  first.bodies_before_cut = 2;
  ASSERT_FALSE(Fetch(first, FetchLimits{2, 1 << 20}));
  EXPECT_EQ(first.folders["INBOX"].messages.size(), 4u);  // nothing deleted yet
  FakeImapServer second;
  second.folders = first.folders;
  second.folders["INBOX"].Add(Mail(5));
  Result<FetchCounts> counts = Fetch(second, FetchLimits{2, 1 << 20});
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->stored, 3);
  EXPECT_EQ(counts->deleted, 5);
  EXPECT_TRUE(second.folders["INBOX"].messages.empty());
  EXPECT_EQ(Subjects("INBOX").size(), 5u);
}

TEST_F(ImapFetcherTest, KeepFalseNeedsUidPlus) {
  account_.keep = false;
  FakeImapServer server;
  server.uidplus = false;
  server.folders["INBOX"].Add(Mail(1));
  Result<FetchCounts> counts = Fetch(server);
  ASSERT_FALSE(counts);
  EXPECT_EQ(counts.error().message,
            "the server lacks UIDPLUS (RFC 4315), which keep = false needs to delete only the "
            "messages fetched");
  EXPECT_EQ(server.folders["INBOX"].messages.size(), 1u);
}

}  // namespace
}  // namespace pigeon::mua::fetch
