// MagicSniffer against the system's libmagic database: well-known magic numbers, text,
// unknown bytes, and the cases where the file name's extension is preferred. PreferredType,
// the pure decision, is tested by table without libmagic.
#include "common/sys/magic_sniffer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace pigeon::sys {
namespace {

using namespace std::string_literals;

const std::string kPng =
    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89"s;
const std::string kPdf = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n";
const std::string kEmptyZip = "PK\x05\x06"s + std::string(18, '\0');
const std::string kGif = "GIF89a\x01\0\x01\0"s;
const std::string kOle2 = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"s;  // old Office container
const std::string kUnknown = "\x01\xfe\x02\xfd\x03\xfc\x04\xfb\x00\x9c\x11\xee"s;

struct SniffCase {
  const char* name;
  std::string content;
  const char* filename;
  const char* want;
};

TEST(MagicSniffer, CaseTable) {
  Result<std::unique_ptr<MagicSniffer>> sniffer = MagicSniffer::Create();
  ASSERT_TRUE(sniffer.has_value()) << sniffer.error().message;
  const SniffCase cases[] = {
      {"png", kPng, "image", "image/png"},
      {"png misnamed", kPng, "photo.jpg", "image/png"},
      {"pdf", kPdf, "", "application/pdf"},
      {"gif", kGif, "x.bin", "image/gif"},
      {"zip", kEmptyZip, "archive.zip", "application/zip"},
      {"zip named pdf stays zip", kEmptyZip, "fake.pdf", "application/zip"},
      {"docx is a zip", kEmptyZip, "Report.DOCX",
       "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"ole2 named doc", kOle2, "old.doc", "application/msword"},
      {"text", "hello world\nsecond line\n", "notes", "text/plain"},
      {"text named png stays text", "hello world\nsecond line\n", "notes.png", "text/plain"},
      {"csv", "name,age\nbob,3\nal,4\n", "people.csv", "text/csv"},
      {"patch", "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n", "fix.patch", "text/x-diff"},
      {"ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "invite.ics", "text/calendar"},
      {"markdown", "# Title\n\nSome text.\n", "README.md", "text/markdown"},
      {"unknown bytes", kUnknown, "blob", "application/octet-stream"},
      {"unknown bytes named pdf", kUnknown, "blob.pdf", "application/pdf"},
      {"empty named txt", "", "a.txt", "text/plain"},
      {"empty without name", "", "", "application/octet-stream"},
  };
  for (const SniffCase& c : cases) {
    EXPECT_EQ((*sniffer)->Sniff(c.content, c.filename), c.want) << c.name;
  }
}

TEST(MagicSniffer, LargeContentIsBounded) {
  Result<std::unique_ptr<MagicSniffer>> sniffer = MagicSniffer::Create();
  ASSERT_TRUE(sniffer.has_value());
  std::string big = kPdf + std::string(3 * MagicSniffer::kMaxSniffBytes, 'x');
  EXPECT_EQ((*sniffer)->Sniff(big, "big"), "application/pdf");
}

TEST(MagicSniffer, ConcurrentCallsAgree) {
  Result<std::unique_ptr<MagicSniffer>> sniffer = MagicSniffer::Create();
  ASSERT_TRUE(sniffer.has_value());
  std::vector<std::string> got(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i)
        got[t] += (*sniffer)->Sniff(i % 2 ? kPng : kPdf, "x").substr(0, 1);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& g : got) EXPECT_EQ(g, got[0]);
  EXPECT_EQ(got[0].substr(0, 4), "aiai");  // application/pdf, image/png, …
}

TEST(MagicSniffer, CreateFailsWithoutADatabase) {
  // libmagic takes the database path from $MAGIC when given none.
  ASSERT_EQ(setenv("MAGIC", "/nonexistent/magic.mgc", 1), 0);
  Result<std::unique_ptr<MagicSniffer>> sniffer = MagicSniffer::Create();
  unsetenv("MAGIC");
  ASSERT_FALSE(sniffer.has_value());
  EXPECT_EQ(sniffer.error().code, ErrorCode::kNotFound);
  EXPECT_NE(sniffer.error().message.find("magic_load"), std::string::npos);
}

struct PreferCase {
  const char* by_content;
  const char* by_extension;
  const char* want;
};

TEST(PreferredType, CaseTable) {
  const PreferCase cases[] = {
      {"image/png", "image/jpeg", "image/png"},
      {"text/plain", "text/csv", "text/csv"},
      {"text/plain", "application/json", "application/json"},
      {"text/plain", "image/png", "text/plain"},
      {"text/plain", "application/octet-stream", "text/plain"},
      {"application/octet-stream", "application/pdf", "application/pdf"},
      {"application/zip", "application/vnd.oasis.opendocument.text",
       "application/vnd.oasis.opendocument.text"},
      {"application/zip", "application/pdf", "application/zip"},
      {"application/x-empty", "application/octet-stream", "application/octet-stream"},
      {"inode/x-empty", "text/plain", "text/plain"},
      {"", "image/gif", "image/gif"},
      {"garbage", "application/octet-stream", "application/octet-stream"},
  };
  for (const PreferCase& c : cases) {
    EXPECT_EQ(PreferredType(c.by_content, c.by_extension), c.want)
        << c.by_content << " vs " << c.by_extension;
  }
}

}  // namespace
}  // namespace pigeon::sys
