// See path.h. A hand-written scanner over the RFC 5321 §4.1.2 grammar: each piece (dot-string,
// quoted string, domain, address literal) reports how long it is at the front of the text,
// 0 when it is not there.
#include "mta/smtp/path.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "common/message/charset.h"
#include "common/message/header.h"

namespace pigeon::mta::smtp {
namespace {

constexpr size_t kMaxDomain = 255;  // RFC 5321 §4.5.3.1.2
constexpr size_t kMaxLabel = 63;    // RFC 1035 §2.3.4

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool IsNonAscii(char c) { return static_cast<unsigned char>(c) >= 0x80; }
// RFC 5322 atext, plus RFC 6531's UTF8-non-ascii (checked to be UTF-8 by the caller).
bool IsAtext(char c) {
  return IsAlnum(c) || IsNonAscii(c) || (c != '\0' && std::strchr("!#$%&'*+-/=?^_`{|}~", c));
}
// RFC 5321 qtextSMTP (%d32-33 / %d35-91 / %d93-126) plus UTF8-non-ascii.
bool IsQtext(char c) { return (c >= 32 && c <= 126 && c != '"' && c != '\\') || IsNonAscii(c); }
// RFC 5321 dcontent: %d33-90 / %d94-126.
bool IsDcontent(char c) { return c >= 33 && c <= 126 && c != '[' && c != '\\' && c != ']'; }
bool IsLabelChar(char c) { return IsAlnum(c) || c == '-' || c == '_' || IsNonAscii(c); }

size_t DotStringLength(std::string_view s) {
  size_t i = 0;
  while (true) {
    const size_t atom = i;
    while (i < s.size() && IsAtext(s[i])) ++i;
    if (i == atom) return 0;  // an empty atom: a leading, trailing or doubled dot
    if (i == s.size() || s[i] != '.') return i;
    ++i;
  }
}

size_t QuotedStringLength(std::string_view s) {
  if (s.empty() || s[0] != '"') return 0;
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] == '"') return i + 1;
    if (s[i] == '\\') {
      if (i + 1 == s.size() || s[i + 1] < 32 || s[i + 1] > 126) return 0;  // quoted-pairSMTP
      ++i;
    } else if (!IsQtext(s[i])) {
      return 0;
    }
  }
  return 0;  // unclosed
}

// sub-domain *("." sub-domain); a label neither starts nor ends with "-".
size_t DomainLength(std::string_view s) {
  size_t i = 0;
  while (true) {
    const size_t label = i;
    bool ascii = true;
    for (; i < s.size() && IsLabelChar(s[i]); ++i) {
      if (IsNonAscii(s[i])) ascii = false;
    }
    if (i == label || s[label] == '-' || s[i - 1] == '-') return 0;
    // A U-label's octets say little about its A-label's length: only ASCII labels are bounded.
    if (ascii && i - label > kMaxLabel) return 0;
    if (i == s.size() || s[i] != '.') break;
    ++i;
  }
  return i > kMaxDomain ? 0 : i;
}

// "[" ( IPv4-address-literal / IPv6-address-literal ) "]". A General-address-literal needs a
// tag registered with IANA besides "IPv6", and there is none: "[2001:db8::1]" is refused.
size_t AddressLiteralLength(std::string_view s) {
  if (s.empty() || s[0] != '[') return 0;
  size_t end = 1;
  while (end < s.size() && IsDcontent(s[end])) ++end;
  if (end == s.size() || s[end] != ']') return 0;
  const std::string inner(s.substr(1, end - 1));
  unsigned char address[16];
  const bool valid = inet_pton(AF_INET, inner.c_str(), address) == 1 ||
                     (message::EqualsIgnoreCase(std::string_view(inner).substr(0, 5), "IPv6:") &&
                      inet_pton(AF_INET6, inner.c_str() + 5, address) == 1);
  return valid ? end + 1 : 0;
}

// A-d-l ":" with A-d-l = At-domain *( "," At-domain ), At-domain = "@" Domain.
size_t SourceRouteLength(std::string_view s) {
  size_t i = 0;
  while (true) {
    if (i == s.size() || s[i] != '@') return 0;
    const size_t domain = DomainLength(s.substr(i + 1));
    if (domain == 0) return 0;
    i += 1 + domain;
    if (i < s.size() && s[i] == ':') return i + 1;
    if (i == s.size() || s[i] != ',') return 0;
    ++i;
  }
}

}  // namespace

tl::expected<std::string, PathError> ParsePath(std::string_view& text, const PathOptions& options) {
  const auto syntax = tl::unexpected(PathError::kSyntax);
  std::string_view s = text;
  if (s.empty() || s[0] != '<') return syntax;
  s.remove_prefix(1);
  if (!s.empty() && s[0] == '>') {
    if (!options.allow_null) return syntax;
    text.remove_prefix(2);
    return std::string();
  }
  if (!s.empty() && s[0] == '@') {
    const size_t route = SourceRouteLength(s);  // RFC 5321 §4.1.1.3: accepted and ignored
    if (route == 0) return syntax;
    s.remove_prefix(route);
  }
  const size_t local = !s.empty() && s[0] == '"' ? QuotedStringLength(s) : DotStringLength(s);
  if (local == 0) return syntax;
  const std::string_view local_part = s.substr(0, local);
  s.remove_prefix(local);
  std::string_view mailbox;
  if (!s.empty() && s[0] == '>' && options.allow_postmaster &&
      message::EqualsIgnoreCase(local_part, "postmaster")) {
    mailbox = local_part;
  } else {
    if (s.empty() || s[0] != '@') return syntax;
    const std::string_view rest = s.substr(1);
    const size_t domain =
        !rest.empty() && rest[0] == '[' ? AddressLiteralLength(rest) : DomainLength(rest);
    if (domain == 0) return syntax;
    mailbox = std::string_view(local_part.data(), local + 1 + domain);
    s.remove_prefix(1 + domain);
  }
  if (s.empty() || s[0] != '>') return syntax;
  s.remove_prefix(1);

  const std::string_view whole = text.substr(0, text.size() - s.size());
  const bool ascii = std::none_of(whole.begin(), whole.end(), IsNonAscii);
  if (!ascii && !message::IsValidUtf8(whole)) return syntax;
  if (!ascii && !options.smtputf8) return tl::unexpected(PathError::kNonAscii);
  text = s;
  return std::string(mailbox);
}

}  // namespace pigeon::mta::smtp
