#include "mta/queue/dsn.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include "common/message/date.h"
#include "common/message/header.h"
#include "common/message/message.h"
#include "common/message/mime.h"

namespace pigeon::mta::queue {
namespace {

using message::Message;
using message::Part;

constexpr int64_t kArrival = 1'800'000'000;
constexpr int64_t kNow = kArrival + 5 * 24 * 3600;

constexpr std::string_view kOriginal =
    "Received: from client.example.org by mx.example.org; Tue, 15 Jan 2027 08:00:00 +0000\r\n"
    "From: Alice <alice@example.org>\r\n"
    "To: bob@example.net, carol@example.com\r\n"
    "Subject: Lunch\r\n"
    "Message-ID: <lunch.1@example.org>\r\n"
    "\r\n"
    "Noon at the usual place?\r\n";

DsnRequest BounceRequest() {
  DsnRequest request;
  request.reporting_host = "mx.example.org";
  request.envelope_sender = "alice@example.org";
  request.queue_id = "01JD4Q7ZB2N8XK";
  request.arrival = kArrival;
  request.now = kNow;
  request.message_id = "<20270115080000.1f2e3d4c5b6a7980@mx.example.org>";
  request.original = kOriginal;
  request.recipients.push_back({.address = "bob@example.net",
                                .action = DsnAction::kFailed,
                                .status = "5.1.1",
                                .remote_mta = "mx.example.net",
                                .diagnostic = "550 5.1.1 <bob@example.net>: Recipient address "
                                              "rejected: User unknown in local recipient table",
                                .last_attempt = kNow - 60});
  request.recipients.push_back(
      {.address = "carol@example.com", .action = DsnAction::kFailed, .status = "4.4.7"});
  return request;
}

std::string MustBuild(const DsnRequest& request) {
  Result<std::string> got = BuildDsn(request);
  EXPECT_TRUE(got.has_value()) << (got ? "" : got.error().message);
  return got.value_or("");
}

// Every line ends in CRLF, no bare CR or LF, none longer than 998 octets, no NUL.
void ExpectWellFormedLines(std::string_view text) {
  ASSERT_TRUE(text.ends_with("\r\n"));
  EXPECT_EQ(text.find('\0'), std::string_view::npos);
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find("\r\n", start);
    ASSERT_NE(end, std::string_view::npos);
    const std::string_view line = text.substr(start, end - start);
    EXPECT_EQ(line.find_first_of("\r\n"), std::string_view::npos) << "bare CR or LF: " << line;
    EXPECT_LE(line.size(), 998u) << line.substr(0, 80);
    start = end + 2;
  }
}

std::string Get(const Part& part, std::string_view name) {
  return part.header.Get(name).value_or("<missing>");
}

int64_t DateOf(const Part& part, std::string_view name) {
  std::optional<message::DateTime> date =
      message::ParseDate(part.header.Get(name).value_or(""), nullptr);
  return date ? date->utc_seconds : -1;
}

TEST(DsnTest, BounceHasTheReportStructure) {
  const std::string raw = MustBuild(BounceRequest());
  ExpectWellFormedLines(raw);
  const Message dsn(raw);

  EXPECT_EQ(dsn.header().Get("From"), "\"Mail Delivery System\" <MAILER-DAEMON@mx.example.org>");
  EXPECT_EQ(dsn.header().Get("To"), "alice@example.org");
  EXPECT_EQ(dsn.Subject(), "Undelivered Mail Returned to Sender");
  EXPECT_EQ(dsn.MessageId(), "<20270115080000.1f2e3d4c5b6a7980@mx.example.org>");
  EXPECT_EQ(dsn.header().Get("Auto-Submitted"), "auto-replied");
  EXPECT_EQ(dsn.header().Get("MIME-Version"), "1.0");
  ASSERT_TRUE(dsn.Date());
  EXPECT_EQ(dsn.Date()->utc_seconds, kNow);

  const Part& root = dsn.Mime();
  EXPECT_EQ(root.content_type, "multipart/report");
  EXPECT_EQ(root.content_type_field.Param("report-type"), "delivery-status");
  EXPECT_EQ(root.transfer_encoding, "7bit");
  ASSERT_EQ(root.children.size(), 3u);
  EXPECT_EQ(root.children[0].content_type, "text/plain");
  EXPECT_EQ(root.children[1].content_type, "message/delivery-status");
  EXPECT_EQ(root.children[2].content_type, "text/rfc822-headers");
}

TEST(DsnTest, TextPartExplainsWhatFailed) {
  const std::string raw = MustBuild(BounceRequest());
  const Message dsn(raw);
  const Part& text = dsn.Mime().children[0];
  EXPECT_EQ(text.charset, "us-ascii");
  const std::string body = text.TextUtf8(nullptr);
  EXPECT_NE(body.find("This is the mail system at host mx.example.org."), std::string::npos);
  EXPECT_NE(body.find("<bob@example.net>: host mx.example.net said: 550 5.1.1"), std::string::npos)
      << body;
  EXPECT_NE(body.find("User unknown"), std::string::npos);
  EXPECT_NE(body.find("<carol@example.com>: failed (status 4.4.7)"), std::string::npos) << body;
  EXPECT_NE(body.find("header of your message"), std::string::npos);
  size_t start = 0;
  while (start < body.size()) {  // wrapped for reading
    size_t end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    EXPECT_LE(end - start, 78u) << body.substr(start, end - start);
    start = end + 1;
  }
}

TEST(DsnTest, DeliveryStatusFields) {
  DsnRequest request = BounceRequest();
  request.envelope_id = "QQ314159";
  request.recipients[1].original_recipient = "postmaster@example.com";
  const std::string raw = MustBuild(request);
  const Message dsn(raw);
  const Part& status = dsn.Mime().children[1];
  ASSERT_EQ(status.children.size(), 3u);

  const Part& message_fields = status.children[0];
  EXPECT_EQ(Get(message_fields, "Original-Envelope-Id"), "QQ314159");
  EXPECT_EQ(Get(message_fields, "Reporting-MTA"), "dns; mx.example.org");
  EXPECT_EQ(Get(message_fields, "X-Queue-ID"), "01JD4Q7ZB2N8XK");
  EXPECT_EQ(DateOf(message_fields, "Arrival-Date"), kArrival);

  const Part& bob = status.children[1];
  EXPECT_EQ(Get(bob, "Final-Recipient"), "rfc822; bob@example.net");
  EXPECT_FALSE(bob.header.Get("Original-Recipient"));
  EXPECT_EQ(Get(bob, "Action"), "failed");
  EXPECT_EQ(Get(bob, "Status"), "5.1.1");
  EXPECT_EQ(Get(bob, "Remote-MTA"), "dns; mx.example.net");
  EXPECT_EQ(Get(bob, "Diagnostic-Code"),
            "smtp; 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in "
            "local recipient table");
  EXPECT_EQ(DateOf(bob, "Last-Attempt-Date"), kNow - 60);
  EXPECT_FALSE(bob.header.Get("Will-Retry-Until"));

  const Part& carol = status.children[2];
  EXPECT_EQ(Get(carol, "Original-Recipient"), "rfc822; postmaster@example.com");
  EXPECT_EQ(Get(carol, "Final-Recipient"), "rfc822; carol@example.com");
  EXPECT_EQ(Get(carol, "Status"), "4.4.7");
  EXPECT_FALSE(carol.header.Get("Remote-MTA"));
  EXPECT_FALSE(carol.header.Get("Diagnostic-Code"));
  EXPECT_EQ(DateOf(carol, "Last-Attempt-Date"), kNow);
  // RFC 3464's order: Original-Recipient before Final-Recipient.
  EXPECT_EQ(carol.header.fields()[0].name, "Original-Recipient");

  // The per-message block comes without X-Queue-ID and ENVID when they are unknown.
  request.queue_id = "";
  request.envelope_id.reset();
  const std::string bare = MustBuild(request);
  const Message bare_dsn(bare);
  const Part& bare_fields = bare_dsn.Mime().children[1].children[0];
  EXPECT_FALSE(bare_fields.header.Get("X-Queue-ID"));
  EXPECT_FALSE(bare_fields.header.Get("Original-Envelope-Id"));
}

TEST(DsnTest, ReturnsTheOriginalHeaderSectionByDefault) {
  const std::string raw = MustBuild(BounceRequest());
  const Message dsn(raw);
  const Part& returned = dsn.Mime().children[2];
  EXPECT_EQ(returned.content_type, "text/rfc822-headers");
  EXPECT_EQ(returned.body, message::SplitHeaderBody(kOriginal).header);
  EXPECT_EQ(raw.find("Noon at the usual place"), std::string::npos);
}

TEST(DsnTest, DelayWarning) {
  DsnRequest request = BounceRequest();
  request.now = kArrival + 4 * 3600;
  request.recipients.resize(1);
  request.recipients[0].action = DsnAction::kDelayed;
  request.recipients[0].status = "4.4.1";
  request.recipients[0].diagnostic =
      "connect to mx.example.net[192.0.2.1]:25: Connection timed out";
  request.recipients[0].remote_mta.reset();
  request.recipients[0].will_retry_until = kArrival + 5 * 24 * 3600;
  const std::string raw = MustBuild(request);
  ExpectWellFormedLines(raw);
  const Message dsn(raw);
  EXPECT_EQ(dsn.Subject(), "Delayed Mail (still being retried)");
  const Part& block = dsn.Mime().children[1].children[1];
  EXPECT_EQ(Get(block, "Action"), "delayed");
  EXPECT_EQ(Get(block, "Status"), "4.4.1");
  EXPECT_EQ(DateOf(block, "Will-Retry-Until"), kArrival + 5 * 24 * 3600);
  const std::string text = dsn.Mime().children[0].TextUtf8(nullptr);
  EXPECT_NE(text.find("warning only"), std::string::npos) << text;
  EXPECT_NE(text.find("4 hours"), std::string::npos) << text;
}

TEST(DsnTest, FailureWinsOverDelayAndSuccessReports) {
  DsnRequest request = BounceRequest();
  request.recipients[1].action = DsnAction::kDelayed;
  EXPECT_EQ(Message(MustBuild(request)).Subject(), "Undelivered Mail Returned to Sender");
  for (DsnAction action : {DsnAction::kDelivered, DsnAction::kRelayed, DsnAction::kExpanded}) {
    request.recipients[0].action = action;
    request.recipients[0].status = "2.0.0";
    request.recipients[1].action = action;
    request.recipients[1].status = "2.0.0";
    const Message dsn(MustBuild(request));
    EXPECT_EQ(dsn.Subject(), "Successful Mail Delivery Report");
    EXPECT_EQ(Get(dsn.Mime().children[1].children[1], "Action"), DsnActionName(action));
  }
}

TEST(DsnTest, NeverForTheNullSender) {
  for (std::string_view sender : {"", "<>"}) {
    DsnRequest request = BounceRequest();
    request.envelope_sender = sender;
    Result<std::string> got = BuildDsn(request);
    ASSERT_FALSE(got) << sender;
    EXPECT_EQ(got.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(got.error().message.find("null sender"), std::string::npos);
  }
}

TEST(DsnTest, RefusesBadRequests) {
  struct Case {
    const char* name;
    void (*change)(DsnRequest&);
  };
  const Case cases[] = {
      {"no recipients", [](DsnRequest& r) { r.recipients.clear(); }},
      {"no host", [](DsnRequest& r) { r.reporting_host.clear(); }},
      {"no message id", [](DsnRequest& r) { r.message_id.clear(); }},
      {"header injection in host", [](DsnRequest& r) { r.reporting_host = "a\r\nBcc: x@y"; }},
      {"newline in sender", [](DsnRequest& r) { r.envelope_sender = "a@b\nBcc: x@y"; }},
      {"newline in address", [](DsnRequest& r) { r.recipients[0].address = "a@b\r\nX: y"; }},
      {"empty address", [](DsnRequest& r) { r.recipients[0].address.clear(); }},
      {"bad status", [](DsnRequest& r) { r.recipients[0].status = "5.1"; }},
      {"status class 3", [](DsnRequest& r) { r.recipients[0].status = "3.1.1"; }},
      {"status too long", [](DsnRequest& r) { r.recipients[0].status = "5.1234.1"; }},
      {"status trailing", [](DsnRequest& r) { r.recipients[0].status = "5.1.1 "; }},
      {"tab in remote", [](DsnRequest& r) { r.recipients[0].remote_mta = "a\tb"; }},
      {"bad diagnostic type", [](DsnRequest& r) { r.recipients[0].diagnostic_type = "smtp; x"; }},
      {"invalid utf-8", [](DsnRequest& r) { r.recipients[0].address = "\xff@b"; }},
      {"huge address", [](DsnRequest& r) { r.recipients[0].address = std::string(600, 'a'); }},
      {"non-ascii queue id", [](DsnRequest& r) { r.queue_id = "é"; }},
  };
  for (const Case& c : cases) {
    DsnRequest request = BounceRequest();
    c.change(request);
    Result<std::string> got = BuildDsn(request);
    ASSERT_FALSE(got) << c.name;
    EXPECT_EQ(got.error().code, ErrorCode::kInvalidArgument) << c.name;
  }
}

TEST(DsnTest, HostileDiagnosticsBecomeOneFoldedLine) {
  DsnRequest request = BounceRequest();
  request.recipients[0].diagnostic =
      "550-5.7.1 first line\r\n550-5.7.1 second\tline\x01\r\n550 5.7.1 " + std::string(300, 'w') +
      " " + std::string(2000, 'x') + "\xc3\xa9";
  const std::string raw = MustBuild(request);
  ExpectWellFormedLines(raw);
  const Message dsn(raw);
  const std::string code = Get(dsn.Mime().children[1].children[1], "Diagnostic-Code");
  EXPECT_TRUE(code.starts_with("smtp; 550-5.7.1 first line 550-5.7.1 second line 550 5.7.1 www"))
      << code.substr(0, 100);
  EXPECT_LE(code.size(), 6 + 900u);
  EXPECT_TRUE(code.ends_with("x..."));
  EXPECT_EQ(code.find('\x01'), std::string::npos);

  // Short enough to keep the end, non-ASCII turns into "?" in a 7-bit report.
  request.recipients[0].diagnostic = "550 5.1.1 no such user: j\xc3\xb6ran";
  const Message dsn2(MustBuild(request));
  EXPECT_EQ(Get(dsn2.Mime().children[1].children[1], "Diagnostic-Code"),
            "smtp; 550 5.1.1 no such user: j??ran");
  EXPECT_EQ(dsn2.Mime().children[0].charset, "us-ascii");
}

TEST(DsnTest, BoundaryNeverOccursInTheOriginal) {
  const std::string first = MustBuild(BounceRequest());
  const std::string boundary = *Message(first).Mime().content_type_field.Param("boundary");
  ASSERT_FALSE(boundary.empty());
  EXPECT_LE(boundary.size(), 70u);

  // An original that holds exactly that boundary (and the next few candidates).
  std::string hostile(kOriginal.substr(0, kOriginal.find("\r\n\r\n") + 2));
  hostile += "X-Trap: --" + boundary + "\r\n";
  for (int i = 1; i < 4; ++i) hostile += "X-Trap: " + boundary + "=" + std::to_string(i) + "\r\n";
  hostile += "\r\n--" + boundary + "--\r\nbody\r\n";
  DsnRequest request = BounceRequest();
  request.original = hostile;
  for (ReturnContent content : {ReturnContent::kHeaders, ReturnContent::kFull}) {
    request.return_content = content;
    const std::string raw = MustBuild(request);
    const Message dsn(raw);
    const std::string chosen = *dsn.Mime().content_type_field.Param("boundary");
    EXPECT_EQ(hostile.find(chosen), std::string::npos) << chosen;
    ASSERT_EQ(dsn.Mime().children.size(), 3u);
    EXPECT_NE(dsn.Mime().children[2].body.find("X-Trap: --" + boundary), std::string::npos);
  }
}

TEST(DsnTest, EightBitHeadersGoInGlobalHeaders) {
  const std::string original =
      "From: J\xc3\xb6ran <joran@example.org>\r\nSubject: Gr\xc3\xbc\xc3\x9f"
      "e\r\n\r\nHallo\r\n";
  DsnRequest request = BounceRequest();
  request.original = original;
  const std::string raw = MustBuild(request);
  ExpectWellFormedLines(raw);
  const Message dsn(raw);
  const Part& root = dsn.Mime();
  EXPECT_EQ(root.transfer_encoding, "8bit");
  const Part& returned = root.children[2];
  EXPECT_EQ(returned.content_type, "message/global-headers");  // RFC 6533 §6.3
  EXPECT_EQ(returned.transfer_encoding, "8bit");
  EXPECT_EQ(returned.body, message::SplitHeaderBody(original).header);
  // The report itself stays 7-bit: only the addresses could make it UTF-8.
  EXPECT_EQ(root.children[1].content_type, "message/delivery-status");
}

TEST(DsnTest, Utf8RecipientsUseGlobalDeliveryStatus) {
  DsnRequest request = BounceRequest();
  request.envelope_sender =
      "j\xc3\xb6ran@b\xc3\xbc"
      "cher.example";
  request.recipients[0].address = "m\xc3\xbcller@example.de";
  request.recipients[0].original_recipient = "info@m\xc3\xbcller.example";
  request.recipients[0].diagnostic = "550 5.1.1 unbekannt: m\xc3\xbcller";
  const std::string raw = MustBuild(request);
  ExpectWellFormedLines(raw);
  const Message dsn(raw);
  const Part& root = dsn.Mime();
  EXPECT_EQ(root.content_type_field.Param("report-type"), "global-delivery-status");
  EXPECT_EQ(root.transfer_encoding, "8bit");
  EXPECT_EQ(dsn.header().Get("To"),
            "j\xc3\xb6ran@b\xc3\xbc"
            "cher.example");
  const Part& status = root.children[1];
  EXPECT_EQ(status.content_type, "message/global-delivery-status");
  EXPECT_EQ(status.transfer_encoding, "8bit");
  ASSERT_EQ(status.children.size(), 3u);
  EXPECT_EQ(Get(status.children[1], "Final-Recipient"), "utf-8; m\xc3\xbcller@example.de");
  EXPECT_EQ(Get(status.children[1], "Original-Recipient"), "utf-8; info@m\xc3\xbcller.example");
  EXPECT_EQ(Get(status.children[1], "Diagnostic-Code"), "smtp; 550 5.1.1 unbekannt: m\xc3\xbcller");
  EXPECT_EQ(Get(status.children[2], "Final-Recipient"), "rfc822; carol@example.com");
  const Part& text = root.children[0];
  EXPECT_EQ(text.charset, "utf-8");
  EXPECT_EQ(text.transfer_encoding, "8bit");
  EXPECT_NE(text.TextUtf8(nullptr).find("<m\xc3\xbcller@example.de>"), std::string::npos);
}

TEST(DsnTest, FullReturnCarriesTheWholeMessage) {
  DsnRequest request = BounceRequest();
  request.return_content = ReturnContent::kFull;
  const std::string raw = MustBuild(request);
  ExpectWellFormedLines(raw);
  const Message dsn(raw);
  const Part& returned = dsn.Mime().children[2];
  EXPECT_EQ(returned.content_type, "message/rfc822");
  EXPECT_EQ(returned.transfer_encoding, "7bit");
  ASSERT_EQ(returned.children.size(), 1u);
  EXPECT_EQ(returned.children[0].header.Get("Subject"), "Lunch");
  EXPECT_EQ(returned.body, kOriginal);
  EXPECT_NE(dsn.Mime().children[0].TextUtf8(nullptr).find("Your message is attached"),
            std::string::npos);
}

TEST(DsnTest, FullReturnOfEightBitMessages) {
  DsnRequest request = BounceRequest();
  request.return_content = ReturnContent::kFull;
  const std::string body_8bit = "Subject: hi\r\n\r\nK\xc3\xa4se\r\n";
  request.original = body_8bit;
  const Message dsn(MustBuild(request));
  EXPECT_EQ(dsn.Mime().children[2].content_type, "message/rfc822");
  EXPECT_EQ(dsn.Mime().children[2].transfer_encoding, "8bit");
  EXPECT_EQ(dsn.Mime().transfer_encoding, "8bit");

  const std::string header_8bit = "Subject: K\xc3\xa4se\r\n\r\nhi\r\n";
  request.original = header_8bit;
  const Message dsn2(MustBuild(request));
  EXPECT_EQ(dsn2.Mime().children[2].content_type, "message/global");  // RFC 6533 §6.1
  EXPECT_EQ(dsn2.Mime().children[2].transfer_encoding, "8bit");
}

TEST(DsnTest, FullReturnFallsBackToHeaders) {
  struct Case {
    const char* name;
    std::string original;
    size_t limit;
  };
  const std::string head = "Subject: big\r\n\r\n";
  const Case cases[] = {
      {"over the size cap", head + std::string(5000, 'a') + "\r\n", 1000},
      {"a line over 998", head + std::string(2000, 'a') + "\r\n", 1'000'000},
      {"a NUL byte", head + std::string("a\0b\r\n", 5), 1'000'000},
  };
  for (const Case& c : cases) {
    DsnRequest request = BounceRequest();
    request.return_content = ReturnContent::kFull;
    request.full_return_limit = c.limit;
    request.original = c.original;
    const std::string raw = MustBuild(request);
    ExpectWellFormedLines(raw);
    const Message dsn(raw);
    EXPECT_EQ(dsn.Mime().children[2].content_type, "text/rfc822-headers") << c.name;
    EXPECT_EQ(dsn.Mime().children[2].body, "Subject: big\r\n") << c.name;
    EXPECT_NE(dsn.Mime().children[0].TextUtf8(nullptr).find("header of your message"),
              std::string::npos)
        << c.name;
  }
}

TEST(DsnTest, HostileOriginalHeadersAreCarriedSafely) {
  const std::string original = "Subject: a\nX-Long: " + std::string(3000, 'y') + "\rX-Nul: a" +
                               std::string(1, '\0') + "b\n\nbody\n";
  DsnRequest request = BounceRequest();
  request.original = original;
  for (ReturnContent content : {ReturnContent::kHeaders, ReturnContent::kFull}) {
    request.return_content = content;
    const std::string raw = MustBuild(request);
    ExpectWellFormedLines(raw);
    const Message dsn(raw);
    const Part& returned = dsn.Mime().children[2];
    EXPECT_EQ(returned.content_type, "text/rfc822-headers");
    EXPECT_TRUE(returned.body.starts_with("Subject: a\r\nX-Long: yyy"));
    EXPECT_NE(returned.body.find("X-Nul: a b\r\n"), std::string::npos);
  }
  // LF-only originals come back with CRLF in full.
  request.original = "Subject: lf\n\nline\n";
  request.return_content = ReturnContent::kFull;
  const std::string raw = MustBuild(request);
  ExpectWellFormedLines(raw);
  EXPECT_EQ(Message(raw).Mime().children[2].body, "Subject: lf\r\n\r\nline\r\n");
}

TEST(DsnTest, EmptyOriginal) {
  DsnRequest request = BounceRequest();
  request.original = "";
  const std::string raw = MustBuild(request);
  ExpectWellFormedLines(raw);
  ASSERT_EQ(Message(raw).Mime().children.size(), 3u);
}

// Python's email package, an independent reader, agrees on the structure.
TEST(DsnTest, PythonEmailPackageReadsIt) {
  if (access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "no /usr/bin/python3";
  DsnRequest request = BounceRequest();
  request.envelope_id = "QQ314159";
  const std::string raw = MustBuild(request);
  const std::string path = testing::TempDir() + "/dsn_test_python_" + std::to_string(getpid());
  {
    std::ofstream file(path, std::ios::binary);
    file << raw;
  }
  const std::string script =
      "import email, email.policy, sys\n"
      "msg = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)\n"
      "assert msg.get_content_type() == 'multipart/report', msg.get_content_type()\n"
      "assert msg.get_param('report-type') == 'delivery-status'\n"
      "parts = msg.get_payload()\n"
      "assert [p.get_content_type() for p in parts] == ['text/plain', "
      "'message/delivery-status', 'text/rfc822-headers'], parts\n"
      "blocks = parts[1].get_payload()\n"
      "assert len(blocks) == 3, len(blocks)\n"
      "assert blocks[0]['Reporting-MTA'] == 'dns; mx.example.org'\n"
      "assert blocks[0]['Original-Envelope-Id'] == 'QQ314159'\n"
      "assert blocks[1]['Final-Recipient'] == 'rfc822; bob@example.net'\n"
      "assert blocks[1]['Action'] == 'failed'\n"
      "assert blocks[1]['Status'] == '5.1.1'\n"
      "assert blocks[2]['Final-Recipient'] == 'rfc822; carol@example.com'\n"
      "assert not msg.defects and not any(p.defects for p in msg.walk()), msg.defects\n";
  const std::string script_path = path + ".py";
  {
    std::ofstream file(script_path);
    file << script;
  }
  const std::string command = "/usr/bin/python3 " + script_path + " " + path;
  const int status = std::system(command.c_str());
  std::remove(path.c_str());
  std::remove(script_path.c_str());
  EXPECT_EQ(status, 0) << command;
}

}  // namespace
}  // namespace pigeon::mta::queue
