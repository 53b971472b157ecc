// RFC 5321 §5.1 with RFC 7505. A failed address lookup skips that MX host; only when none is
// left does the domain wait. Addresses are compared in inet_ntop form, names lower-cased.
#include "mta/dns/mx_plan.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <optional>
#include <set>
#include <utility>

#include "mta/dns/dns_packet.h"

namespace pigeon::mta::dns {
namespace {

struct Address {
  bool ipv6 = false;
  std::string text;  // canonical
};

// "192.0.2.1", "2001:DB8::1" or "IPv6:2001:db8::1" in canonical form.
std::optional<Address> ParseAddress(std::string_view text) {
  bool ipv6_tag = false;
  if (text.size() >= 5 && NormalizeDnsName(text.substr(0, 5)) == "ipv6:") {
    text.remove_prefix(5);
    ipv6_tag = true;
  }
  const std::string copy(text);
  unsigned char bytes[sizeof(in6_addr)];
  char out[INET6_ADDRSTRLEN];
  if (!ipv6_tag && inet_pton(AF_INET, copy.c_str(), bytes) == 1) {
    return Address{false, inet_ntop(AF_INET, bytes, out, sizeof out)};
  }
  if (inet_pton(AF_INET6, copy.c_str(), bytes) == 1) {
    return Address{true, inet_ntop(AF_INET6, bytes, out, sizeof out)};
  }
  return std::nullopt;
}

// Our names, lower case, and our addresses, canonical; brackets around a literal dropped.
class LocalSet {
 public:
  explicit LocalSet(const std::vector<std::string>& names) {
    for (std::string_view name : names) {
      if (name.size() >= 2 && name.front() == '[' && name.back() == ']') {
        name = name.substr(1, name.size() - 2);
      }
      if (auto address = ParseAddress(name)) {
        addresses_.insert(address->text);
      } else {
        names_.insert(NormalizeDnsName(name));
      }
    }
  }
  bool HasName(const std::string& name) const { return names_.contains(name); }
  bool HasAddress(const AddressAnswer& answer) const {
    auto local = [&](const std::string& a) { return addresses_.contains(a); };
    return std::any_of(answer.ipv4.begin(), answer.ipv4.end(), local) ||
           std::any_of(answer.ipv6.begin(), answer.ipv6.end(), local);
  }

