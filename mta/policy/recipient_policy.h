// Who pigeond accepts mail for and where it goes: local domains and users, aliases (followed
// recursively, loops and depth bounded), plus-addressing (user+tag@domain → user, tag kept as a
// keyword), postmaster (always, bare and at every local domain, any case), and relay only for
// authenticated clients. Pure: built from the Config and the parsed aliases.
//
// SECURITY: never an open relay. An address is local only when its domain is, exactly, one of
// the local domains (case-insensitive). Everything else from an unauthenticated client is
// refused, including the classic tricks: user%other@local, other!user@local, "user@other"@local,
// @local:user@other (the session drops source routes first, leaving user@other), user@other@local,
// address literals (user@[192.0.2.1]), trailing dots (user@local.).
//
// Replies (one line each; <addr> is the address as given, which is checked to be printable):
//   501 5.1.3 Bad recipient address syntax          not an RFC 5321 Mailbox (two '@', bad dots,
//                                                    control characters, > 254 octets, a bare
//                                                    name other than postmaster)
//   554 5.7.1 <addr>: Relay access denied            not local, client not authenticated
//   550 5.1.1 <addr>: Recipient address rejected: no such user here
//   451 4.3.0 <addr>: Temporary lookup failure: alias loop or nesting deeper than 10 aliases
// Local parts are case-insensitive; '%' and '!' never appear in a local user or alias name,
// so user%other@local and other!user@local are unknown users, never relayed.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/config.h"
#include "mta/policy/alias_target.h"
#include "mta/policy/aliases.h"

namespace pigeon::mta::policy {

// One copy of the message in the store.
struct LocalDelivery {
  std::string folder;                 // "" = INBOX
  std::vector<std::string> keywords;  // e.g. the +tag of plus-addressing
  bool operator==(const LocalDelivery&) const = default;
};

struct Route {
  std::vector<LocalDelivery> local;  // store deliveries: one per folder, keywords merged
  std::vector<std::string> remote;   // addresses to queue for delivery over SMTP (domain as
                                     // an A-label), each once
};

struct Refusal {
  std::string reply;  // one SMTP reply line, e.g. "550 5.1.1 <bob@example.org>: no such user"
};

class RecipientPolicy {
 public:
  RecipientPolicy(const config::Config& config, Aliases aliases);

  // The route for one RCPT TO address (without angle brackets, source route already dropped).
  // `authenticated`: the client passed AUTH (or is the local sendmail): it may relay.
  tl::expected<Route, Refusal> Resolve(std::string_view address, bool authenticated) const;

  // Exactly one of the local domains, in any case, U-labels allowed; "local." is not.
  bool IsLocalDomain(std::string_view domain) const;

  // The local domains, lower case, A-labels (for the server's log and greeting).
  const std::vector<std::string>& local_domains() const { return local_domains_; }

 private:
  class Expansion;

  tl::expected<Route, Refusal> ResolveLocal(std::string_view local_part,
                                            std::string_view shown) const;
  // An alias target as the walk needs it: an address at a local domain becomes a local name.
  std::optional<AliasTarget> ResolveTarget(AliasTarget target) const;

  std::vector<std::string> local_domains_;          // normalized
  std::set<std::string, std::less<>> local_users_;  // lower case
  // Lower-case names; targets of kind kLocalName, kFolder and kAddress (remote) only.
  std::map<std::string, std::vector<AliasTarget>, std::less<>> aliases_;
};

}  // namespace pigeon::mta::policy
