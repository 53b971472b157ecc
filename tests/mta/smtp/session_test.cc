#include "mta/smtp/session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/message/codec.h"

namespace pigeon::mta::smtp {
namespace {

using Want = Session::Want;

constexpr std::string_view kDate = "Tue, 14 Nov 2023 22:13:20 +0000";

class FakeHooks : public SessionHooks {
 public:
  RecipientVerdict CheckRecipient(std::string_view address,
                                  const std::optional<std::string>& user) override {
    checked.emplace_back(address);
    if (!refusal_override.empty()) return {false, refusal_override};
    if (local.contains(std::string(address)) || user) return {true, ""};
    return {false, "550 5.7.1 <" + std::string(address) + ">: Relay access denied"};
  }
  bool CheckPassword(std::string_view user, std::string_view password) override {
    passwords_checked.emplace_back(std::string(user) + ":" + std::string(password));
    return user == "ada" && password == "secret";
  }
  std::string NewQueueId() override {
    if (throw_on_queue_id) throw std::runtime_error("store unavailable");
    return "Q" + std::to_string(++ids);
  }
  std::string Now() override { return std::string(kDate); }
  void Note(std::string_view event) override { notes.emplace_back(event); }

  bool Noted(std::string_view prefix) const {
    return std::any_of(notes.begin(), notes.end(),
                       [&](const std::string& n) { return n.starts_with(prefix); });
  }

  std::set<std::string> local = {"ada@example.org", "bob@example.org", "Postmaster"};
  std::string refusal_override;
  bool throw_on_queue_id = false;
  std::vector<std::string> checked;
  std::vector<std::string> passwords_checked;
  std::vector<std::string> notes;
  int ids = 0;
};

SessionSettings Mx() { return {.hostname = "mx.example.org", .max_message_size = 10000}; }

SessionSettings Submission() {
  SessionSettings settings = Mx();
  settings.submission = true;
  settings.tls_available = true;
  return settings;
}

PeerInfo Peer() {
  return {.address = "192.0.2.1", .port = 40000, .reverse_name = "client.example"};
}

struct Delivery {
  Envelope envelope;
  std::string message;
};

// What a connection looked like from the outside.
struct Transcript {
  std::string output;
  std::vector<Delivery> deliveries;
  Want final_want = Want::kInput;
  std::string unconsumed;
};

// Plays the transport: writes arrive in pieces of `chunk` bytes (0: one write), unconsumed
// bytes stay buffered, kDeliver is answered with Delivered() (refused with `delivery_failure`
// when set), kStartTls stops the run as the transport would hand over to TLS.
class Harness {
 public:
  explicit Harness(SessionSettings settings = Mx(), PeerInfo peer = Peer())
      : session(std::move(settings), std::move(peer), hooks) {
    session.Start();
  }

  Transcript Run(std::string_view input, size_t chunk = 0) {
    Transcript t;
    size_t fed = 0;
    do {
      const size_t n = chunk == 0 ? input.size() : std::min(chunk, input.size() - fed);
      buffer_.append(input.substr(fed, n));
      fed += n;
      Pump(t);
    } while (fed < input.size() && session.want() == Want::kInput);
    t.output = session.TakeOutput();
    t.final_want = session.want();
    t.unconsumed = std::exchange(buffer_, std::string()) + std::string(input.substr(fed));
    return t;
  }

  FakeHooks hooks;
  Session session;
  std::optional<std::string> delivery_failure;

 private:
  void Pump(Transcript& t) {
    while (true) {
      buffer_.erase(0, session.Consume(buffer_));
      if (session.want() != Want::kDeliver) return;
      t.deliveries.push_back({session.envelope(), session.TakeMessage()});
      session.Delivered(delivery_failure);
    }
  }

  std::string buffer_;
};

std::vector<std::string> ReplyLines(const std::string& output) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = output.find("\r\n", start)) != std::string::npos; start = end + 2) {
    lines.push_back(output.substr(start, end - start));
  }
  EXPECT_EQ(start, output.size()) << "every reply ends with CRLF";
  return lines;
}

// The reply codes in order, multi-line replies counted once.
std::vector<std::string> Codes(const std::string& output) {
  std::vector<std::string> codes;
  for (const std::string& line : ReplyLines(output)) {
    if (line.size() >= 4 && line[3] == '-') continue;
    codes.push_back(line.substr(0, 3));
  }
  return codes;
}

using Codes_ = std::vector<std::string>;

std::string B64(std::string_view s) { return message::EncodeBase64(s, 0); }

const std::string kGreeting = "220 mx.example.org ESMTP pigeond\r\n";
const std::string kEhloMx =
    "250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10000\r\n250-8BITMIME\r\n"
    "250-ENHANCEDSTATUSCODES\r\n250 SMTPUTF8\r\n";

const std::string kOneMessage =
    "EHLO client.example\r\n"
    "MAIL FROM:<sender@client.example> BODY=8BITMIME\r\n"
    "RCPT TO:<ada@example.org>\r\n"
    "DATA\r\n"
    "Subject: hello\r\n"
    "\r\n"
    "..leading dot\r\n"
    "caf\xc3\xa9\r\n"
    ".\r\n"
    "QUIT\r\n";

