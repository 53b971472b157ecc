// Keeps a long store query answerable: the store asks ShouldStop() as the query runs (see
// Store::SetInterruptCheck); after a quiet moment the watch shows "Searching... 2 s (^G to
// cancel)" and reads the keyboard, and ^G or Esc stops the query. Quick queries show nothing.
// Pure: the clock, the notice and the key reader are passed in.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/sys/monotonic_clock.h"
#include "mua/ui/keymap.h"

namespace pigeon::mua::ui {

class QueryWatch {
 public:
  // Below this a query shows no notice (and keys wait for it as for any command).
  static constexpr std::chrono::milliseconds kQuiet{300};
  // How often the notice is redrawn and the keyboard read while the query runs.
  static constexpr std::chrono::milliseconds kTick{100};

  // `show` draws the notice on the message line; `poll_key` returns a pending key, if any,
  // without waiting. Both must outlive the watch.
  QueryWatch(std::string label, const sys::MonotonicClock& clock,
             std::function<void(std::string_view)> show,
             std::function<std::optional<Key>()> poll_key);

  // True once the user pressed ^G or Esc: the query is to stop. Other keys are dropped, as
  // mutt drops typeahead during a search.
  bool ShouldStop();
  bool stopped() const { return stopped_; }

 private:
  std::string label_;
  const sys::MonotonicClock& clock_;
  std::function<void(std::string_view)> show_;
  std::function<std::optional<Key>()> poll_key_;
  sys::MonotonicClock::TimePoint started_;
  sys::MonotonicClock::TimePoint next_tick_;
  bool stopped_ = false;
};

}  // namespace pigeon::mua::ui
