// The retry schedule of a deferred recipient: exponential waits with jitter, a cap between
// tries, a queue lifetime counted from arrival (after which the recipient bounces) and the
// optional delay warning. Pure: times are UTC seconds from the caller (the store keeps those),
// randomness comes from an injected source.
#pragma once

#include <cstdint>
#include <functional>

#include "common/util/result.h"

namespace pigeon::mta::queue {

struct BackoffOptions {
  int64_t first_retry_seconds = 5 * 60;  // wait after the first failed attempt
  int64_t max_retry_seconds = 60 * 60;   // no wait is longer than this
  // Each wait is spread uniformly over ±jitter of its nominal length (never past the cap), so
  // recipients deferred together do not retry in lockstep. 0 = exact waits.
  double jitter = 0.10;
  int64_t max_queue_lifetime_seconds = 5 * 24 * 3600;  // from arrival; then bounce
  int64_t delay_warning_seconds = 4 * 3600;            // from arrival; 0 = never warn
};

// Whether `options` make sense (positive waits, cap ≥ first wait, jitter in [0, 0.5], …);
// for the configuration loader, which reports the error with the file and line.
Result<void> CheckBackoffOptions(const BackoffOptions& options);

struct RetryDecision {
  bool give_up = false;      // the message is past its lifetime: bounce the recipient
  int64_t next_attempt = 0;  // UTC seconds of the next try (when !give_up)
  bool operator==(const RetryDecision&) const = default;
};

class Backoff {
 public:
  // `random` returns uniformly distributed 64-bit values; empty means no jitter. `options`
  // must pass CheckBackoffOptions (checked: a bad schedule is a bug of the caller).
  Backoff(const BackoffOptions& options, std::function<uint64_t()> random);

  // Called after attempt number `attempts_so_far` failed temporarily at `now`. The nominal
  // wait is first_retry · 2^(attempts_so_far − 1), capped; 0 attempts means "try now". Gives
  // up once `now` is max_queue_lifetime after `arrived`; a wait that would pass that moment
  // is cut short so that the last try happens right at it.
  RetryDecision NextAttempt(int64_t arrived, int attempts_so_far, int64_t now) const;

  // The nominal wait after `attempts_so_far` failures, before jitter (for mailq and logs).
  int64_t NominalWait(int attempts_so_far) const;

  // Whether to send the "still being retried" notice: warnings are on, none was sent yet, the
  // message has waited delay_warning_seconds, and it is not yet due to bounce.
  bool ShouldWarnDelay(int64_t arrived, int64_t now, bool already_warned) const;

  // When the recipient bounces (the DSN's Will-Retry-Until).
  int64_t ExpiresAt(int64_t arrived) const;

 private:
  BackoffOptions options_;
  std::function<uint64_t()> random_;
};

}  // namespace pigeon::mta::queue