TEST(SessionTest, GreetingAndOneMessage) {
  Harness h;
  const Transcript t = h.Run(kOneMessage);
  EXPECT_EQ(t.output, kGreeting + kEhloMx +
                          "250 2.1.0 Ok\r\n"
                          "250 2.1.5 Ok\r\n"
                          "354 End data with <CR><LF>.<CR><LF>\r\n"
                          "250 2.0.0 Ok: queued as Q1\r\n"
                          "221 2.0.0 Bye\r\n");
  EXPECT_EQ(t.final_want, Want::kClose);
  ASSERT_EQ(t.deliveries.size(), 1u);
  const Delivery& d = t.deliveries[0];
  EXPECT_EQ(d.message,
            "Received: from client.example (client.example [192.0.2.1])\r\n"
            "\tby mx.example.org (pigeond) with ESMTP id Q1 for <ada@example.org>;\r\n"
            "\tTue, 14 Nov 2023 22:13:20 +0000\r\n"
            "Subject: hello\r\n\r\n.leading dot\r\ncaf\xc3\xa9\r\n");
  EXPECT_EQ(d.envelope.queue_id, "Q1");
  EXPECT_EQ(d.envelope.sender, "sender@client.example");
  EXPECT_EQ(d.envelope.recipients, std::vector<std::string>{"ada@example.org"});
  EXPECT_TRUE(d.envelope.eight_bit);
  EXPECT_FALSE(d.envelope.smtputf8);
  EXPECT_EQ(d.envelope.authenticated_user, std::nullopt);
  EXPECT_EQ(d.envelope.helo, "client.example");
  EXPECT_EQ(d.envelope.peer.address, "192.0.2.1");
  EXPECT_FALSE(d.envelope.tls);
  EXPECT_EQ(h.session.messages_accepted(), 1);
  EXPECT_EQ(h.session.last_reply(), "221 2.0.0 Bye");
}

TEST(SessionTest, QuitStopsConsuming) {
  Harness h;
  const Transcript t = h.Run("QUIT\r\nNOOP\r\n");
  EXPECT_EQ(t.output, kGreeting + "221 2.0.0 Bye\r\n");
  EXPECT_EQ(t.final_want, Want::kClose);
  EXPECT_EQ(t.unconsumed, "NOOP\r\n");
  EXPECT_EQ(h.session.Consume("NOOP\r\n"), 0u);
}

// RFC 2920: a client that writes everything at once gets every reply, in order, and the same
// ones as a client that waits for each.
TEST(SessionTest, PipelinedAndByteByByteGiveTheSameReplies) {
  const std::string script =
      "EHLO client.example\r\n"
      "MAIL FROM:<s@client.example>\r\n"
      "RCPT TO:<ada@example.org>\r\n"
      "RCPT TO:<nobody@elsewhere.example>\r\n"
      "RCPT TO:<bob@example.org>\r\n"
      "DATA\r\n"
      "one\r\n.\r\n"
      "MAIL FROM:<>\r\n"
      "RCPT TO:<Postmaster>\r\n"
      "DATA\r\n"
      "two\r\n.\r\n"
      "NOOP\r\n"
      "RSET\r\n"
      "QUIT\r\n";
  Harness whole;
  const Transcript a = whole.Run(script);
  EXPECT_EQ(Codes(a.output), (Codes_{"220", "250", "250", "250", "550", "250", "354", "250", "250",
                                     "250", "354", "250", "250", "250", "221"}));
  Harness bytes;
  const Transcript b = bytes.Run(script, 1);
  EXPECT_EQ(b.output, a.output);
  ASSERT_EQ(a.deliveries.size(), 2u);
  ASSERT_EQ(b.deliveries.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(b.deliveries[i].message, a.deliveries[i].message);
    EXPECT_EQ(b.deliveries[i].envelope.recipients, a.deliveries[i].envelope.recipients);
  }
  EXPECT_EQ(a.deliveries[0].envelope.recipients,
            (std::vector<std::string>{"ada@example.org", "bob@example.org"}));
  EXPECT_EQ(a.deliveries[1].envelope.sender, "");
  EXPECT_EQ(a.deliveries[1].envelope.recipients, std::vector<std::string>{"Postmaster"});
  EXPECT_TRUE(a.deliveries[0].message.find("for <") == std::string::npos)
      << "no for clause with two recipients";
}

