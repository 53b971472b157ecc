// See fetch_runner.h.
#include "mta/daemon/fetch_runner.h"

#include <signal.h>
#include <unistd.h>

#include <string.h>

#include <algorithm>
#include <optional>

#include <fmt/format.h>

namespace pigeon::mta::daemon {
namespace {

// "pigeon fetch: home: login failed" is logged as "fetch home: login failed".
std::string_view WithoutPrefix(std::string_view line, std::string_view prefix) {
  if (line.starts_with(prefix)) line.remove_prefix(prefix.size());
  return line;
}

std::string Duration(std::chrono::seconds seconds) {
  const auto count = seconds.count();
  if (count > 0 && count % 3600 == 0) return fmt::format("{}h", count / 3600);
  if (count > 0 && count % 60 == 0) return fmt::format("{}m", count / 60);
  return fmt::format("{}s", count);
}

}  // namespace

FetchRunner::FetchRunner(asio::io_context& io, FetchRunnerSetup setup, ChildSpawner& spawner,
                         const sys::MonotonicClock& clock, sys::Logger& log)
    : io_(io),
      setup_(std::move(setup)),
      spawner_(spawner),
      clock_(clock),
      log_(log),
      schedule_(setup_.accounts, setup_.schedule, clock),
      wake_(io) {}

void FetchRunner::Start() {
  std::string names;
  for (const ScheduledAccount& account : setup_.accounts) {
    if (account.interval.count() <= 0) continue;
    names += fmt::format("{}{} (every {})", names.empty() ? "" : ", ", account.name,
                         Duration(account.interval));
  }
  if (names.empty()) return;
  log_.Info(fmt::format("fetching {} with {}", names, setup_.program));
  StartDue();
}

void FetchRunner::Stop() {
  stopping_ = true;
  wake_.cancel();
  std::vector<std::string> accounts;
  for (const auto& [account, child] : running_) accounts.push_back(account);
  for (const std::string& account : accounts) {
    auto found = running_.find(account);
    if (found != running_.end()) StopChild(account, *found->second, "");
  }
}

void FetchRunner::StartDue() {
  if (stopping_) return;
  for (const std::string& account : schedule_.StartDue()) Launch(account);
  const std::optional<FetchSchedule::TimePoint> next = schedule_.NextDue();
  if (!next) {
    wake_.cancel();
    return;
  }
  const auto delay = std::max(*next - clock_.Now(), FetchSchedule::TimePoint::duration::zero());
  wake_.expires_after(delay);
  wake_.async_wait([this](const asio::error_code& error) {
    if (!error) StartDue();
  });
}

std::vector<std::string> FetchRunner::Argv(const std::string& account) const {
  return {
      setup_.program, "-C",   setup_.config_path, "--store", setup_.store_path, "fetch", "--quiet",
      "--",           account};
}

void FetchRunner::Launch(const std::string& account) {
  auto child = std::make_unique<Running>(io_);
  Running& running = *child;
  running_[account] = std::move(child);
  ChildHandlers handlers;
  handlers.on_stdout = [this, account](std::string_view line) {
    log_.Info(fmt::format("fetch {}: {}", account, WithoutPrefix(line, account + ": ")));
  };
  handlers.on_stderr = [this, account](std::string_view line) { OnStderr(account, line); };
  handlers.on_exit = [this, account](const ChildExit& exit) { OnExit(account, exit); };
  Result<int> pid = spawner_.Spawn(Argv(account), setup_.environment, std::move(handlers));
  if (!pid) {
    log_.Error(fmt::format("fetch {}: {}", account, pid.error().message));
    running_.erase(account);
    schedule_.Finished(account);
    return;
  }
  running.pid = *pid;
  running.limit.expires_after(setup_.time_limit);
  running.limit.async_wait([this, account](const asio::error_code& error) {
    if (error) return;
    auto found = running_.find(account);
    if (found == running_.end()) return;
    StopChild(account, *found->second,
              fmt::format("still running after {}: stopping it", Duration(setup_.time_limit)));
  });
}

void FetchRunner::StopChild(const std::string& account, Running& child, std::string_view why) {
  if (!why.empty()) log_.Warning(fmt::format("fetch {}: {}", account, why));
  child.stopped = true;
  spawner_.Signal(child.pid, SIGTERM);
  child.limit.expires_after(setup_.kill_grace);
  child.limit.async_wait([this, account](const asio::error_code& error) {
    if (error) return;
    auto found = running_.find(account);
    if (found == running_.end()) return;
    log_.Warning(fmt::format("fetch {}: still running {} after SIGTERM: killing it", account,
                             Duration(setup_.kill_grace)));
    spawner_.Signal(found->second->pid, SIGKILL);
  });
}

void FetchRunner::OnStderr(const std::string& account, std::string_view line) {
  auto found = running_.find(account);
  if (found != running_.end()) found->second->complained = true;
  line = WithoutPrefix(line, "pigeon fetch: ");
  if (line.starts_with("warning: ")) {
    log_.Warning(fmt::format("fetch {}: {}", account, line.substr(9)));
    return;
  }
  log_.Error(fmt::format("fetch {}: {}", account, WithoutPrefix(line, account + ": ")));
}

void FetchRunner::OnExit(const std::string& account, const ChildExit& exit) {
  auto found = running_.find(account);
  if (found == running_.end()) return;
  const bool stopped = found->second->stopped;
  const bool complained = found->second->complained;
  running_.erase(found);  // cancels its timer
  schedule_.Finished(account);
  if (exit.signal != 0 && !(stopped && stopping_)) {
    log_.Error(fmt::format("fetch {}: pigeon fetch ended by signal {} ({})", account, exit.signal,
                           strsignal(exit.signal)));
  } else if (exit.signal == 0 && exit.status != 0 && !complained && !stopped) {
    log_.Error(
        fmt::format("fetch {}: pigeon fetch failed with exit status {}", account, exit.status));
  }
  StartDue();
}

Result<std::string> FindPigeonProgram(std::string_view override_path,
                                      std::string_view own_executable) {
  std::vector<std::string> candidates;
  if (!override_path.empty()) {
    candidates.emplace_back(override_path);
  } else {
    const size_t slash = own_executable.rfind('/');
    const std::string directory(
        own_executable.substr(0, slash == std::string_view::npos ? 0 : slash));
    if (!directory.empty()) {
      candidates.push_back(directory + "/pigeon");
      candidates.push_back(directory + "/../bin/pigeon");
    }
  }
  for (const std::string& candidate : candidates) {
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  std::string tried;
  for (const std::string& candidate : candidates) tried += (tried.empty() ? "" : ", ") + candidate;
  return MakeError(ErrorCode::kNotFound,
                   fmt::format("no pigeon program to fetch with (tried {})",
                               tried.empty() ? "nothing: pigeond's own path is unknown" : tried));
}

}  // namespace pigeon::mta::daemon
