// Built on libresolv's bounds-checked readers (ns_initparse, ns_parserr, dn_expand): they
// refuse sections that overrun the packet and compression pointers that loop or point
// outside it. What they accept is then checked against the question asked.
#include "mta/dns/dns_packet.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

namespace pigeon::mta::dns {
namespace {

// The records of the asked type at the end of the CNAME chain, or why there are none.
struct Walk {
  LookupStatus status = LookupStatus::kTempFail;
  std::string detail;
  ns_msg msg{};
  std::vector<std::span<const uint8_t>> records;  // RDATA, inside the packet
};

std::string_view TypeName(ns_type type) {
  switch (type) {
    case ns_t_mx:
      return "MX";
    case ns_t_a:
      return "A";
    case ns_t_aaaa:
      return "AAAA";
    default:
      return "?";
  }
}

std::string RcodeName(int rcode) {
  switch (rcode) {
    case ns_r_formerr:
      return "FORMERR";
    case ns_r_servfail:
      return "SERVFAIL";
    case ns_r_notimpl:
      return "NOTIMP";
    case ns_r_refused:
      return "REFUSED";
    default:
      return fmt::format("rcode {}", rcode);
  }
}

// Expands the name at `at` and checks that it ends exactly at `end`, so a name cannot borrow
// bytes past its RDATA.
bool ExpandNameIn(const ns_msg& msg, const unsigned char* at, const unsigned char* end,
                  std::string* name) {
  char buffer[NS_MAXDNAME];
  const int used = dn_expand(ns_msg_base(msg), ns_msg_end(msg), at, buffer, sizeof buffer);
  if (used < 0 || at + used != end) return false;
  *name = NormalizeDnsName(buffer);
  return true;
}

Walk Fail(Walk walk, std::string_view qname, ns_type type, std::string_view why) {
  walk.status = LookupStatus::kTempFail;
  walk.detail = fmt::format("{} {}: {}", qname, TypeName(type), why);
  walk.records.clear();
  return walk;
}

using Cnames = std::vector<std::pair<std::string, std::string>>;              // owner → target
using Owned = std::vector<std::pair<std::string, std::span<const uint8_t>>>;  // owner → RDATA

// Why the header or question make this no answer to `want`/`type`, or "" when they do not.
std::string CheckHeader(ns_msg& msg, const std::string& want, ns_type type) {
  if (!ns_msg_getflag(msg, ns_f_qr) || ns_msg_getflag(msg, ns_f_opcode) != ns_o_query) {
    return "not a DNS answer";
  }
  // res_nsend retries over TCP itself; a truncated answer reaching us is incomplete.
  if (ns_msg_getflag(msg, ns_f_tc)) return "truncated answer";
  ns_rr question;
  if (ns_msg_count(msg, ns_s_qd) != 1 || ns_parserr(&msg, ns_s_qd, 0, &question) < 0 ||
      ns_rr_type(question) != type || ns_rr_class(question) != ns_c_in ||
      NormalizeDnsName(ns_rr_name(question)) != want) {
    return "answer to another question";
  }
  const int rcode = ns_msg_getflag(msg, ns_f_rcode);
  if (rcode != ns_r_noerror && rcode != ns_r_nxdomain) return RcodeName(rcode);
  return "";
}

// The name the CNAME chain from `name` ends at: the first with records of the type, or
// without a CNAME. nullopt for a chain longer than kMaxCnameHops (a loop, say).
std::optional<std::string> ChainEnd(std::string name, const Cnames& cnames, const Owned& typed) {
  auto owned_by = [&](const std::string& owner) {
    return [&owner](const auto& entry) { return entry.first == owner; };
  };
  for (int hops = 0;; ++hops) {
    if (std::any_of(typed.begin(), typed.end(), owned_by(name))) return name;
    auto next = std::find_if(cnames.begin(), cnames.end(), owned_by(name));
    if (next == cnames.end()) return name;
    if (hops == kMaxCnameHops) return std::nullopt;
    name = next->second;
  }
}

// Header and question checks; rcode; then the answer section down the CNAME chain.
Walk WalkAnswer(std::span<const uint8_t> packet, std::string_view qname, ns_type type) {
  Walk walk;
  const std::string want = NormalizeDnsName(qname);
  if (packet.size() < NS_HFIXEDSZ || packet.size() > NS_MAXMSG ||
      ns_initparse(packet.data(), static_cast<int>(packet.size()), &walk.msg) < 0) {
    return Fail(std::move(walk), qname, type, "malformed DNS answer");
  }
  ns_msg& msg = walk.msg;
  if (std::string why = CheckHeader(msg, want, type); !why.empty()) {
    return Fail(std::move(walk), qname, type, why);
  }
  Cnames cnames;
  Owned typed;
  const int count = ns_msg_count(msg, ns_s_an);
  for (int i = 0; i < count; ++i) {
    ns_rr rr;
    if (ns_parserr(&msg, ns_s_an, i, &rr) < 0) {
      return Fail(std::move(walk), qname, type, "malformed answer section");
    }
    if (ns_rr_class(rr) != ns_c_in) continue;
    if (ns_rr_type(rr) == ns_t_cname) {
      std::string target;
      if (!ExpandNameIn(msg, ns_rr_rdata(rr), ns_rr_rdata(rr) + ns_rr_rdlen(rr), &target)) {
        return Fail(std::move(walk), qname, type, "malformed CNAME");
      }
      cnames.emplace_back(NormalizeDnsName(ns_rr_name(rr)), std::move(target));
    } else if (ns_rr_type(rr) == type) {
      typed.emplace_back(NormalizeDnsName(ns_rr_name(rr)),
                         std::span<const uint8_t>(ns_rr_rdata(rr), ns_rr_rdlen(rr)));
    }
  }
  const std::optional<std::string> name = ChainEnd(want, cnames, typed);
  if (!name) return Fail(std::move(walk), qname, type, "CNAME chain too long");
  for (const auto& [owner, rdata] : typed) {
    if (owner == *name) walk.records.push_back(rdata);
  }
  if (ns_msg_getflag(msg, ns_f_rcode) == ns_r_nxdomain) {
    walk.records.clear();
    walk.status = LookupStatus::kNxDomain;
    walk.detail = fmt::format("{} {}: no such domain", qname, TypeName(type));
  } else if (walk.records.empty()) {
    walk.status = LookupStatus::kNoData;
    walk.detail = fmt::format("{} {}: no records", qname, TypeName(type));
  } else {
    walk.status = LookupStatus::kOk;
  }
  return walk;
}

}  // namespace

std::string NormalizeDnsName(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  // One trailing dot is the root; "a\." ends in an escaped dot, part of the label.
  size_t backslashes = 0;
  while (out.size() >= backslashes + 2 && out[out.size() - 2 - backslashes] == '\\') {
    ++backslashes;
  }
  if (!out.empty() && out.back() == '.' && backslashes % 2 == 0) out.pop_back();
  return out;
}

MxAnswer ParseMxAnswer(std::span<const uint8_t> packet, std::string_view qname) {
  Walk walk = WalkAnswer(packet, qname, ns_t_mx);
  MxAnswer answer{.status = walk.status, .detail = std::move(walk.detail)};
  for (const std::span<const uint8_t> rdata : walk.records) {
    MxRecord record;
    if (rdata.size() < NS_INT16SZ + 1 ||
        !ExpandNameIn(walk.msg, rdata.data() + NS_INT16SZ, rdata.data() + rdata.size(),
                      &record.exchange)) {
      return MxAnswer{.detail = fmt::format("{} MX: malformed MX record", qname)};
    }
    record.preference = static_cast<uint16_t>(ns_get16(rdata.data()));
    answer.records.push_back(std::move(record));
  }
  if (answer.records.size() == 1 && answer.records[0].exchange.empty()) {
    answer.status = LookupStatus::kNullMx;
    answer.detail = fmt::format("{} MX: null MX, the domain accepts no mail", qname);
  }
  return answer;
}

AddressAnswer ParseAddressAnswer(std::span<const uint8_t> packet, std::string_view qname,
                                 AddressType type) {
  const bool v4 = type == AddressType::kA;
  Walk walk = WalkAnswer(packet, qname, v4 ? ns_t_a : ns_t_aaaa);
  AddressAnswer answer{.status = walk.status, .detail = std::move(walk.detail)};
  const size_t size = v4 ? NS_INADDRSZ : NS_IN6ADDRSZ;
  for (const std::span<const uint8_t> rdata : walk.records) {
    char text[INET6_ADDRSTRLEN];
    if (rdata.size() != size ||
        inet_ntop(v4 ? AF_INET : AF_INET6, rdata.data(), text, sizeof text) == nullptr) {
      return AddressAnswer{
          .detail = fmt::format("{} {}: malformed address record", qname, v4 ? "A" : "AAAA")};
    }
    (v4 ? answer.ipv4 : answer.ipv6).push_back(text);
  }
  return answer;
}

}  // namespace pigeon::mta::dns
