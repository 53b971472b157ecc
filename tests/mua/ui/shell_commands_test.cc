#include "mua/ui/shell_commands.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/temp_directory.h"

namespace pigeon::mua::ui {
namespace {

constexpr std::chrono::milliseconds kLong{60'000};  // a limit these commands never reach

class ShellCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()); }
  std::string Read(const std::string& name) {
    std::ifstream in(dir_.path() + "/" + name, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  testing::TempDirectory dir_{"pipe"};
  SystemShellCommands shell_;
};

TEST_F(ShellCommandsTest, TheCommandReadsTheInputAndItsStatusComesBack) {
  Result<int> status = shell_.Run("cat > " + dir_.path() + "/out; exit 3", "line one\nline two\n");
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(*status, 3);
  EXPECT_EQ(Read("out"), "line one\nline two\n");
}

TEST_F(ShellCommandsTest, ACommandThatReadsNothingIsNotAnError) {
  // More than a pipe holds: the writer meets EPIPE rather than dying of SIGPIPE.
  const std::string big(1 << 20, 'x');
  Result<int> status = shell_.Run("true", big);
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(*status, 0);
}

TEST_F(ShellCommandsTest, ASignalEndingTheCommandIsReportedAs128PlusIt) {
  Result<int> status = shell_.Run("kill -TERM $$", "");
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(*status, 128 + 15);
  status = shell_.Run("no-such-command-for-pigeon 2>/dev/null", "");
  ASSERT_TRUE(status);
  EXPECT_EQ(*status, 127);
}

TEST_F(ShellCommandsTest, RunOnTerminalGivesTheCommandOurStandardInput) {
  const std::string out = dir_.path() + "/stdin";
  Result<int> status = shell_.RunOnTerminal("readlink /proc/self/fd/0 > " + out, KeyWait::kAlways);
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(*status, 0);
  EXPECT_EQ(Read("stdin"), std::filesystem::read_symlink("/proc/self/fd/0").string() + "\n");
  status = shell_.RunOnTerminal("exit 4", KeyWait::kOnFailure);
  ASSERT_TRUE(status);
  EXPECT_EQ(*status, 4);
}

TEST_F(ShellCommandsTest, CaptureFeedsTheInputAndCollectsOutputAndErrors) {
  // Both directions larger than a pipe holds, at once: neither side may block the other.
  const std::string big(1 << 20, 'y');
  Result<CommandOutput> ran = shell_.Capture("cat; echo oops >&2; exit 4", big, kLong);
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_EQ(ran->status, 4);
  EXPECT_EQ(ran->output, big + "oops\n");
  ran = shell_.Capture("echo no input", "", kLong);
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_EQ(ran->status, 0);
  EXPECT_EQ(ran->output, "no input\n");
  ran = shell_.Capture("head -c 1", big, kLong);  // stops reading early: not an error
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_EQ(ran->output, "y");
}

TEST_F(ShellCommandsTest, CaptureKillsACommandPastItsTimeLimitWithWhatItStarted) {
  const std::string marker = dir_.path() + "/survived";
  const auto started = std::chrono::steady_clock::now();
  // The output so far is kept; the background sleep, in the same process group, dies too.
  Result<CommandOutput> ran =
      shell_.Capture("echo partial; (sleep 1; touch " + marker + ") & sleep 30", "",
                     std::chrono::milliseconds(300));
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_TRUE(ran->timed_out);
  EXPECT_EQ(ran->output, "partial\n");
  EXPECT_EQ(ran->status, 128 + SIGKILL);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  // A command that closes its output and goes on running is stopped all the same.
  ran = shell_.Capture("exec >&- 2>&-; sleep 30", "", std::chrono::milliseconds(300));
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_TRUE(ran->timed_out);
  ::usleep(1'500'000);  // past the background command's second
  EXPECT_FALSE(std::filesystem::exists(marker));
  ran = shell_.Capture("echo quick", "", kLong);
  ASSERT_TRUE(ran);
  EXPECT_FALSE(ran->timed_out);
}

TEST_F(ShellCommandsTest, LaunchRunsInTheBackgroundWithTheArguments) {
  const std::string out = dir_.path() + "/launched";
  Result<void> started = shell_.Launch(
      "f() { printf '%s|%s\\n' \"$@\" > " + out + ".tmp && mv " + out + ".tmp " + out + "; }; f",
      {"Ada <ada@example.org>", "it's $HOME; done"});
  ASSERT_TRUE(started) << started.error().message;
  // Not waited for: the file appears when the background command is done.
  for (int i = 0; i < 500 && !std::filesystem::exists(out); ++i) ::usleep(10'000);
  EXPECT_EQ(Read("launched"), "Ada <ada@example.org>|it's $HOME; done\n");
}

TEST(WithUnixLineEndsTest, CrlfBecomesLfAndLoneCrStays) {
  EXPECT_EQ(WithUnixLineEnds("a\r\nb\r\n\r\nc"), "a\nb\n\nc");
  EXPECT_EQ(WithUnixLineEnds("x\ry\r"), "x\ry\r");
  EXPECT_EQ(WithUnixLineEnds(""), "");
}

}  // namespace
}  // namespace pigeon::mua::ui
