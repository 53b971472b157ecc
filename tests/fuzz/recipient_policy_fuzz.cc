// Fuzzes RecipientPolicy::Resolve on arbitrary bytes with a fixed configuration and aliases.
// The property that matters: never an open relay. Without AUTH, a route's remote addresses are
// only the forwarding targets the aliases configure, and anything accepted is a local address.
// Also: replies are one known line; syntax does not depend on AUTH; what is refused without
// AUTH only for relaying is relayed with it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "common/config/config.h"
#include "mta/policy/recipient_policy.h"
#include "mta/policy/smtp_address.h"

namespace {

using pigeon::mta::policy::RecipientPolicy;

void Require(bool condition) {
  if (!condition) std::abort();
}

constexpr std::string_view kAliases =
    "root: ada\n"
    "abuse: root, +abuse\n"
    "fwd: friend@elsewhere.example\n"
    "copy: \\ada, ada@elsewhere.example\n"
    "loop: loop2\n"
    "loop2: loop\n"
    "team: ada, bob, root+team, +lists/team\n";
const std::set<std::string> kForwardTargets = {"friend@elsewhere.example", "ada@elsewhere.example"};

RecipientPolicy MakePolicy() {
  pigeon::config::Config config;
  config.smtpd.local_domains = {"example.org", "xn--bcher-kva.example", "localhost"};
  config.smtpd.local_users = {"ada", "bob"};
  return RecipientPolicy(config, pigeon::mta::policy::ParseAliases(kAliases));
}

bool IsKnownReply(const std::string& reply) {
  for (std::string_view prefix : {"501 5.1.3 ", "550 5.1.1 <", "554 5.7.1 <", "451 4.3.0 <"}) {
    if (reply.starts_with(prefix)) return true;
  }
  return false;
}

void CheckReply(const std::string& reply) {
  Require(IsKnownReply(reply));
  Require(reply.size() <= 510);  // a reply line is at most 512 octets with its CRLF
  for (char c : reply) Require(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
}

// Accepted without AUTH: bare postmaster, or a domain after the last '@' that is local.
bool LooksLocal(const RecipientPolicy& policy, std::string_view address) {
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos) {
    return pigeon::mta::policy::AsciiLower(address).find("postmaster") != std::string::npos;
  }
  return policy.IsLocalDomain(address.substr(at + 1));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const RecipientPolicy policy = MakePolicy();  // read-only after construction
  const std::string_view address(reinterpret_cast<const char*>(data), size);

  const auto open = policy.Resolve(address, false);
  const auto authenticated = policy.Resolve(address, true);
  if (open) {
    Require(LooksLocal(policy, address));
    Require(!open->local.empty() || !open->remote.empty());
    for (const std::string& remote : open->remote) Require(kForwardTargets.contains(remote));
  } else {
    CheckReply(open.error().reply);
  }
  if (!authenticated) CheckReply(authenticated.error().reply);

  // AUTH changes nothing for local addresses and syntax errors; it only allows relaying.
  if (open && authenticated) {
    Require(open->local == authenticated->local && open->remote == authenticated->remote);
  } else if (!open && open.error().reply.starts_with("554 ")) {
    Require(authenticated && authenticated->local.empty() && authenticated->remote.size() == 1);
  } else if (!open) {
    Require(!authenticated && authenticated.error().reply == open.error().reply);
  } else {
    Require(false);  // accepted without AUTH but refused with it
  }
  return 0;
}
