// The Message facade (message.cc) on messages shaped like what real mailers send: decoded
// Subject, From, Date, Message-ID, and the first text/plain part of the MIME tree.
#include "common/message/message.h"

#include <gtest/gtest.h>

#include <string>

namespace pigeon::message {
namespace {

// Thunderbird: multipart/alternative, quoted-printable UTF-8 text, an RFC 2047 subject.
constexpr std::string_view kThunderbird =
    "Message-ID: <3f1a2b4c-5d6e-7f80-91a2-b3c4d5e6f708@example.org>\r\n"
    "Date: Sat, 28 Nov 2026 10:15:30 +0100\r\n"
    "MIME-Version: 1.0\r\n"
    "User-Agent: Mozilla Thunderbird\r\n"
    "From: =?UTF-8?Q?Ren=C3=A9e_Dupont?= <renee@example.org>\r\n"
    "To: Bob <bob@example.net>\r\n"
    "Subject: =?UTF-8?Q?R=C3=A9union_de_d=C3=A9cembre?=\r\n"
    "Content-Type: multipart/alternative;\r\n"
    " boundary=\"------------8DJ1ZzKqUPSBXy0xWwq9tEGv\"\r\n"
    "\r\n"
    "This is a multi-part message in MIME format.\r\n"
    "--------------8DJ1ZzKqUPSBXy0xWwq9tEGv\r\n"
    "Content-Type: text/plain; charset=UTF-8; format=flowed\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Bonjour Bob,\r\n"
    "\r\n"
    "La r=C3=A9union est d=C3=A9plac=C3=A9e.\r\n"
    "\r\n"
    "--------------8DJ1ZzKqUPSBXy0xWwq9tEGv\r\n"
    "Content-Type: text/html; charset=UTF-8\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "<html><body><p>Bonjour Bob,</p><p>La r=C3=A9union est "
    "d=C3=A9plac=C3=A9e.</p></body></html>\r\n"
    "\r\n"
    "--------------8DJ1ZzKqUPSBXy0xWwq9tEGv--\r\n";

TEST(Message, ThunderbirdAlternative) {
  Message message{std::string(kThunderbird)};
  EXPECT_EQ(message.Subject(),
            "R\xC3\xA9union de d\xC3\xA9"
            "cembre");
  ASSERT_EQ(message.From().size(), 1u);
  EXPECT_EQ(message.From()[0].name,
            "Ren\xC3\xA9"
            "e Dupont");
  EXPECT_EQ(message.From()[0].AddrSpec(), "renee@example.org");
  std::optional<DateTime> date = message.Date();
  ASSERT_TRUE(date.has_value());
  EXPECT_EQ(FormatIsoUtc(date->utc_seconds), "2026-11-28T09:15:30Z");
  EXPECT_EQ(message.MessageId(), "<3f1a2b4c-5d6e-7f80-91a2-b3c4d5e6f708@example.org>");
  EXPECT_EQ(message.FirstTextPlain(),
            "Bonjour Bob,\r\n\r\nLa r\xC3\xA9union est d\xC3\xA9plac\xC3\xA9"
            "e.\r\n");
  const Part& root = message.Mime();
  EXPECT_EQ(root.preamble, "This is a multi-part message in MIME format.");
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[1].content_type, "text/html");
}

// Outlook: windows-1252 text, an encoded attachment name, a folded Message-ID.
constexpr std::string_view kOutlook =
    "From: \"Smith, John\" <John.Smith@corp.example.com>\r\n"
    "To: \"team@corp.example.com\" <team@corp.example.com>\r\n"
    "Subject: =?windows-1252?Q?Q3_numbers_=96_final?=\r\n"
    "Date: Fri, 27 Nov 2026 16:02:11 +0000\r\n"
    "Message-ID:\r\n"
    " <DM6PR11MB4107A1B2C3D4E5F6@DM6PR11MB4107.namprd11.prod.outlook.com>\r\n"
    "Content-Type: multipart/mixed;\r\n"
    "\tboundary=\"_004_DM6PR11MB4107_\"\r\n"
    "MIME-Version: 1.0\r\n"
    "\r\n"
    "--_004_DM6PR11MB4107_\r\n"
    "Content-Type: text/plain; charset=\"Windows-1252\"\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Figures attached =96 see the =93Summary=94 tab.\r\n"
    "\r\n"
    "--_004_DM6PR11MB4107_\r\n"
    "Content-Type: application/vnd.ms-excel;\r\n"
    "\tname=\"=?windows-1252?Q?Q3_r=E9sultats.xls?=\"\r\n"
    "Content-Disposition: attachment;\r\n"
    "\tfilename=\"=?windows-1252?Q?Q3_r=E9sultats.xls?=\"; size=6\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "MDEyMzQ1\r\n"
    "\r\n"
    "--_004_DM6PR11MB4107_--\r\n";

TEST(Message, OutlookWithAttachment) {
  Message message{std::string(kOutlook)};
  EXPECT_EQ(message.Subject(), "Q3 numbers \xE2\x80\x93 final");
  ASSERT_EQ(message.From().size(), 1u);
  EXPECT_EQ(message.From()[0].name, "Smith, John");
  EXPECT_EQ(message.MessageId(),
            "<DM6PR11MB4107A1B2C3D4E5F6@DM6PR11MB4107.namprd11.prod.outlook.com>");
  EXPECT_EQ(message.FirstTextPlain(),
            "Figures attached \xE2\x80\x93 see the \xE2\x80\x9CSummary\xE2\x80\x9D tab.\r\n");
  const Part& attachment = message.Mime().children.at(1);
  EXPECT_EQ(attachment.filename, "Q3 r\xC3\xA9sultats.xls");
  EXPECT_EQ(attachment.disposition, "attachment");
  EXPECT_EQ(attachment.DecodedBody(nullptr), "012345");
}

// A bounce: multipart/report with a delivery status and the returned message.
constexpr std::string_view kBounce =
    "Return-Path: <>\n"
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
    "To: alice@example.org\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "Date: Thu, 26 Nov 2026 23:59:59 -0800\n"
    "Message-Id: <20261127075959.1A2B3C@mx.example.net>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status;\n"
    "\tboundary=\"1A2B3C.1796371199/mx.example.net\"\n"
    "\n"
    "This is a MIME-encapsulated message.\n"
    "\n"
    "--1A2B3C.1796371199/mx.example.net\n"
    "Content-Description: Notification\n"
    "Content-Type: text/plain; charset=us-ascii\n"
    "\n"
    "I'm sorry to have to inform you that your message could not\n"
    "be delivered to one or more recipients.\n"
    "\n"
    "--1A2B3C.1796371199/mx.example.net\n"
    "Content-Description: Delivery report\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.net\n"
    "\n"
    "Final-Recipient: rfc822; nobody@example.net\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "\n"
    "--1A2B3C.1796371199/mx.example.net\n"
    "Content-Description: Undelivered Message\n"
    "Content-Type: message/rfc822\n"
    "\n"
    "From: alice@example.org\n"
    "To: nobody@example.net\n"
    "Subject: hello\n"
    "\n"
    "Are you there?\n"
    "\n"
    "--1A2B3C.1796371199/mx.example.net--\n";

TEST(Message, BounceReport) {
  Message message{std::string(kBounce)};
  std::optional<DateTime> date = message.Date();
  ASSERT_TRUE(date.has_value());
  EXPECT_EQ(FormatIsoUtc(date->utc_seconds), "2026-11-27T07:59:59Z");
  EXPECT_EQ(message.MessageId(), "<20261127075959.1A2B3C@mx.example.net>");
  EXPECT_EQ(message.FirstTextPlain(),
            "I'm sorry to have to inform you that your message could not\n"
            "be delivered to one or more recipients.\n");
  const Part& root = message.Mime();
  ASSERT_EQ(root.children.size(), 3u);
  EXPECT_EQ(root.children[1].children.size(), 2u);  // per-message and per-recipient fields
  const Part& returned = root.children[2];
  ASSERT_EQ(returned.children.size(), 1u);
  EXPECT_EQ(returned.children[0].header.Get("Subject"), "hello");
  EXPECT_EQ(returned.children[0].body, "Are you there?\n");
}

// An old plain message from an mbox: envelope line, LF endings, no MIME headers, 8-bit text.
TEST(Message, PlainMboxMessage) {
  Message message{
      std::string("From alice@example.org Mon Jan  5 09:00:00 1998\n"
                  "From: alice@example.org (Alice)\n"
                  "Subject: caf\xE9\n"
                  "Date: 5 Jan 98 09:00 EST\n"
                  "\n"
                  "Un caf\xE9, s'il vous pla\xEEt.\n")};
  EXPECT_EQ(message.Subject(), "caf\xC3\xA9");
  ASSERT_EQ(message.From().size(), 1u);
  EXPECT_EQ(message.From()[0].AddrSpec(), "alice@example.org");
  EXPECT_EQ(message.MessageId(), std::nullopt);
  EXPECT_EQ(message.Mime().content_type, "text/plain");
  EXPECT_EQ(message.FirstTextPlain(), "Un caf\xC3\xA9, s'il vous pla\xC3\xAEt.\n");
}

TEST(Message, HtmlOnlyHasNoTextPlain) {
  Message message{
      std::string("Subject: promo\nContent-Type: text/html; charset=utf-8\n\n<p>Sale!</p>\n")};
  EXPECT_EQ(message.FirstTextPlain(), std::nullopt);
  EXPECT_EQ(message.Mime().content_type, "text/html");
}

TEST(Message, MimeDefectsAreCollected) {
  Message message{
      std::string("Content-Type: multipart/mixed; boundary=b\n\n--b\n\nunterminated\n")};
  message.Mime();
  bool found = false;
  for (const Defect& defect : message.defects()) {
    found |= defect.kind == DefectKind::kMimeMissingFinalBoundary;
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace pigeon::message
