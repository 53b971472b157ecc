#include "mta/policy/smtp_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>

#include "common/message/address_lexer.h"
#include "common/message/charset.h"

namespace pigeon::mta::policy {
namespace {

bool IsControl(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }
bool Is8Bit(char c) { return static_cast<unsigned char>(c) >= 0x80; }

// qtextSMTP (%d32-33 / %d35-91 / %d93-126) and RFC 6531's UTF8-non-ascii.
bool IsQtext(char c) { return (c >= 32 && c <= 126 && c != '"' && c != '\\') || Is8Bit(c); }

// Quoted-string at the start of `text`: sets `*unquoted` and returns the length taken, or 0.
size_t ScanQuotedString(std::string_view text, std::string* unquoted) {
  for (size_t i = 1; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') return i + 1;
    if (c == '\\') {  // quoted-pairSMTP: a backslash and one printable ASCII character
      if (i + 1 >= text.size() || text[i + 1] < 32 || text[i + 1] > 126) return 0;
      *unquoted += text[++i];
    } else if (IsQtext(c)) {
      *unquoted += c;
    } else {
      return 0;
    }
  }
  return 0;  // no closing quote
}

// Dot-string = Atom *("." Atom): the length taken up to the first character that is not part
// of it, or 0 when a dot is misplaced.
size_t ScanDotString(std::string_view text) {
  size_t i = 0;
  bool after_dot = true;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (after_dot) return 0;
      after_dot = true;
    } else if (message::IsAddressAtext(c)) {
      after_dot = false;
    } else {
      break;
    }
  }
  return after_dot ? 0 : i;
}

// "[192.0.2.1]" or "[IPv6:2001:db8::1]". General-address-literals (tag:content) name no
// transport pigeon has, so they are refused.
bool IsAddressLiteral(std::string_view text) {
  if (text.size() < 3 || text.front() != '[' || text.back() != ']') return false;
  std::string_view inside = text.substr(1, text.size() - 2);
  int family = AF_INET;
  constexpr std::string_view kIpv6Tag = "ipv6:";
  if (inside.size() > kIpv6Tag.size() && AsciiLower(inside.substr(0, 5)) == kIpv6Tag) {
    inside.remove_prefix(kIpv6Tag.size());
    family = AF_INET6;
  }
  if (inside.find('%') != std::string_view::npos) return false;  // no zone ids
  std::array<unsigned char, 16> buffer{};
  return inet_pton(family, std::string(inside).c_str(), buffer.data()) == 1;
}

}  // namespace

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<SmtpAddress> ParseSmtpAddress(std::string_view text, bool allow_bare_local_part) {
  if (text.empty() || text.size() > kMaxAddressLength) return std::nullopt;
  if (std::any_of(text.begin(), text.end(), IsControl) || !message::IsValidUtf8(text)) {
    return std::nullopt;
  }
  SmtpAddress address;
  const size_t local_length =
      text.front() == '"' ? ScanQuotedString(text, &address.local_part) : ScanDotString(text);
  if (local_length == 0) return std::nullopt;
  address.local_text = text.substr(0, local_length);
  if (text.front() != '"') address.local_part = std::string(address.local_text);
  if (address.local_part.empty()) return std::nullopt;  // "" is a valid quoted-string, not a user

  const std::string_view rest = text.substr(local_length);
  if (rest.empty()) {
    if (!allow_bare_local_part) return std::nullopt;
    return address;
  }
  if (rest.front() != '@' || rest.size() == 1) return std::nullopt;
  const std::string_view domain = rest.substr(1);
  if (domain.front() == '[') {
    if (!IsAddressLiteral(domain)) return std::nullopt;
    address.address_literal = true;
  } else if (domain.find_first_of("@[]\"\\ ") != std::string_view::npos) {
    return std::nullopt;  // user@other@local and kin: one '@' only
  }
  address.domain = std::string(domain);
  return address;
}

}  // namespace pigeon::mta::policy