TEST(SessionTest, ChunkingNeverChangesTheTranscript) {
  const std::string scripts[] = {
      kOneMessage,
      "HELO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<ada@example.org>\r\nDATA\r\n" +
          std::string(1200, 'L') + "\r\n.\r\nRSET\r\nQUIT\r\n",
      "EHLO x\r\n" + std::string(700, 'M') + "\r\nNOOP\r\n" + std::string(20000, 'N') +
          "\nNOOP\r\nQUIT\r\n",
      "EHLO x\nMAIL FROM:<a@b.example>\nRCPT TO:<ada@example.org>\nDATA\nbare\n.\nlf\n.\r\n"
      "QUIT\n",
      "EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<ada@example.org>\r\nDATA\r\na\r.\rb\r\n"
      "\r\n.\rMAIL FROM:<e@x.example>\r\n.\r\nQUIT\r\n",
      "BOGUS\r\nMAIL FROM:<x@y.example>\r\nEHLO x\r\nRCPT TO:<a@b.example>\r\nVRFY a\r\nHELP\r\n"
      "EXPN x\r\nDATA\r\nQUIT\r\n",
  };
  std::mt19937 rng(2920);
  for (const std::string& script : scripts) {
    Harness reference;
    const Transcript want = reference.Run(script);
    for (size_t chunk : {size_t{1}, size_t{2}, size_t{3}, size_t{5 + rng() % 50}, size_t{4096}}) {
      Harness h;
      const Transcript got = h.Run(script, chunk);
      EXPECT_EQ(got.output, want.output) << "chunk " << chunk << "\n" << script.substr(0, 80);
      ASSERT_EQ(got.deliveries.size(), want.deliveries.size());
      for (size_t i = 0; i < got.deliveries.size(); ++i) {
        EXPECT_EQ(got.deliveries[i].message, want.deliveries[i].message);
      }
    }
  }
}

// SMTP smuggling: a near miss of CRLF "." CRLF followed by a second transaction inside the
// content. The injected MAIL FROM must never run and there must be one delivery only.
TEST(SessionTest, SmuggledSecondMessageIsNeverExecuted) {
  const std::string separators[] = {"\n.\n",
                                    "\n.\r\n",
                                    "\r\n.\n",
                                    "\r.\r",
                                    "\r\n.\r",
                                    "\r.\n",
                                    "\r.\r\n",
                                    "\n.\r\r\n",
                                    "\r\n.\r\r\n",
                                    "\n..\n",
                                    std::string("\r\n\0.\r\n", 6)};
  const std::string injected =
      "MAIL FROM:<evil@attacker.example>\r\n"
      "RCPT TO:<bob@example.org>\r\n"
      "DATA\r\n"
      "From: ceo@example.org\r\n\r\nsmuggled\r\n"
      ".\r\n";
  for (const std::string& sep : separators) {
    const std::string script =
        "EHLO client.example\r\n"
        "MAIL FROM:<honest@client.example>\r\n"
        "RCPT TO:<ada@example.org>\r\n"
        "DATA\r\n"
        "Subject: hi\r\n\r\nbody" +
        sep + injected + "QUIT\r\n";
    for (size_t chunk : {0, 1, 7}) {
      Harness h;
      const Transcript t = h.Run(script, chunk);
      SCOPED_TRACE(testing::PrintToString(sep) + " chunk " + std::to_string(chunk));
      ASSERT_EQ(t.deliveries.size(), 1u);
      EXPECT_EQ(t.deliveries[0].envelope.sender, "honest@client.example");
      EXPECT_EQ(t.deliveries[0].envelope.recipients, std::vector<std::string>{"ada@example.org"});
      EXPECT_NE(t.deliveries[0].message.find("MAIL FROM:<evil@attacker.example>\r\n"),
                std::string::npos);
      EXPECT_EQ(std::count(h.hooks.checked.begin(), h.hooks.checked.end(), "bob@example.org"), 0);
      EXPECT_EQ(Codes(t.output), (Codes_{"220", "250", "250", "250", "354", "250", "221"}));
    }
  }
}

TEST(SessionTest, NoSecondDeliveryBeforeDelivered) {
  Harness h;
  std::string input =
      "EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<ada@example.org>\r\nDATA\r\none\r\n.\r\n"
      "MAIL FROM:<a@b.example>\r\nRCPT TO:<ada@example.org>\r\nDATA\r\ntwo\r\n.\r\n";
  Session& s = h.session;
  const size_t used = s.Consume(input);
  EXPECT_EQ(s.want(), Want::kDeliver);
  EXPECT_EQ(input.substr(used).rfind("MAIL FROM:", 0), 0u) << "stops right after the end of data";
  EXPECT_EQ(s.Consume(input.substr(used)), 0u) << "reads nothing until Delivered()";
  EXPECT_EQ(s.TakeMessage().find("one\r\n") != std::string::npos, true);
  s.Delivered(std::nullopt);
  EXPECT_EQ(s.want(), Want::kInput);
  const size_t rest = s.Consume(input.substr(used));
  EXPECT_EQ(used + rest, input.size());
  EXPECT_EQ(s.want(), Want::kDeliver);
  EXPECT_EQ(s.envelope().queue_id, "Q2");
  s.Delivered(std::nullopt);
  EXPECT_EQ(s.messages_accepted(), 2);
}

