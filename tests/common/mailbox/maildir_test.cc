// Maildir: flags from and to the ":2,FLAGS" info (all 64 combinations both ways), unique
// names and host escaping, and delivery into a real directory under /tmp read back by
// ListMaildir (new/ unseen, cur/ with flags, tmp/ and dot files ignored, 0700 directories).
#include "common/mailbox/maildir.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "common/sys/file.h"
#include "tests/support/temp_directory.h"

namespace pigeon::mailbox {
namespace {

MaildirFlags FlagsOf(unsigned bits) {
  MaildirFlags f;
  f.draft = bits & 1;
  f.flagged = bits & 2;
  f.passed = bits & 4;
  f.replied = bits & 8;
  f.seen = bits & 16;
  f.trashed = bits & 32;
  return f;
}

TEST(MaildirFlags, ParseTable) {
  struct Case {
    const char* name;
    MaildirFlags want;
  } const cases[] = {
      {"1700000000.M1P2Q3.host", {}},
      {"1700000000.M1P2Q3.host:2,", {}},
      {"x:2,S", FlagsOf(16)},
      {"x:2,RS", FlagsOf(8 | 16)},
      {"x:2,SR", FlagsOf(8 | 16)},
      {"x:2,DFPRST", FlagsOf(63)},
      {"x:2,Sab", FlagsOf(16)},  // keywords ignored
      {"x:2,zZS", FlagsOf(16)},  // unknown letters ignored
      {"x:1,S", {}},             // experimental info: no flags
      {"x:2S", {}},
      {"a:b:2,F", FlagsOf(2)},  // the last ':' starts the info
      {"x:2,S:junk", {}},
      {"", {}},
  };
  for (const Case& c : cases) EXPECT_EQ(ParseMaildirFlags(c.name), c.want) << c.name;
}

TEST(MaildirFlags, BothWaysForAllCombinations) {
  for (unsigned bits = 0; bits < 64; ++bits) {
    const MaildirFlags flags = FlagsOf(bits);
    const std::string info = FormatMaildirInfo(flags);
    EXPECT_EQ(ParseMaildirFlags("name" + info), flags) << info;
    EXPECT_TRUE(std::is_sorted(info.begin() + 3, info.end())) << info;
    EXPECT_EQ(info.size(), 3u + std::popcount(bits));
    EXPECT_EQ(flags.Any(), bits != 0);
  }
  EXPECT_EQ(FormatMaildirInfo(FlagsOf(63)), ":2,DFPRST");
  EXPECT_EQ(FormatMaildirInfo({}), ":2,");
  EXPECT_EQ(MaildirUniquePart("123.M4P5Q6.h:2,S"), "123.M4P5Q6.h");
  EXPECT_EQ(MaildirUniquePart("123.M4P5Q6.h"), "123.M4P5Q6.h");
}

TEST(MaildirUniqueName, FormatsAndEscapes) {
  EXPECT_EQ(FormatUniqueName({1700000000, 42, 1234, 7, "mail.example.org"}),
            "1700000000.M42P1234Q7.mail.example.org");
  EXPECT_EQ(FormatUniqueName({0, 0, 0, 0, "a/b:c"}), "0.M0P0Q0.a\\057b\\072c");
  EXPECT_EQ(EscapeMaildirHost("//::"), "\\057\\057\\072\\072");
  EXPECT_EQ(EscapeMaildirHost("plain"), "plain");
}

class MaildirOnDisk : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(base_.path().empty()); }
  static void Touch(const std::string& path) { std::ofstream(path) << "x"; }

  testing::TempDirectory base_{"maildir"};
  std::string root_ = base_.path() + "/Mail";
};

