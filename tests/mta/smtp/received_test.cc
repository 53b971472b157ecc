#include "mta/smtp/received.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/message/field_fold.h"

namespace pigeon::mta::smtp {
namespace {

constexpr std::string_view kDate = "Tue, 14 Nov 2023 22:13:20 +0000";

std::vector<std::string> Lines(const std::string& field) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = field.find("\r\n", start)) != std::string::npos; start = end + 2) {
    lines.push_back(field.substr(start, end - start));
  }
  return lines;
}

// Well-formed, CRLF-terminated, and folded below 78 columns.
void CheckShape(const std::string& field) {
  ASSERT_TRUE(field.ends_with("\r\n")) << field;
  EXPECT_TRUE(message::IsWellFormedField(field.substr(0, field.size() - 2))) << field;
  for (const std::string& line : Lines(field)) EXPECT_LT(line.size(), 78u) << line;
}

TEST(ReceivedTest, WithProtocolKeywords) {
  struct Case {
    bool esmtp, smtputf8, tls, auth;
    std::string_view want;
  };
  const Case cases[] = {
      {false, false, false, false, "SMTP"},   {false, false, true, false, "SMTP"},
      {true, false, false, false, "ESMTP"},   {true, false, false, true, "ESMTPA"},
      {true, false, true, false, "ESMTPS"},   {true, false, true, true, "ESMTPSA"},
      {true, true, false, false, "UTF8SMTP"}, {true, true, false, true, "UTF8SMTPA"},
      {true, true, true, false, "UTF8SMTPS"}, {true, true, true, true, "UTF8SMTPSA"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(WithProtocol(c.esmtp, c.smtputf8, c.tls, c.auth), c.want) << c.want;
  }
}

TEST(ReceivedTest, FormatsTheTraceField) {
  const std::string field = FormatReceived({
      .helo = "mail.example.com",
      .peer_address = "192.0.2.1",
      .peer_name = "mail.example.com",
      .hostname = "mx.example.org",
      .protocol = "ESMTPS",
      .tls_version = "TLSv1.3",
      .tls_cipher = "TLS_AES_256_GCM_SHA384",
      .queue_id = "4SV1x22x3Qz9sW3",
      .recipient = "ada@example.org",
      .date = kDate,
  });
  EXPECT_EQ(field,
            "Received: from mail.example.com (mail.example.com [192.0.2.1])\r\n"
            "\tby mx.example.org (pigeond) with ESMTPS (TLSv1.3 TLS_AES_256_GCM_SHA384)\r\n"
            "\tid 4SV1x22x3Qz9sW3 for <ada@example.org>; Tue, 14 Nov 2023 22:13:20 +0000\r\n");
  CheckShape(field);
}

TEST(ReceivedTest, PlainSessionUnknownNameIpv6NoRecipient) {
  const std::string field = FormatReceived({
      .helo = "[IPv6:2001:db8::7]",
      .peer_address = "2001:db8::7",
      .hostname = "mx.example.org",
      .protocol = "SMTP",
      .queue_id = "Q1",
      .date = kDate,
  });
  EXPECT_EQ(field,
            "Received: from [IPv6:2001:db8::7] (unknown [IPv6:2001:db8::7])\r\n"
            "\tby mx.example.org (pigeond) with SMTP id Q1; Tue, 14 Nov 2023 22:13:20 +0000\r\n");
  CheckShape(field);
}

TEST(ReceivedTest, HostileHeloAndNameCannotForgeTheField) {
  const std::string helo =
      "evil\r\nX-Injected: yes (mail.google.com [8.8.8.8]) by mx.google.com;\x01\xff";
  const std::string field = FormatReceived({
      .helo = helo,
      .peer_address = "192.0.2.9",
      .peer_name = "a(b)c\n;d",
      .hostname = "mx.example.org",
      .protocol = "ESMTP",
      .queue_id = "Q2",
      .recipient = "\"a b\"@example.org",
      .date = kDate,
  });
  EXPECT_EQ(field.find("\nX-"), std::string::npos) << field;
  EXPECT_NE(field.find("evil??X-Injected:?yes??mail.google.com?[8.8.8.8]??by?mx.google.com???"),
            std::string::npos)
      << field;
  EXPECT_NE(field.find("(a?b?c??d [192.0.2.9])"), std::string::npos) << field;
  EXPECT_NE(field.find("for <\"a b\"@example.org>;"), std::string::npos) << field;
  CheckShape(field);
}

TEST(ReceivedTest, SanitizesAndBoundsNames) {
  EXPECT_EQ(SanitizeTraceName("Mail-1.example_host.org"), "Mail-1.example_host.org");
  EXPECT_EQ(SanitizeTraceName("[192.0.2.1]"), "[192.0.2.1]");
  EXPECT_EQ(SanitizeTraceName("a b(c);d\r\n\xc3\xa9"), "a?b?c??d????");
  EXPECT_EQ(SanitizeTraceName(std::string(1000, 'a')).size(), kMaxTraceName);
}

TEST(ReceivedTest, LongHeloStaysOneWordButTheRestIsFolded) {
  const std::string helo(kMaxTraceName + 50, 'h');
  const std::string field = FormatReceived({.helo = helo,
                                            .peer_address = "192.0.2.1",
                                            .hostname = "mx.example.org",
                                            .protocol = "ESMTP",
                                            .queue_id = "Q3",
                                            .date = kDate});
  ASSERT_TRUE(field.ends_with("\r\n"));
  EXPECT_TRUE(message::IsWellFormedField(field.substr(0, field.size() - 2)));
  EXPECT_NE(field.find(std::string(kMaxTraceName, 'h') + "\r\n"), std::string::npos) << field;
  EXPECT_EQ(field.find(std::string(kMaxTraceName + 1, 'h')), std::string::npos) << field;
  for (const std::string& line : Lines(field)) {
    if (line.find(std::string(100, 'h')) == std::string::npos) {
      EXPECT_LT(line.size(), 78u);
    }
  }
}

TEST(ReceivedTest, CountsReceivedFieldsInTheHeaderOnly) {
  struct Case {
    const char* name;
    std::string_view got;
    size_t want;
  };
  const Case cases[] = {
      {"none", "Subject: x\r\n\r\nbody\r\n", 0},
      {"two", "Received: a\r\nreceived : b\r\n\tfolded\r\nSubject: x\r\n\r\n", 2},
      {"lf line ends", "Received: a\nReceived: b\n\n", 2},
      {"body ignored", "Subject: x\r\n\r\nReceived: a\r\nReceived: b\r\n", 0},
      {"no body", "Received: a\r\n", 1},
      {"similar names", "Received-SPF: pass\r\nX-Received: a\r\n\r\n", 0},
      {"empty", "", 0},
  };
  for (const Case& c : cases) EXPECT_EQ(CountReceivedFields(c.got), c.want) << c.name;
  std::string loop;
  for (int i = 0; i < 60; ++i) loop += "Received: from x by y; " + std::string(kDate) + "\r\n";
  EXPECT_EQ(CountReceivedFields(loop + "\r\nbody\r\n"), 60u);
}

}  // namespace
}  // namespace pigeon::mta::smtp
