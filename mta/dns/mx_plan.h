// Where to deliver mail for a domain (RFC 5321 §5.1): MX records by preference, equal ones in
// random order, the implicit MX, RFC 7505 null MX, our own MX and the ones behind it dropped,
// address literals; or a smarthost. Pure given a Resolver and a random source; returns targets
// to try in order, or a failure with an RFC 3463 status. Does not connect.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "mta/dns/resolver.h"

namespace pigeon::mta::dns {

struct DeliveryTarget {
  std::string host;     // the MX exchange, the domain itself (implicit MX), or "[192.0.2.1]"
  std::string address;  // "192.0.2.1" or "2001:db8::1", what to connect to
  uint16_t port = 25;
  bool operator==(const DeliveryTarget&) const = default;
};

struct PlanFailure {
  bool permanent = false;  // bounce now; otherwise defer and retry
  std::string status;      // RFC 3463 enhanced status: "5.1.10", "4.4.3"
  std::string text;        // one line for the log and the DSN
  bool operator==(const PlanFailure&) const = default;
};

using DeliveryPlan = tl::expected<std::vector<DeliveryTarget>, PlanFailure>;

// A value in [0, bound), bound > 0. Injected so tests are deterministic; the daemon passes a
// generator it owns (one per worker thread).
using RandomSource = std::function<uint64_t(uint64_t bound)>;

struct PlanOptions {
  uint16_t port = 25;
  bool prefer_ipv6 = false;  // order within a host: IPv4 addresses first by default
  bool use_ipv4 = true;
  bool use_ipv6 = true;
  // Our own host names and addresses ("mx.example.org", "192.0.2.1", "[2001:db8::1]"): an MX
  // that is one of them is us, and it and the MX records behind it are dropped.
  std::vector<std::string> local_names;
  size_t max_mx_hosts = 10;  // MX hosts whose addresses are looked up, best first
};

// Sorted by preference, each run of equal preference shuffled with `random`.
std::vector<MxRecord> OrderMxRecords(std::vector<MxRecord> records, const RandomSource& random);

// Targets for mail to `domain` ("example.org", "[192.0.2.1]", "[IPv6:2001:db8::1]").
// Failures: null MX 5.1.10, NXDOMAIN 5.1.2, no MX nor address 5.4.4, we are the best MX 5.4.6
// (all permanent); DNS trouble or no MX host with an address 4.4.3 (transient).
DeliveryPlan PlanDelivery(Resolver& resolver, std::string_view domain, const PlanOptions& options,
                          const RandomSource& random);

// Targets for a relay host: "host", "host:port", "192.0.2.1:2525", "[2001:db8::1]:2525",
// addresses only, no MX. `options.port` when no port is given. Every failure is transient:
// a broken relay setting must not bounce mail.
DeliveryPlan PlanSmarthost(Resolver& resolver, std::string_view spec, const PlanOptions& options);

}  // namespace pigeon::mta::dns
