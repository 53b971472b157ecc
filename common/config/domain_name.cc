#include "common/config/domain_name.h"

#include <algorithm>

#include "common/config/config_values.h"
#include "common/message/address.h"

namespace pigeon::config {
namespace {

constexpr size_t kMaxLabel = 63;    // RFC 1035 §2.3.4
constexpr size_t kMaxDomain = 253;  // 255 octets on the wire, less the length bytes

bool IsLetterOrDigit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// RFC 1123 §2.1 labels: letters, digits and hyphens, not starting or ending with a hyphen.
bool IsHostLabel(std::string_view label) {
  if (label.empty() || label.size() > kMaxLabel) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(),
                     [](char c) { return IsLetterOrDigit(c) || c == '-'; });
}

bool IsHostName(std::string_view name) {
  if (name.empty() || name.size() > kMaxDomain) return false;
  std::string_view last_label;
  size_t start = 0;
  while (true) {
    const size_t dot = name.find('.', start);
    last_label = name.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (!IsHostLabel(last_label)) return false;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return !std::all_of(last_label.begin(), last_label.end(), IsDigit);
}

Result<std::string> NotAHostName(std::string_view name) {
  return MakeError(ErrorCode::kInvalidArgument, QuoteValue(name) + " is not a valid domain name");
}

}  // namespace

Result<std::string> NormalizeDomainName(std::string_view name) {
  // Checked before IDNA as well: UTS #46 maps some characters to '.', and an empty label
  // written by the caller must not be hidden by the conversion.
  if (name.empty() || name.front() == '.' || name.back() == '.') return NotAHostName(name);
  Result<std::string> ascii = message::DomainToAscii(name);
  if (!ascii || !IsHostName(*ascii)) return NotAHostName(name);
  return ascii;
}

}  // namespace pigeon::config
