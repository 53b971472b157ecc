// Mail transactions: one command at a time and pipelined, per-recipient outcomes, the data,
// several messages per connection, SIZE, 8BITMIME and SMTPUTF8, drops and timeouts.
#include "mta/client/smtp_client.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/message/mime.h"
#include "mta/client/eight_bit_downgrade.h"
#include "tests/mta/client/client_test_util.h"

namespace pigeon::mta::client {
namespace {

using testing::Conversation;
using testing::Fates;
using testing::kEhloBare;
using testing::kEhloFull;
using testing::kPeer;
using testing::Message;
using testing::Options;
using testing::Replies;
using testing::Want;

// The data as the server would store it: unstuffed, up to the final dot.
std::string Unstuff(std::string_view wire) {
  std::string out;
  size_t pos = 0;
  while (pos < wire.size()) {
    size_t end = wire.find("\r\n", pos);
    std::string_view line = wire.substr(pos, end - pos);
    pos = end + 2;
    if (line == ".") break;
    if (line.starts_with(".")) line.remove_prefix(1);
    out.append(line).append("\r\n");
  }
  return out;
}

TEST(SmtpClient, DeliversOneCommandAtATime) {
  Conversation c(Options());
  c.Ready(kEhloBare);
  c.client.SendMessage(Message({"bob@example.net"}, "Subject: hi\n\nhello\n"));
  EXPECT_EQ(c.Sent(), "MAIL FROM:<ana@example.org>\r\n");
  EXPECT_EQ(c.client.timeout(), kMailTimeout);
  c.Server("250 2.1.0 Ok\r\n");
  EXPECT_EQ(c.Sent(), "RCPT TO:<bob@example.net>\r\n");
  EXPECT_EQ(c.client.timeout(), kRcptTimeout);
  c.Server("250 2.1.5 Ok\r\n");
  EXPECT_EQ(c.Sent(), "DATA\r\n");
  EXPECT_EQ(c.client.timeout(), kDataInitiationTimeout);
  c.Server("354 End data with <CR><LF>.<CR><LF>\r\n");
  EXPECT_EQ(c.client.want(), Want::kWrite);
  EXPECT_EQ(c.client.timeout(), kDataBlockTimeout);
  EXPECT_EQ(c.Sent(), "Subject: hi\r\n\r\nhello\r\n.\r\n");
  EXPECT_EQ(c.client.want(), Want::kRead);
  EXPECT_EQ(c.client.timeout(), kDataTerminationTimeout);
  EXPECT_FALSE(c.client.TakeOutcome());
  c.Server("250 2.0.0 Ok: queued as 4XyZ\r\n");
  EXPECT_EQ(c.client.want(), Want::kMessage);
  MessageOutcome outcome = c.Outcome();
  ASSERT_EQ(outcome.recipients.size(), 1u);
  const RecipientOutcome& bob = outcome.recipients[0];
  EXPECT_EQ(bob.recipient, "bob@example.net");
  EXPECT_EQ(bob.fate, Fate::kDelivered);
  EXPECT_EQ(bob.reply.ToString(), "250 2.0.0 Ok: queued as 4XyZ");
  EXPECT_TRUE(bob.remote);
  EXPECT_EQ(bob.host, kPeer);
  c.client.Quit();
  EXPECT_EQ(c.Sent(), "QUIT\r\n");
  EXPECT_EQ(c.client.timeout(), kQuitTimeout);
  c.Server("221 2.0.0 Bye\r\n");
  EXPECT_EQ(c.client.want(), Want::kClose);
  EXPECT_FALSE(c.client.failure());
}

TEST(SmtpClient, PipelinesMailRcptAndData) {
  Conversation c(Options());
  c.Ready(kEhloFull);
  EXPECT_TRUE(c.client.capabilities().pipelining);
  const std::string body = "Subject: x\r\n\r\nbody\r\n";
  c.client.SendMessage(Message({"bob@example.net", "carl@example.net"}, body));
  EXPECT_EQ(c.Sent(),
            "MAIL FROM:<ana@example.org> SIZE=20\r\nRCPT TO:<bob@example.net>\r\n"
            "RCPT TO:<carl@example.net>\r\nDATA\r\n");
  c.Server("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n");
  EXPECT_EQ(c.Sent(), body + ".\r\n");
  c.Server("250 2.0.0 Ok: queued\r\n");
  EXPECT_EQ(Fates(c.Outcome()), (std::vector<Fate>{Fate::kDelivered, Fate::kDelivered}));
}

TEST(SmtpClient, RepliesSplitByteByByte) {
  for (bool pipelining : {false, true}) {
    Conversation c(Options());
    c.Server(testing::kGreeting, 1);
    EXPECT_EQ(c.Sent(), "EHLO client.example\r\n");
    c.Server(pipelining ? kEhloFull : kEhloBare, 1);
    ASSERT_EQ(c.client.want(), Want::kMessage);
    c.client.SendMessage(Message({"a@x", "b@x"}, "x\n"));
    c.Sent();
    if (pipelining) {
      c.Server("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 no\r\n354 go\r\n", 1);
    } else {
      c.Server("250 2.1.0 Ok\r\n", 1);
      c.Sent();
      c.Server("250 2.1.5 Ok\r\n", 1);
      c.Sent();
      c.Server("550 5.1.1 no\r\n", 1);
      EXPECT_EQ(c.Sent(), "DATA\r\n");
      c.Server("354 go\r\n", 1);
    }
    EXPECT_EQ(c.Sent(), "x\r\n.\r\n");
    c.Server("250 2.0.0 Ok\r\n", 1);
    EXPECT_EQ(Fates(c.Outcome()), (std::vector<Fate>{Fate::kDelivered, Fate::kBounced}));
  }
}

TEST(SmtpClient, EachRecipientGetsItsOwnOutcome) {
  Conversation c(Options());
  c.Ready(kEhloFull);
  c.client.SendMessage(Message({"ok@x", "later@x", "nobody@x"}, "x\n"));
  c.Sent();
  c.Server(
      "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n450 4.2.1 Mailbox busy\r\n"
      "550-5.1.1 <nobody@x>: Recipient address rejected:\r\n550 5.1.1 User unknown\r\n"
      "354 go\r\n");
  c.Sent();
  c.Server("250 2.0.0 Ok: queued as Q1\r\n");
  MessageOutcome outcome = c.Outcome();
  EXPECT_EQ(Fates(outcome), (std::vector<Fate>{Fate::kDelivered, Fate::kDeferred, Fate::kBounced}));
  EXPECT_EQ(
      Replies(outcome),
      (std::vector<std::string>{"250 2.0.0 Ok: queued as Q1", "450 4.2.1 Mailbox busy",
                                "550 5.1.1 <nobody@x>: Recipient address rejected: User unknown"}));
  EXPECT_FALSE(outcome.recipients[1].try_next_host);
  EXPECT_EQ(outcome.recipients[2].reply.EnhancedStatus(), "5.1.1");
}

TEST(SmtpClient, AllRecipientsRefusedWithPipelining) {
  Conversation c(Options());
  c.Ready(kEhloFull);
  c.client.SendMessage(Message({"a@x", "b@x"}, "x\n"));
  c.Sent();
  c.Server(
      "250 Ok\r\n550 5.1.1 no a\r\n451 4.3.0 no b\r\n554 5.5.1 Error: no valid recipients\r\n");
  EXPECT_EQ(c.Sent(), "RSET\r\n");
  EXPECT_EQ(Replies(c.Outcome()), (std::vector<std::string>{"550 5.1.1 no a", "451 4.3.0 no b"}));
  EXPECT_EQ(c.client.want(), Want::kRead);
  c.Server("250 2.0.0 Ok\r\n");
  EXPECT_EQ(c.client.want(), Want::kMessage);
}

TEST(SmtpClient, DataAcceptedWithNobodyLeftSendsALoneDot) {
  Conversation c(Options());
  c.Ready(kEhloFull);
  c.client.SendMessage(Message({"a@x"}, "secret body\n"));
  c.Sent();
  c.Server("250 Ok\r\n550 5.1.1 no\r\n354 go\r\n");
  EXPECT_EQ(c.Sent(), ".\r\n");  // RFC 2920 §3.1: nothing of the message goes out
  c.Server("554 5.5.1 no valid recipients\r\n");
  EXPECT_EQ(c.Sent(), "RSET\r\n");
  EXPECT_EQ(Fates(c.Outcome()), std::vector<Fate>{Fate::kBounced});
  c.Server("250 Ok\r\n");
  EXPECT_EQ(c.client.want(), Want::kMessage);
}

TEST(SmtpClient, AllRecipientsRefusedWithoutPipeliningSkipsData) {
  Conversation c(Options());
  c.Ready(kEhloBare);
  c.client.SendMessage(Message({"a@x"}, "x\n"));
  c.Sent();
  c.Server("250 Ok\r\n");
  c.Sent();
  c.Server("550 5.7.1 Relay access denied\r\n");
  EXPECT_EQ(c.Sent(), "RSET\r\n");
  EXPECT_EQ(Replies(c.Outcome()), std::vector<std::string>{"550 5.7.1 Relay access denied"});
}

TEST(SmtpClient, RefusedMailDecidesEveryoneAndResets) {
  {
    Conversation c(Options());
    c.Ready(kEhloFull);
    c.client.SendMessage(Message({"a@x", "b@x"}, "x\n"));
    c.Sent();
    c.Server("553 5.7.1 Sender rejected\r\n503 5.5.1 need MAIL\r\n503 5.5.1 need MAIL\r\n");
    EXPECT_EQ(c.Sent(), "");  // DATA's reply is still to come
    c.Server("503 5.5.1 need MAIL\r\n");
    EXPECT_EQ(c.Sent(), "RSET\r\n");
    EXPECT_EQ(Replies(c.Outcome()),
              (std::vector<std::string>{"553 5.7.1 Sender rejected", "553 5.7.1 Sender rejected"}));
  }
  {
    Conversation c(Options());
    c.Ready(kEhloBare);
    c.client.SendMessage(Message({"a@x"}, "x\n"));
    c.Sent();
    c.Server("451 4.3.0 Try later\r\n");
    EXPECT_EQ(c.Sent(), "RSET\r\n");
    EXPECT_EQ(Fates(c.Outcome()), std::vector<Fate>{Fate::kDeferred});
    c.Server("250 Ok\r\n");
    EXPECT_EQ(c.client.want(), Want::kMessage);
  }
}

TEST(SmtpClient, DataRefusals) {
  for (std::string reply : {"451 4.3.0 Queue full", "554 5.3.0 No thanks"}) {
    Conversation c(Options());
    c.Ready(kEhloFull);
    c.client.SendMessage(Message({"a@x", "b@x"}, "x\n"));
    c.Sent();
    c.Server("250 Ok\r\n250 Ok\r\n550 5.1.1 no\r\n" + reply + "\r\n");
    EXPECT_EQ(c.Sent(), "RSET\r\n");
    MessageOutcome outcome = c.Outcome();
    EXPECT_EQ(Replies(outcome), (std::vector<std::string>{reply, "550 5.1.1 no"}));
    EXPECT_EQ(outcome.recipients[0].fate, reply[0] == '4' ? Fate::kDeferred : Fate::kBounced);
  }
}

TEST(SmtpClient, EndOfDataRefusals) {
  for (std::string reply : {"452 4.3.1 Insufficient storage", "554 5.7.1 Spam"}) {
    Conversation c(Options());
    c.Ready(kEhloFull);
    c.client.SendMessage(Message({"a@x", "b@x"}, "x\n"));
    c.Sent();
    c.Server("250 Ok\r\n250 Ok\r\n250 Ok\r\n354 go\r\n");
    c.Sent();
    c.Server(reply + "\r\n");
    EXPECT_EQ(Replies(c.Outcome()), (std::vector<std::string>{reply, reply}));
    EXPECT_EQ(c.client.want(), Want::kMessage);  // the transaction is over: no RSET
    EXPECT_EQ(c.Sent(), "");
  }
}

TEST(SmtpClient, TwoMessagesOnOneConnection) {
  Conversation c(Options());
  c.Ready(kEhloFull);
  c.client.SendMessage(Message({"a@x"}, "one\n"));
  c.Sent();
  c.Server("250 Ok\r\n250 Ok\r\n354 go\r\n");
  EXPECT_EQ(c.Sent(), "one\r\n.\r\n");
  c.Server("250 Ok: queued as 1\r\n");
  EXPECT_EQ(Fates(c.Outcome()), std::vector<Fate>{Fate::kDelivered});
  OutgoingMessage second = Message({"b@y"}, "two\n");
  second.sender = "";
  c.client.SendMessage(second);
  EXPECT_EQ(c.Sent(), "MAIL FROM:<> SIZE=5\r\nRCPT TO:<b@y>\r\nDATA\r\n");
  c.Server("250 Ok\r\n250 Ok\r\n354 go\r\n");
  EXPECT_EQ(c.Sent(), "two\r\n.\r\n");
  c.Server("250 Ok: queued as 2\r\n");
  MessageOutcome outcome = c.Outcome();
  EXPECT_EQ(outcome.recipients[0].recipient, "b@y");
  EXPECT_EQ(outcome.recipients[0].reply.ToString(), "250 Ok: queued as 2");
  c.client.Quit();
  EXPECT_EQ(c.Sent(), "QUIT\r\n");
  c.client.OnConnectionLost();  // no 221: still a clean end
  EXPECT_EQ(c.client.want(), Want::kClose);
  EXPECT_FALSE(c.client.failure());
}

TEST(SmtpClient, DotStuffingOnTheWire) {
  Conversation c(Options());
  c.Ready(kEhloBare);
  const std::string body = "Subject: dots\n\n.\n..\n.hidden\nbare LF\r\nmixed\n.";
  c.client.SendMessage(Message({"a@x"}, body));
  c.Sent();
  c.Server("250 Ok\r\n");
  c.Sent();
  c.Server("250 Ok\r\n");
  c.Sent();
  c.Server("354 go\r\n");
  const std::string wire = c.Sent();
  EXPECT_EQ(wire, "Subject: dots\r\n\r\n..\r\n...\r\n..hidden\r\nbare LF\r\nmixed\r\n..\r\n.\r\n");
  EXPECT_EQ(Unstuff(wire), "Subject: dots\r\n\r\n.\r\n..\r\n.hidden\r\nbare LF\r\nmixed\r\n.\r\n");
}

TEST(SmtpClient, SizeAboveTheServerLimitIsBouncedWithoutSending) {
  Conversation c(Options());
  c.Ready(kEhloFull);  // SIZE 10000
  const std::string big(10001, 'x');
  c.client.SendMessage(Message({"a@x", "b@x"}, big));
  EXPECT_EQ(c.Sent(), "");
  EXPECT_EQ(c.client.want(), Want::kMessage);
  MessageOutcome outcome = c.Outcome();
  EXPECT_EQ(Fates(outcome), (std::vector<Fate>{Fate::kBounced, Fate::kBounced}));
  EXPECT_EQ(outcome.recipients[0].reply.code, 552);
  EXPECT_EQ(outcome.recipients[0].reply.status, "5.3.4");
  EXPECT_FALSE(outcome.recipients[0].remote);
  EXPECT_EQ(outcome.recipients[0].host, kPeer);
  // The declared size counts, not only the bytes at hand.
  OutgoingMessage declared = Message({"a@x"}, "small\n");
  declared.size = 20000;
  c.client.SendMessage(declared);
  EXPECT_EQ(Fates(c.Outcome()), std::vector<Fate>{Fate::kBounced});
}

TEST(SmtpClient, EightBitBodyGoesAsIsToAn8BitMimeServer) {
  Conversation c(Options());
  c.Ready(kEhloFull);
  OutgoingMessage message = Message({"a@x"}, "Subject: x\n\ncaf\xc3\xa9\n");
  message.eight_bit = true;
  c.client.SendMessage(message);
  EXPECT_EQ(c.Sent(),
            "MAIL FROM:<ana@example.org> SIZE=21 BODY=8BITMIME\r\nRCPT TO:<a@x>\r\nDATA\r\n");
  c.Server("250 Ok\r\n250 Ok\r\n354 go\r\n");
  EXPECT_EQ(c.Sent(), "Subject: x\r\n\r\ncaf\xc3\xa9\r\n.\r\n");
}

TEST(SmtpClient, EightBitBodyIsConvertedForAServerWithout8BitMime) {
  const std::string body =
      "From: ana@example.org\nSubject: report\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=zz\n\n--zz\n"
      "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
      "Ol\xc3\xa1, o relat\xc3\xb3rio.\n.\n--zz\nContent-Type: image/png\n\n\x89PNG\r\n\x1a\n"
      "--zz--\n";
  Conversation c(Options());
  c.Ready(kEhloBare);
  OutgoingMessage message = Message({"a@x"}, body);
  message.eight_bit = true;
  c.client.SendMessage(message);
  EXPECT_EQ(c.Sent(), "MAIL FROM:<ana@example.org>\r\n");
  c.Server("250 Ok\r\n");
  c.Sent();
  c.Server("250 Ok\r\n");
  c.Sent();
  c.Server("354 go\r\n");
  const std::string wire = c.Sent();
  EXPECT_FALSE(HasEightBit(wire));
  const std::string received = Unstuff(wire);
  const message::Part root = message::ParseMime(received, nullptr);
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[0].transfer_encoding, "quoted-printable");
  EXPECT_EQ(root.children[0].TextUtf8(nullptr), "Ol\xc3\xa1, o relat\xc3\xb3rio.\r\n.");
  EXPECT_EQ(root.children[1].transfer_encoding, "base64");
  EXPECT_EQ(root.children[1].DecodedBody(nullptr), "\x89PNG\r\n\x1a");
  c.Server("250 Ok\r\n");
  EXPECT_EQ(Fates(c.Outcome()), std::vector<Fate>{Fate::kDelivered});
}

TEST(SmtpClient, EightBitHeaderWithout8BitMimeBounces) {
  Conversation c(Options());
  c.Ready(kEhloBare);
  OutgoingMessage message = Message({"a@x"}, "Subject: caf\xc3\xa9\n\nx\n");
  message.eight_bit = true;
  c.client.SendMessage(message);
  EXPECT_EQ(c.Sent(), "");
  MessageOutcome outcome = c.Outcome();
  EXPECT_EQ(outcome.recipients[0].fate, Fate::kBounced);
  EXPECT_EQ(outcome.recipients[0].reply.status, "5.6.7");
}

TEST(SmtpClient, Smtputf8) {
  OutgoingMessage message =
      Message({"j\xc3\xb6rg@example.de"}, "Subject: gr\xc3\xbc\xc3\x9f\n\nx\n");
  message.eight_bit = true;
  message.smtputf8 = true;
  {
    Conversation c(Options());
    c.Ready(kEhloFull);
    c.client.SendMessage(message);
    EXPECT_EQ(c.Sent(),
              "MAIL FROM:<ana@example.org> SIZE=22 BODY=8BITMIME SMTPUTF8\r\n"
              "RCPT TO:<j\xc3\xb6rg@example.de>\r\nDATA\r\n");
  }
  {
    // RFC 6531 §3.2: no SMTPUTF8, no delivery; a clean 5.6.7 bounce, nothing sent.
    Conversation c(Options());
    c.Ready("250-mx\r\n250-8BITMIME\r\n250 PIPELINING\r\n");
    c.client.SendMessage(message);
    EXPECT_EQ(c.Sent(), "");
    MessageOutcome outcome = c.Outcome();
    EXPECT_EQ(outcome.recipients[0].fate, Fate::kBounced);
    EXPECT_EQ(outcome.recipients[0].reply.code, 550);
    EXPECT_EQ(outcome.recipients[0].reply.status, "5.6.7");
  }
}

TEST(SmtpClient, AddressesThatWouldInjectCommandsAreNeverSent) {
  Conversation c(Options());
  c.Ready(kEhloFull);
  c.client.SendMessage(Message({"evil@x>\r\nRSET", "good@x"}, "x\n"));
  EXPECT_EQ(c.Sent(), "MAIL FROM:<ana@example.org> SIZE=3\r\nRCPT TO:<good@x>\r\nDATA\r\n");
  c.Server("250 Ok\r\n250 Ok\r\n354 go\r\n");
  c.Sent();
  c.Server("250 Ok\r\n");
  MessageOutcome outcome = c.Outcome();
  EXPECT_EQ(Fates(outcome), (std::vector<Fate>{Fate::kBounced, Fate::kDelivered}));
  EXPECT_EQ(outcome.recipients[0].reply.status, "5.1.3");
}

TEST(SmtpClient, DropInTheMiddleOfTheDataDefersTheAcceptedRecipients) {
  Conversation c(Options());
  c.Ready("250-mx\r\n250 PIPELINING\r\n");
  std::string body(200000, 'x');  // several chunks
  c.client.SendMessage(Message({"a@x", "gone@x"}, body));
  c.Sent();
  c.Server("250 Ok\r\n250 Ok\r\n550 5.1.1 gone\r\n354 go\r\n");
  ASSERT_EQ(c.client.want(), Want::kWrite);
  EXPECT_FALSE(c.client.TakeOutput().empty());
  ASSERT_EQ(c.client.want(), Want::kWrite);
  c.client.OnConnectionLost();
  EXPECT_EQ(c.client.want(), Want::kClose);
  MessageOutcome outcome = c.Outcome();
  EXPECT_EQ(Fates(outcome), (std::vector<Fate>{Fate::kDeferred, Fate::kBounced}));
  EXPECT_TRUE(outcome.recipients[0].try_next_host);
  EXPECT_FALSE(outcome.recipients[0].remote);
  EXPECT_EQ(outcome.recipients[0].reply.status, "4.4.2");
  EXPECT_EQ(outcome.recipients[1].reply.ToString(), "550 5.1.1 gone");
  ASSERT_TRUE(c.client.failure());
  EXPECT_EQ(c.client.failure()->kind, SessionFailure::Kind::kConnectionLost);
}

TEST(SmtpClient, NoFinalReplyMeansNotDelivered) {
  Conversation c(Options());
  c.Ready(kEhloFull);
  c.client.SendMessage(Message({"a@x"}, "x\n"));
  c.Sent();
  c.Server("250 Ok\r\n250 Ok\r\n354 go\r\n");
  EXPECT_EQ(c.Sent(), "x\r\n.\r\n");
  c.Server("250 2.0.0 Ok: qu");  // cut off before the line ends
  c.client.OnTimeout();
  MessageOutcome outcome = c.Outcome();
  EXPECT_EQ(Fates(outcome), std::vector<Fate>{Fate::kDeferred});
  EXPECT_EQ(c.client.failure()->kind, SessionFailure::Kind::kTimeout);
  EXPECT_EQ(c.client.want(), Want::kClose);
  EXPECT_EQ(c.Sent(), "");  // no QUIT into a conversation out of step
}

TEST(SmtpClient, ServiceClosingMidTransaction) {
  Conversation c(Options());
  c.Ready(kEhloBare);
  c.client.SendMessage(Message({"a@x", "b@x"}, "x\n"));
  c.Sent();
  c.Server("250 Ok\r\n");
  c.Sent();
  c.Server("550 5.1.1 no a\r\n");
  c.Sent();
  c.Server("421 4.3.2 Shutting down\r\n");
  EXPECT_EQ(c.client.want(), Want::kClose);
  EXPECT_EQ(c.Sent(), "");
  MessageOutcome outcome = c.Outcome();
  EXPECT_EQ(Replies(outcome),
            (std::vector<std::string>{"550 5.1.1 no a", "421 4.3.2 Shutting down"}));
  EXPECT_EQ(Fates(outcome), (std::vector<Fate>{Fate::kBounced, Fate::kDeferred}));
  EXPECT_TRUE(outcome.recipients[1].remote);
  EXPECT_EQ(c.client.failure()->kind, SessionFailure::Kind::kServiceClosing);
}

TEST(SmtpClient, ServiceClosingWhileIdle) {
  Conversation c(Options());
  c.Ready(kEhloFull);
  c.Server("421 4.4.2 Idle timeout\r\n");
  EXPECT_EQ(c.client.want(), Want::kClose);
  EXPECT_EQ(c.client.failure()->kind, SessionFailure::Kind::kServiceClosing);
  EXPECT_FALSE(c.client.TakeOutcome());
}

TEST(SmtpClient, UnsolicitedRepliesAreProtocolErrors) {
  Conversation c(Options());
  c.Ready(kEhloFull);
  c.Server("250 surprise\r\n");
  EXPECT_EQ(c.client.want(), Want::kClose);
  EXPECT_EQ(c.client.failure()->kind, SessionFailure::Kind::kProtocolError);
}

TEST(SmtpClient, ReplyBeforeTheDataEndsIsAProtocolError) {
  Conversation c(Options());
  c.Ready("250-mx\r\n250 PIPELINING\r\n");
  std::string body(200000, 'x');
  c.client.SendMessage(Message({"a@x"}, body));
  c.Sent();
  c.Server("250 Ok\r\n250 Ok\r\n354 go\r\n");
  c.client.TakeOutput();
  c.Server("250 2.0.0 Ok: queued\r\n");  // before "." was sent: not believed
  EXPECT_EQ(c.client.want(), Want::kClose);
  EXPECT_EQ(Fates(c.Outcome()), std::vector<Fate>{Fate::kDeferred});
}

TEST(SmtpClient, MalformedRepliesMidTransactionDeferEveryone) {
  const std::vector<std::string> cases = {"250 Ok\r\n25O Ok\r\n", "250 Ok\r\n250-Ok\r\n550 no\r\n",
                                          "250 Ok\r\n250 Ok\r\n220 what\r\n",
                                          "250 Ok\r\n" + std::string(2000, 'A')};
  for (const std::string& garbage : cases) {
    Conversation c(Options());
    c.Ready(kEhloFull);
    c.client.SendMessage(Message({"a@x"}, "x\n"));
    c.Sent();
    c.Server(garbage);
    EXPECT_EQ(c.client.want(), Want::kClose) << garbage;
    EXPECT_EQ(c.client.failure()->kind, SessionFailure::Kind::kProtocolError) << garbage;
    MessageOutcome outcome = c.Outcome();
    EXPECT_EQ(Fates(outcome), std::vector<Fate>{Fate::kDeferred}) << garbage;
    EXPECT_TRUE(outcome.recipients[0].try_next_host);
  }
}

TEST(SmtpClient, MessageWithoutRecipientsHasAnEmptyOutcome) {
  Conversation c(Options());
  c.Ready(kEhloFull);
  c.client.SendMessage(Message({}, "x\n"));
  EXPECT_EQ(c.Sent(), "");
  EXPECT_TRUE(c.Outcome().recipients.empty());
  EXPECT_EQ(c.client.want(), Want::kMessage);
}

}  // namespace
}  // namespace pigeon::mta::client
