// MIME structure (RFC 2045, 2046, 2231): Content-Type and Content-Disposition with parameters
// (RFC 2231 continuations, charsets and languages; RFC 2047 words in parameters as real mail
// has them), and the tree of parts: multipart of any nesting (depth and count bounded),
// message/rfc822 parts, preamble and epilogue, a missing final boundary, a boundary that shows
// up in the preamble. Parsing views into the caller's buffer and never fails.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/message/defect.h"
#include "common/message/header.h"

namespace pigeon::message {

// A "value; name=param; ..." field such as Content-Type or Content-Disposition.
struct ParameterizedValue {
  std::string value;  // lower-cased token before the first ";" ("text/plain", "attachment")
  // Parameter names lower-cased, values decoded to UTF-8 (RFC 2231 / RFC 2047 / raw 8-bit),
  // continuations joined, in order of first appearance, first occurrence wins.
  std::vector<std::pair<std::string, std::string>> params;

  std::optional<std::string> Param(std::string_view name) const;
};

ParameterizedValue ParseParameterizedValue(std::string_view field_value, Defects* defects);

// Formats `name=value` for composing: a token as is, ASCII with specials as a quoted string,
// non-ASCII as RFC 2231 (name*=utf-8''…, split into name*0*, name*1*, … so lines stay short).
// Returns the text after "; " including the name; multiple sections are joined with ";\r\n ".
std::string FormatParameter(std::string_view name, std::string_view utf8_value);

inline constexpr int kMaxMimeDepth = 32;
inline constexpr size_t kMaxMimeParts = 10000;

struct Part {
  Header header;                        // the part's own header (for the root: the message header)
  std::string content_type;             // lower-case "type/subtype"; "text/plain" by default, or
                                        // "message/rfc822" by default inside multipart/digest
  std::optional<std::string> charset;   // as given (not normalized)
  std::optional<std::string> filename;  // disposition filename, else Content-Type name
  std::optional<std::string> disposition;  // lower-case "inline" / "attachment" / other
  std::string transfer_encoding;           // lower-case; "7bit" when absent
  ParameterizedValue content_type_field;   // all Content-Type parameters
  std::string_view body;                   // raw (still transfer-encoded) body bytes
  std::string_view preamble;               // multipart only
  std::string_view epilogue;               // multipart only
  // multipart: the parts; message/rfc822, message/global, message/external-body: one, the
  // enclosed entity; message/delivery-status: one header-only part per block of fields.
  std::vector<Part> children;

  bool IsMultipart() const { return content_type.starts_with("multipart/"); }
  bool IsMessage() const {
    return content_type == "message/rfc822" || content_type == "message/global";
  }
  // Whether the part has children. A multipart whose boundary is missing or never used has none:
  // it is a leaf whose body is its content (as Python reads it), and so is a container cut off
  // by kMaxMimeDepth or kMaxMimeParts.
  bool IsContainer() const { return !children.empty(); }
  bool IsText() const { return content_type.starts_with("text/"); }

  // The body with its transfer encoding removed (base64, quoted-printable, x-uuencode; others
  // as is).
  std::string DecodedBody(Defects* defects) const;
  // Decoded body converted from its charset to UTF-8, U+FFFD for bad bytes. Without a charset
  // (US-ASCII by RFC 2045) 8-bit bytes are read as BytesToUtf8 reads them.
  std::string TextUtf8(Defects* defects) const;

 private:
  friend class MimeParser;
  // Bytes a part's views point into when they are not the caller's buffer (a base64-encoded
  // message/rfc822, for instance). Shared so Parts stay copyable.
  std::shared_ptr<const std::string> owned_;
};

// Parses a whole message (header and body) into its MIME tree. Views point into `message`,
// which must outlive the result.
Part ParseMime(std::string_view message, Defects* defects);

}  // namespace pigeon::message
