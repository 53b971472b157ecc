// Defects: what a lenient parser noticed while reading untrusted mail. Parsers never fail on
// bad input; they return a best-effort result and append a Defect for each irregularity, so
// callers and tests can tell a clean message from a repaired one.
#pragma once

#include <string>
#include <vector>

namespace pigeon::message {

enum class DefectKind {
  // Header section (RFC 5322 §2.2, §3.6).
  kHeaderLineWithoutColon,       // a line in the header that is neither a field nor a continuation
  kHeaderFieldNameInvalid,       // characters outside ftext in the field name
  kHeaderWhitespaceBeforeColon,  // obs-optional: "Subject : x"
  kHeaderContinuationFirst,      // header starts with a folded continuation line
  kHeaderNonUtf8Bytes,           // raw 8-bit bytes that are not UTF-8 (decoded by the fallback)
  kHeaderMissingBody,            // no empty line: everything is header
  kBareCarriageReturn,           // CR not followed by LF
  kLimitExceeded,                // a size or count bound cut the input short
  // Addresses (RFC 5322 §3.4).
  kAddressUnclosedQuote,
  kAddressUnclosedComment,
  kAddressUnclosedAngle,
  kAddressMissingDomain,
  kAddressInvalidCharacter,
  kAddressObsoleteRoute,
  kAddressEmptyGroup,
  kAddressInvalidDomain,  // IDN conversion refused the domain
  // Encoded words (RFC 2047).
  kEncodedWordMalformed,
  kEncodedWordUnknownCharset,
  kEncodedWordInvalidBytes,  // decoded bytes not valid in the declared charset
  // Transfer encodings and charsets (RFC 2045 §6).
  kBase64InvalidCharacter,
  kBase64BadPadding,
  kQuotedPrintableBadEscape,
  kQuotedPrintableLongLine,
  kUnknownCharset,
  kCharsetInvalidBytes,
  kUnknownTransferEncoding,
  // MIME structure (RFC 2045, 2046, 2231).
  kMimeMissingBoundary,       // multipart without a boundary parameter
  kMimeNoStartBoundary,       // boundary parameter given but never used
  kMimeMissingFinalBoundary,  // body ended before "--boundary--"
  kMimeNestingTooDeep,
  kMimeTooManyParts,
  kMimeInvalidParameter,
  kMimeInvalidContentType,
  kMimeRfc2231Malformed,
  // Dates (RFC 5322 §3.3).
  kDateUnparseable,
  kDateObsoleteSyntax,
  kDateUnknownZone,
  kDateOutOfRange,
};

struct Defect {
  DefectKind kind;
  std::string detail;  // short human text, may quote a bounded excerpt of the input
};

using Defects = std::vector<Defect>;

// Appends a defect when `defects` is non-null; parsers accept nullptr to mean "not interested".
inline void AddDefect(Defects* defects, DefectKind kind, std::string detail = {}) {
  if (defects != nullptr) defects->push_back(Defect{kind, std::move(detail)});
}

}  // namespace pigeon::message
