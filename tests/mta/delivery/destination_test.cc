// DeliverDestination against scripted servers: a fake Connector hands out transports that
// answer each client line from a script, so MX fallback, per-recipient fates and the reasons
// recorded can be checked without sockets.
#include "mta/delivery/destination.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>

#include "tests/support/fake_resolver.h"

namespace pigeon::mta::delivery {
namespace {

// A server: answers by the command's first word ("EHLO", "MAIL", "RCPT", "DATA", "." for the
// end of data, "QUIT"); RCPT answers may depend on the address.
struct Script {
  std::string greeting = "220 mx ESMTP\r\n";
  std::string ehlo = "250-mx\r\n250-PIPELINING\r\n250 8BITMIME\r\n";
  std::map<std::string, std::string> rcpt;  // address → reply; default 250
  std::string data_end = "250 2.0.0 Ok: queued\r\n";
  bool drop_after_data = false;       // close the connection instead of answering the final "."
  std::vector<std::string> received;  // every line the client sent
};

class ScriptedTransport : public Transport {
 public:
  explicit ScriptedTransport(Script& script) : script_(script) { pending_ = script.greeting; }
  ReadStatus Read(std::string& out, std::chrono::seconds) override {
    if (pending_.empty()) return closed_ ? ReadStatus::kEof : ReadStatus::kTimeout;
    out += pending_;
    pending_.clear();
    return ReadStatus::kData;
  }
  bool Write(std::string_view bytes, std::chrono::seconds) override {
    buffer_ += bytes;
    size_t end;
    while ((end = buffer_.find("\r\n")) != std::string::npos) {
      const std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      Line(line);
    }
    return true;
  }
  TlsOutcome StartTls(const std::string&, std::chrono::seconds) override { return {}; }

 private:
  void Line(const std::string& line) {
    script_.received.push_back(line);
    if (in_data_) {
      if (line == ".") {
        in_data_ = false;
        if (script_.drop_after_data) {
          closed_ = true;
        } else {
          pending_ += script_.data_end;
        }
      }
      return;
    }
    const std::string verb = line.substr(0, 4);
    if (verb == "EHLO") pending_ += script_.ehlo;
    if (verb == "MAIL") pending_ += "250 2.1.0 Ok\r\n";
    if (verb == "RCPT") {
      const size_t open = line.find('<'), close = line.find('>');
      const std::string address = line.substr(open + 1, close - open - 1);
      auto reply = script_.rcpt.find(address);
      pending_ += reply == script_.rcpt.end() ? "250 2.1.5 Ok\r\n" : reply->second;
    }
    if (verb == "DATA") {
      pending_ += "354 go on\r\n";
      in_data_ = true;
    }
    if (verb == "RSET") pending_ += "250 Ok\r\n";
    if (verb == "QUIT") {
      pending_ += "221 Bye\r\n";
      closed_ = true;
    }
  }

  Script& script_;
  std::string pending_, buffer_;
  bool in_data_ = false;
  bool closed_ = false;
};

class ScriptedConnector : public Connector {
 public:
  std::map<std::string, Script> servers;  // by address; a missing one refuses
  std::vector<std::string> attempts;
  Result<std::unique_ptr<Transport>> Connect(const ConnectRequest& request) override {
    attempts.push_back(request.address);
    auto server = servers.find(request.address);
    if (server == servers.end()) {
      return MakeError(ErrorCode::kIo, "connect to " + request.host + "[" + request.address +
                                           "]:25: Connection refused");
    }
    return std::unique_ptr<Transport>(std::make_unique<ScriptedTransport>(server->second));
  }
};

class DestinationTest : public ::testing::Test {
 protected:
  DestinationTest() {
    options_.client.helo_name = "pigeon.example.org";
    options_.client.tls = client::TlsPolicy::kNone;
    resolver_.AddMx("remote.test", 10, "mx1.remote.test");
    resolver_.AddMx("remote.test", 20, "mx2.remote.test");
    resolver_.AddAddress("mx1.remote.test", "192.0.2.1");
    resolver_.AddAddress("mx2.remote.test", "192.0.2.2");
  }
  DestinationJob Job(std::vector<std::string> recipients) {
    DestinationJob job{"remote.test", false, {}};
    JobMessage message{
        1,     "Q1",  "ada@example.org",
        false, false, std::make_shared<const std::string>("Subject: hi\r\n\r\n.dot\r\nbody\r\n"),
        {}};
    int64_t id = 100;
    for (std::string& address : recipients) message.recipients.push_back({id++, address});
    job.messages.push_back(std::move(message));
    return job;
  }
  std::map<std::string, RecipientResult> Deliver(const DestinationJob& job) {
    std::map<std::string, RecipientResult> by_address;
    DeliverDestination(
        job, options_, resolver_, connector_, [](uint64_t) { return 0; },
        [&](std::vector<RecipientResult> results) {
          for (RecipientResult& result : results) {
            EXPECT_FALSE(by_address.contains(result.address)) << "twice";
            by_address[result.address] = std::move(result);
          }
        });
    return by_address;
  }

