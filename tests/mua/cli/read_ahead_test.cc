#include "mua/cli/read_ahead.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace pigeon::mua {
namespace {

ImportItem Message(std::string raw) {
  ImportItem item;
  item.kind = ImportItem::Kind::kMessage;
  item.text = raw.substr(0, 20);
  item.message = store::PreparedMessage{std::move(raw), "", {}};
  return item;
}

ImportItem Warning(std::string text) {
  ImportItem item;
  item.kind = ImportItem::Kind::kWarning;
  item.text = std::move(text);
  return item;
}

// Waits (up to 10 s) until `count` reaches `at_least`, then 300 ms more (a producer that could
// go on would); returns the count then.
int CountOnceBlocked(const std::atomic<int>& count, int at_least) {
  for (int i = 0; i < 1000 && count.load() < at_least; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  return count.load();
}

TEST(ReadAhead, ItemsComeOutInOrderThenNothing) {
  ReadAhead reader([](ReadAhead& out) {
    for (int i = 0; i < 1000; ++i) {
      ASSERT_TRUE(out.Put(i % 10 == 0 ? Warning("w" + std::to_string(i))
                                      : Message("m" + std::to_string(i))));
    }
  });
  for (int i = 0; i < 1000; ++i) {
    std::optional<ImportItem> item = reader.Take();
    ASSERT_TRUE(item);
    EXPECT_EQ(item->text, (i % 10 == 0 ? "w" : "m") + std::to_string(i));
  }
  EXPECT_FALSE(reader.Take());
  EXPECT_FALSE(reader.Take());
}

TEST(ReadAhead, HoldsAtMostItsLimitOfItems) {
  std::atomic<int> put{0};
  ReadAhead reader([&put](ReadAhead& out) {
    for (int i = 0; i < 500 && out.Put(Message("m")); ++i) ++put;
  });
  const int limit = static_cast<int>(ReadAhead::kMaxItems);
  EXPECT_EQ(CountOnceBlocked(put, limit), limit);
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(reader.Take());
  EXPECT_FALSE(reader.Take());
  EXPECT_EQ(put.load(), 500);
}

TEST(ReadAhead, HoldsAtMostItsLimitOfBytesButAlwaysOneMessage) {
  std::atomic<int> put{0};
  const size_t quarter = ReadAhead::kMaxBytes / 4;
  ReadAhead reader([&](ReadAhead& out) {
    if (!out.Put(Message(std::string(ReadAhead::kMaxBytes * 2, 'x')))) return;  // too big alone
    ++put;
    for (int i = 0; i < 10 && out.Put(Message(std::string(quarter, 'y'))); ++i) ++put;
  });
  EXPECT_EQ(CountOnceBlocked(put, 1), 1);  // the big one fills the queue by itself
  EXPECT_EQ(reader.Take()->message->raw.size(), ReadAhead::kMaxBytes * 2);
  EXPECT_EQ(CountOnceBlocked(put, 1 + 4), 1 + 4);
  for (int i = 0; i < 10; ++i) ASSERT_EQ(reader.Take()->message->raw.size(), quarter);
  EXPECT_FALSE(reader.Take());
}

TEST(ReadAhead, CancelReleasesABlockedProducer) {
  std::atomic<bool> refused{false};
  {
    ReadAhead reader([&refused](ReadAhead& out) {
      while (out.Put(Message("m"))) {
      }
      refused = true;
    });
    ASSERT_TRUE(reader.Take());
    reader.Cancel();
    EXPECT_FALSE(reader.Take());
  }  // joins: the producer returned
  EXPECT_TRUE(refused.load());
}

TEST(ReadAhead, DestroyingItUnqueuedStopsTheProducer) {
  std::atomic<bool> refused{false};
  {
    ReadAhead reader([&refused](ReadAhead& out) {
      while (out.Put(Message("m"))) {
      }
      refused = true;
    });
  }
  EXPECT_TRUE(refused.load());
}

}  // namespace
}  // namespace pigeon::mua
