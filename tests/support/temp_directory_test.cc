// TempDirectory: the directory exists, is private and is removed with its contents; a name
// mkdtemp cannot make is a test failure and an empty path.
#include "tests/support/temp_directory.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace pigeon::testing {
namespace {

TEST(TempDirectory, MadePrivateUnderTmpAndRemovedWithItsContents) {
  std::string path;
  {
    const TempDirectory dir("temp-directory-test");
    path = dir.path();
    ASSERT_EQ(path.rfind("/tmp/pigeon-temp-directory-test-", 0), 0u) << path;
    struct stat info = {};
    ASSERT_EQ(::stat(path.c_str(), &info), 0);
    EXPECT_TRUE(S_ISDIR(info.st_mode));
    EXPECT_EQ(info.st_mode & 0777, 0700u);
    std::filesystem::create_directory(path + "/sub");
    std::ofstream(path + "/sub/file") << "x";
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(TempDirectory, AFailureIsReportedAndLeavesThePathEmpty) {
  static std::string path = "unset";
  EXPECT_NONFATAL_FAILURE(
      {
        const TempDirectory dir("no/such/parent");
        path = dir.path();
      },
      "mkdtemp /tmp/pigeon-no/such/parent-XXXXXX");
  EXPECT_EQ(path, "");
}

}  // namespace
}  // namespace pigeon::testing
