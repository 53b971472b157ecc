// STUB: replaced by the real implementation.
#include "common/message/date.h"

namespace pigeon::message {
std::optional<DateTime> ParseDate(std::string_view, Defects*) { return std::nullopt; }
std::string FormatRfc5322Date(int64_t, int) { return {}; }
std::string FormatIsoUtc(int64_t) { return {}; }
int64_t DaysFromCivil(int64_t, unsigned, unsigned) { return 0; }
}  // namespace pigeon::message
