// ReadFileUpTo on real files in a temporary directory: the bytes of a file at and under the
// limit, and the refusals (over the limit, a directory, a missing file) with the path named.
#include "common/sys/file.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/temp_directory.h"

namespace pigeon::sys {
namespace {

class ReadFileUpToTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()); }

  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = dir_.path() + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  testing::TempDirectory dir_{"file-test"};
};

TEST_F(ReadFileUpToTest, ReadsAFileAtOrUnderTheLimitWhole) {
  const std::string bytes("a\0b\r\n\xff", 6);
  const std::string path = Write("data", bytes);
  EXPECT_EQ(*ReadFileUpTo(path, 6), bytes);
  EXPECT_EQ(*ReadFileUpTo(path, 100), bytes);
  EXPECT_EQ(*ReadFileUpTo(Write("empty", ""), 0), "");
}

TEST_F(ReadFileUpToTest, RefusesOverTheLimitADirectoryAndAMissingFile) {
  const std::string path = Write("data", "0123456789");
  Result<std::string> big = ReadFileUpTo(path, 9);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(big.error().message, path + ": larger than 9 bytes");
  const std::string over_a_megabyte = Write("big", std::string((1 << 20) + 1, 'x'));
  EXPECT_EQ(ReadFileUpTo(over_a_megabyte, 1 << 20).error().message,
            over_a_megabyte + ": larger than 1 MB");

  Result<std::string> directory = ReadFileUpTo(dir_.path(), 1 << 20);
  ASSERT_FALSE(directory);
  EXPECT_EQ(directory.error().message, dir_.path() + ": not a regular file");

  Result<std::string> missing = ReadFileUpTo(dir_.path() + "/nothing", 1 << 20);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, dir_.path() + "/nothing: No such file or directory");
}

TEST_F(ReadFileUpToTest, TakesADashAsAFileNameNotStandardInput) {
  const std::string here = std::filesystem::current_path();
  std::filesystem::current_path(dir_.path());
  Write("-", "dash");
  Result<std::string> dash = ReadFileUpTo("-", 100);
  std::filesystem::current_path(here);
  ASSERT_TRUE(dash);
  EXPECT_EQ(*dash, "dash");
}

}  // namespace
}  // namespace pigeon::sys
