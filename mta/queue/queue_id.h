// Queue ids: short, unique across restarts, roughly sortable by time, safe in logs and headers
// ("01JD4Q7ZB2N8XK": 14 characters of Crockford base32 from microseconds and random bits).
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace pigeon::mta::queue {

class QueueIdSource {
 public:
  QueueIdSource();
  // `micros`: microseconds since the epoch (from a clock); the rest is random.
  std::string Next(int64_t micros);
  // With the system clock's microseconds: ids made by several processes at once differ in
  // their time part, not only in their few random bits.
  std::string NextNow();

 private:
  std::mt19937_64 random_;
  uint64_t last_ = 0;
};

}  // namespace pigeon::mta::queue
