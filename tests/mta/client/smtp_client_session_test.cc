// The connection: greeting, EHLO and the HELO fallback, STARTTLS under each policy, AUTH PLAIN
// and LOGIN, malformed greetings.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mta/client/smtp_client.h"
#include "tests/mta/client/client_test_util.h"

namespace pigeon::mta::client {
namespace {

using testing::Conversation;
using testing::Fates;
using testing::kEhloBare;
using testing::kEhloFull;
using testing::kGreeting;
using testing::Message;
using testing::Options;
using testing::Want;
using Kind = SessionFailure::Kind;

constexpr std::string_view kEhloTls = "250-mx.example.net\r\n250-PIPELINING\r\n250 STARTTLS\r\n";
constexpr std::string_view kEhloAfterTls =
    "250-mx.example.net\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n";

// Up to the STARTTLS handshake.
void ToHandshake(Conversation& c) {
  c.Server(kGreeting);
  EXPECT_EQ(c.Sent(), "EHLO client.example\r\n");
  c.Server(kEhloTls);
  EXPECT_EQ(c.Sent(), "STARTTLS\r\n");
  c.Server("220 2.0.0 Ready to start TLS\r\n");
  EXPECT_EQ(c.client.want(), Want::kStartTls);
}

TEST(SmtpClientSession, GreetingTimeoutIsFiveMinutes) {
  Conversation c(Options());
  EXPECT_EQ(c.client.want(), Want::kRead);
  EXPECT_EQ(c.client.timeout(), kGreetingTimeout);
  EXPECT_EQ(kGreetingTimeout, std::chrono::minutes(5));
}

TEST(SmtpClientSession, RefusedGreetingMeansTryTheNextHost) {
  for (std::string greeting : {"554 5.7.1 No SMTP service here", "450 4.3.2 Busy"}) {
    Conversation c(Options());
    c.Server(greeting + "\r\n");
    EXPECT_EQ(c.Sent(), "QUIT\r\n");  // RFC 5321 §3.1
    ASSERT_TRUE(c.client.failure());
    EXPECT_EQ(c.client.failure()->kind, Kind::kGreeting);
    EXPECT_TRUE(c.client.failure()->try_next_host);
    EXPECT_TRUE(c.client.failure()->remote);
    EXPECT_EQ(c.client.failure()->reply.ToString(), greeting);
    c.Server("221 Bye\r\n");
    EXPECT_EQ(c.client.want(), Want::kClose);
  }
}

TEST(SmtpClientSession, ServiceClosingGreetingClosesAtOnce) {
  Conversation c(Options());
  c.Server("421 4.3.2 Too many connections\r\n");
  EXPECT_EQ(c.client.want(), Want::kClose);
  EXPECT_EQ(c.Sent(), "");
  EXPECT_TRUE(c.client.failure()->try_next_host);
}

TEST(SmtpClientSession, MalformedGreetings) {
  for (std::string garbage : {"HTTP/1.1 400 Bad Request\r\n", "2200 hi\r\n", "250 hi\r\n",
                              "220-a\r\n221 b\r\n", "SSH-2.0-OpenSSH_9.2\r\n"}) {
    Conversation c(Options());
    c.Server(garbage);
    EXPECT_EQ(c.client.want(), Want::kClose) << garbage;
    EXPECT_EQ(c.client.failure()->kind, Kind::kProtocolError) << garbage;
    EXPECT_TRUE(c.client.failure()->try_next_host);
  }
}

TEST(SmtpClientSession, MultilineGreetingIsFine) {
  Conversation c(Options());
  c.Server("220-mx.example.net ESMTP\r\n220-no UCE\r\n220 \r\n");
  EXPECT_EQ(c.Sent(), "EHLO client.example\r\n");
}

TEST(SmtpClientSession, SmtpSinkEhloWithEmptyLastLine) {
  Conversation c(Options());
  c.Ready("250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 \r\n");
  EXPECT_TRUE(c.client.capabilities().pipelining);
  EXPECT_TRUE(c.client.capabilities().eight_bit_mime);
}

TEST(SmtpClientSession, FallsBackToHelo) {
  for (std::string refusal :
       {"502 5.5.2 Command not implemented", "500 Syntax error", "550 no ESMTP for you"}) {
    Conversation c(Options(TlsPolicy::kOpportunistic));
    c.Server(kGreeting);
    c.Sent();
    c.Server(refusal + "\r\n");
    EXPECT_EQ(c.Sent(), "HELO client.example\r\n");
    c.Server("250 mx.example.net\r\n");
    EXPECT_EQ(c.client.want(), Want::kMessage);
    // No extensions: no SIZE=, no pipelining.
    c.client.SendMessage(Message({"a@x"}, "x\n"));
    EXPECT_EQ(c.Sent(), "MAIL FROM:<ana@example.org>\r\n");
  }
}

TEST(SmtpClientSession, HeloRefusedToo) {
  Conversation c(Options());
  c.Server(kGreeting);
  c.Sent();
  c.Server("500 what\r\n");
  c.Sent();
  c.Server("501 5.5.4 go away\r\n");
  EXPECT_EQ(c.Sent(), "QUIT\r\n");
  EXPECT_EQ(c.client.failure()->kind, Kind::kHello);
}

TEST(SmtpClientSession, TemporaryEhloFailureTriesTheNextHost) {
  Conversation c(Options());
  c.Server(kGreeting);
  c.Sent();
  c.Server("451 4.3.0 later\r\n");
  EXPECT_EQ(c.Sent(), "QUIT\r\n");
  EXPECT_EQ(c.client.failure()->kind, Kind::kHello);
  EXPECT_TRUE(c.client.failure()->try_next_host);
}

TEST(SmtpClientSession, OpportunisticStartTls) {
  Conversation c(Options(TlsPolicy::kOpportunistic));
  ToHandshake(c);
  c.client.TlsDone(true, false);  // unverified is fine here
  EXPECT_EQ(c.Sent(), "EHLO client.example\r\n");
  EXPECT_TRUE(c.client.tls_active());
  EXPECT_FALSE(c.client.capabilities().pipelining);  // forgotten until the new EHLO reply
  c.Server("250-mx.example.net\r\n250-STARTTLS\r\n250 PIPELINING\r\n");
  EXPECT_EQ(c.client.want(), Want::kMessage);  // no second STARTTLS
  EXPECT_TRUE(c.client.capabilities().pipelining);
}

TEST(SmtpClientSession, StartTlsNotOffered) {
  {
    Conversation c(Options(TlsPolicy::kOpportunistic));
    c.Ready(kEhloBare);
    EXPECT_FALSE(c.client.tls_active());
  }
  for (TlsPolicy policy : {TlsPolicy::kRequired, TlsPolicy::kRequiredVerified}) {
    Conversation c(Options(policy));
    c.Server(kGreeting);
    c.Sent();
    c.Server(kEhloBare);
    EXPECT_EQ(c.Sent(), "QUIT\r\n");
    ASSERT_TRUE(c.client.failure());
    EXPECT_EQ(c.client.failure()->kind, Kind::kTlsRequired);
    EXPECT_EQ(c.client.failure()->reply.Class(), 4);  // defer, not bounce
    EXPECT_EQ(c.client.failure()->reply.status, "4.7.4");
    EXPECT_NE(c.client.failure()->reply.Text().find("TLS is required"), std::string::npos);
    EXPECT_FALSE(c.client.failure()->remote);
  }
}

TEST(SmtpClientSession, PolicyNoneNeverStartsTls) {
  Conversation c(Options(TlsPolicy::kNone));
  c.Ready(kEhloTls);
}

TEST(SmtpClientSession, StartTlsRefused) {
  {
    Conversation c(Options(TlsPolicy::kOpportunistic));
    c.Server(kGreeting);
    c.Sent();
    c.Server(kEhloTls);
    EXPECT_EQ(c.Sent(), "STARTTLS\r\n");
    c.Server("454 4.7.0 TLS not available\r\n");
    EXPECT_EQ(c.client.want(), Want::kMessage);  // on in the clear
    EXPECT_EQ(c.Sent(), "");
  }
  {
    Conversation c(Options(TlsPolicy::kRequired));
    c.Server(kGreeting);
    c.Sent();
    c.Server(kEhloTls);
    c.Sent();
    c.Server("454 4.7.0 TLS not available\r\n");
    EXPECT_EQ(c.Sent(), "QUIT\r\n");
    EXPECT_EQ(c.client.failure()->kind, Kind::kTlsRequired);
    EXPECT_EQ(c.client.failure()->reply.ToString(), "454 4.7.0 TLS not available");
  }
}

TEST(SmtpClientSession, FailedHandshake) {
  {
    Conversation c(Options(TlsPolicy::kOpportunistic));
    ToHandshake(c);
    c.client.TlsDone(false, false);
    EXPECT_EQ(c.client.want(), Want::kClose);
    EXPECT_EQ(c.Sent(), "");  // the channel is in no state for QUIT
    EXPECT_EQ(c.client.failure()->kind, Kind::kTlsFailed);
    EXPECT_TRUE(c.client.failure()->retry_without_tls);
    EXPECT_FALSE(c.client.failure()->try_next_host);
  }
  {
    Conversation c(Options(TlsPolicy::kRequired));
    ToHandshake(c);
    c.client.TlsDone(false, false);
    EXPECT_EQ(c.client.want(), Want::kClose);
    EXPECT_FALSE(c.client.failure()->retry_without_tls);
    EXPECT_TRUE(c.client.failure()->try_next_host);
    EXPECT_EQ(c.client.failure()->reply.Class(), 4);
  }
}

TEST(SmtpClientSession, RequiredVerified) {
  {
    Conversation c(Options(TlsPolicy::kRequiredVerified));
    ToHandshake(c);
    c.client.TlsDone(true, false);
    EXPECT_EQ(c.Sent(), "QUIT\r\n");
    EXPECT_EQ(c.client.failure()->kind, Kind::kTlsFailed);
    EXPECT_FALSE(c.client.failure()->retry_without_tls);
    EXPECT_EQ(c.client.failure()->reply.Class(), 4);
  }
  {
    Conversation c(Options(TlsPolicy::kRequiredVerified));
    ToHandshake(c);
    c.client.TlsDone(true, true);
    EXPECT_EQ(c.Sent(), "EHLO client.example\r\n");
    c.Server(kEhloFull);
    EXPECT_EQ(c.client.want(), Want::kMessage);
    EXPECT_FALSE(c.client.failure());
  }
}

TEST(SmtpClientSession, PlaintextInjectedAfterStartTlsIsDiscarded) {
  Conversation c(Options(TlsPolicy::kOpportunistic));
  c.Server(kGreeting);
  c.Sent();
  c.Server(kEhloTls);
  c.Sent();
  // A man in the middle appends a whole EHLO reply to the 220, in the same packet.
  c.Server("220 2.0.0 Ready\r\n250-evil\r\n250-PIPELINING\r\n250 AUTH PLAIN\r\n");
  EXPECT_EQ(c.client.want(), Want::kStartTls);
  c.Server("250 more injected\r\n");  // read during the handshake: ignored too
  c.client.TlsDone(true, false);
  EXPECT_EQ(c.Sent(), "EHLO client.example\r\n");
  EXPECT_EQ(c.client.want(), Want::kRead);
  c.Server("250-mx.example.net\r\n250 8BITMIME\r\n");
  EXPECT_EQ(c.client.want(), Want::kMessage);
  EXPECT_FALSE(c.client.capabilities().pipelining);
  EXPECT_TRUE(c.client.capabilities().auth.empty());
  EXPECT_TRUE(c.client.capabilities().eight_bit_mime);
}

ClientOptions WithAuth(TlsPolicy tls = TlsPolicy::kRequired) {
  ClientOptions options = Options(tls);
  options.auth = Credentials{"ada", "secret"};
  return options;
}

// Up to the EHLO reply after TLS.
void ToAuth(Conversation& c, std::string_view ehlo) {
  ToHandshake(c);
  c.client.TlsDone(true, true);
  EXPECT_EQ(c.Sent(), "EHLO client.example\r\n");
  c.Server(ehlo);
}

TEST(SmtpClientSession, AuthPlain) {
  Conversation c(WithAuth());
  ToAuth(c, kEhloAfterTls);
  EXPECT_EQ(c.Sent(), "AUTH PLAIN AGFkYQBzZWNyZXQ=\r\n");  // "\0ada\0secret"
  c.Server("235 2.7.0 Authentication successful\r\n");
  EXPECT_EQ(c.client.want(), Want::kMessage);
  EXPECT_TRUE(c.client.authenticated());
}

TEST(SmtpClientSession, AuthLogin) {
  Conversation c(WithAuth());
  ToAuth(c, "250-mx\r\n250 AUTH=LOGIN\r\n");
  EXPECT_EQ(c.Sent(), "AUTH LOGIN\r\n");
  c.Server("334 VXNlcm5hbWU6\r\n");
  EXPECT_EQ(c.Sent(), "YWRh\r\n");
  c.Server("334 UGFzc3dvcmQ6\r\n");
  EXPECT_EQ(c.Sent(), "c2VjcmV0\r\n");
  c.Server("235 2.7.0 Authentication successful\r\n");
  EXPECT_EQ(c.client.want(), Want::kMessage);
  EXPECT_TRUE(c.client.authenticated());
}

TEST(SmtpClientSession, AuthRefused) {
  for (std::string reply : {"535 5.7.8 Authentication credentials invalid",
                            "454 4.7.0 Temporary authentication failure"}) {
    Conversation c(WithAuth());
    ToAuth(c, kEhloAfterTls);
    c.Sent();
    c.Server(reply + "\r\n");
    EXPECT_EQ(c.Sent(), "QUIT\r\n");
    ASSERT_TRUE(c.client.failure());
    EXPECT_EQ(c.client.failure()->kind, Kind::kAuth);
    EXPECT_EQ(c.client.failure()->reply.ToString(), reply);
    EXPECT_TRUE(c.client.failure()->remote);
    EXPECT_FALSE(c.client.failure()->try_next_host);
    EXPECT_FALSE(c.client.authenticated());
  }
}

TEST(SmtpClientSession, NoCredentialsInTheClear) {
  {
    Conversation c(WithAuth(TlsPolicy::kOpportunistic));
    c.Server(kGreeting);
    c.Sent();
    c.Server(kEhloAfterTls);  // AUTH offered, STARTTLS not
    EXPECT_EQ(c.Sent(), "QUIT\r\n");
    EXPECT_EQ(c.client.failure()->kind, Kind::kAuth);
    EXPECT_EQ(c.client.failure()->reply.Class(), 4);
  }
  {
    ClientOptions options = WithAuth(TlsPolicy::kNone);
    options.allow_auth_without_tls = true;
    Conversation c(options);
    c.Server(kGreeting);
    c.Sent();
    c.Server(kEhloAfterTls);
    EXPECT_EQ(c.Sent(), "AUTH PLAIN AGFkYQBzZWNyZXQ=\r\n");
  }
}

TEST(SmtpClientSession, NoUsableMechanism) {
  Conversation c(WithAuth());
  ToAuth(c, "250-mx\r\n250 AUTH CRAM-MD5 GSSAPI\r\n");
  EXPECT_EQ(c.Sent(), "QUIT\r\n");
  EXPECT_EQ(c.client.failure()->kind, Kind::kAuth);
}

TEST(SmtpClientSession, AuthFailureDefersTheWholeSessionNotAMessage) {
  Conversation c(WithAuth());
  ToAuth(c, kEhloAfterTls);
  c.Sent();
  c.Server("535 5.7.8 Bad\r\n");
  EXPECT_FALSE(c.client.TakeOutcome());  // no message was handed over
  c.Server("221 Bye\r\n");
  EXPECT_EQ(c.client.want(), Want::kClose);
}

TEST(SmtpClientSession, MessageAfterAuth) {
  Conversation c(WithAuth());
  ToAuth(c, kEhloAfterTls);
  c.Sent();
  c.Server("235 ok\r\n");
  c.client.SendMessage(Message({"a@x"}, "x\n"));
  EXPECT_EQ(c.Sent(), "MAIL FROM:<ana@example.org>\r\nRCPT TO:<a@x>\r\nDATA\r\n");
  c.Server("250 Ok\r\n250 Ok\r\n354 go\r\n");
  c.Sent();
  c.Server("250 Ok\r\n");
  EXPECT_EQ(Fates(c.Outcome()), std::vector<Fate>{Fate::kDelivered});
}

TEST(SmtpClientSession, LostBeforeAnyMessage) {
  Conversation c(Options());
  c.Server(kGreeting);
  c.client.OnConnectionLost();
  EXPECT_EQ(c.client.want(), Want::kClose);
  EXPECT_EQ(c.client.failure()->kind, Kind::kConnectionLost);
  EXPECT_TRUE(c.client.failure()->try_next_host);
  c.client.Feed("250 late\r\n");  // nothing happens after close
  EXPECT_EQ(c.client.want(), Want::kClose);
}

}  // namespace
}  // namespace pigeon::mta::client