TEST(SessionTest, FailedDeliveryRepliesAndEndsTheTransaction) {
  Harness h;
  h.delivery_failure = "452 4.3.1 Insufficient system storage";
  const Transcript t = h.Run(
      "EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<ada@example.org>\r\nDATA\r\nx\r\n.\r\n"
      "RCPT TO:<ada@example.org>\r\n");
  EXPECT_NE(t.output.find("354 End data with <CR><LF>.<CR><LF>\r\n"
                          "452 4.3.1 Insufficient system storage\r\n"
                          "503 5.5.1 Need MAIL command\r\n"),
            std::string::npos)
      << t.output;
  EXPECT_EQ(h.session.messages_accepted(), 0);

  Harness broken;
  broken.delivery_failure = "queued\r\n250 2.0.0 lies";
  const Transcript u = broken.Run(
      "EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<ada@example.org>\r\nDATA\r\nx\r\n.\r\n");
  EXPECT_TRUE(u.output.ends_with("451 4.3.0 Error: queue file write error\r\n")) << u.output;
}

TEST(SessionTest, StartTlsStopsAtItsLine) {
  Harness h(Submission());
  const std::string input = "EHLO x\r\nSTARTTLS\r\nMAIL FROM:<evil@x.example>\r\n";
  const Transcript t = h.Run(input);
  EXPECT_EQ(t.final_want, Want::kStartTls);
  EXPECT_EQ(t.unconsumed, "MAIL FROM:<evil@x.example>\r\n") << "injected plaintext is left";
  EXPECT_TRUE(
      t.output.ends_with("250-SMTPUTF8\r\n250 STARTTLS\r\n220 2.0.0 Ready to start TLS\r\n"))
      << t.output;

  h.session.TlsStarted({"TLSv1.3", "TLS_AES_256_GCM_SHA384"});
  EXPECT_EQ(h.session.want(), Want::kInput);
  const Transcript after = h.Run("MAIL FROM:<a@b.example>\r\nEHLO x\r\nSTARTTLS\r\n");
  EXPECT_EQ(after.output,
            "503 5.5.1 Send EHLO/HELO first\r\n"
            "250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10000\r\n250-8BITMIME\r\n"
            "250-ENHANCEDSTATUSCODES\r\n250-SMTPUTF8\r\n250 AUTH PLAIN LOGIN\r\n"
            "503 5.5.1 TLS already active\r\n");
}

TEST(SessionTest, StartTlsRefusals) {
  struct Case {
    const char* name;
    SessionSettings settings;
    std::string input;
    std::string want_last;
  };
  const Case cases[] = {
      {"not available", Mx(), "EHLO x\r\nSTARTTLS\r\n", "454 4.7.0 TLS not available"},
      {"arguments", Submission(), "EHLO x\r\nSTARTTLS now\r\n", "501 5.5.4 Syntax: STARTTLS"},
      {"in a transaction",
       [] {
         SessionSettings s = Mx();
         s.tls_available = true;
         return s;
       }(),
       "EHLO x\r\nMAIL FROM:<a@b.example>\r\nSTARTTLS\r\n", "503 5.5.1 Bad sequence of commands"},
  };
  for (const Case& c : cases) {
    Harness h(c.settings);
    const Transcript t = h.Run(c.input);
    EXPECT_EQ(t.final_want, Want::kInput) << c.name;
    EXPECT_EQ(h.session.last_reply(), c.want_last) << c.name;
  }
  Harness mx;
  EXPECT_EQ(mx.Run("EHLO x\r\n").output, kGreeting + kEhloMx) << "no STARTTLS without a cert";
}

TEST(SessionTest, TlsResultsAndTimeouts) {
  Harness failed(Submission());
  failed.Run("EHLO x\r\nSTARTTLS\r\n");
  failed.session.TlsFailed();
  EXPECT_EQ(failed.session.want(), Want::kClose);
  EXPECT_EQ(failed.session.TakeOutput(), "");

  Harness timeout;
  timeout.Run("EHLO x\r\n");
  timeout.session.TimedOut();
  EXPECT_EQ(timeout.session.want(), Want::kClose);
  EXPECT_EQ(timeout.session.TakeOutput(), "421 4.4.2 mx.example.org Error: timeout exceeded\r\n");
  timeout.session.ShuttingDown();
  EXPECT_EQ(timeout.session.TakeOutput(), "") << "closed once";

  Harness stop;
  stop.Run("EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<ada@example.org>\r\nDATA\r\npart");
  EXPECT_TRUE(stop.session.in_data());
  stop.session.ShuttingDown();
  EXPECT_EQ(stop.session.want(), Want::kClose);
  EXPECT_EQ(stop.session.TakeOutput(), "421 4.3.2 mx.example.org Service shutting down\r\n");
}

TEST(SessionTest, RefusedGreeting) {
  FakeHooks hooks;
  Session s(Mx(), Peer(), hooks);
  s.Start("421 4.7.0 mx.example.org too many connections from your address");
  EXPECT_EQ(s.want(), Want::kClose);
  EXPECT_EQ(s.TakeOutput(), "421 4.7.0 mx.example.org too many connections from your address\r\n");
  EXPECT_EQ(s.Consume("EHLO x\r\n"), 0u);

  Session t(Mx(), Peer(), hooks);
  t.Start("nonsense");
  EXPECT_EQ(t.TakeOutput(), "554 mx.example.org Service not available\r\n");
}

