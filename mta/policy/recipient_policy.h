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
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/config.h"
#include "mta/policy/aliases.h"

namespace pigeon::mta::policy {

// One copy of the message in the store.
struct LocalDelivery {
  std::string folder;                 // "" = INBOX
  std::vector<std::string> keywords;  // e.g. the +tag of plus-addressing
  bool operator==(const LocalDelivery&) const = default;
};

struct Route {
  std::vector<LocalDelivery> local;  // store deliveries (duplicates merged)
  std::vector<std::string> remote;   // addresses to queue for delivery over SMTP
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

  bool IsLocalDomain(std::string_view domain) const;

 private:
  // ... the implementation's state
};

}  // namespace pigeon::mta::policy
