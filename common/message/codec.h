// Content-Transfer-Encodings (RFC 2045 §6): base64 and quoted-printable, decode and encode,
// plus the RFC 2047 "Q" variant. Decoders are lenient (whitespace, garbage, bad escapes are
// skipped or kept literally and reported as defects) and never fail. Encoders emit CRLF.
#pragma once

#include <string>
#include <string_view>

#include "common/message/defect.h"

namespace pigeon::message {

// Skips whitespace and characters outside the alphabet (reported once), stops at the first
// "=" padding run, decodes a final partial quantum as far as it carries whole bytes.
// The value of a hexadecimal digit (either case), or -1.
int HexDigitValue(char c);

std::string DecodeBase64(std::string_view in, Defects* defects);
// Lines of `line_length` characters (0 = no line breaks) separated by CRLF, no final CRLF.
std::string EncodeBase64(std::string_view in, size_t line_length = 76);

// Soft line breaks ("=" at end of line, with trailing whitespace before the break tolerated),
// "=XX" in either case; a bad escape is kept literally. Line breaks become CRLF as in the input
// (an LF input line break is kept as LF).
std::string DecodeQuotedPrintable(std::string_view in, Defects* defects);
// RFC 2045 §6.7: lines ≤ 76 characters, CRLF line breaks, "=" and non-printables escaped,
// trailing whitespace escaped, and a leading "." or "From " escaped so the result survives
// SMTP and mbox untouched. Input line breaks (LF or CRLF) are hard breaks.
std::string EncodeQuotedPrintable(std::string_view in);

// RFC 2047 §4.2 "Q": like quoted-printable but "_" is a space and there are no line breaks.
std::string DecodeQ(std::string_view in, Defects* defects);

}  // namespace pigeon::message
