// Shared by the mime_*.cc files only (not part of the public API): the raw octets of a parameter,
// for the multipart boundary, which must be compared with body bytes exactly as written rather
// than after the charset conversion ParseParameterizedValue applies to every value.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pigeon::message::mime_internal {

// The value of parameter `name` (ASCII case-insensitive) in a "value; name=param" field, with
// quoting and RFC 2231 continuations and percent-escapes undone but no charset conversion and no
// RFC 2047 decoding. The RFC 2231 form wins over the plain one, as in ParseParameterizedValue.
std::optional<std::string> RawParameter(std::string_view field_value, std::string_view name);

}  // namespace pigeon::message::mime_internal
