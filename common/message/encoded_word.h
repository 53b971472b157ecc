// RFC 2047 encoded-words ("=?charset?B|Q?text?="), decoding for display and encoding for
// composing. Decoding is tolerant of real-world breakage: a multibyte character split across
// adjacent words, encoded-words glued to text, lower-case encodings, RFC 2231 language suffixes
// ("=?utf-8*en?Q?...?="), unknown charsets (fallback, with a defect). Output is UTF-8.
#pragma once

#include <string>
#include <string_view>

#include "common/message/defect.h"

namespace pigeon::message {

// Decodes an unstructured field value (already unfolded), e.g. Subject. Whitespace between two
// adjacent encoded-words is dropped (§6.2); adjacent words in the same charset are joined
// before conversion so a character split between them survives. Raw 8-bit bytes outside
// encoded-words go through BytesToUtf8.
std::string DecodeEncodedWords(std::string_view text, Defects* defects);

// For composing an unstructured field: returns `utf8` unchanged when it is printable ASCII
// with no "=?" hazard; otherwise encoded-words ("=?UTF-8?Q?…?=" or B, whichever is shorter),
// folded with CRLF SP so no line exceeds 76 columns given that the field's first line already
// holds `used_on_first_line` columns (e.g. strlen("Subject: ")). Never splits a UTF-8 character.
std::string EncodeUnstructured(std::string_view utf8, size_t used_on_first_line = 0);

// For a display name in an address (RFC 2047 §5(3)): encoded-words restricted to the "phrase"
// alphabet when non-ASCII, else returns the text unchanged (the caller quotes as needed).
std::string EncodePhrase(std::string_view utf8);

}  // namespace pigeon::message
