// SecretFromCommand through /bin/sh: the first line without its line end, the rest of a long
// output drained (no SIGPIPE failure), a failing command's status, and NamingSetting's label.
#include "common/sys/secret_command.h"

#include <gtest/gtest.h>

namespace pigeon::sys {
namespace {

TEST(SecretFromCommand, GivesTheFirstLineWithoutItsLineEnd) {
  EXPECT_EQ(*SecretFromCommand("printf 's3cret\\r\\nsecond line\\n'"), "s3cret");
  EXPECT_EQ(*SecretFromCommand("printf 'no line end'"), "no line end");
  EXPECT_EQ(*SecretFromCommand("true"), "");
  // A first line longer than one read, and much more output after it.
  const std::string long_line(2000, 'k');
  EXPECT_EQ(*SecretFromCommand("printf '" + long_line + "\\n'; seq 1 200000"), long_line);
}

TEST(SecretFromCommand, AFailingCommandIsAnErrorNamedByItsSetting) {
  Result<std::string> failed = SecretFromCommand("echo half; exit 3");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "failed (exit status 3)");
  Result<std::string> named = NamingSetting("password_command", SecretFromCommand("exit 2"));
  ASSERT_FALSE(named);
  EXPECT_EQ(named.error().message, "password_command: failed (exit status 2)");
  EXPECT_EQ(*NamingSetting("password_command", std::string("kept")), "kept");
}

}  // namespace
}  // namespace pigeon::sys
