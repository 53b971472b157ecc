#include "mua/ui/query_watch.h"

#include <deque>
#include <vector>

#include <gtest/gtest.h>

namespace pigeon::mua::ui {
namespace {

using std::chrono::milliseconds;

struct Fixture {
  sys::ManualMonotonicClock clock;
  std::vector<std::string> shown;
  std::deque<Key> pending;
  QueryWatch watch{"Searching", clock, [this](std::string_view text) { shown.emplace_back(text); },
                   [this]() -> std::optional<Key> {
                     if (pending.empty()) return std::nullopt;
                     const Key key = pending.front();
                     pending.pop_front();
                     return key;
                   }};
};

TEST(QueryWatchTest, AQuickQueryShowsNothingAndReadsNoKey) {
  Fixture f;
  f.pending.push_back(keys::kControlG);  // typed ahead: for the next command, not this query
  f.clock.Advance(milliseconds(299));
  EXPECT_FALSE(f.watch.ShouldStop());
  EXPECT_TRUE(f.shown.empty());
  EXPECT_EQ(f.pending.size(), 1u);
}

TEST(QueryWatchTest, ASlowQueryShowsItsTimeAndGoesOnWithoutAKey) {
  Fixture f;
  f.clock.Advance(milliseconds(300));
  EXPECT_FALSE(f.watch.ShouldStop());
  ASSERT_EQ(f.shown.size(), 1u);
  EXPECT_EQ(f.shown[0], "Searching... 0 s (^G to cancel)");
  f.clock.Advance(milliseconds(50));  // within the tick: not drawn again
  EXPECT_FALSE(f.watch.ShouldStop());
  EXPECT_EQ(f.shown.size(), 1u);
  f.clock.Advance(milliseconds(2000));
  EXPECT_FALSE(f.watch.ShouldStop());
  ASSERT_EQ(f.shown.size(), 2u);
  EXPECT_EQ(f.shown[1], "Searching... 2 s (^G to cancel)");
  EXPECT_FALSE(f.watch.stopped());
}

TEST(QueryWatchTest, ControlGOrEscStopsItAndOtherKeysAreDropped) {
  for (Key stop : {keys::kControlG, keys::kEscape}) {
    Fixture f;
    f.pending = {'j', 'k', stop, 'q'};
    f.clock.Advance(milliseconds(400));
    EXPECT_TRUE(f.watch.ShouldStop());
    EXPECT_TRUE(f.watch.stopped());
    EXPECT_EQ(f.pending, std::deque<Key>{'q'});  // read up to the stop key only
    EXPECT_TRUE(f.watch.ShouldStop());           // and it stays stopped
  }
}

}  // namespace
}  // namespace pigeon::mua::ui
