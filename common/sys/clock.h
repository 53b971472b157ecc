// The clock seam: code that needs the time takes a Clock&, so tests can fix it.
#pragma once

#include <cstdint>

namespace pigeon::sys {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowUtcSeconds() const = 0;
  // Offset of local time from UTC at `utc_seconds`, in minutes (for Date fields).
  virtual int LocalOffsetMinutes(int64_t utc_seconds) const = 0;
};

// The system clock and the process's time zone (TZ, /etc/localtime).
class SystemClock : public Clock {
 public:
  int64_t NowUtcSeconds() const override;
  int LocalOffsetMinutes(int64_t utc_seconds) const override;
};

// A clock that says what it is told, for tests.
class FixedClock : public Clock {
 public:
  explicit FixedClock(int64_t now, int offset_minutes = 0) : now_(now), offset_(offset_minutes) {}
  int64_t NowUtcSeconds() const override { return now_; }
  int LocalOffsetMinutes(int64_t) const override { return offset_; }
  void Set(int64_t now) { now_ = now; }

 private:
  int64_t now_;
  int offset_;
};

}  // namespace pigeon::sys
