// A forward-path address exactly as RFC 5321 §4.1.2 defines Mailbox (with RFC 6531's UTF-8),
// for the recipient policy. Deliberately strict, unlike the RFC 5322 header parser of
// common/message: no comments, no folding, no obsolete forms, one '@', so that what the policy
// decides about is exactly what a relay after it would see.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pigeon::mta::policy {

// RFC 5321 §4.5.3.1.3: a path is at most 256 octets with its angle brackets.
inline constexpr size_t kMaxAddressLength = 254;

struct SmtpAddress {
  std::string local_part;       // unquoted: `"a b"@x` gives `a b`
  std::string_view local_text;  // as written, quotes included (a view into the input)
  std::string domain;           // as written: a domain, or an address literal "[…]"; "" if bare
  bool address_literal = false;
};

// Parses local-part "@" (domain / address-literal), or a bare local part when
// `allow_bare_local_part` (the "<Postmaster>" form). Refuses: more than kMaxAddressLength
// octets, control characters, invalid UTF-8, an empty local part, a dot-string with a leading,
// trailing or doubled dot, a second '@' outside quotes, an address literal that is not an IPv4
// or IPv6 address. The domain's own syntax is left to config::NormalizeDomainName.
std::optional<SmtpAddress> ParseSmtpAddress(std::string_view text, bool allow_bare_local_part);

// "ada" → "ada": the ASCII letters of `text` in lower case, other octets unchanged.
std::string AsciiLower(std::string_view text);

}  // namespace pigeon::mta::policy