TEST(SessionTest, AuthPlainAndLogin) {
  const std::string plain = B64(std::string("\0ada\0secret", 11));
  struct Case {
    const char* name;
    std::string input;
    Codes_ want;
  };
  const Case cases[] = {
      {"plain initial response", "EHLO x\r\nAUTH PLAIN " + plain + "\r\n", {"220", "250", "235"}},
      {"plain continuation",
       "EHLO x\r\nAUTH PLAIN\r\n" + plain + "\r\n",
       {"220", "250", "334", "235"}},
      {"login",
       "EHLO x\r\nAUTH LOGIN\r\n" + B64("ada") + "\r\n" + B64("secret") + "\r\n",
       {"220", "250", "334", "334", "235"}},
      {"login initial response",
       "EHLO x\r\nauth login " + B64("ada") + "\r\n" + B64("secret") + "\r\n",
       {"220", "250", "334", "235"}},
      {"wrong password",
       "EHLO x\r\nAUTH PLAIN " + B64(std::string("\0ada\0nope", 9)) + "\r\n",
       {"220", "250", "535"}},
      {"cancelled", "EHLO x\r\nAUTH LOGIN\r\n*\r\n", {"220", "250", "334", "501"}},
      {"malformed", "EHLO x\r\nAUTH PLAIN\r\n%%%%\r\n", {"220", "250", "334", "501"}},
      {"unknown mechanism", "EHLO x\r\nAUTH CRAM-MD5\r\n", {"220", "250", "504"}},
      {"no mechanism", "EHLO x\r\nAUTH\r\n", {"220", "250", "501"}},
      {"before ehlo", "AUTH PLAIN " + plain + "\r\n", {"220", "503"}},
      {"after helo", "HELO x\r\nAUTH PLAIN " + plain + "\r\n", {"220", "250", "503"}},
      {"twice",
       "EHLO x\r\nAUTH PLAIN " + plain + "\r\nAUTH PLAIN " + plain + "\r\n",
       {"220", "250", "235", "503"}},
      {"in a transaction",
       "EHLO x\r\nAUTH PLAIN " + plain + "\r\nMAIL FROM:<a@b.example>\r\nAUTH PLAIN " + plain +
           "\r\n",
       {"220", "250", "235", "250", "503"}},
      {"mail before auth", "EHLO x\r\nMAIL FROM:<ada@example.org>\r\n", {"220", "250", "530"}},
  };
  SessionSettings settings = Submission();
  settings.auth_requires_tls = false;
  for (const Case& c : cases) {
    Harness h(settings);
    EXPECT_EQ(Codes(h.Run(c.input).output), c.want) << c.name;
  }
}

TEST(SessionTest, AuthenticatedClientRelays) {
  SessionSettings settings = Submission();
  Harness h(settings);
  h.Run("EHLO x\r\nSTARTTLS\r\n");
  h.session.TlsStarted({"TLSv1.3", "TLS_AES_128_GCM_SHA256"});
  const Transcript t = h.Run("EHLO x\r\nAUTH PLAIN " + B64(std::string("\0ada\0secret", 11)) +
                             "\r\nMAIL FROM:<ada@example.org> SMTPUTF8\r\n"
                             "RCPT TO:<friend@elsewhere.example>\r\nDATA\r\nhi\r\n.\r\n");
  EXPECT_EQ(Codes(t.output), (Codes_{"250", "235", "250", "250", "354", "250"}));
  ASSERT_EQ(t.deliveries.size(), 1u);
  const Envelope& e = t.deliveries[0].envelope;
  EXPECT_EQ(e.authenticated_user, "ada");
  EXPECT_TRUE(e.smtputf8);
  ASSERT_TRUE(e.tls);
  EXPECT_EQ(e.tls->cipher, "TLS_AES_128_GCM_SHA256");
  EXPECT_NE(t.deliveries[0].message.find("with UTF8SMTPSA (TLSv1.3 TLS_AES_128_GCM_SHA256)"),
            std::string::npos)
      << t.deliveries[0].message;
}

TEST(SessionTest, AuthNeedsTlsAndSubmission) {
  Harness plaintext(Submission());
  const Transcript t = plaintext.Run("EHLO x\r\nAUTH PLAIN =\r\n");
  EXPECT_EQ(t.output.find("AUTH PLAIN LOGIN"), std::string::npos) << "not offered without TLS";
  EXPECT_EQ(plaintext.session.last_reply(),
            "538 5.7.11 Encryption required for requested authentication mechanism");

  Harness mx;
  mx.Run("EHLO x\r\nAUTH PLAIN =\r\n");
  EXPECT_EQ(mx.session.last_reply(), "503 5.5.1 Authentication not enabled");
  EXPECT_TRUE(mx.hooks.passwords_checked.empty());
}

TEST(SessionTest, TooManyAuthFailuresClose) {
  SessionSettings settings = Submission();
  settings.auth_requires_tls = false;
  Harness h(settings);
  const std::string bad = "AUTH PLAIN " + B64(std::string("\0ada\0guess", 10)) + "\r\n";
  const Transcript t = h.Run("EHLO x\r\n" + bad + bad + bad + bad);
  EXPECT_EQ(Codes(t.output), (Codes_{"220", "250", "535", "535", "535", "421"}));
  EXPECT_EQ(t.final_want, Want::kClose);
  EXPECT_EQ(t.unconsumed, bad);
  EXPECT_EQ(h.hooks.passwords_checked.size(), 3u);
  EXPECT_TRUE(h.hooks.Noted("AUTH failed for user ada"));
}

