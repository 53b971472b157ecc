// A Resolver answering from tables, for tests of delivery planning. A name with MX records
// and no addresses has kNoData addresses and vice versa; a name in neither table is
// kNxDomain. Set*() overrides a whole answer (kTempFail, kNullMx, …). Records every query.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "mta/dns/resolver.h"

namespace pigeon::mta::dns {

class FakeResolver : public Resolver {
 public:
  void AddMx(const std::string& domain, uint16_t preference, const std::string& exchange) {
    mx_[domain].status = LookupStatus::kOk;
    mx_[domain].records.push_back({preference, exchange});
  }
  void AddAddress(const std::string& host, const std::string& address) {
    AddressAnswer& answer = addresses_[host];
    answer.status = LookupStatus::kOk;
    (address.find(':') == std::string::npos ? answer.ipv4 : answer.ipv6).push_back(address);
  }
  void SetMx(const std::string& domain, MxAnswer answer) { mx_[domain] = std::move(answer); }
  void SetAddresses(const std::string& host, AddressAnswer answer) {
    addresses_[host] = std::move(answer);
  }

  MxAnswer LookupMx(std::string_view domain) override {
    const std::string name(domain);
    queries.push_back("MX " + name);
    if (auto it = mx_.find(name); it != mx_.end()) return it->second;
    if (addresses_.contains(name)) return {.status = LookupStatus::kNoData, .detail = "no MX"};
    return {.status = LookupStatus::kNxDomain, .detail = name + ": no such domain"};
  }

  AddressAnswer LookupAddresses(std::string_view host) override {
    const std::string name(host);
    queries.push_back("ADDR " + name);
    if (auto it = addresses_.find(name); it != addresses_.end()) return it->second;
    if (mx_.contains(name)) return {.status = LookupStatus::kNoData, .detail = name + ": no A"};
    return {.status = LookupStatus::kNxDomain, .detail = name + ": no such domain"};
  }

  std::vector<std::string> queries;  // "MX example.org", "ADDR mx.example.org"

 private:
  std::map<std::string, MxAnswer> mx_;
  std::map<std::string, AddressAnswer> addresses_;
};

}  // namespace pigeon::mta::dns