 private:
  std::set<std::string> names_;
  std::set<std::string> addresses_;
};

tl::unexpected<PlanFailure> Permanent(std::string status, std::string text) {
  return tl::unexpected(PlanFailure{true, std::move(status), std::move(text)});
}

tl::unexpected<PlanFailure> Transient(std::string status, std::string text) {
  return tl::unexpected(PlanFailure{false, std::move(status), std::move(text)});
}

// Appends the host's usable addresses, preferred family first, skipping ones already planned.
void AppendTargets(const std::string& host, const AddressAnswer& answer, const PlanOptions& options,
                   std::vector<DeliveryTarget>* targets) {
  const std::vector<std::string>* families[2] = {&answer.ipv4, &answer.ipv6};
  const bool use[2] = {options.use_ipv4, options.use_ipv6};
  for (int pass = 0; pass < 2; ++pass) {
    const int family = options.prefer_ipv6 ? 1 - pass : pass;
    if (!use[family]) continue;
    for (const std::string& address : *families[family]) {
      DeliveryTarget target{host, address, options.port};
      auto same = [&](const DeliveryTarget& t) {
        return t.address == address && t.port == options.port;
      };
      if (std::none_of(targets->begin(), targets->end(), same)) targets->push_back(target);
    }
  }
}

DeliveryPlan PlanLiteral(std::string_view literal, const PlanOptions& options,
                         const LocalSet& local) {
  std::optional<Address> address;
  if (literal.size() >= 2 && literal.back() == ']') {
    address = ParseAddress(literal.substr(1, literal.size() - 2));
  }
  if (!address) {
    return Permanent("5.1.2", fmt::format("{}: not an IPv4 or IPv6 address literal", literal));
  }
  AddressAnswer answer{.status = LookupStatus::kOk};
  (address->ipv6 ? answer.ipv6 : answer.ipv4).push_back(address->text);
  if (local.HasAddress(answer)) {
    return Permanent("5.4.6", fmt::format("mail for {} loops back to myself", literal));
  }
  std::vector<DeliveryTarget> targets;
  AppendTargets(std::string(literal), answer, options, &targets);
  if (targets.empty()) {
    return Transient("4.4.3", fmt::format("{}: address family disabled", literal));
  }
  return targets;
}

// RFC 5321 §5.1: no MX records, so the domain itself is the one MX host.
DeliveryPlan PlanImplicitMx(Resolver& resolver, const std::string& domain,
                            const PlanOptions& options, const LocalSet& local) {
  const AddressAnswer answer = resolver.LookupAddresses(domain);
  switch (answer.status) {
    case LookupStatus::kOk:
      break;
    case LookupStatus::kNxDomain:
      return Permanent("5.1.2", fmt::format("{}: no such domain", domain));
    case LookupStatus::kNoData:
    case LookupStatus::kNullMx:
      return Permanent("5.4.4", fmt::format("{}: no MX and no address records", domain));
    case LookupStatus::kTempFail:
      return Transient("4.4.3", answer.detail);
  }
  if (local.HasName(domain) || local.HasAddress(answer)) {
    return Permanent("5.4.6", fmt::format("mail for {} loops back to myself", domain));
  }
  std::vector<DeliveryTarget> targets;
  AppendTargets(domain, answer, options, &targets);
  if (targets.empty()) {
    return Transient("4.4.3", fmt::format("{}: no address of an enabled family", domain));
  }
  return targets;
}

DeliveryPlan PlanMx(Resolver& resolver, const std::string& domain, std::vector<MxRecord> records,
                    const PlanOptions& options, const LocalSet& local, const RandomSource& random) {
  // An empty exchange beside other MX records is a broken null MX: nothing to connect to.
  std::erase_if(records, [](const MxRecord& r) { return r.exchange.empty(); });
  if (records.empty()) {
    return Permanent("5.1.10", fmt::format("{} does not accept mail (null MX)", domain));
  }
  records = OrderMxRecords(std::move(records), random);

  // Preferences at or above our own are behind us (RFC 5321 §5.1).
  uint32_t cutoff = std::numeric_limits<uint32_t>::max();
  for (const MxRecord& record : records) {
    if (local.HasName(record.exchange)) cutoff = std::min<uint32_t>(cutoff, record.preference);
  }
  struct Host {
    const MxRecord* record;
    AddressAnswer answer;
  };
  std::vector<Host> hosts;
  for (const MxRecord& record : records) {
    if (record.preference >= cutoff || hosts.size() >= options.max_mx_hosts) break;
    Host host{&record, resolver.LookupAddresses(record.exchange)};
    if (host.answer.status == LookupStatus::kOk && local.HasAddress(host.answer)) {
      cutoff = record.preference;
    }
    hosts.push_back(std::move(host));
  }
  std::erase_if(hosts, [&](const Host& h) { return h.record->preference >= cutoff; });
  if (hosts.empty()) {
    return Permanent("5.4.6", fmt::format("mail for {} loops back to myself", domain));
  }

  std::vector<DeliveryTarget> targets;
  std::string why;
  for (const Host& host : hosts) {
    if (host.answer.status == LookupStatus::kOk) {
      AppendTargets(host.record->exchange, host.answer, options, &targets);
    } else if (why.empty()) {
      why = host.answer.detail.empty()
                ? fmt::format("{}: {}", host.record->exchange, LookupStatusName(host.answer.status))
                : host.answer.detail;
    }
  }
  if (targets.empty()) {
    return Transient("4.4.3", fmt::format("no MX host of {} has a usable address{}{}", domain,
                                          why.empty() ? "" : ": ", why));
  }
  return targets;
}

}  // namespace

std::vector<MxRecord> OrderMxRecords(std::vector<MxRecord> records, const RandomSource& random) {
  std::stable_sort(records.begin(), records.end(), [](const MxRecord& a, const MxRecord& b) {
    return a.preference < b.preference;
  });
  for (size_t begin = 0; begin < records.size();) {
    size_t end = begin + 1;
    while (end < records.size() && records[end].preference == records[begin].preference) ++end;
    // Fisher-Yates over [begin, end).
    for (size_t i = end - 1; i > begin; --i) {
      const size_t j = begin + static_cast<size_t>(random(i - begin + 1) % (i - begin + 1));
      std::swap(records[i], records[j]);
    }
    begin = end;
  }
  return records;
}

DeliveryPlan PlanDelivery(Resolver& resolver, std::string_view domain, const PlanOptions& options,
                          const RandomSource& random) {
  const LocalSet local(options.local_names);
  if (!domain.empty() && domain.front() == '[') return PlanLiteral(domain, options, local);
  const std::string name = NormalizeDnsName(domain);
  if (name.empty()) return Permanent("5.1.2", "empty destination domain");

  MxAnswer mx = resolver.LookupMx(name);
  switch (mx.status) {
    case LookupStatus::kOk:
      return PlanMx(resolver, name, std::move(mx.records), options, local, random);
    case LookupStatus::kNoData:
      return PlanImplicitMx(resolver, name, options, local);
    case LookupStatus::kNullMx:
      return Permanent("5.1.10", fmt::format("{} does not accept mail (null MX)", name));
    case LookupStatus::kNxDomain:
      return Permanent("5.1.2", fmt::format("{}: no such domain", name));
    case LookupStatus::kTempFail:
      break;
  }
  return Transient("4.4.3",
                   mx.detail.empty() ? fmt::format("{}: MX lookup failed", name) : mx.detail);
}

DeliveryPlan PlanSmarthost(Resolver& resolver, std::string_view spec, const PlanOptions& options) {
  std::string_view host = spec;
  std::optional<std::string_view> port_text;
  if (!spec.empty() && spec.front() == '[') {
    const size_t close = spec.find(']');
    if (close == std::string_view::npos) {
      return Transient("4.3.5", fmt::format("bad smarthost {}: unclosed '['", spec));
    }
    host = spec.substr(1, close - 1);
    const std::string_view rest = spec.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') {
      return Transient("4.3.5", fmt::format("bad smarthost {}", spec));
    }
    if (!rest.empty()) port_text = rest.substr(1);
  } else if (const size_t colon = spec.find(':'); colon != std::string_view::npos) {
    if (spec.find(':', colon + 1) != std::string_view::npos) {
      return Transient("4.3.5", fmt::format("bad smarthost {}: write IPv6 in brackets", spec));
    }
    host = spec.substr(0, colon);
    port_text = spec.substr(colon + 1);
  }
  PlanOptions with_port = options;
  if (port_text) {
    unsigned port = 0;
    const char* end = port_text->data() + port_text->size();
    auto [stop, ec] = std::from_chars(port_text->data(), end, port);
    if (ec != std::errc() || stop != end || port == 0 || port > 65535) {
      return Transient("4.3.5", fmt::format("bad smarthost {}: bad port", spec));
    }
    with_port.port = static_cast<uint16_t>(port);
  }
  if (host.empty()) return Transient("4.3.5", fmt::format("bad smarthost {}: no host", spec));

  std::vector<DeliveryTarget> targets;
  if (const auto address = ParseAddress(host)) {
    AddressAnswer answer{.status = LookupStatus::kOk};
    (address->ipv6 ? answer.ipv6 : answer.ipv4).push_back(address->text);
    AppendTargets(std::string(host), answer, with_port, &targets);
  } else {
    const std::string name = NormalizeDnsName(host);
    const AddressAnswer answer = resolver.LookupAddresses(name);
    if (answer.status != LookupStatus::kOk) {
      return Transient("4.4.3", answer.detail.empty() ? fmt::format("smarthost {}: {}", name,
                                                                    LookupStatusName(answer.status))
                                                      : fmt::format("smarthost {}", answer.detail));
    }
    AppendTargets(name, answer, with_port, &targets);
  }
  if (targets.empty()) {
    return Transient("4.4.3", fmt::format("smarthost {}: no address of an enabled family", spec));
  }
  return targets;
}

}  // namespace pigeon::mta::dns
