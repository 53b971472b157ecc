// The production Resolver over glibc's libresolv (res_nmkquery, res_nsend), each instance with
// its own resolver state: /etc/resolv.conf by default, or the given IPv4 name servers (tests
// point it at a dnsmasq on loopback). Answers are read by dns_packet. Does no caching: the
// name server does.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.h"
#include "mta/dns/resolver.h"

// resolv.h also declares a function named __res_state, hence "struct" at every use.
struct __res_state;

namespace pigeon::mta::dns {

struct SystemResolverOptions {
  // "127.0.0.1:5353" or "192.0.2.53" (port 53), at most 3; empty: those of /etc/resolv.conf.
  std::vector<std::string> nameservers;
  int timeout_seconds = 5;  // per try, 1..30
  int attempts = 2;         // tries per name server, 1..5
};

// Calls on one instance must not overlap: give each worker thread its own.
class SystemResolver final : public Resolver {
 public:
  // Fails (kInvalidArgument) for a malformed option, (kIo) when res_ninit does.
  static Result<std::unique_ptr<SystemResolver>> Create(const SystemResolverOptions& options);
  ~SystemResolver() override;
  SystemResolver(const SystemResolver&) = delete;
  SystemResolver& operator=(const SystemResolver&) = delete;

  MxAnswer LookupMx(std::string_view domain) override;
  // Asks A, then AAAA unless A said NXDOMAIN.
  AddressAnswer LookupAddresses(std::string_view host) override;

 private:
  explicit SystemResolver(std::unique_ptr<struct __res_state> state);

  // Sends one query for `name`; the answer packet, or kTempFail/kNxDomain and why in `detail`.
  LookupStatus Send(const std::string& name, int type, std::vector<uint8_t>* answer,
                    std::string* detail);

  std::unique_ptr<struct __res_state> state_;
};

}  // namespace pigeon::mta::dns
