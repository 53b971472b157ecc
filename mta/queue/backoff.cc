#include "mta/queue/backoff.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "common/util/check.h"

namespace pigeon::mta::queue {
namespace {

// Times come from the store; a corrupt row must not overflow into the past.
int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) {
    return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
  }
  return sum;
}

// A uniform value in [0, 1) from the top 53 bits.
double UnitInterval(uint64_t value) { return static_cast<double>(value >> 11) * 0x1.0p-53; }

}  // namespace

Result<void> CheckBackoffOptions(const BackoffOptions& options) {
  if (options.first_retry_seconds <= 0) {
    return MakeError(ErrorCode::kInvalidArgument, "the first retry wait must be positive");
  }
  if (options.max_retry_seconds < options.first_retry_seconds) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the maximal retry wait is shorter than the first one");
  }
  if (!(options.jitter >= 0.0 && options.jitter <= 0.5)) {
    return MakeError(ErrorCode::kInvalidArgument, "the retry jitter must be between 0 and 0.5");
  }
  if (options.max_queue_lifetime_seconds <= 0) {
    return MakeError(ErrorCode::kInvalidArgument, "the queue lifetime must be positive");
  }
  if (options.delay_warning_seconds < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "the delay warning time cannot be negative");
  }
  return {};
}

Backoff::Backoff(const BackoffOptions& options, std::function<uint64_t()> random)
    : options_(options), random_(std::move(random)) {
  PIGEON_CHECK(CheckBackoffOptions(options_).has_value());
}

int64_t Backoff::NominalWait(int attempts_so_far) const {
  if (attempts_so_far <= 0) return 0;
  int64_t wait = options_.first_retry_seconds;
  // Doubling reaches any cap within 63 steps; stop there rather than overflow.
  for (int i = 1; i < attempts_so_far && wait < options_.max_retry_seconds; ++i) wait *= 2;
  return std::min(wait, options_.max_retry_seconds);
}

RetryDecision Backoff::NextAttempt(int64_t arrived, int attempts_so_far, int64_t now) const {
  const int64_t expires = ExpiresAt(arrived);
  if (now >= expires) return {.give_up = true};
  if (attempts_so_far <= 0) return {.next_attempt = now};

  const int64_t nominal = NominalWait(attempts_so_far);
  int64_t wait = nominal;
  if (random_ && options_.jitter > 0.0) {
    // Uniform over [nominal·(1−j), min(nominal·(1+j), cap)]: a capped wait is spread below
    // the cap instead of piling up on it.
    const double low = static_cast<double>(nominal) * (1.0 - options_.jitter);
    const double high = std::min(static_cast<double>(nominal) * (1.0 + options_.jitter),
                                 static_cast<double>(options_.max_retry_seconds));
    wait = static_cast<int64_t>(std::floor(low + (high - low) * UnitInterval(random_())));
    wait = std::clamp<int64_t>(wait, 1, options_.max_retry_seconds);
  }
  return {.next_attempt = std::min(SaturatingAdd(now, wait), expires)};
}

bool Backoff::ShouldWarnDelay(int64_t arrived, int64_t now, bool already_warned) const {
  if (already_warned || options_.delay_warning_seconds == 0) return false;
  if (now >= ExpiresAt(arrived)) return false;  // it bounces instead
  return now >= SaturatingAdd(arrived, options_.delay_warning_seconds);
}

int64_t Backoff::ExpiresAt(int64_t arrived) const {
  return SaturatingAdd(arrived, options_.max_queue_lifetime_seconds);
}

}  // namespace pigeon::mta::queue
