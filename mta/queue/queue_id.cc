// See queue_id.h.
#include "mta/queue/queue_id.h"

#include <chrono>

namespace pigeon::mta::queue {
namespace {

constexpr char kDigits[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford base32

void AppendBase32(uint64_t value, int digits, std::string& out) {
  for (int i = digits - 1; i >= 0; --i) out += kDigits[(value >> (5 * i)) & 31];
}

}  // namespace

QueueIdSource::QueueIdSource() : random_(std::random_device{}()) {}

std::string QueueIdSource::Next(int64_t micros) {
  // 11 digits of time (55 bits of microseconds: past the year 3000) then 3 random digits; the
  // time part never goes backwards nor repeats, so ids stay unique when the clock stands still
  // or steps back.
  uint64_t time = static_cast<uint64_t>(micros);
  if (time <= last_) time = last_ + 1;
  last_ = time;
  std::string id;
  id.reserve(14);
  AppendBase32(time, 11, id);
  AppendBase32(random_(), 3, id);
  return id;
}

std::string QueueIdSource::NextNow() {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return Next(micros.count());
}

}  // namespace pigeon::mta::queue
