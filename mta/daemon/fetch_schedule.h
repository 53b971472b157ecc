// When pigeond fetches each remote account ([[fetch]] with an interval): a first fetch soon
// after start, then one per interval counted from the end of the previous fetch, whether it
// succeeded or failed (a failing server is not asked more often than a working one). Never two
// fetches of one account at once, and at most `max_running` at a time: accounts that are due
// while all slots are busy start as slots free up, the longest waiting first.
// Pure bookkeeping: no processes, no timers; the time comes from a MonotonicClock.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/sys/monotonic_clock.h"

namespace pigeon::mta::daemon {

struct ScheduledAccount {
  std::string name;
  std::chrono::seconds interval;  // 0: never scheduled (fetched by hand only)
};

struct FetchScheduleOptions {
  std::chrono::seconds first_delay{3};  // from start to the first fetch of each account
  size_t max_running = 2;               // fetches at once
};

class FetchSchedule {
 public:
  using TimePoint = sys::MonotonicClock::TimePoint;

  // Accounts with an interval of 0 are left out. `clock` must outlive the schedule.
  FetchSchedule(const std::vector<ScheduledAccount>& accounts, FetchScheduleOptions options,
                const sys::MonotonicClock& clock);

  // The accounts whose fetch starts now (in order of when they fell due, then of the
  // configuration); they count as running until Finished.
  std::vector<std::string> StartDue();
  // A running fetch of `name` ended; its next one is an interval from now.
  void Finished(std::string_view name);
  // When StartDue next has something to start, as far as time decides; nullopt when nothing
  // can start before a running fetch finishes (all slots busy) or nothing is scheduled.
  std::optional<TimePoint> NextDue() const;

  size_t scheduled() const { return accounts_.size(); }
  size_t running() const { return running_; }
  bool IsRunning(std::string_view name) const;

 private:
  struct Account {
    std::string name;
    std::chrono::seconds interval;
    TimePoint due;
    bool running = false;
  };
  Account* Find(std::string_view name);

  std::vector<Account> accounts_;  // configuration order
  FetchScheduleOptions options_;
  const sys::MonotonicClock& clock_;
  size_t running_ = 0;
};

}  // namespace pigeon::mta::daemon
