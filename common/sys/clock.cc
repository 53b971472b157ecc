#include "common/sys/clock.h"

#include <ctime>

namespace pigeon::sys {

int64_t SystemClock::NowUtcSeconds() const { return static_cast<int64_t>(std::time(nullptr)); }

int SystemClock::LocalOffsetMinutes(int64_t utc_seconds) const {
  std::time_t t = static_cast<std::time_t>(utc_seconds);
  std::tm local{};
  if (localtime_r(&t, &local) == nullptr) return 0;
  return static_cast<int>(local.tm_gmtoff / 60);
}

}  // namespace pigeon::sys