TEST(SessionTest, TlsForgetsAuthentication) {
  SessionSettings settings = Submission();
  settings.auth_requires_tls = false;
  Harness h(settings);
  h.Run("EHLO x\r\nAUTH PLAIN " + B64(std::string("\0ada\0secret", 11)) + "\r\nSTARTTLS\r\n");
  h.session.TlsStarted({"TLSv1.3", "X"});
  const Transcript t = h.Run("EHLO x\r\nMAIL FROM:<ada@example.org>\r\n");
  EXPECT_EQ(h.session.last_reply(), "530 5.7.0 Authentication required");
  EXPECT_NE(t.output.find("250 AUTH PLAIN LOGIN"), std::string::npos);
}

TEST(SessionTest, CommandSequence) {
  struct Case {
    const char* name;
    std::string input;
    std::string want_last;
  };
  const std::string txn = "EHLO x\r\nMAIL FROM:<a@b.example>\r\n";
  const Case cases[] = {
      {"mail before ehlo", "MAIL FROM:<a@b.example>\r\n", "503 5.5.1 Send EHLO/HELO first"},
      {"rcpt before mail", "EHLO x\r\nRCPT TO:<ada@example.org>\r\n",
       "503 5.5.1 Need MAIL command"},
      {"data before mail", "EHLO x\r\nDATA\r\n", "503 5.5.1 Need MAIL command"},
      {"data without recipients", txn + "DATA\r\n", "554 5.5.1 No valid recipients"},
      {"data after refused recipients", txn + "RCPT TO:<x@elsewhere.example>\r\nDATA\r\n",
       "554 5.5.1 No valid recipients"},
      {"nested mail", txn + "MAIL FROM:<a@b.example>\r\n", "503 5.5.1 Nested MAIL command"},
      {"rset ends the transaction", txn + "RSET\r\nRCPT TO:<ada@example.org>\r\n",
       "503 5.5.1 Need MAIL command"},
      {"ehlo ends the transaction", txn + "EHLO y\r\nRCPT TO:<ada@example.org>\r\n",
       "503 5.5.1 Need MAIL command"},
      {"mail after rset", txn + "RSET\r\nMAIL FROM:<c@d.example>\r\n", "250 2.1.0 Ok"},
      {"refused relay", txn + "RCPT TO:<x@elsewhere.example>\r\n",
       "550 5.7.1 <x@elsewhere.example>: Relay access denied"},
      {"postmaster", txn + "RCPT TO:<Postmaster>\r\n", "250 2.1.5 Ok"},
      {"duplicate recipient", txn + "RCPT TO:<ada@example.org>\r\nRCPT TO:<ada@example.org>\r\n",
       "250 2.1.5 Ok"},
      {"helo", "HELO client.example\r\n", "250 mx.example.org"},
      {"helo without name", "HELO\r\n", "501 5.5.4 Syntax: HELO hostname"},
      {"ehlo without name", "EHLO \r\n", "501 5.5.4 Syntax: EHLO hostname"},
      {"ehlo with control byte", "EHLO a\x01z\r\n", "501 5.5.2 Invalid hostname"},
      {"bad sender", "EHLO x\r\nMAIL FROM:a@b.example\r\n", "501 5.1.7 Bad sender address syntax"},
      {"bad recipient", txn + "RCPT TO:<a@@b>\r\n", "501 5.1.3 Bad recipient address syntax"},
      {"dsn parameter", txn + "RCPT TO:<ada@example.org> NOTIFY=NEVER\r\n",
       "555 5.5.4 Unsupported parameter NOTIFY"},
      {"utf-8 without smtputf8", txn + "RCPT TO:<\xc3\xa9@example.org>\r\n",
       "553 5.6.7 Non-ASCII addresses not permitted for that recipient"},
      {"data with argument", txn + "RCPT TO:<ada@example.org>\r\nDATA x\r\n",
       "501 5.5.4 Syntax: DATA"},
      {"rset with argument", "RSET x\r\n", "501 5.5.4 Syntax: RSET"},
      {"quit with argument", "QUIT now\r\n", "501 5.5.4 Syntax: QUIT"},
      {"noop with argument", "NOOP hello\r\n", "250 2.0.0 Ok"},
      {"vrfy", "VRFY ada\r\n",
       "252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery"},
      {"vrfy without argument", "VRFY\r\n", "501 5.5.4 Syntax: VRFY address"},
      {"expn", "EXPN staff\r\n", "502 5.5.1 EXPN not supported"},
      {"help", "HELP\r\n", "214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP"},
      {"unknown", "BDAT 100 LAST\r\n", "500 5.5.1 Command unrecognized"},
      {"empty line", "\r\n", "500 5.5.1 Command unrecognized"},
      {"bare lf commands", "EHLO x\nMAIL FROM:<a@b.example>\n", "250 2.1.0 Ok"},
      {"lower case", "ehlo x\r\nmail from:<a@b.example>\r\nrcpt to:<ada@example.org>\r\n",
       "250 2.1.5 Ok"},
  };
  for (const Case& c : cases) {
    Harness h;
    h.Run(c.input);
    EXPECT_EQ(h.session.last_reply(), c.want_last) << c.name;
    EXPECT_EQ(h.session.want(), Want::kInput) << c.name;
  }
}

