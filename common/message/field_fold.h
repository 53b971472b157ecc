// Header fields for composing (RFC 5322 §2.1.1, §2.2.3): folding a complete field at the
// whitespace it already has, so unfolding gives back the same text, and the check that a field
// is safe to put on the wire. Input is the builder's own output, but may carry user text of
// any length; nothing here encodes or invents whitespace (see encoded_word.h for that).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pigeon::message {

// Folds ("CRLF" inserted before an SP or HTAB) every physical line of `field` ("Name: value",
// possibly already folded, no final CRLF) that is longer than `width` columns, greedily. It
// never folds before the value's first word, never leaves a line of only whitespace, and
// never splits a quoted-pair. A word longer than `width` stays whole on its own line.
std::string FoldField(std::string_view field, size_t width = 78);

// True when `field` (no final CRLF) holds CR and LF only as folds (CRLF followed by WSP and a
// line that is not only whitespace), no NUL, and no line over 998 octets.
bool IsWellFormedField(std::string_view field);

}  // namespace pigeon::message
