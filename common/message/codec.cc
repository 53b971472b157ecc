// STUB: replaced by the real implementation.
#include "common/message/codec.h"

namespace pigeon::message {
std::string DecodeBase64(std::string_view in, Defects*) { return std::string(in); }
std::string EncodeBase64(std::string_view in, size_t) { return std::string(in); }
std::string DecodeQuotedPrintable(std::string_view in, Defects*) { return std::string(in); }
std::string EncodeQuotedPrintable(std::string_view in) { return std::string(in); }
std::string DecodeQ(std::string_view in, Defects*) { return std::string(in); }
}  // namespace pigeon::message
