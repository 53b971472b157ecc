#include "mua/fetch/pop3_fetcher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <map>

#include <fmt/format.h>

#include "common/store/fetch_state.h"
#include "tests/support/temp_directory.h"

namespace pigeon::mua::fetch {
namespace {

// A POP3 maildrop behind the MailConnection seam (RFC 1939 TRANSACTION state, logged in):
// CAPA, UIDL, LIST, RETR (byte-stuffed), DELE (applied at QUIT), QUIT.
class FakePop3Server : public MailConnection {
 public:
  std::vector<std::pair<std::string, std::string>> messages;  // (UIDL, raw)
  std::vector<std::string> received;                          // the bytes of each Send
  bool pipelining = true;
  std::optional<int> retr_before_cut;

  Result<void> Send(std::string_view bytes) override {
    if (cut_) return MakeError(ErrorCode::kIo, "fake: connection cut");
    received.emplace_back(bytes);
    std::string_view rest = bytes;
    while (!rest.empty()) {
      const size_t end = rest.find("\r\n");
      Answer(std::string(rest.substr(0, end)));
      rest.remove_prefix(end + 2);
    }
    return {};
  }
  Result<size_t> Receive(char* buffer, size_t size) override {
    if (pending_.empty())
      return MakeError(ErrorCode::kIo, "fake: the server closed the connection");
    const size_t n = std::min({size, pending_.size(), size_t{5}});
    std::copy_n(pending_.begin(), n, buffer);
    pending_.erase(0, n);
    return n;
  }
  std::string Describe() const override { return "fake.example:995"; }

 private:
  void Answer(const std::string& command) {
    if (cut_) return;
    if (command == "CAPA") {
      pending_ += std::string("+OK\r\nUIDL\r\n") + (pipelining ? "PIPELINING\r\n" : "") + ".\r\n";
    } else if (command == "UIDL" || command == "LIST") {
      pending_ += "+OK\r\n";
      for (size_t i = 0; i < messages.size(); ++i) {
        pending_ += fmt::format(
            "{} {}\r\n", i + 1,
            command == "UIDL" ? messages[i].first : std::to_string(messages[i].second.size()));
      }
      pending_ += ".\r\n";
    } else if (command.starts_with("RETR ")) {
      if (retr_before_cut && retrs_ == *retr_before_cut) {
        cut_ = true;
        return;
      }
      ++retrs_;
      const std::string& raw = messages.at(std::stoul(command.substr(5)) - 1).second;
      pending_ += "+OK\r\n";
      for (size_t pos = 0; pos < raw.size();) {
        const size_t end = raw.find("\r\n", pos);
        const std::string line = raw.substr(pos, end - pos);
        pending_ += (line.starts_with(".") ? "." : "") + line + "\r\n";
        pos = end + 2;
      }
      pending_ += ".\r\n";
    } else if (command.starts_with("DELE ")) {
      deleted_.insert(std::stoul(command.substr(5)) - 1);
      pending_ += "+OK marked\r\n";
    } else if (command == "QUIT") {
      for (auto it = deleted_.rbegin(); it != deleted_.rend(); ++it) {
        messages.erase(messages.begin() + static_cast<long>(*it));
      }
      deleted_.clear();
      pending_ += "+OK bye\r\n";
    } else {
      pending_ += "-ERR unknown\r\n";
    }
  }
  std::string pending_;
  std::set<size_t> deleted_;
  int retrs_ = 0;
  bool cut_ = false;
};

std::string Mail(int n) {
  return fmt::format("Subject: pop {0}\r\nMessage-ID: <p{0}@example.org>\r\n\r\n.line {0}\r\n", n);
}

class Pop3FetcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    Result<std::unique_ptr<store::Store>> store =
        store::Store::Open(dir_.path() + "/pigeon.db", clock_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    account_.name = "old";
    account_.protocol = config::FetchProtocol::kPop3;
    account_.folders = {{"INBOX", "pop"}};
  }
  Result<FetchCounts> Fetch(FakePop3Server& server, FetchLimits limits = {}) {
    FetchedMessageSink sink(*store_, clock_, {"old", "pop.example", "POP3S", "here.example"},
                            [this] { return fmt::format("ID{}", ++ids_); });
    return Pop3Fetcher(server, {*store_, sink, account_, stop_, nullptr, limits}).Fetch();
  }
  int64_t Stored() {
    Result<store::FolderInfo> folder = store_->FindFolder("pop");
    return folder ? folder->total : 0;
  }