TEST_F(MaildirOnDisk, DeliversAndListsBack) {
  Result<MaildirWriter> writer = MaildirWriter::Open(root_, "host/with:colon");
  ASSERT_TRUE(writer.has_value()) << writer.error().message;
  for (const char* sub : {"", "/cur", "/new", "/tmp"}) {
    struct stat st;
    ASSERT_EQ(::stat((root_ + sub).c_str(), &st), 0) << sub;
    EXPECT_EQ(st.st_mode & 0777, 0700u) << sub;
  }
  Result<std::string> unread = writer->Deliver("Subject: 1\n\nunread\n", {});
  ASSERT_TRUE(unread.has_value()) << unread.error().message;
  MaildirFlags seen_replied;
  seen_replied.seen = seen_replied.replied = true;
  Result<std::string> read = writer->Deliver("Subject: 2\n\nread\n", seen_replied);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_NE(unread->find("/new/"), std::string::npos);
  EXPECT_NE(unread->find("host\\057with\\072colon"), std::string::npos);
  EXPECT_EQ(read->substr(read->size() - 5), ":2,RS");
  EXPECT_NE(read->find("/cur/"), std::string::npos);

  Touch(root_ + "/tmp/1.M1P1Q1.half");        // a delivery in progress
  Touch(root_ + "/cur/.hidden:2,S");          // dot files are not messages
  Touch(root_ + "/new/1.M0P0Q0.other:2,SF");  // new/ is unseen whatever the name says
  std::filesystem::create_directory(root_ + "/cur/subdir");

  Result<std::vector<MaildirEntry>> entries = ListMaildir(root_);
  ASSERT_TRUE(entries.has_value()) << entries.error().message;
  ASSERT_EQ(entries->size(), 3u);
  const MaildirEntry& oldest = (*entries)[0];
  EXPECT_EQ(oldest.name, "1.M0P0Q0.other:2,SF");
  EXPECT_TRUE(oldest.in_new);
  EXPECT_FALSE(oldest.flags.seen);
  EXPECT_TRUE(oldest.flags.flagged);
  std::set<std::string> paths;
  for (const MaildirEntry& e : *entries) paths.insert(e.path);
  EXPECT_TRUE(paths.count(*unread));
  EXPECT_TRUE(paths.count(*read));
  for (const MaildirEntry& e : *entries) {
    if (e.path == *read) {
      EXPECT_FALSE(e.in_new);
      EXPECT_EQ(e.flags, seen_replied);
      EXPECT_EQ(sys::ReadWholeFile(e.path).value(), "Subject: 2\n\nread\n");
    }
    if (e.path == *unread) {
      EXPECT_TRUE(e.in_new);
      EXPECT_EQ(e.flags, MaildirFlags{});
      EXPECT_EQ(sys::ReadWholeFile(e.path).value(), "Subject: 1\n\nunread\n");
    }
  }
  // Only the foreign file is left in tmp/: delivery removed its own.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(root_ + "/tmp"), {}), 1);
}

TEST_F(MaildirOnDisk, NamesAreUniqueAcrossDeliveries) {
  Result<MaildirWriter> writer = MaildirWriter::Open(root_, "h");
  ASSERT_TRUE(writer.has_value());
  std::set<std::string> names;
  for (int i = 0; i < 50; ++i) {
    Result<std::string> path = writer->Deliver("m\n", {});
    ASSERT_TRUE(path.has_value());
    names.insert(*path);
  }
  EXPECT_EQ(names.size(), 50u);
  EXPECT_EQ(ListMaildir(root_)->size(), 50u);

  // The streaming scanner sees the same messages, one at a time.
  EXPECT_EQ(*CountMaildir(root_), 50);
  Result<MaildirScanner> scanner = MaildirScanner::Open(root_);
  ASSERT_TRUE(scanner);
  std::set<std::string> scanned;
  for (;;) {
    Result<std::optional<MaildirEntry>> next = scanner->Next();
    ASSERT_TRUE(next);
    if (!*next) break;
    scanned.insert((*next)->path);
  }
  EXPECT_EQ(scanned, names);
}

TEST_F(MaildirOnDisk, ErrorsNameThePath) {
  Result<std::vector<MaildirEntry>> missing = ListMaildir(root_);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find(root_ + "/new"), std::string::npos);

  Touch(root_);  // a file where the Maildir should be
  Result<MaildirWriter> writer = MaildirWriter::Open(root_);
  ASSERT_FALSE(writer.has_value());
  EXPECT_NE(writer.error().message.find(root_ + "/cur"), std::string::npos);
  ASSERT_TRUE(CreateMaildir(base_.path() + "/ok").has_value());
  ASSERT_TRUE(CreateMaildir(base_.path() + "/ok").has_value());  // idempotent
}

}  // namespace
}  // namespace pigeon::mailbox
