// Fuzzes ParseDate on arbitrary bytes. When a date is found, formatting it as RFC 5322 and
// parsing that again must give the same instant. The first bytes also serve as an arbitrary
// instant and offset for the formatters, which must not overflow on any value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "common/message/date.h"

using pigeon::message::DateTime;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (size >= sizeof(int64_t) + sizeof(int32_t)) {
    int64_t seconds = 0;
    int32_t offset = 0;
    std::memcpy(&seconds, data, sizeof seconds);
    std::memcpy(&offset, data + sizeof seconds, sizeof offset);
    (void)pigeon::message::FormatRfc5322Date(seconds, offset);
    (void)pigeon::message::FormatIsoUtc(seconds);
  }
  pigeon::message::Defects defects;
  const std::optional<DateTime> date = pigeon::message::ParseDate(input, &defects);
  if (!date) return 0;
  const std::string text =
      pigeon::message::FormatRfc5322Date(date->utc_seconds, date->zone_offset_minutes);
  const std::optional<DateTime> again = pigeon::message::ParseDate(text, nullptr);
  if (!again || again->utc_seconds != date->utc_seconds) std::abort();
  if (pigeon::message::FormatIsoUtc(date->utc_seconds).size() != 20) std::abort();
  return 0;
}