  sys::FixedClock clock_{1'700'000'000};
  testing::TempDirectory dir_{"pop3-fetcher-test"};
  std::unique_ptr<store::Store> store_;
  config::FetchAccount account_;
  std::atomic<bool> stop_{false};
  int ids_ = 0;
};

TEST_F(Pop3FetcherTest, FetchesNewUidlsOnlyAndPipelinesEachGroup) {
  FakePop3Server server;
  for (int i = 1; i <= 3; ++i) server.messages.emplace_back(fmt::format("u{}", i), Mail(i));
  Result<FetchCounts> counts = Fetch(server, FetchLimits{2, 1 << 20});
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->listed, 3);
  EXPECT_EQ(counts->stored, 3);
  EXPECT_EQ(Stored(), 3);
  EXPECT_EQ(server.received,
            (std::vector<std::string>{"CAPA\r\n", "UIDL\r\nLIST\r\n", "RETR 1\r\nRETR 2\r\n",
                                      "RETR 3\r\n", "QUIT\r\n"}));
  Result<std::vector<store::MessageSummary>> page = store_->Page({});
  ASSERT_TRUE(page && !page->empty());
  Result<std::string> raw = store_->Raw(page->front().id);
  ASSERT_TRUE(raw);
  EXPECT_TRUE(
      raw->starts_with("Received: from pop.example (account old)\r\n\tby here.example "
                       "(pigeon fetch) with POP3S\r\n"))
      << *raw;
  EXPECT_NE(raw->find("\r\n\r\n.line "), std::string::npos) << "unstuffed: " << *raw;
  EXPECT_EQ(server.messages.size(), 3u);  // kept

  server.messages.emplace_back("u4", Mail(4));
  server.received.clear();
  Result<FetchCounts> again = Fetch(server);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->listed, 1);  // only the new UIDL
  EXPECT_EQ(again->stored, 1);
  EXPECT_EQ(Stored(), 4);
  EXPECT_EQ(server.received[2], "RETR 4\r\n");
}

TEST_F(Pop3FetcherTest, WithoutPipeliningOneCommandAtATime) {
  FakePop3Server server;
  server.pipelining = false;
  for (int i = 1; i <= 2; ++i) server.messages.emplace_back(fmt::format("u{}", i), Mail(i));
  ASSERT_TRUE(Fetch(server));
  EXPECT_EQ(server.received, (std::vector<std::string>{"CAPA\r\n", "UIDL\r\n", "LIST\r\n",
                                                       "RETR 1\r\n", "RETR 2\r\n", "QUIT\r\n"}));
}

// keep = false: DELE only after the commit, and a run cut before QUIT leaves every message on
// the server; the next run stores nothing twice and deletes them all.
TEST_F(Pop3FetcherTest, KeepFalseDeletesAfterTheCommitOnly) {
  account_.keep = false;
  FakePop3Server first;
  for (int i = 1; i <= 4; ++i) first.messages.emplace_back(fmt::format("u{}", i), Mail(i));
  first.retr_before_cut = 3;
  ASSERT_FALSE(Fetch(first, FetchLimits{2, 1 << 20}));
  EXPECT_EQ(Stored(), 2);
  EXPECT_EQ(first.messages.size(), 4u);
  FakePop3Server second;
  second.messages = first.messages;
  Result<FetchCounts> counts = Fetch(second, FetchLimits{2, 1 << 20});
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->stored, 2);
  EXPECT_EQ(counts->deleted, 4);
  EXPECT_EQ(Stored(), 4);
  EXPECT_TRUE(second.messages.empty());
  // Their UIDLs are gone from the server: the state forgets them on the next run.
  ASSERT_TRUE(Fetch(second));
  store::FetchState state(*store_);
  EXPECT_TRUE(state.RemoteIds("old", "INBOX")->empty());
}

TEST_F(Pop3FetcherTest, MalformedUidlIsAnError) {
  FakePop3Server server;
  server.messages.emplace_back("bad uidl", Mail(1));
  Result<FetchCounts> counts = Fetch(server);
  ASSERT_FALSE(counts);
  EXPECT_EQ(counts.error().message, "malformed UIDL: bad uidl");
}

}  // namespace
}  // namespace pigeon::mua::fetch
