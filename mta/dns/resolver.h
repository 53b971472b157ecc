// The DNS seam of outgoing delivery: MX and address lookups, each answer classified the way
// RFC 5321 §5.1 needs it (records, no data, no such domain, try later; RFC 7505 null MX).
// Lookups block; the daemon calls them from a worker thread. SystemResolver is the real one;
// tests pass a fake. Answers come from the network and are not trusted beyond their syntax.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pigeon::mta::dns {

enum class LookupStatus {
  kOk,        // records of the asked type are in the answer
  kNoData,    // NOERROR, the name exists but has none: for MX, the implicit-MX case
  kNxDomain,  // the name does not exist (or cannot be a name at all)
  kTempFail,  // SERVFAIL, timeout, refusal, malformed or truncated answer: try later
  kNullMx,    // RFC 7505: the only MX is "0 .", the domain accepts no mail
};

std::string_view LookupStatusName(LookupStatus status);

struct MxRecord {
  uint16_t preference = 0;
  std::string exchange;  // lower case, no trailing dot; "" for the root (null MX)
  bool operator==(const MxRecord&) const = default;
};

struct MxAnswer {
  LookupStatus status = LookupStatus::kTempFail;
  std::vector<MxRecord> records;  // in answer order, unsorted; empty unless kOk or kNullMx
  std::string detail;             // why, for logs and bounces, when not kOk
};

struct AddressAnswer {
  LookupStatus status = LookupStatus::kTempFail;  // never kNullMx
  std::vector<std::string> ipv4;                  // "192.0.2.1"
  std::vector<std::string> ipv6;                  // "2001:db8::1" (inet_ntop form)
  std::string detail;
};

// Abstract so delivery can be tested without a name server.
class Resolver {
 public:
  virtual ~Resolver() = default;
  // `domain` is a host name, with or without the trailing dot.
  virtual MxAnswer LookupMx(std::string_view domain) = 0;
  // A and AAAA. kOk when either family has addresses (the other may have failed).
  virtual AddressAnswer LookupAddresses(std::string_view host) = 0;
};

}  // namespace pigeon::mta::dns