  DestinationOptions options_;
  dns::FakeResolver resolver_;
  ScriptedConnector connector_;
};

TEST_F(DestinationTest, DeliversEveryRecipientOverOneConnection) {
  connector_.servers["192.0.2.1"] = Script{};
  auto results = Deliver(Job({"bob@remote.test", "carol@remote.test"}));
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results["bob@remote.test"].fate, client::Fate::kDelivered);
  EXPECT_EQ(results["carol@remote.test"].fate, client::Fate::kDelivered);
  EXPECT_EQ(results["bob@remote.test"].queue_id, "Q1");
  EXPECT_EQ(results["bob@remote.test"].reply,
            "host mx1.remote.test[192.0.2.1] said: 250 2.0.0 Ok: queued");
  EXPECT_EQ(connector_.attempts, std::vector<std::string>{"192.0.2.1"});
  const std::vector<std::string>& lines = connector_.servers["192.0.2.1"].received;
  // The body went out dot-stuffed.
  EXPECT_NE(std::find(lines.begin(), lines.end(), "..dot"), lines.end());
}

TEST_F(DestinationTest, AnUnreachableFirstMxFallsBackToTheSecond) {
  connector_.servers["192.0.2.2"] = Script{};
  auto results = Deliver(Job({"bob@remote.test"}));
  EXPECT_EQ(results["bob@remote.test"].fate, client::Fate::kDelivered);
  EXPECT_EQ(connector_.attempts, (std::vector<std::string>{"192.0.2.1", "192.0.2.2"}));
  EXPECT_EQ(results["bob@remote.test"].remote_mta, "mx2.remote.test[192.0.2.2]");
}

TEST_F(DestinationTest, NoHostReachableDefersWithTheLastReason) {
  auto results = Deliver(Job({"bob@remote.test"}));
  EXPECT_EQ(results["bob@remote.test"].fate, client::Fate::kDeferred);
  EXPECT_EQ(results["bob@remote.test"].reply,
            "connect to mx2.remote.test[192.0.2.2]:25: Connection refused");
  EXPECT_EQ(results["bob@remote.test"].status, "4.4.1");
}

TEST_F(DestinationTest, PerRecipientRepliesDecidePerRecipient) {
  Script script;
  script.rcpt["temp@remote.test"] = "451 4.3.0 try later\r\n";
  script.rcpt["perm@remote.test"] = "550 5.1.1 no such user\r\n";
  connector_.servers["192.0.2.1"] = script;
  connector_.servers["192.0.2.2"] = Script{};
  auto results = Deliver(Job({"ok@remote.test", "temp@remote.test", "perm@remote.test"}));
  EXPECT_EQ(results["ok@remote.test"].fate, client::Fate::kDelivered);
  EXPECT_EQ(results["temp@remote.test"].fate, client::Fate::kDeferred);
  EXPECT_EQ(results["perm@remote.test"].fate, client::Fate::kBounced);
  EXPECT_EQ(results["perm@remote.test"].status, "5.1.1");
  EXPECT_EQ(results["perm@remote.test"].diagnostic, "550 5.1.1 no such user");
  EXPECT_EQ(results["perm@remote.test"].remote_mta, "mx1.remote.test[192.0.2.1]");
  // A recipient's own 4xx is that host's answer: the next MX is not asked.
  EXPECT_EQ(connector_.attempts, std::vector<std::string>{"192.0.2.1"});
}

TEST_F(DestinationTest, ADropBeforeTheFinalReplyNeverCountsAsDelivered) {
  Script dropping;
  dropping.drop_after_data = true;
  connector_.servers["192.0.2.1"] = dropping;
  connector_.servers["192.0.2.2"] = Script{};
  auto results = Deliver(Job({"bob@remote.test"}));
  // Not seen accepted by mx1: given to mx2, which accepted it.
  EXPECT_EQ(results["bob@remote.test"].fate, client::Fate::kDelivered);
  EXPECT_EQ(results["bob@remote.test"].remote_mta, "mx2.remote.test[192.0.2.2]");
}

TEST_F(DestinationTest, DnsFailuresBounceOrDefer) {
  resolver_.SetMx("nullmx.test", {.status = dns::LookupStatus::kNullMx, .detail = "null MX"});
  DestinationJob job = Job({"a@nullmx.test"});
  job.destination = "nullmx.test";
  auto results = Deliver(job);
  EXPECT_EQ(results["a@nullmx.test"].fate, client::Fate::kBounced);
  EXPECT_EQ(results["a@nullmx.test"].status, "5.1.10");

  resolver_.SetMx("broken.test", {.status = dns::LookupStatus::kTempFail, .detail = "SERVFAIL"});
  job = Job({"a@broken.test"});
  job.destination = "broken.test";
  results = Deliver(job);
  EXPECT_EQ(results["a@broken.test"].fate, client::Fate::kDeferred);
  EXPECT_EQ(results["a@broken.test"].status, "4.4.3");
  EXPECT_TRUE(connector_.attempts.empty());
}

TEST_F(DestinationTest, SeveralMessagesShareTheConnection) {
  connector_.servers["192.0.2.1"] = Script{};
  DestinationJob job = Job({"bob@remote.test"});
  JobMessage second = job.messages.front();
  second.message_row = 2;
  second.queue_id = "Q2";
  second.recipients = {{200, "carol@remote.test"}};
  job.messages.push_back(second);
  auto results = Deliver(job);
  EXPECT_EQ(results["bob@remote.test"].fate, client::Fate::kDelivered);
  EXPECT_EQ(results["carol@remote.test"].fate, client::Fate::kDelivered);
  EXPECT_EQ(results["carol@remote.test"].queue_id, "Q2");
  EXPECT_EQ(connector_.attempts.size(), 1u);
  const std::vector<std::string>& lines = connector_.servers["192.0.2.1"].received;
  EXPECT_EQ(std::count_if(lines.begin(), lines.end(),
                          [](const std::string& l) { return l.starts_with("MAIL FROM"); }),
            2);
}

}  // namespace
}  // namespace pigeon::mta::delivery
