#include "mta/queue/backoff.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

namespace pigeon::mta::queue {
namespace {

constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kArrived = 1'800'000'000;

// A "random" source that always says the same thing.
std::function<uint64_t()> Constant(uint64_t value) {
  return [value] { return value; };
}

TEST(BackoffTest, DefaultsMatchTheDocumentedSchedule) {
  const BackoffOptions options;
  EXPECT_EQ(options.first_retry_seconds, 5 * kMinute);
  EXPECT_EQ(options.max_retry_seconds, kHour);
  EXPECT_DOUBLE_EQ(options.jitter, 0.10);
  EXPECT_EQ(options.max_queue_lifetime_seconds, 5 * kDay);
  EXPECT_EQ(options.delay_warning_seconds, 4 * kHour);
  EXPECT_TRUE(CheckBackoffOptions(options).has_value());
}

TEST(BackoffTest, WaitsDoubleFromFiveMinutesUpToTheHourlyCap) {
  const Backoff backoff({}, nullptr);  // no jitter
  const int64_t want_minutes[] = {5, 10, 20, 40, 60, 60, 60, 60};
  int64_t now = kArrived;
  for (int attempts = 1; attempts <= 8; ++attempts) {
    const RetryDecision got = backoff.NextAttempt(kArrived, attempts, now);
    ASSERT_FALSE(got.give_up) << attempts;
    EXPECT_EQ(got.next_attempt - now, want_minutes[attempts - 1] * kMinute)
        << "after " << attempts << " attempts";
    EXPECT_EQ(backoff.NominalWait(attempts), want_minutes[attempts - 1] * kMinute);
    now = got.next_attempt;
  }
}

TEST(BackoffTest, CapHoldsForHugeAttemptCounts) {
  const Backoff backoff({}, nullptr);
  for (int attempts : {6, 30, 62, 63, 64, 1000, std::numeric_limits<int>::max()}) {
    EXPECT_EQ(backoff.NominalWait(attempts), kHour) << attempts;
    EXPECT_EQ(backoff.NextAttempt(kArrived, attempts, kArrived + kDay).next_attempt,
              kArrived + kDay + kHour)
        << attempts;
  }
}

TEST(BackoffTest, CustomCapAndFirstWait) {
  const Backoff backoff({.first_retry_seconds = 60, .max_retry_seconds = 300, .jitter = 0},
                        Constant(0));
  const int64_t want[] = {60, 120, 240, 300, 300};
  for (int attempts = 1; attempts <= 5; ++attempts) {
    EXPECT_EQ(backoff.NominalWait(attempts), want[attempts - 1]) << attempts;
  }
}

TEST(BackoffTest, NoAttemptYetMeansTryNow) {
  const Backoff backoff({}, Constant(~uint64_t{0}));
  EXPECT_EQ(backoff.NextAttempt(kArrived, 0, kArrived), (RetryDecision{.next_attempt = kArrived}));
  EXPECT_EQ(backoff.NominalWait(0), 0);
  EXPECT_EQ(backoff.NominalWait(-3), 0);
}

TEST(BackoffTest, GivesUpFiveDaysAfterArrivalExactly) {
  const Backoff backoff({}, nullptr);
  const int64_t deadline = kArrived + 5 * kDay;
  EXPECT_EQ(backoff.ExpiresAt(kArrived), deadline);

  EXPECT_TRUE(backoff.NextAttempt(kArrived, 40, deadline).give_up);
  EXPECT_TRUE(backoff.NextAttempt(kArrived, 40, deadline + 1).give_up);
  EXPECT_TRUE(backoff.NextAttempt(kArrived, 0, deadline).give_up);

  // One second before: one more try, right at the deadline, not an hour later.
  const RetryDecision last = backoff.NextAttempt(kArrived, 40, deadline - 1);
  EXPECT_FALSE(last.give_up);
  EXPECT_EQ(last.next_attempt, deadline);
  // Far enough before, the usual wait.
  EXPECT_EQ(backoff.NextAttempt(kArrived, 40, deadline - kHour).next_attempt, deadline);
  EXPECT_EQ(backoff.NextAttempt(kArrived, 40, deadline - kHour - 1).next_attempt, deadline - 1);
}

TEST(BackoffTest, LifetimeCountsFromArrivalNotFromTheFirstFailure) {
  const Backoff backoff({}, nullptr);
  // The first attempt failed only four days after arrival (say the queue was stopped): one
  // more day of retries, not five.
  const int64_t first_failure = kArrived + 4 * kDay;
  EXPECT_FALSE(backoff.NextAttempt(kArrived, 1, first_failure).give_up);
  EXPECT_TRUE(backoff.NextAttempt(kArrived, 2, kArrived + 5 * kDay).give_up);
}

TEST(BackoffTest, JitterStaysWithinTenPercentAndUnderTheCap) {
  struct Case {
    const char* name;
    uint64_t random;
    int attempts;
    int64_t want_wait;
  };
  const Case cases[] = {
      // Nominal 5 min: [270 s, 330 s].
      {"lowest", 0, 1, 270},
      {"middle", uint64_t{1} << 63, 1, 300},
      {"highest", ~uint64_t{0}, 1, 330},
      // Nominal 40 min: [36 min, 44 min].
      {"40 min lowest", 0, 4, 36 * kMinute},
      {"40 min highest", ~uint64_t{0}, 4, 44 * kMinute},
      // Capped: [54 min, 60 min], spread below the cap rather than piled on it.
      {"capped lowest", 0, 9, 54 * kMinute},
      {"capped middle", uint64_t{1} << 63, 9, 57 * kMinute},
      {"capped highest", ~uint64_t{0}, 9, kHour},
  };
  for (const Case& c : cases) {
    const Backoff backoff({}, Constant(c.random));
    const int64_t now = kArrived + kDay;
    EXPECT_EQ(backoff.NextAttempt(kArrived, c.attempts, now).next_attempt - now, c.want_wait)
        << c.name;
  }
}

TEST(BackoffTest, JitterSpreadsRecipientsDeferredTogether) {
  uint64_t state = 0x9e3779b97f4a7c15u;
  auto xorshift = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  const Backoff backoff({}, xorshift);
  const int64_t now = kArrived + kDay;
  std::vector<int64_t> waits;
  for (int i = 0; i < 1000; ++i) {
    for (int attempts = 1; attempts <= 7; ++attempts) {
      const int64_t nominal = backoff.NominalWait(attempts);
      const int64_t wait = backoff.NextAttempt(kArrived, attempts, now).next_attempt - now;
      EXPECT_GE(wait, nominal * 9 / 10) << attempts;
      EXPECT_LE(wait, nominal * 11 / 10) << attempts;
      EXPECT_LE(wait, kHour) << attempts;
      if (attempts == 1) waits.push_back(wait);
    }
  }
  std::sort(waits.begin(), waits.end());
  const auto distinct = std::unique(waits.begin(), waits.end()) - waits.begin();
  EXPECT_GT(distinct, 40);  // 60 possible values; not all in lockstep
}

TEST(BackoffTest, WarnsOnceAfterFourHours) {
  const Backoff backoff({}, nullptr);
  EXPECT_FALSE(backoff.ShouldWarnDelay(kArrived, kArrived, false));
  EXPECT_FALSE(backoff.ShouldWarnDelay(kArrived, kArrived + 4 * kHour - 1, false));
  EXPECT_TRUE(backoff.ShouldWarnDelay(kArrived, kArrived + 4 * kHour, false));
  EXPECT_TRUE(backoff.ShouldWarnDelay(kArrived, kArrived + 2 * kDay, false));
  EXPECT_FALSE(backoff.ShouldWarnDelay(kArrived, kArrived + 4 * kHour, true));
  // Past the lifetime it bounces; no warning first.
  EXPECT_FALSE(backoff.ShouldWarnDelay(kArrived, kArrived + 5 * kDay, false));
}

TEST(BackoffTest, WarningZeroIsOff) {
  const Backoff backoff({.delay_warning_seconds = 0}, nullptr);
  for (int64_t after : {int64_t{0}, kHour, 4 * kHour, 4 * kDay}) {
    EXPECT_FALSE(backoff.ShouldWarnDelay(kArrived, kArrived + after, false)) << after;
  }
}

TEST(BackoffTest, WarningLaterThanTheLifetimeNeverFires) {
  const Backoff backoff({.max_queue_lifetime_seconds = kHour, .delay_warning_seconds = 2 * kHour},
                        nullptr);
  EXPECT_FALSE(backoff.ShouldWarnDelay(kArrived, kArrived + 2 * kHour, false));
}

TEST(BackoffTest, ExtremeTimesDoNotOverflow) {
  const Backoff backoff({}, nullptr);
  const int64_t max = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(backoff.ExpiresAt(max - 10), max);
  const RetryDecision got = backoff.NextAttempt(max - 10, 3, max - 20);
  EXPECT_FALSE(got.give_up);
  EXPECT_EQ(got.next_attempt, max);
  EXPECT_FALSE(backoff.ShouldWarnDelay(max - 10, max - 5, false));
}

TEST(BackoffTest, RejectsNonsenseOptions) {
  struct Case {
    const char* name;
    BackoffOptions options;
  };
  const Case cases[] = {
      {"zero first wait", {.first_retry_seconds = 0}},
      {"negative first wait", {.first_retry_seconds = -5}},
      {"cap below first", {.first_retry_seconds = 600, .max_retry_seconds = 300}},
      {"negative jitter", {.jitter = -0.1}},
      {"huge jitter", {.jitter = 0.9}},
      {"nan jitter", {.jitter = std::numeric_limits<double>::quiet_NaN()}},
      {"zero lifetime", {.max_queue_lifetime_seconds = 0}},
      {"negative warning", {.delay_warning_seconds = -1}},
  };
  for (const Case& c : cases) {
    const Result<void> got = CheckBackoffOptions(c.options);
    ASSERT_FALSE(got.has_value()) << c.name;
    EXPECT_EQ(got.error().code, ErrorCode::kInvalidArgument) << c.name;
  }
}

}  // namespace
}  // namespace pigeon::mta::queue