TEST(SessionTest, RecipientRefusalFromHooksIsCleaned) {
  Harness h;
  h.hooks.refusal_override = "550 5.1.1 bad\r\n250 2.1.5 Ok";
  h.Run("EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<z@example.org>\r\n");
  EXPECT_EQ(h.session.last_reply(), "550 5.1.1 bad  250 2.1.5 Ok");
  Harness broken;
  broken.hooks.refusal_override = "no";
  broken.Run("EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<z@example.org>\r\n");
  EXPECT_EQ(broken.session.last_reply(), "451 4.3.0 Recipient address check failed");
}

TEST(SessionTest, CommandLineLimit) {
  Harness h;
  const std::string longest = "NOOP " + std::string(505, 'x');  // 510 + CRLF = 512 octets
  const Transcript t = h.Run(longest + "\r\n" + longest + "y\r\nNOOP\r\n");
  EXPECT_EQ(t.output, kGreeting + "250 2.0.0 Ok\r\n500 5.5.2 Line too long\r\n250 2.0.0 Ok\r\n");
  EXPECT_TRUE(h.hooks.Noted("command line too long"));

  // A line that never ends is answered once, skipped to its LF, and never buffered whole.
  Harness endless;
  Session& s = endless.session;
  s.TakeOutput();
  const std::string chunk(4096, 'z');
  size_t buffered = 0;
  for (int i = 0; i < 100; ++i) {
    std::string input = std::string(buffered, 'z') + chunk;
    buffered = input.size() - s.Consume(input);
    ASSERT_LE(buffered, 12288u);
  }
  EXPECT_EQ(s.Consume(std::string(buffered, 'z') + "zz\r\nNOOP\r\n"), buffered + 10);
  EXPECT_EQ(s.TakeOutput(), "500 5.5.2 Line too long\r\n250 2.0.0 Ok\r\n");
}

TEST(SessionTest, AuthLinesMayBeLonger) {
  SessionSettings settings = Submission();
  settings.auth_requires_tls = false;
  Harness h(settings);
  const std::string response = B64(std::string("\0ada\0", 5) + std::string(2000, 'p'));
  const Transcript t =
      h.Run("EHLO x\r\nAUTH PLAIN " + response + "\r\nAUTH PLAIN\r\n" + response + "\r\n");
  EXPECT_EQ(Codes(t.output), (Codes_{"220", "250", "535", "334", "535"}));
  const Transcript too_long = h.Run("AUTH PLAIN\r\n" + std::string(13000, 'A') + "\r\nNOOP\r\n");
  EXPECT_EQ(Codes(too_long.output), (Codes_{"334", "500", "250"}));
}

TEST(SessionTest, TooManyBadCommandsClose) {
  SessionSettings settings = Mx();
  settings.max_bad_commands = 3;
  Harness h(settings);
  const Transcript t = h.Run("FOO\r\nBAR\r\nNOOP\r\nRCPT TO:<a@b.example>\r\nNOOP\r\n");
  EXPECT_EQ(Codes(t.output), (Codes_{"220", "500", "500", "250", "503", "421"}));
  EXPECT_EQ(h.session.last_reply(), "421 4.7.0 mx.example.org Error: too many errors");
  EXPECT_EQ(t.final_want, Want::kClose);
  EXPECT_EQ(t.unconsumed, "NOOP\r\n");
}

TEST(SessionTest, HttpRequestCloses) {
  Harness h;
  const Transcript t = h.Run("GET / HTTP/1.1\r\nHost: mx.example.org\r\n\r\n");
  EXPECT_EQ(t.output, kGreeting + "421 4.7.0 mx.example.org Error: forbidden command\r\n");
  EXPECT_EQ(t.final_want, Want::kClose);
}

TEST(SessionTest, RecipientLimit) {
  Harness h;
  std::string input = "EHLO x\r\nMAIL FROM:<a@b.example>\r\n";
  for (int i = 0; i < 101; ++i) {
    const std::string address = "u" + std::to_string(i) + "@example.org";
    h.hooks.local.insert(address);
    input += "RCPT TO:<" + address + ">\r\n";
  }
  const Transcript t = h.Run(input + "DATA\r\nx\r\n.\r\n");
  const Codes_ codes = Codes(t.output);
  EXPECT_EQ(std::count(codes.begin(), codes.end(), "250"), 1 + 1 + 100 + 1);
  EXPECT_NE(t.output.find("452 4.5.3 Too many recipients\r\n"), std::string::npos);
  ASSERT_EQ(t.deliveries.size(), 1u);
  EXPECT_EQ(t.deliveries[0].envelope.recipients.size(), 100u);
  EXPECT_EQ(h.hooks.checked.size(), 100u) << "the 101st is not even looked up";
}

