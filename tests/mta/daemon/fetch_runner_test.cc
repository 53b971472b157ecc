#include "mta/daemon/fetch_runner.h"

#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <asio/io_context.hpp>

namespace pigeon::mta::daemon {
namespace {

using std::chrono::seconds;

class RecordingLogger : public sys::Logger {
 public:
  void Log(sys::LogLevel level, std::string_view line) override {
    const char* tag = level == sys::LogLevel::kError     ? "error: "
                      : level == sys::LogLevel::kWarning ? "warning: "
                                                         : "";
    lines.push_back(tag + std::string(line));
  }
  std::vector<std::string> lines;
};

// Children that exist only as records: the test says what they print and how they end.
class FakeSpawner : public ChildSpawner {
 public:
  Result<int> Spawn(const std::vector<std::string>& argv,
                    const std::vector<std::string>& environment, ChildHandlers handlers) override {
    last_environment = environment;
    if (fail) return MakeError(ErrorCode::kIo, "cannot run " + argv[0] + ": No such file");
    const int pid = next_pid++;
    children[pid] = Child{argv, std::move(handlers), {}};
    started.push_back(argv.back());
    return pid;
  }
  void Signal(int pid, int signal) override { children.at(pid).signals.push_back(signal); }

  int PidOf(const std::string& account) const {
    for (const auto& [pid, child] : children) {
      if (child.argv.back() == account) return pid;
    }
    return -1;
  }
  void Exit(const std::string& account, ChildExit exit) {
    const int pid = PidOf(account);
    ChildHandlers handlers = std::move(children.at(pid).handlers);
    children.erase(pid);
    handlers.on_exit(exit);
  }

  struct Child {
    std::vector<std::string> argv;
    ChildHandlers handlers;
    std::vector<int> signals;
  };
  std::map<int, Child> children;
  std::vector<std::string> started;
  std::vector<std::string> last_environment;
  int next_pid = 100;
  bool fail = false;
};

class FetchRunnerTest : public ::testing::Test {
 protected:
  std::unique_ptr<FetchRunner> Make(std::vector<ScheduledAccount> accounts,
                                    size_t max_running = 2) {
    FetchRunnerSetup setup;
    setup.program = "/usr/bin/pigeon";
    setup.config_path = "/home/ada/pigeon.conf";
    setup.store_path = "/home/ada/pigeon.db";
    setup.environment = {"HOME=/home/ada", "PATH=/usr/bin:/bin"};
    setup.accounts = std::move(accounts);
    setup.schedule = {seconds(0), max_running};
    setup.time_limit = time_limit_;
    setup.kill_grace = seconds(0);
    return std::make_unique<FetchRunner>(io_, std::move(setup), spawner_, clock_, log_);
  }
  void Run() {
    io_.restart();
    io_.poll();
  }

