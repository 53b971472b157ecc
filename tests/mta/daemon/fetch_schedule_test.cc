#include "mta/daemon/fetch_schedule.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace pigeon::mta::daemon {
namespace {

using std::chrono::seconds;
using Names = std::vector<std::string>;

class FetchScheduleTest : public ::testing::Test {
 protected:
  FetchSchedule Make(const std::vector<ScheduledAccount>& accounts, size_t max_running = 2) {
    return FetchSchedule(accounts, {seconds(3), max_running}, clock_);
  }
  void Advance(int secs) { clock_.Advance(seconds(secs)); }
  sys::ManualMonotonicClock clock_;
};

TEST_F(FetchScheduleTest, FirstFetchSoonAfterStartNotAnIntervalLater) {
  FetchSchedule schedule = Make({{"home", seconds(300)}});
  EXPECT_EQ(schedule.StartDue(), Names{});
  EXPECT_EQ(schedule.NextDue(), clock_.Now() + seconds(3));
  Advance(3);
  EXPECT_EQ(schedule.StartDue(), Names{"home"});
}

TEST_F(FetchScheduleTest, NextFetchIsAnIntervalAfterTheLastOneEnded) {
  FetchSchedule schedule = Make({{"home", seconds(60)}});
  Advance(3);
  ASSERT_EQ(schedule.StartDue(), Names{"home"});
  Advance(20);  // the fetch takes 20 s
  schedule.Finished("home");
  EXPECT_EQ(schedule.NextDue(), clock_.Now() + seconds(60));
  Advance(59);
  EXPECT_EQ(schedule.StartDue(), Names{});
  Advance(1);
  EXPECT_EQ(schedule.StartDue(), Names{"home"});
}

TEST_F(FetchScheduleTest, NeverTwoFetchesOfOneAccountAtOnce) {
  FetchSchedule schedule = Make({{"home", seconds(10)}});
  Advance(3);
  ASSERT_EQ(schedule.StartDue(), Names{"home"});
  // Running far longer than its interval: it is not started again meanwhile.
  Advance(100);
  EXPECT_EQ(schedule.StartDue(), Names{});
  EXPECT_TRUE(schedule.IsRunning("home"));
  EXPECT_EQ(schedule.NextDue(), std::nullopt);
  schedule.Finished("home");
  EXPECT_FALSE(schedule.IsRunning("home"));
  EXPECT_EQ(schedule.StartDue(), Names{});
  Advance(10);
  EXPECT_EQ(schedule.StartDue(), Names{"home"});
}

TEST_F(FetchScheduleTest, AtMostMaxRunningAtOnceTheLongestWaitingFirst) {
  FetchSchedule schedule =
      Make({{"a", seconds(100)}, {"b", seconds(100)}, {"c", seconds(100)}, {"d", seconds(5)}});
  Advance(3);
  EXPECT_EQ(schedule.StartDue(), (Names{"a", "b"}));  // configuration order on a tie
  EXPECT_EQ(schedule.running(), 2u);
  EXPECT_EQ(schedule.NextDue(), std::nullopt);  // full: only a Finished frees a slot
  Advance(1);
  EXPECT_EQ(schedule.StartDue(), Names{});
  schedule.Finished("b");
  EXPECT_EQ(schedule.StartDue(), Names{"c"});
  schedule.Finished("c");
  EXPECT_EQ(schedule.StartDue(), Names{"d"});
  schedule.Finished("d");  // d is due again in 5 s, c in 100 s
  EXPECT_EQ(schedule.NextDue(), clock_.Now() + seconds(5));
  Advance(5);
  EXPECT_EQ(schedule.StartDue(), Names{"d"});
}

TEST_F(FetchScheduleTest, TheLongestWaitingGoesFirstWhenASlotFrees) {
  FetchSchedule schedule = Make({{"x", seconds(50)}, {"y", seconds(40)}, {"z", seconds(10)}}, 1);
  Advance(3);
  ASSERT_EQ(schedule.StartDue(), Names{"x"});
  schedule.Finished("x");  // x due at 53
  ASSERT_EQ(schedule.StartDue(), Names{"y"});
  schedule.Finished("y");  // y due at 43
  ASSERT_EQ(schedule.StartDue(), Names{"z"});
  Advance(60);  // z ran a minute, x and y waited: y longer, though x comes first in the file
  schedule.Finished("z");
  EXPECT_EQ(schedule.StartDue(), Names{"y"});
  schedule.Finished("y");
  EXPECT_EQ(schedule.StartDue(), Names{"x"});
}

TEST_F(FetchScheduleTest, IntervalZeroIsNeverScheduled) {
  FetchSchedule schedule = Make({{"by-hand", seconds(0)}, {"home", seconds(30)}});
  EXPECT_EQ(schedule.scheduled(), 1u);
  Advance(3);
  EXPECT_EQ(schedule.StartDue(), Names{"home"});
  Advance(100000);
  EXPECT_FALSE(schedule.IsRunning("by-hand"));
  schedule.Finished("by-hand");  // unknown: ignored
  EXPECT_EQ(schedule.running(), 1u);
}

TEST_F(FetchScheduleTest, NothingScheduledHasNoNextDue) {
  FetchSchedule schedule = Make({{"by-hand", seconds(0)}});
  EXPECT_EQ(schedule.NextDue(), std::nullopt);
  Advance(10);
  EXPECT_EQ(schedule.StartDue(), Names{});
}

TEST_F(FetchScheduleTest, AFinishedCalledTwiceFreesOneSlot) {
  FetchSchedule schedule = Make({{"a", seconds(10)}, {"b", seconds(10)}}, 1);
  Advance(3);
  ASSERT_EQ(schedule.StartDue(), Names{"a"});
  schedule.Finished("a");
  schedule.Finished("a");
  EXPECT_EQ(schedule.StartDue(), Names{"b"});
  EXPECT_EQ(schedule.running(), 1u);
  EXPECT_EQ(schedule.StartDue(), Names{});
}

}  // namespace
}  // namespace pigeon::mta::daemon
