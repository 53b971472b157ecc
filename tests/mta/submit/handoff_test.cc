#include "mta/submit/handoff.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cstdlib>
#include <cstring>
#include <functional>

#include <string>
#include <thread>

#include "tests/support/temp_directory.h"

namespace pigeon::mta::submit {
namespace {

Submission Everything() {
  Submission submission;
  submission.envelope_sender = "zed 100%@remote.example";
  submission.full_name = "Zed \"Z\" Zebra\r\n\t\x01";
  submission.recipients = {"ada@example.org", "Bob <bob@x.example>, c@y.example", "\xc3\xa9@z"};
  submission.recipients_from_headers = true;
  submission.origin = "sendmail";
  submission.notify = "SUCCESS,DELAY";
  submission.envid = "id+1 2";
  submission.dsn_ret = "HDRS";
  return submission;
}

std::string HeadOf(const std::string& encoded) {
  EXPECT_TRUE(encoded.ends_with("\n"));
  return encoded.substr(0, encoded.size() - 1);
}

TEST(HandoffTest, HeadRoundTripKeepsEveryByte) {
  MessageInput message{"Subject: x\r\n\r\n\xff\r\n", true};
  const std::string encoded = EncodeHandoffHead(Everything(), message);
  EXPECT_EQ(encoded.find("\n\n"), std::string::npos);
  EXPECT_EQ(encoded.find('\r'), std::string::npos);
  Result<HandoffHead> parsed = ParseHandoffHead(HeadOf(encoded));
  ASSERT_TRUE(parsed) << parsed.error().message;
  const Submission expected = Everything();
  EXPECT_EQ(parsed->submission.envelope_sender, expected.envelope_sender);
  EXPECT_EQ(parsed->submission.full_name, expected.full_name);
  EXPECT_EQ(parsed->submission.recipients, expected.recipients);
  EXPECT_TRUE(parsed->submission.recipients_from_headers);
  EXPECT_EQ(parsed->submission.origin, "sendmail");
  EXPECT_EQ(parsed->submission.notify, expected.notify);
  EXPECT_EQ(parsed->submission.envid, expected.envid);
  EXPECT_EQ(parsed->submission.dsn_ret, expected.dsn_ret);
  EXPECT_TRUE(parsed->eight_bit);
  EXPECT_EQ(parsed->size, message.raw.size());
}

TEST(HandoffTest, DefaultSenderAndNullSenderDiffer) {
  Submission submission;
  submission.recipients = {"ada"};
  MessageInput message{"", false};
  Result<HandoffHead> owner = ParseHandoffHead(HeadOf(EncodeHandoffHead(submission, message)));
  ASSERT_TRUE(owner);
  EXPECT_FALSE(owner->submission.envelope_sender.has_value());
  EXPECT_FALSE(owner->submission.recipients_from_headers);
  EXPECT_FALSE(owner->eight_bit);
  EXPECT_EQ(owner->size, 0u);
  submission.envelope_sender = "";
  Result<HandoffHead> null = ParseHandoffHead(HeadOf(EncodeHandoffHead(submission, message)));
  ASSERT_TRUE(null);
  EXPECT_EQ(null->submission.envelope_sender, std::optional<std::string>(""));
}

TEST(HandoffTest, BadHeadsAreRefusedNamingTheLine) {
  struct Case {
    std::string head;
    std::string needle;
  };
  const Case cases[] = {
      {"", "empty"},
      {"pigeon-submit 2\nsize 1", "line 1: not a pigeon submission request"},
      {"HELO\nsize 1", "line 1"},
      {"pigeon-submit 1\nrecipient a\nbogus x\nsize 1", "line 3: unknown key \"bogus\""},
      {"pigeon-submit 1\nrecipient a%4", "line 2: bad %-escape"},
      {"pigeon-submit 1\nrecipient a%zz", "line 2: bad %-escape"},
      {"pigeon-submit 1\nsize -1", "line 2: bad size"},
      {"pigeon-submit 1\nsize 12x", "line 2: bad size"},
      {"pigeon-submit 1\nsize 99999999999999999999999", "line 2: bad size"},
      {"pigeon-submit 1\nrecipient a", "without a size"},
  };
  for (const Case& c : cases) {
    Result<HandoffHead> parsed = ParseHandoffHead(c.head);
    ASSERT_FALSE(parsed) << c.head;
    EXPECT_EQ(parsed.error().code, ErrorCode::kParse);
    EXPECT_NE(parsed.error().message.find(c.needle), std::string::npos)
        << c.head << " -> " << parsed.error().message;
  }
}

TEST(HandoffTest, RepliesRoundTrip) {
  SubmitOutcome outcome{"1K1D4A6B1JBYB8", 2, {"bob@remote.example", "odd one@x"}};
  Result<Result<SubmitOutcome>> ok =
      ParseHandoffReply(HeadOf(EncodeHandoffReply(Result<SubmitOutcome>(outcome))));
  ASSERT_TRUE(ok);
  ASSERT_TRUE(*ok);
  EXPECT_EQ((*ok)->queue_id, outcome.queue_id);
  EXPECT_EQ((*ok)->local_copies, 2);
  EXPECT_EQ((*ok)->queued, outcome.queued);

  Result<SubmitOutcome> refused = MakeError(ErrorCode::kNotFound, "no such user: ghost\n100%");
  Result<Result<SubmitOutcome>> error = ParseHandoffReply(HeadOf(EncodeHandoffReply(refused)));
  ASSERT_TRUE(error);
  ASSERT_FALSE(*error);
  EXPECT_EQ(error->error().code, ErrorCode::kNotFound);
  EXPECT_EQ(error->error().message, "no such user: ghost\n100%");

  // An error without text (found by handoff_fuzz: "error 5" came back as "error 5 ").
  const std::string bare =
      EncodeHandoffReply(Result<SubmitOutcome>(MakeError(ErrorCode::kBusy, "")));
  EXPECT_EQ(bare, fmt::format("error {}\n", static_cast<int>(ErrorCode::kBusy)));
  Result<Result<SubmitOutcome>> parsed = ParseHandoffReply(HeadOf(bare));
  ASSERT_TRUE(parsed);
  ASSERT_FALSE(*parsed);
  EXPECT_EQ(parsed->error().code, ErrorCode::kBusy);
  EXPECT_EQ(parsed->error().message, "");
}

TEST(HandoffTest, GarbledRepliesAreErrors) {
  for (const char* line :
       {"", "ok", "ok ID", "ok ID x", "ok  1", "error", "error 99 x", "error -1 x", "error x y",
        "fine ID 1", "ok ID 1 bad%", "ok ID 1 ", "ok ID 1  a@b",
        "ok I\x04"
        "D 1",
        "ok ID 1 a@b\n"}) {
    Result<Result<SubmitOutcome>> parsed = ParseHandoffReply(line);
    EXPECT_FALSE(parsed) << line;
  }
}

// A one-request server on a real UNIX socket next to a scratch "store".
class HandoffClientTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()); }
  void TearDown() override {
    if (server_.joinable()) server_.join();
  }

  // Listens, then in a thread accepts one connection and runs `serve` on it.
  void Serve(std::function<void(int fd)> serve) {
    const std::string path = HandoffSocketPath(store_);
    const int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_GE(listener, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    ASSERT_EQ(listen(listener, 1), 0);
    server_ = std::thread([listener, serve = std::move(serve)] {
      const int fd = accept(listener, nullptr, nullptr);
      close(listener);
      if (fd < 0) return;
      serve(fd);
      close(fd);
    });
  }

  static std::string ReadAll(int fd) {
    std::string data;
    char buffer[4096];
    for (;;) {
      const ssize_t got = read(fd, buffer, sizeof(buffer));
      if (got <= 0) return data;
      data.append(buffer, static_cast<size_t>(got));
    }
  }

  testing::TempDirectory dir_{"handoff-test"};  // holds the socket, removed with it
  std::string store_ = dir_.path() + "/pigeon.db";
  std::thread server_;
};

