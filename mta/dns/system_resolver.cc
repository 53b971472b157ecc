// res_nsend rather than res_nquery: the rcode and the whole answer reach dns_packet, which
// classifies them, instead of collapsing into h_errno. res_nsend checks the answer's id and
// question, and retries a truncated UDP answer over TCP.
#include "mta/dns/system_resolver.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>

#include "mta/dns/dns_packet.h"

namespace pigeon::mta::dns {
namespace {

// "127.0.0.1:5353" or "127.0.0.1" into a socket address.
Result<sockaddr_in> ParseNameserver(std::string_view text) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  std::string_view host = text;
  unsigned port = NS_DEFAULTPORT;
  if (const size_t colon = text.find(':'); colon != std::string_view::npos) {
    host = text.substr(0, colon);
    const std::string_view digits = text.substr(colon + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc() || end != digits.data() + digits.size() || port == 0 || port > 65535) {
      return MakeError(ErrorCode::kInvalidArgument, fmt::format("bad name server port: {}", text));
    }
  }
  const std::string host_text(host);
  if (inet_pton(AF_INET, host_text.c_str(), &address.sin_addr) != 1) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("name server is not an IPv4 address: {}", text));
  }
  address.sin_port = htons(static_cast<uint16_t>(port));
  return address;
}

}  // namespace

Result<std::unique_ptr<SystemResolver>> SystemResolver::Create(
    const SystemResolverOptions& options) {
  if (options.timeout_seconds < 1 || options.timeout_seconds > 30 || options.attempts < 1 ||
      options.attempts > RES_MAXRETRY) {
    return MakeError(ErrorCode::kInvalidArgument, "DNS timeout must be 1..30 s, attempts 1..5");
  }
  if (options.nameservers.size() > MAXNS) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("at most {} name servers", static_cast<int>(MAXNS)));
  }
  std::vector<sockaddr_in> servers;
  for (const std::string& text : options.nameservers) {
    auto server = ParseNameserver(text);
    if (!server) return tl::unexpected(server.error());
    servers.push_back(*server);
  }
  auto state = std::make_unique<struct __res_state>();
  std::memset(state.get(), 0, sizeof *state);
  if (res_ninit(state.get()) != 0) {
    res_nclose(state.get());
    return MakeError(ErrorCode::kIo, "res_ninit failed");
  }
  if (!servers.empty()) {
    state->nscount = static_cast<int>(servers.size());
    for (size_t i = 0; i < servers.size(); ++i) state->nsaddr_list[i] = servers[i];
  }
  state->retrans = options.timeout_seconds;
  state->retry = options.attempts;
  return std::unique_ptr<SystemResolver>(new SystemResolver(std::move(state)));
}

SystemResolver::SystemResolver(std::unique_ptr<struct __res_state> state)
    : state_(std::move(state)) {}

SystemResolver::~SystemResolver() { res_nclose(state_.get()); }

LookupStatus SystemResolver::Send(const std::string& name, int type, std::vector<uint8_t>* answer,
                                  std::string* detail) {
  const char* type_name = type == ns_t_mx ? "MX" : type == ns_t_a ? "A" : "AAAA";
  unsigned char query[NS_PACKETSZ];
  const bool usable = !name.empty() && name.find('\0') == std::string::npos;
  const int query_size = usable ? res_nmkquery(state_.get(), ns_o_query, name.c_str(), ns_c_in,
                                               type, nullptr, 0, nullptr, query, sizeof query)
                                : -1;
  if (query_size < 0) {
    *detail = fmt::format("{} {}: not a domain name", name, type_name);
    return LookupStatus::kNxDomain;
  }
  answer->resize(NS_MAXMSG);
  errno = 0;
  const int size =
      res_nsend(state_.get(), query, query_size, answer->data(), static_cast<int>(answer->size()));
  if (size < 0) {
    const int error = errno;
    // glibc reports a SERVFAIL or REFUSED from every server like a timeout.
    *detail =
        error == ECONNREFUSED
            ? fmt::format("{} {}: name servers unreachable", name, type_name)
            : fmt::format("{} {}: no usable answer (timeout or server failure)", name, type_name);
    return LookupStatus::kTempFail;
  }
  answer->resize(std::min<size_t>(static_cast<size_t>(size), answer->size()));
  return LookupStatus::kOk;
}

MxAnswer SystemResolver::LookupMx(std::string_view domain) {
  const std::string name = NormalizeDnsName(domain);
  std::vector<uint8_t> packet;
  MxAnswer failed;
  failed.status = Send(name, ns_t_mx, &packet, &failed.detail);
  if (failed.status != LookupStatus::kOk) return failed;
  return ParseMxAnswer(packet, name);
}

AddressAnswer SystemResolver::LookupAddresses(std::string_view host) {
  const std::string name = NormalizeDnsName(host);
  AddressAnswer family[2];
  const int types[2] = {ns_t_a, ns_t_aaaa};
  for (int i = 0; i < 2; ++i) {
    std::vector<uint8_t> packet;
    family[i].status = Send(name, types[i], &packet, &family[i].detail);
    if (family[i].status == LookupStatus::kOk) {
      family[i] = ParseAddressAnswer(packet, name, i == 0 ? AddressType::kA : AddressType::kAaaa);
    }
    if (family[i].status == LookupStatus::kNxDomain) return family[i];  // for every type
  }
  AddressAnswer answer;
  answer.ipv4 = std::move(family[0].ipv4);
  answer.ipv6 = std::move(family[1].ipv6);
  const bool temp_fail =
      family[0].status == LookupStatus::kTempFail || family[1].status == LookupStatus::kTempFail;
  if (!answer.ipv4.empty() || !answer.ipv6.empty()) {
    answer.status = LookupStatus::kOk;
  } else {
    answer.status = temp_fail ? LookupStatus::kTempFail : LookupStatus::kNoData;
  }
  // The first failure explains a kTempFail or kNoData, or the family missing from a kOk.
  for (const AddressAnswer& part : family) {
    if (part.status != LookupStatus::kOk && answer.detail.empty() &&
        (part.status == LookupStatus::kTempFail || !temp_fail)) {
      answer.detail = part.detail;
    }
  }
  return answer;
}

}  // namespace pigeon::mta::dns
