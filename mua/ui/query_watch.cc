// See query_watch.h.
#include "mua/ui/query_watch.h"

#include <fmt/format.h>

namespace pigeon::mua::ui {

QueryWatch::QueryWatch(std::string label, const sys::MonotonicClock& clock,
                       std::function<void(std::string_view)> show,
                       std::function<std::optional<Key>()> poll_key)
    : label_(std::move(label)),
      clock_(clock),
      show_(std::move(show)),
      poll_key_(std::move(poll_key)),
      started_(clock.Now()),
      next_tick_(started_ + kQuiet) {}

bool QueryWatch::ShouldStop() {
  if (stopped_) return true;
  const sys::MonotonicClock::TimePoint now = clock_.Now();
  if (now < next_tick_) return false;
  next_tick_ = now + kTick;
  const double seconds = std::chrono::duration<double>(now - started_).count();
  show_(fmt::format("{}... {:.0f} s (^G to cancel)", label_, seconds));
  while (std::optional<Key> key = poll_key_()) {
    if (*key == keys::kControlG || *key == keys::kEscape) {
      stopped_ = true;
      return true;
    }
  }
  return false;
}

}  // namespace pigeon::mua::ui
