#include "mua/ui/attachment_file.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "common/sys/file.h"
#include "tests/support/temp_directory.h"

namespace pigeon::mua::ui {
namespace {

TEST(SafeFileName, KeepsTheLastComponentWithoutControlsOrLeadingDots) {
  EXPECT_EQ(SafeFileName("report.pdf"), "report.pdf");
  EXPECT_EQ(SafeFileName("../../etc/passwd"), "passwd");
  EXPECT_EQ(SafeFileName("C:\\Users\\x\\evil.exe"), "evil.exe");
  EXPECT_EQ(SafeFileName("..bashrc"), "bashrc");
  EXPECT_EQ(SafeFileName(" .hidden"), "hidden");
  EXPECT_EQ(SafeFileName("a\x1b[31mb\x7f.txt"), "a[31mb.txt");
  EXPECT_EQ(SafeFileName("dir/"), "");
  EXPECT_EQ(SafeFileName(".."), "");
  EXPECT_EQ(SafeFileName("caf\xC3\xA9.txt"), "caf\xC3\xA9.txt");
  EXPECT_EQ(SafeFileName("bad\xFF.txt"), "bad\xEF\xBF\xBD.txt");
  EXPECT_EQ(SafeFileName(std::string(300, 'a')).size(), 200u);
}

TEST(TempFileName, ShellSafeWithTheTemplate) {
  EXPECT_EQ(TempFileName("my report.pdf", ""), "my_report.pdf");
  EXPECT_EQ(TempFileName("-rf", ""), "rf");
  EXPECT_EQ(TempFileName("$(reboot)", ""), "__reboot_");
  EXPECT_EQ(TempFileName("$$$", ""), "attachment");
  EXPECT_EQ(TempFileName(std::nullopt, "%s.html"), "attachment.html");
  EXPECT_EQ(TempFileName("page", "%s.html"), "page.html");
  EXPECT_EQ(TempFileName("page", "../%s;x"), "page_x");
}

TEST(ExpandHome, OnlyALeadingTilde) {
  EXPECT_EQ(ExpandHome("~/a.pdf", "/home/ada"), "/home/ada/a.pdf");
  EXPECT_EQ(ExpandHome("~", "/home/ada"), "/home/ada");
  EXPECT_EQ(ExpandHome("/tmp/~x", "/home/ada"), "/tmp/~x");
  EXPECT_EQ(ExpandHome("~bob/x", "/home/ada"), "~bob/x");
}

class AttachmentFileTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()); }
  testing::TempDirectory dir_{"attachment-file"};
};

TEST_F(AttachmentFileTest, WritesANewFileAndOverwritesOnlyWhenAsked) {
  const std::string path = dir_.path() + "/out.bin";
  EXPECT_FALSE(FileExists(path));
  ASSERT_TRUE(WriteAttachmentFile(path, std::string("a\0b", 3), false));
  EXPECT_TRUE(FileExists(path));
  EXPECT_EQ(*sys::ReadWholeFile(path), std::string("a\0b", 3));
  Result<void> again = WriteAttachmentFile(path, "new", false);
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("cannot create"), std::string::npos);
  ASSERT_TRUE(WriteAttachmentFile(path, "new", true));
  EXPECT_EQ(*sys::ReadWholeFile(path), "new");
}

TEST_F(AttachmentFileTest, TheTemporaryFileIsPrivateAndGoesAway) {
  std::string path, directory;
  {
    Result<std::unique_ptr<TempAttachment>> temp =
        TempAttachment::Create(dir_.path(), "../x y.png", "", "PNG");
    ASSERT_TRUE(temp) << temp.error().message;
    path = (*temp)->path();
    directory = sys::DirectoryOf(path);
    EXPECT_EQ(path.rfind(dir_.path() + "/pigeon-", 0), 0u) << path;
    EXPECT_TRUE(path.ends_with("/x_y.png")) << path;
    struct stat file = {}, dir = {};
    ASSERT_EQ(::stat(path.c_str(), &file), 0);
    ASSERT_EQ(::stat(directory.c_str(), &dir), 0);
    EXPECT_EQ(file.st_mode & 0777, 0600u);
    EXPECT_EQ(dir.st_mode & 0777, 0700u);
    EXPECT_EQ(*sys::ReadWholeFile(path), "PNG");
  }
  EXPECT_FALSE(FileExists(path));
  EXPECT_FALSE(FileExists(directory));
}

TEST_F(AttachmentFileTest, AnUnsafeRootFallsBackToTmp) {
  Result<std::unique_ptr<TempAttachment>> temp =
      TempAttachment::Create("/tmp/a b;c", std::nullopt, "", "x");
  ASSERT_TRUE(temp) << temp.error().message;
  EXPECT_EQ((*temp)->path().rfind("/tmp/pigeon-", 0), 0u) << (*temp)->path();
}

}  // namespace
}  // namespace pigeon::mua::ui
