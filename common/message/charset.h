// Charsets: conversion of text in any charset iconv knows to UTF-8, UTF-8 validation and repair.
// Invalid bytes become U+FFFD. Unknown charsets fall back (see ToUtf8). iconv descriptors are
// opened per call; the only state is a per-thread set kept open so that glibc keeps their
// conversion modules loaded (see charset.cc): no result depends on it.
#pragma once

#include <string>
#include <string_view>

#include "common/message/defect.h"

namespace pigeon::message {

bool IsValidUtf8(std::string_view s);
// Replaces each invalid UTF-8 sequence by U+FFFD (one per maximal invalid subpart, as the
// Unicode standard recommends).
std::string SanitizeUtf8(std::string_view s);

// The documented fallback for raw 8-bit bytes in headers and for text in an unknown charset:
// UTF-8 when the bytes are valid UTF-8, else windows-1252 (a superset of iso-8859-1 that is what
// unlabeled 8-bit mail nearly always is).
std::string BytesToUtf8(std::string_view s);

// Canonical lower-case name with common aliases and mislabels resolved (utf8 → utf-8,
// latin1 → iso-8859-1, x-sjis → shift_jis, ks_c_5601-1987 → cp949, gb2312 → gbk, ascii →
// us-ascii, …). Returns the lower-cased input when no alias applies.
std::string NormalizeCharset(std::string_view charset);

// Converts `bytes` labelled `charset` to UTF-8. iso-8859-1 is treated as windows-1252 (as
// browsers and mail readers do); 8-bit bytes labelled us-ascii go through BytesToUtf8. An unknown
// charset adds kUnknownCharset and uses BytesToUtf8; invalid sequences add kCharsetInvalidBytes and
// become U+FFFD.
std::string ToUtf8(std::string_view bytes, std::string_view charset, Defects* defects);
// The same, taking the bytes: text that needs no conversion (most) is returned without a copy.
std::string MoveToUtf8(std::string&& bytes, std::string_view charset, Defects* defects);

// Whether `charset` (any spelling) names a charset this machine can convert from.
bool IsKnownCharset(std::string_view charset);

}  // namespace pigeon::message
