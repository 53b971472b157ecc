// The real spawner, with /bin/sh children.
#include "mta/daemon/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <asio/io_context.hpp>

namespace pigeon::mta::daemon {
namespace {

struct Outcome {
  std::vector<std::string> out, err;
  std::optional<ChildExit> exit;
  bool output_after_exit = false;
};

class ChildProcessTest : public ::testing::Test {
 protected:
  Result<int> Start(const std::string& script, Outcome& outcome,
                    const std::vector<std::string>& environment = {}) {
    ChildHandlers handlers;
    handlers.on_stdout = [&outcome](std::string_view line) {
      if (outcome.exit) outcome.output_after_exit = true;
      outcome.out.emplace_back(line);
    };
    handlers.on_stderr = [&outcome](std::string_view line) {
      if (outcome.exit) outcome.output_after_exit = true;
      outcome.err.emplace_back(line);
    };
    handlers.on_exit = [&outcome](const ChildExit& exit) { outcome.exit = exit; };
    return spawner_->Spawn({"/bin/sh", "-c", script}, environment, std::move(handlers));
  }
  // Runs the loop until `done` or 10 s.
  template <typename Done>
  void RunUntil(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io_.restart();
      io_.run_one_for(std::chrono::milliseconds(100));
    }
  }

  asio::io_context io_;
  std::unique_ptr<ChildSpawner> spawner_ = MakePosixChildSpawner(io_);
};

TEST_F(ChildProcessTest, LinesOfBothOutputsThenTheExitStatus) {
  Outcome outcome;
  ASSERT_TRUE(Start("echo one; echo two >&2; printf 'three\\r\\nfour'; exit 3", outcome));
  RunUntil([&] { return outcome.exit.has_value(); });
  ASSERT_TRUE(outcome.exit);
  EXPECT_EQ(outcome.exit->status, 3);
  EXPECT_EQ(outcome.exit->signal, 0);
  EXPECT_EQ(outcome.out, (std::vector<std::string>{"one", "three", "four"}));
  EXPECT_EQ(outcome.err, (std::vector<std::string>{"two"}));
  EXPECT_FALSE(outcome.output_after_exit);
  io_.restart();
  io_.poll();                  // cancelled timers' handlers, if any
  EXPECT_TRUE(io_.stopped());  // nothing left pending: an idle spawner holds no work
}

TEST_F(ChildProcessTest, OnlyStandardDescriptorsStdinEmptyAndTheEnvironmentGiven) {
  const int leaked = open("/dev/null", O_RDONLY);  // without O_CLOEXEC
  ASSERT_GE(leaked, 3);
  Outcome outcome;
  ASSERT_TRUE(Start("ls /proc/self/fd | sort -n | tr '\\n' ' '; echo; cat; echo \"[$HOME]\"",
                    outcome, {"HOME=/home/ada", "PATH=/usr/bin:/bin"}));
  RunUntil([&] { return outcome.exit.has_value(); });
  close(leaked);
  ASSERT_TRUE(outcome.exit);
  EXPECT_EQ(outcome.exit->status, 0);
  // 0-2, and the one ls opens to read the directory.
  ASSERT_EQ(outcome.out.size(), 2u);
  EXPECT_EQ(outcome.out[0], "0 1 2 3 ");
  EXPECT_EQ(outcome.out[1], "[/home/ada]");
}

TEST_F(ChildProcessTest, ASignalReachesTheChildAndWhatItStarted) {
  Outcome outcome;
  // The shell waits on a sleep of its own; SIGTERM to the group ends both at once.
  Result<int> pid = Start("sleep 30; echo not reached", outcome);
  ASSERT_TRUE(pid);
  io_.poll();
  const auto began = std::chrono::steady_clock::now();
  spawner_->Signal(*pid, SIGTERM);
  RunUntil([&] { return outcome.exit.has_value(); });
  ASSERT_TRUE(outcome.exit);
  EXPECT_EQ(outcome.exit->signal, SIGTERM);
  EXPECT_TRUE(outcome.out.empty());
  EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::seconds(5));
}

TEST_F(ChildProcessTest, ALongLineComesInBoundedPieces) {
  Outcome outcome;
  ASSERT_TRUE(Start("head -c 4500 /dev/zero | tr '\\0' x; echo", outcome));
  RunUntil([&] { return outcome.exit.has_value(); });
  ASSERT_EQ(outcome.out.size(), 3u);
  EXPECT_EQ(outcome.out[0], std::string(2000, 'x'));
  EXPECT_EQ(outcome.out[1], std::string(2000, 'x'));
  EXPECT_EQ(outcome.out[2], std::string(500, 'x'));
}

TEST_F(ChildProcessTest, ManyChildrenEachReapedOnce) {
  std::vector<Outcome> outcomes(8);
  for (size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_TRUE(Start("echo " + std::to_string(i) + "; exit " + std::to_string(i), outcomes[i]));
  }
  RunUntil([&] {
    for (const Outcome& outcome : outcomes) {
      if (!outcome.exit) return false;
    }
    return true;
  });
  for (size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_TRUE(outcomes[i].exit) << i;
    EXPECT_EQ(outcomes[i].exit->status, static_cast<int>(i));
    EXPECT_EQ(outcomes[i].out, std::vector<std::string>{std::to_string(i)});
  }
}

TEST_F(ChildProcessTest, OutputHeldOpenByAGrandchildDoesNotDelayTheExitLong) {
  Outcome outcome;
  const auto began = std::chrono::steady_clock::now();
  Result<int> pid = Start("echo bye; (sleep 30 &) ; exit 0", outcome);
  ASSERT_TRUE(pid);
  RunUntil([&] { return outcome.exit.has_value(); });
  kill(-*pid, SIGKILL);  // the sleep, in the child's process group
  ASSERT_TRUE(outcome.exit);
  EXPECT_EQ(outcome.out, std::vector<std::string>{"bye"});
  EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::seconds(5));
}

TEST_F(ChildProcessTest, AProgramThatDoesNotExistIsAnError) {
  Result<int> pid = spawner_->Spawn({"/nonexistent/pigeon", "fetch"}, {}, ChildHandlers{});
  ASSERT_FALSE(pid);
  EXPECT_EQ(pid.error().message, "cannot run /nonexistent/pigeon: No such file or directory");
}

}  // namespace
}  // namespace pigeon::mta::daemon