  asio::io_context io_;
  FakeSpawner spawner_;
  sys::ManualMonotonicClock clock_;
  RecordingLogger log_;
  seconds time_limit_{3600};
};

TEST_F(FetchRunnerTest, StartsPigeonFetchPerAccountAtOnceWithTheConfigAndStore) {
  auto runner = Make({{"home", seconds(60)}, {"by-hand", seconds(0)}, {"-work", seconds(60)}});
  runner->Start();
  Run();
  ASSERT_EQ(spawner_.started, (std::vector<std::string>{"home", "-work"}));
  EXPECT_EQ(spawner_.children.at(spawner_.PidOf("home")).argv,
            (std::vector<std::string>{"/usr/bin/pigeon", "-C", "/home/ada/pigeon.conf", "--store",
                                      "/home/ada/pigeon.db", "fetch", "--quiet", "--", "home"}));
  EXPECT_EQ(log_.lines.at(0), "fetching home (every 1m), -work (every 1m) with /usr/bin/pigeon");
  EXPECT_EQ(runner->running(), 2u);
}

TEST_F(FetchRunnerTest, OutputLinesGoToTheLogPrefixedWithTheAccount) {
  auto runner = Make({{"home", seconds(60)}});
  runner->Start();
  Run();
  ChildHandlers& handlers = spawner_.children.at(spawner_.PidOf("home")).handlers;
  handlers.on_stdout("home: 2 new messages (0.0 MB) from imaps://h");
  handlers.on_stderr("pigeon fetch: home: IMAPS h:993: login failed: NO [AUTHENTICATIONFAILED]");
  handlers.on_stderr("pigeon fetch: warning: /c holds the password of account home");
  spawner_.Exit("home", {1, 0});
  EXPECT_EQ(log_.lines,
            (std::vector<std::string>{
                "fetching home (every 1m) with /usr/bin/pigeon",
                "fetch home: 2 new messages (0.0 MB) from imaps://h",
                "error: fetch home: IMAPS h:993: login failed: NO [AUTHENTICATIONFAILED]",
                "warning: fetch home: /c holds the password of account home",
            }));  // the exit status adds nothing to the error already told
}

TEST_F(FetchRunnerTest, ASilentFailureOrASignalIsLoggedOnce) {
  auto runner = Make({{"a", seconds(60)}, {"b", seconds(60)}});
  runner->Start();
  Run();
  spawner_.Exit("a", {78, 0});
  spawner_.Exit("b", {0, SIGSEGV});
  EXPECT_EQ(log_.lines.at(1), "error: fetch a: pigeon fetch failed with exit status 78");
  EXPECT_EQ(log_.lines.at(2),
            "error: fetch b: pigeon fetch ended by signal 11 (Segmentation fault)");
  EXPECT_EQ(log_.lines.size(), 3u);
}

TEST_F(FetchRunnerTest, TheNextFetchFollowsTheIntervalAfterAFailure) {
  // On the real clock: the runner's timer is an asio timer.
  sys::SystemMonotonicClock clock;
  FetchRunnerSetup setup;
  setup.program = "/usr/bin/pigeon";
  setup.accounts = {{"home", seconds(1)}};
  setup.schedule = {seconds(0), 2};
  FetchRunner runner(io_, std::move(setup), spawner_, clock, log_);
  runner.Start();
  Run();
  ASSERT_EQ(spawner_.started.size(), 1u);
  const auto failed_at = std::chrono::steady_clock::now();
  spawner_.Exit("home", {1, 0});
  Run();
  EXPECT_EQ(spawner_.started.size(), 1u);  // not again at once
  EXPECT_EQ(runner.running(), 0u);
  io_.restart();
  while (spawner_.started.size() < 2 && std::chrono::steady_clock::now() - failed_at < seconds(5)) {
    io_.run_one_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(spawner_.started, (std::vector<std::string>{"home", "home"}));
  EXPECT_GE(std::chrono::steady_clock::now() - failed_at, std::chrono::milliseconds(950));
}

TEST_F(FetchRunnerTest, AtMostMaxRunningAndTheRestWhenOneEnds) {
  auto runner = Make({{"a", seconds(60)}, {"b", seconds(60)}, {"c", seconds(60)}}, 2);
  runner->Start();
  Run();
  EXPECT_EQ(spawner_.started, (std::vector<std::string>{"a", "b"}));
  spawner_.Exit("b", {0, 0});
  Run();
  EXPECT_EQ(spawner_.started, (std::vector<std::string>{"a", "b", "c"}));
}

TEST_F(FetchRunnerTest, AFetchOverTheTimeLimitGetsSigtermThenSigkill) {
  time_limit_ = seconds(0);
  auto runner = Make({{"slow", seconds(60)}});
  runner->Start();
  Run();
  EXPECT_EQ(spawner_.children.at(spawner_.PidOf("slow")).signals,
            (std::vector<int>{SIGTERM, SIGKILL}));
  EXPECT_EQ(log_.lines.at(1), "warning: fetch slow: still running after 0s: stopping it");
  EXPECT_EQ(log_.lines.at(2), "warning: fetch slow: still running 0s after SIGTERM: killing it");
  spawner_.Exit("slow", {0, SIGKILL});
  EXPECT_EQ(log_.lines.at(3), "error: fetch slow: pigeon fetch ended by signal 9 (Killed)");
}

TEST_F(FetchRunnerTest, StopSendsSigtermAndStartsNothingMore) {
  auto runner = Make({{"a", seconds(60)}, {"b", seconds(60)}, {"c", seconds(60)}}, 2);
  runner->Start();
  Run();
  runner->Stop();
  EXPECT_EQ(spawner_.children.at(spawner_.PidOf("a")).signals, std::vector<int>{SIGTERM});
  EXPECT_EQ(spawner_.children.at(spawner_.PidOf("b")).signals, std::vector<int>{SIGTERM});
  spawner_.Exit("a", {130, 0});
  spawner_.Exit("b", {0, SIGTERM});
  Run();
  EXPECT_EQ(spawner_.started.size(), 2u);  // c was due, but pigeond is stopping
  EXPECT_EQ(runner->running(), 0u);
  EXPECT_EQ(log_.lines.size(), 1u);  // an interrupted fetch is no error
  EXPECT_TRUE(io_.stopped() || io_.poll() == 0);
}

TEST_F(FetchRunnerTest, AProgramThatCannotStartIsLoggedAndTriedOnTheInterval) {
  spawner_.fail = true;
  auto runner = Make({{"home", seconds(60)}});
  runner->Start();
  Run();
  EXPECT_EQ(log_.lines.at(1), "error: fetch home: cannot run /usr/bin/pigeon: No such file");
  EXPECT_EQ(runner->running(), 0u);
  EXPECT_EQ(log_.lines.size(), 2u);  // not retried in a loop
}

TEST(FindPigeonProgram, BesideItselfThenInBinThenTheOverride) {
  const std::filesystem::path top =
      std::filesystem::temp_directory_path() / ("pigeon-find-" + std::to_string(getpid()));
  std::filesystem::create_directories(top / "sbin");
  std::filesystem::create_directories(top / "bin");
  auto make_program = [](const std::filesystem::path& path) {
    std::ofstream(path) << "#!/bin/sh\n";
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  };
  const std::string pigeond = (top / "sbin/pigeond").string();
  EXPECT_FALSE(FindPigeonProgram("", pigeond));
  make_program(top / "bin/pigeon");
  EXPECT_EQ(FindPigeonProgram("", pigeond), (top / "sbin/../bin/pigeon").string());
  make_program(top / "sbin/pigeon");
  EXPECT_EQ(FindPigeonProgram("", pigeond), (top / "sbin/pigeon").string());
  EXPECT_EQ(FindPigeonProgram((top / "bin/pigeon").string(), pigeond),
            (top / "bin/pigeon").string());
  Result<std::string> missing = FindPigeonProgram("/nonexistent/pigeon", pigeond);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "no pigeon program to fetch with (tried /nonexistent/pigeon)");
  std::filesystem::remove_all(top);
}

}  // namespace
}  // namespace pigeon::mta::daemon
