// STUB: replaced by the real implementation.
#include "common/message/mime.h"

namespace pigeon::message {
std::optional<std::string> ParameterizedValue::Param(std::string_view) const { return std::nullopt; }
ParameterizedValue ParseParameterizedValue(std::string_view, Defects*) { return {}; }
std::string FormatParameter(std::string_view n, std::string_view v) { return std::string(n) + "=" + std::string(v); }
std::string Part::DecodedBody(Defects*) const { return std::string(body); }
std::string Part::TextUtf8(Defects*) const { return std::string(body); }
Part ParseMime(std::string_view message, Defects* d) { Part p; auto s = SplitHeaderBody(message); p.header = Header::Parse(s.header, d); p.content_type = "text/plain"; p.body = s.body; return p; }
}  // namespace pigeon::message
