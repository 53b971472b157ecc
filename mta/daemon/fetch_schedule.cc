// See fetch_schedule.h.
#include "mta/daemon/fetch_schedule.h"

#include <algorithm>

namespace pigeon::mta::daemon {

FetchSchedule::FetchSchedule(const std::vector<ScheduledAccount>& accounts,
                             FetchScheduleOptions options, const sys::MonotonicClock& clock)
    : options_(options), clock_(clock) {
  const TimePoint first = clock_.Now() + options_.first_delay;
  for (const ScheduledAccount& account : accounts) {
    if (account.interval.count() <= 0) continue;
    accounts_.push_back(Account{account.name, account.interval, first});
  }
}

std::vector<std::string> FetchSchedule::StartDue() {
  const TimePoint now = clock_.Now();
  std::vector<Account*> due;
  for (Account& account : accounts_) {
    if (!account.running && account.due <= now) due.push_back(&account);
  }
  // Stable: among accounts due at the same moment, the configuration's order.
  std::stable_sort(due.begin(), due.end(),
                   [](const Account* a, const Account* b) { return a->due < b->due; });
  std::vector<std::string> starting;
  for (Account* account : due) {
    if (running_ >= options_.max_running) break;
    account->running = true;
    ++running_;
    starting.push_back(account->name);
  }
  return starting;
}

void FetchSchedule::Finished(std::string_view name) {
  Account* account = Find(name);
  if (account == nullptr || !account->running) return;
  account->running = false;
  --running_;
  account->due = clock_.Now() + account->interval;
}

std::optional<FetchSchedule::TimePoint> FetchSchedule::NextDue() const {
  if (running_ >= options_.max_running) return std::nullopt;
  std::optional<TimePoint> next;
  for (const Account& account : accounts_) {
    if (account.running) continue;
    if (!next || account.due < *next) next = account.due;
  }
  return next;
}

bool FetchSchedule::IsRunning(std::string_view name) const {
  return std::any_of(accounts_.begin(), accounts_.end(),
                     [&](const Account& a) { return a.name == name && a.running; });
}

FetchSchedule::Account* FetchSchedule::Find(std::string_view name) {
  for (Account& account : accounts_) {
    if (account.name == name) return &account;
  }
  return nullptr;
}

}  // namespace pigeon::mta::daemon
