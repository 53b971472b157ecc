// The envelope path syntax of RFC 5321 §4.1.2 (with RFC 6531's UTF-8 extension): what goes
// between the angle brackets of MAIL FROM and RCPT TO.
//
//   Path = "<" [ A-d-l ":" ] Mailbox ">"     A-d-l: a source route, checked and dropped
//   Mailbox = Local-part "@" ( Domain / address-literal )
//
// Local parts are a dot-string or a quoted string, kept as written (quotes included); domains
// are LDH labels (underscores tolerated, as in real DNS names) or an address literal kept as
// written ("[192.0.2.1]", "[IPv6:2001:db8::1]"; no other kind of literal exists). Non-ASCII is
// UTF-8 and only allowed with SMTPUTF8. The result never holds control bytes, SP outside a quoted
// string, or CR/LF.
#pragma once

#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace pigeon::mta::smtp {

enum class PathError {
  kSyntax,    // not a path
  kNonAscii,  // a valid UTF-8 path, but SMTPUTF8 was not requested (RFC 6531 §3.5: 553 5.6.7)
};

struct PathOptions {
  bool allow_null = false;        // "<>": MAIL FROM only
  bool allow_postmaster = false;  // "<Postmaster>" without a domain: RCPT TO only (§4.1.1.3)
  bool smtputf8 = false;          // UTF-8 local parts and domains allowed
};

// Parses the path at the front of `text` and removes it (and nothing more) from `text`.
// Returns the mailbox without brackets and source route: "" for "<>", "Postmaster" as written.
tl::expected<std::string, PathError> ParsePath(std::string_view& text, const PathOptions& options);

}  // namespace pigeon::mta::smtp
