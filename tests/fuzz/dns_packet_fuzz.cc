// Fuzzes the DNS answer parser (mta/dns/dns_packet) with arbitrary packets. The question name
// is read back from the packet, so the fuzzer gets past the question check into the answer
// section. Whatever the bytes: no crash; kOk has records, kNullMx exactly one "0 .", any
// other outcome none and a reason; names are lower case; addresses parse again.
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "mta/dns/dns_packet.h"

using pigeon::mta::dns::AddressAnswer;
using pigeon::mta::dns::AddressType;
using pigeon::mta::dns::LookupStatus;
using pigeon::mta::dns::MxAnswer;

namespace {

void CheckMx(const MxAnswer& answer) {
  switch (answer.status) {
    case LookupStatus::kOk:
      if (answer.records.empty()) std::abort();
      break;
    case LookupStatus::kNullMx:
      if (answer.records.size() != 1 || !answer.records[0].exchange.empty()) std::abort();
      break;
    default:
      if (!answer.records.empty() || answer.detail.empty()) std::abort();
  }
  for (const auto& record : answer.records) {
    for (char c : record.exchange) {
      if (c >= 'A' && c <= 'Z') std::abort();
    }
    if (!record.exchange.empty() && record.exchange.back() == '.' &&
        record.exchange.find('\\') == std::string::npos) {
      std::abort();
    }
  }
}

void CheckAddresses(const AddressAnswer& answer, bool ipv6) {
  const auto& mine = ipv6 ? answer.ipv6 : answer.ipv4;
  const auto& other = ipv6 ? answer.ipv4 : answer.ipv6;
  if (!other.empty() || answer.status == LookupStatus::kNullMx) std::abort();
  if ((answer.status == LookupStatus::kOk) == mine.empty()) std::abort();
  if (answer.status != LookupStatus::kOk && answer.detail.empty()) std::abort();
  unsigned char bytes[sizeof(in6_addr)];
  for (const std::string& address : mine) {
    if (inet_pton(ipv6 ? AF_INET6 : AF_INET, address.c_str(), bytes) != 1) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string qname = "x.test";
  if (size > NS_HFIXEDSZ) {
    char name[NS_MAXDNAME];
    if (dn_expand(data, data + size, data + NS_HFIXEDSZ, name, sizeof name) >= 0) qname = name;
  }
  const std::span<const uint8_t> packet(data, size);
  CheckMx(pigeon::mta::dns::ParseMxAnswer(packet, qname));
  CheckAddresses(pigeon::mta::dns::ParseAddressAnswer(packet, qname, AddressType::kA), false);
  CheckAddresses(pigeon::mta::dns::ParseAddressAnswer(packet, qname, AddressType::kAaaa), true);
  return 0;
}
