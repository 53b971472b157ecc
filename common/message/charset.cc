// STUB: replaced by the real implementation.
#include "common/message/charset.h"

namespace pigeon::message {
bool IsValidUtf8(std::string_view) { return true; }
std::string SanitizeUtf8(std::string_view s) { return std::string(s); }
std::string BytesToUtf8(std::string_view s) { return std::string(s); }
std::string NormalizeCharset(std::string_view s) { return std::string(s); }
std::string ToUtf8(std::string_view b, std::string_view, Defects*) { return std::string(b); }
bool IsKnownCharset(std::string_view) { return true; }
}  // namespace pigeon::message
