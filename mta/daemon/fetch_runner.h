// pigeond's scheduled fetches. Each [[fetch]] account with an interval is fetched, when
// FetchSchedule says it is due, by a child `pigeon -C CONFIG --store STORE fetch --quiet
// ACCOUNT`: libcurl and the IMAP and POP3 code stay out of pigeond's address space, and the
// child runs with pigeond's (dropped) privileges. Its output goes to pigeond's log, a line at a
// time, prefixed "fetch ACCOUNT:"; a fetch running past the time limit gets SIGTERM, then
// SIGKILL; Stop() ends the running fetches the same way and starts no more.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include "common/sys/log.h"
#include "common/sys/monotonic_clock.h"
#include "common/util/result.h"
#include "mta/daemon/child_process.h"
#include "mta/daemon/fetch_schedule.h"

namespace pigeon::mta::daemon {

struct FetchRunnerSetup {
  std::string program;      // the pigeon executable
  std::string config_path;  // the file holding the [[fetch]] accounts
  std::string store_path;
  std::vector<std::string> environment;  // the children's ("NAME=value"); empty: pigeond's
  std::vector<ScheduledAccount> accounts;
  FetchScheduleOptions schedule;
  std::chrono::seconds time_limit{3600};  // a fetch still running then is stopped
  std::chrono::seconds kill_grace{5};     // from SIGTERM to SIGKILL
};

class FetchRunner {
 public:
  // `io`, `spawner`, `clock` and `log` must outlive the runner.
  FetchRunner(asio::io_context& io, FetchRunnerSetup setup, ChildSpawner& spawner,
              const sys::MonotonicClock& clock, sys::Logger& log);
  FetchRunner(const FetchRunner&) = delete;
  FetchRunner& operator=(const FetchRunner&) = delete;

  void Start();
  // No fetch starts any more; the running ones get SIGTERM (SIGKILL after the grace). Once
  // they were reaped the runner holds no work in the io_context.
  void Stop();
  size_t running() const { return running_.size(); }

 private:
  struct Running {
    explicit Running(asio::io_context& io) : limit(io) {}
    int pid = -1;
    asio::steady_timer limit;
    bool complained = false;  // a line on stderr: the failure was told
    bool stopped = false;     // SIGTERM sent: over the time limit, or pigeond stopping
  };

  void StartDue();
  void Launch(const std::string& account);
  void StopChild(const std::string& account, Running& child, std::string_view why);
  void OnStderr(const std::string& account, std::string_view line);
  void OnExit(const std::string& account, const ChildExit& exit);
  std::vector<std::string> Argv(const std::string& account) const;

  asio::io_context& io_;
  FetchRunnerSetup setup_;
  ChildSpawner& spawner_;
  const sys::MonotonicClock& clock_;
  sys::Logger& log_;
  FetchSchedule schedule_;
  asio::steady_timer wake_;
  std::map<std::string, std::unique_ptr<Running>> running_;
  bool stopping_ = false;
};

// The pigeon program to run: `override_path` when not empty ($PIGEON_FETCH_PROGRAM), else
// `pigeon` beside `own_executable` (pigeond's /proc/self/exe), else in the bin directory
// beside its directory (sbin/pigeond, bin/pigeon). Must be executable.
Result<std::string> FindPigeonProgram(std::string_view override_path,
                                      std::string_view own_executable);

}  // namespace pigeon::mta::daemon