TEST(SessionTest, MessageSizeLimits) {
  Harness declared;
  declared.Run("EHLO x\r\nMAIL FROM:<a@b.example> SIZE=10001\r\n");
  EXPECT_EQ(declared.session.last_reply(),
            "552 5.3.4 Message size exceeds fixed maximum message size");
  declared.Run("MAIL FROM:<a@b.example> SIZE=10000\r\n");
  EXPECT_EQ(declared.session.last_reply(), "250 2.1.0 Ok");

  Harness actual;
  const std::string big(100, 'b');
  std::string content;
  for (int i = 0; i < 200; ++i) content += big + "\r\n";
  const std::string txn = "MAIL FROM:<a@b.example>\r\nRCPT TO:<ada@example.org>\r\nDATA\r\n";
  const Transcript t = actual.Run("EHLO x\r\n" + txn + content + ".\r\n" + txn + "ok\r\n.\r\n");
  EXPECT_NE(t.output.find("354 End data with <CR><LF>.<CR><LF>\r\n"
                          "552 5.3.4 Message size exceeds fixed maximum message size\r\n"
                          "250 2.1.0 Ok\r\n"),
            std::string::npos)
      << t.output;
  ASSERT_EQ(t.deliveries.size(), 1u) << "the session stays usable";
  EXPECT_TRUE(t.deliveries[0].message.ends_with("+0000\r\nok\r\n"));
  EXPECT_TRUE(actual.hooks.Noted("message too big"));
}

TEST(SessionTest, TextLineLimit) {
  Harness h;
  const std::string txn =
      "EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<ada@example.org>\r\nDATA\r\n";
  const Transcript t = h.Run(txn + std::string(999, 'w') + "\r\n.\r\nNOOP\r\n");
  EXPECT_TRUE(
      t.output.ends_with("554 5.6.0 Line too long (1000 octets at most)\r\n"
                         "250 2.0.0 Ok\r\n"))
      << t.output;
  EXPECT_TRUE(t.deliveries.empty());
  Harness fits;
  EXPECT_EQ(fits.Run(txn + std::string(998, 'w') + "\r\n.\r\n").deliveries.size(), 1u);
}

TEST(SessionTest, MailLoop) {
  std::string hops;
  for (int i = 0; i < 51; ++i) hops += "Received: from a by b; " + std::string(kDate) + "\r\n";
  const std::string txn =
      "EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<ada@example.org>\r\nDATA\r\n";
  Harness loop;
  const Transcript t = loop.Run(txn + hops + "\r\nbody\r\n.\r\n");
  EXPECT_TRUE(t.deliveries.empty());
  EXPECT_EQ(loop.session.last_reply(), "554 5.4.6 Too many hops");
  Harness fifty;
  EXPECT_EQ(
      fifty.Run(txn + hops.substr(hops.find("\r\n") + 2) + "\r\nbody\r\n.\r\n").deliveries.size(),
      1u);
}

TEST(SessionTest, ContinuationCannotExtendOurReceivedField) {
  Harness h;
  const Transcript t = h.Run(
      "EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<ada@example.org>\r\nDATA\r\n"
      "\tby trusted.example; forged\r\nSubject: x\r\n\r\nbody\r\n.\r\n");
  ASSERT_EQ(t.deliveries.size(), 1u);
  const std::string& m = t.deliveries[0].message;
  EXPECT_NE(m.find("+0000\r\n\r\n\tby trusted.example; forged\r\n"), std::string::npos) << m;
}

TEST(SessionTest, EmptyMessageGetsOnlyTheTraceField) {
  Harness h;
  const Transcript t =
      h.Run("HELO x\r\nMAIL FROM:<>\r\nRCPT TO:<ada@example.org>\r\nDATA\r\n.\r\n");
  ASSERT_EQ(t.deliveries.size(), 1u);
  EXPECT_TRUE(t.deliveries[0].message.starts_with("Received: from x (client.example [192.0.2.1])"));
  EXPECT_NE(t.deliveries[0].message.find("with SMTP id Q1"), std::string::npos);
  EXPECT_TRUE(t.deliveries[0].message.ends_with("+0000\r\n"));
}

TEST(SessionTest, InDataAndBareLfNote) {
  Harness h;
  h.Run("EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<ada@example.org>\r\nDATA\r\n");
  EXPECT_TRUE(h.session.in_data());
  const Transcript t = h.Run("a\nb\r\n.\r\n");
  EXPECT_FALSE(h.session.in_data());
  ASSERT_EQ(t.deliveries.size(), 1u);
  EXPECT_TRUE(t.deliveries[0].message.ends_with("a\r\nb\r\n"));
  EXPECT_TRUE(h.hooks.Noted("bare LF"));
}

TEST(SessionTest, HookExceptionsDoNotEscape) {
  Harness h;
  h.hooks.throw_on_queue_id = true;
  const Transcript t =
      h.Run("EHLO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<ada@example.org>\r\nDATA\r\n");
  EXPECT_EQ(t.final_want, Want::kClose);
  EXPECT_EQ(h.session.last_reply(), "421 4.3.0 mx.example.org Error: internal error");
}

}  // namespace
}  // namespace pigeon::mta::smtp
