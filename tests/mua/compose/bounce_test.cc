#include "mua/compose/bounce.h"

#include <gtest/gtest.h>

#include "tests/mua/compose/sample_messages.h"

namespace pigeon::mua::compose {
namespace {

TEST(ParseBounceAddresses, CommaSeparatedFullAddresses) {
  Result<std::vector<message::Mailbox>> got =
      ParseBounceAddresses("bob@example.org, Carol <carol@remote.test>");
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].AddrSpec(), "bob@example.org");
  EXPECT_EQ((*got)[1], (message::Mailbox{"Carol", "carol", "remote.test"}));
}

TEST(ParseBounceAddresses, Errors) {
  struct Case {
    const char* text;
    const char* want;
  } cases[] = {
      {"", "No recipients."},
      {"  ", "No recipients."},
      {"bob", "\"bob\" is not a full address"},
      {"bob@example.org, carol", "\"carol\" is not a full address"},
      {"<unclosed@example.org", "Cannot read the addresses"},
  };
  for (const Case& c : cases) {
    Result<std::vector<message::Mailbox>> got = ParseBounceAddresses(c.text);
    ASSERT_FALSE(got) << c.text;
    EXPECT_EQ(got.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(got.error().message.find(c.want), std::string::npos)
        << "got " << got.error().message << ", want " << c.want;
  }
}

ResentFields Resent() {
  ResentFields resent;
  resent.from = {"Ada Lovelace", "ada", "example.org"};
  resent.to = {{"", "bob", "remote.test"}, {"山田太郎", "taro", "example.jp"}};
  resent.date = "Sun, 29 Nov 2026 19:00:00 +0000";
  resent.message_id = "<r1@example.org>";
  return resent;
}

TEST(BouncedMessage, ResentBlockInFrontOfTheUnchangedOriginal) {
  const std::string original = SampleOriginalCrlf();
  EXPECT_EQ(BouncedMessage(original, Resent()),
            "Resent-From: Ada Lovelace <ada@example.org>\r\n"
            "Resent-To: bob@remote.test, =?UTF-8?B?5bGx55Sw5aSq6YOO?= <taro@example.jp>\r\n"
            "Resent-Date: Sun, 29 Nov 2026 19:00:00 +0000\r\n"
            "Resent-Message-ID: <r1@example.org>\r\n" +
                original);
}

TEST(BouncedMessage, ParsesAsTheOriginalWithResentFields) {
  const message::Message bounced(BouncedMessage(SampleOriginalCrlf(), Resent()));
  EXPECT_EQ(bounced.AddressesOf("Resent-To").size(), 2u);
  EXPECT_EQ(bounced.MessageId(), "<p2@example.org>");
  EXPECT_EQ(bounced.Subject(), "Café plans");
  EXPECT_EQ(bounced.FirstTextPlain(), "Café at noon?\r\n\r\nAda\r\n");
}

TEST(BouncedMessage, ALongRecipientListIsFolded) {
  ResentFields resent = Resent();
  resent.to.clear();
  for (int i = 0; i < 20; ++i) resent.to.push_back({"", "someone" + std::to_string(i), "x.org"});
  const std::string bounced = BouncedMessage("Subject: x\r\n\r\nx\r\n", resent);
  const std::string header = bounced.substr(0, bounced.find("\r\n\r\n"));
  size_t start = 0;
  for (size_t end; (end = header.find("\r\n", start)) != std::string::npos; start = end + 2) {
    EXPECT_LE(end - start, 78u) << header;
  }
  EXPECT_EQ(message::Message(bounced).AddressesOf("Resent-To").size(), 20u);
}

TEST(BouncedMessage, BareLineFeedsBecomeCrlf) {
  const std::string bounced = BouncedMessage(SampleOriginalText(), Resent());
  EXPECT_TRUE(
      bounced.ends_with("\r\nResent-Message-ID: <r1@example.org>\r\n" + SampleOriginalCrlf()))
      << bounced;
}

TEST(BouncedMessage, AnMboxFromLineIsDropped) {
  EXPECT_EQ(BouncedMessage("From a@x Mon Jan  1 00:00:00 2024\r\nSubject: x\r\n\r\nx\r\n", Resent())
                .find("From a@x"),
            std::string::npos);
}

TEST(BouncedMessage, TheReturnPathOfTheDeliveredCopyIsDropped) {
  const std::string bounced = BouncedMessage(
      "Return-Path: <a@x>\r\nreturn-path:\r\n <b@x>\r\nSubject: x\r\n\r\nReturn-Path: body\r\n",
      Resent());
  EXPECT_EQ(bounced.find("<a@x>"), std::string::npos) << bounced;
  EXPECT_EQ(bounced.find("<b@x>"), std::string::npos) << bounced;
  EXPECT_TRUE(bounced.ends_with("\r\nSubject: x\r\n\r\nReturn-Path: body\r\n")) << bounced;
}

}  // namespace
}  // namespace pigeon::mua::compose
