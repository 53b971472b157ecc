// The RFC 5322 header section: split from the body at the first empty line, fields with their
// raw folded values, unfolding, lookup by case-insensitive name, duplicates kept in order.
// Input is untrusted bytes (CRLF or LF); nothing here fails: irregular lines become defects.
// Field values are not decoded here (see encoded_word.h, address.h, date.h, mime.h).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/message/defect.h"

namespace pigeon::message {

// Where the header section ends and the body begins. Views into the caller's buffer.
struct HeaderBodySplit {
  std::string_view header;     // the field lines, including the final line break of the last one
  std::string_view body;       // everything after the empty line (empty when there is none)
  bool has_separator = false;  // false when the input ended inside the header
};

// Finds the first empty line ("\r\n\r\n", "\n\n", or a mix). An input that starts with an empty
// line has an empty header. A line that is neither a field, a continuation nor empty also ends
// the header (the body starts there, has_separator = false), as most readers do. A mbox "From "
// line at the very start stays in the header section and is skipped by Header::Parse.
HeaderBodySplit SplitHeaderBody(std::string_view message);

struct HeaderField {
  std::string_view name;  // as written, trailing whitespace (obs-optional) removed
  std::string_view raw;   // everything after the colon up to the field's final line break,
                          // folds included
  // The value with line breaks of folds removed (RFC 5322 §2.2.3) and leading/trailing
  // whitespace trimmed. Raw 8-bit bytes are left as they are.
  std::string Unfolded() const;
};

// Limits that keep a hostile header bounded.
inline constexpr size_t kMaxHeaderFields = 10000;

class Header {
 public:
  Header() = default;
  // Parses a header section (as returned by SplitHeaderBody). The returned fields view into
  // `section`, which must outlive the Header.
  static Header Parse(std::string_view section, Defects* defects);

  const std::vector<HeaderField>& fields() const { return fields_; }
  // The first field named `name` (ASCII case-insensitive), or nullptr.
  const HeaderField* Find(std::string_view name) const;
  std::vector<const HeaderField*> FindAll(std::string_view name) const;
  // Unfolded value of the first field named `name`.
  std::optional<std::string> Get(std::string_view name) const;

 private:
  std::vector<HeaderField> fields_;
};

// ASCII case-insensitive comparison, used for field names, MIME types and parameter names.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string AsciiLower(std::string_view s);
std::string_view TrimWhitespace(std::string_view s);  // SP, HTAB, CR, LF at both ends

}  // namespace pigeon::message
