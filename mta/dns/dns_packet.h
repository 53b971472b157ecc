// Reading DNS responses (RFC 1035 §4) into classified answers: the rcode, the answer section,
// CNAME chains (RFC 1034 §3.6.2), RFC 7505 null MX. Pure and fuzzed; the packet is hostile:
// anything malformed, truncated or not answering the question is kTempFail, never a crash.
// Does not send queries (SystemResolver does) nor judge TTLs.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "mta/dns/resolver.h"

namespace pigeon::mta::dns {

// Longest CNAME chain followed before the answer counts as broken.
inline constexpr int kMaxCnameHops = 8;

enum class AddressType { kA, kAaaa };

// "Mx.Example.ORG." → "mx.example.org": how names are compared and stored ("." → "").
std::string NormalizeDnsName(std::string_view name);

// The response to an MX query for `qname`: kOk with the MX records of the name the CNAME chain
// from `qname` ends at, kNullMx for a lone "0 .", kNoData, kNxDomain, or kTempFail.
MxAnswer ParseMxAnswer(std::span<const uint8_t> packet, std::string_view qname);

// The response to an A or AAAA query for `qname`, into `ipv4` or `ipv6` of the answer.
AddressAnswer ParseAddressAnswer(std::span<const uint8_t> packet, std::string_view qname,
                                 AddressType type);

}  // namespace pigeon::mta::dns