TEST_F(HandoffClientTest, NoListenerMeansNotTaken) {
  Submission submission;
  submission.recipients = {"ada"};
  EXPECT_FALSE(HandToPigeond(store_, submission, MessageInput{"x\r\n", false}).has_value());
}

TEST_F(HandoffClientTest, SendsHeadAndMessageAndReadsTheOutcome) {
  std::string received;
  Serve([&received](int fd) {
    received = ReadAll(fd);  // the client half-closes after the message
    const std::string reply = "ok QID1 1 bob@remote.example\n";
    ASSERT_EQ(write(fd, reply.data(), reply.size()), static_cast<ssize_t>(reply.size()));
  });
  const MessageInput message{"Subject: hi\r\n\r\nbody\r\n", false};
  std::optional<Result<SubmitOutcome>> outcome = HandToPigeond(store_, Everything(), message);
  server_.join();
  ASSERT_TRUE(outcome.has_value());
  ASSERT_TRUE(*outcome) << (*outcome).error().message;
  EXPECT_EQ((*outcome)->queue_id, "QID1");
  EXPECT_EQ((*outcome)->local_copies, 1);
  EXPECT_EQ((*outcome)->queued, std::vector<std::string>{"bob@remote.example"});
  const size_t end = received.find("\n\n");
  ASSERT_NE(end, std::string::npos);
  Result<HandoffHead> head = ParseHandoffHead(received.substr(0, end));
  ASSERT_TRUE(head);
  EXPECT_EQ(head->submission.recipients, Everything().recipients);
  EXPECT_EQ(received.substr(end + 2), message.raw);
}

TEST_F(HandoffClientTest, RefusalIsPigeondsError) {
  Serve([](int fd) {
    (void)ReadAll(fd);
    const std::string reply = "error 0 bad%20address%20syntax\n";
    ASSERT_EQ(write(fd, reply.data(), reply.size()), static_cast<ssize_t>(reply.size()));
  });
  std::optional<Result<SubmitOutcome>> outcome =
      HandToPigeond(store_, Everything(), MessageInput{"x\r\n", false});
  ASSERT_TRUE(outcome.has_value());
  ASSERT_FALSE(*outcome);
  EXPECT_EQ((*outcome).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ((*outcome).error().message, "bad address syntax");
}

TEST_F(HandoffClientTest, ClosedWithoutAnswerMeansNotTaken) {
  Serve([](int fd) {
    char buffer[16];
    (void)!read(fd, buffer, sizeof(buffer));  // part of the request, then gone
  });
  const MessageInput big{std::string(4 << 20, 'x') + "\r\n", false};
  EXPECT_FALSE(HandToPigeond(store_, Everything(), big).has_value());
}

}  // namespace
}  // namespace pigeon::mta::submit
