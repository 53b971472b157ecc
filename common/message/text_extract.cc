// STUB: replaced by the real implementation.
#include "common/message/text_extract.h"

namespace pigeon::message {
std::string ExtractSearchText(const Part&) { return {}; }
std::string HtmlToText(std::string_view h) { return std::string(h); }
}  // namespace pigeon::message
