// Fuzzes ParseSendTime (the reader's "Send at: " answer) on arbitrary bytes, with the clock and
// zone offset taken from the first bytes (bounded to real instants and offsets): a time it
// accepts must lie in the future, and formatting it must work.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "mua/compose/send_time.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int64_t now = 1'700'000'000;
  int16_t offset = 0;
  if (size >= sizeof(uint32_t) + sizeof(int16_t)) {
    uint32_t seconds = 0;
    std::memcpy(&seconds, data, sizeof seconds);
    std::memcpy(&offset, data + sizeof seconds, sizeof offset);
    now = seconds;
    offset = static_cast<int16_t>(offset % (15 * 60));
    data += sizeof seconds + sizeof offset;
    size -= sizeof seconds + sizeof offset;
  }
  const pigeon::sys::FixedClock clock(now, offset);
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  pigeon::Result<int64_t> when = pigeon::mua::compose::ParseSendTime(input, clock);
  if (!when) return 0;
  if (*when <= now) std::abort();
  (void)pigeon::mua::compose::FormatLocalTime(*when, now, clock);
  return 0;
}
