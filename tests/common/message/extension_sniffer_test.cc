// ExtensionSniffer's table: common extensions, case-insensitivity, names without one.
#include <gtest/gtest.h>

#include "common/message/builder.h"

namespace pigeon::message {
namespace {

struct SniffCase {
  const char* filename;
  const char* type;
};

TEST(ExtensionSniffer, CaseTable) {
  const SniffCase cases[] = {
      {"a.pdf", "application/pdf"},
      {"A.PDF", "application/pdf"},
      {"photo.JpEg", "image/jpeg"},
      {"x.tar.gz", "application/gzip"},
      {"msg.eml", "message/rfc822"},
      {"fix.patch", "text/x-diff"},
      {"main.cc", "text/x-c++"},
      {"lib.rs", "text/x-rust"},
      {"README.md", "text/markdown"},
      {"invite.ics", "text/calendar"},
      {"sheet.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"noext", "application/octet-stream"},
      {".profile", "application/octet-stream"},
      {"trailing.", "application/octet-stream"},
      {"weird.qqq", "application/octet-stream"},
      {"", "application/octet-stream"},
  };
  ExtensionSniffer sniffer;
  for (const SniffCase& c : cases) EXPECT_EQ(sniffer.Sniff("", c.filename), c.type) << c.filename;
}

}  // namespace
}  // namespace pigeon::message
