// The elapsed-time seam, for schedules and time limits: steady whatever happens to the date
// (Clock is the calendar time). Code takes a MonotonicClock&, so tests can move it by hand.
#pragma once

#include <chrono>

namespace pigeon::sys {

class MonotonicClock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  virtual ~MonotonicClock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemMonotonicClock : public MonotonicClock {
 public:
  TimePoint Now() const override { return std::chrono::steady_clock::now(); }
};

// A monotonic clock that moves only when told, for tests.
class ManualMonotonicClock : public MonotonicClock {
 public:
  TimePoint Now() const override { return now_; }
  void Advance(std::chrono::steady_clock::duration by) { now_ += by; }

 private:
  TimePoint now_{};
};

}  // namespace pigeon::sys
