// See recipient_policy.h. The order of the checks is the security argument: the address must
// first be an exact RFC 5321 Mailbox (smtp_address.h), its domain a host name after IDNA; only
// then is the domain compared with the local domains, and anything not local is relayed for
// authenticated clients alone. Aliases are the owner's configuration, so what they forward to
// is forwarded for anyone.
#include "mta/policy/recipient_policy.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "common/config/config_values.h"
#include "common/config/domain_name.h"
#include "mta/policy/smtp_address.h"

namespace pigeon::mta::policy {
namespace {

constexpr int kMaxAliasDepth = 10;
// Bounds one Resolve even for an aliases file whose names fan out and meet again.
constexpr int kMaxExpansionSteps = 10000;
constexpr size_t kMaxKeywordLength = 64;

using Keywords = std::vector<std::string>;  // sorted, unique

tl::unexpected<Refusal> Refuse(std::string reply) {
  return tl::unexpected(Refusal{std::move(reply)});
}

tl::unexpected<Refusal> BadSyntax() { return Refuse("501 5.1.3 Bad recipient address syntax"); }

tl::unexpected<Refusal> RelayDenied(std::string_view shown) {
  return Refuse(fmt::format("554 5.7.1 <{}>: Relay access denied", shown));
}

tl::unexpected<Refusal> NoSuchUser(std::string_view shown) {
  return Refuse(
      fmt::format("550 5.1.1 <{}>: Recipient address rejected: no such user here", shown));
}

tl::unexpected<Refusal> AliasFailure(std::string_view shown) {
  return Refuse(fmt::format(
      "451 4.3.0 <{}>: Temporary lookup failure: alias loop or nesting deeper than {} aliases",
      shown, kMaxAliasDepth));
}

// The +tag kept as a store keyword when it is a plain word: it comes from the sender, and a
// keyword must be an IMAP atom. Other tags are dropped; the mail is still delivered.
bool IsKeyword(std::string_view tag) {
  return !tag.empty() && tag.size() <= kMaxKeywordLength &&
         std::all_of(tag.begin(), tag.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                  c == '.';
         });
}

Keywords WithKeyword(Keywords keywords, std::string_view tag) {
  if (!IsKeyword(tag)) return keywords;
  const auto at = std::lower_bound(keywords.begin(), keywords.end(), tag);
  if (at == keywords.end() || *at != tag) keywords.insert(at, std::string(tag));
  return keywords;
}

// "postmaster" and "postmaster+tag" (lower case): accepted whatever the aliases say.
bool IsPostmaster(std::string_view name) {
  return name == "postmaster" || name.starts_with("postmaster+");
}

}  // namespace

// One Resolve's walk through local names and aliases, collecting the route.
class RecipientPolicy::Expansion {
 public:
  explicit Expansion(const RecipientPolicy& policy) : policy_(policy) {}

  void LocalName(std::string_view name, const Keywords& keywords, int depth, bool expand);
  Route TakeRoute() { return std::move(route_); }
  // A loop, too deep a nesting or too long a walk cut a branch off.
  bool failed() const { return failed_; }

 private:
  void Alias(const std::string& name, const std::vector<AliasTarget>& targets,
             const Keywords& keywords, int depth);
  void Target(const AliasTarget& target, const Keywords& keywords, int depth);
  void Deliver(const std::string& folder, const Keywords& keywords);
  void Forward(const std::string& address);
  bool IsUser(std::string_view name) const {
    return policy_.local_users_.contains(name) || name == "postmaster";
  }

  const RecipientPolicy& policy_;
  Route route_;
  std::set<std::string, std::less<>> path_;          // aliases being expanded, for loops
  std::set<std::pair<std::string, Keywords>> done_;  // expanded already: merged, not redone
  int steps_ = 0;
  bool failed_ = false;
};

// A local name is, in this order: an alias, a user (or postmaster), or user+tag.
void RecipientPolicy::Expansion::LocalName(std::string_view name, const Keywords& keywords,
                                           int depth, bool expand) {
  if (++steps_ > kMaxExpansionSteps) {
    failed_ = true;
    return;
  }
  if (expand) {
    if (auto alias = policy_.aliases_.find(name); alias != policy_.aliases_.end()) {
      Alias(alias->first, alias->second, keywords, depth);
      return;
    }
  }
  if (IsUser(name)) {
    Deliver("", keywords);
    return;
  }
  const size_t plus = name.find('+');
  if (plus != std::string_view::npos && plus > 0) {
    LocalName(name.substr(0, plus), WithKeyword(keywords, name.substr(plus + 1)), depth, expand);
  }
  // Otherwise an unknown name: nothing reached on this branch.
}

void RecipientPolicy::Expansion::Alias(const std::string& name,
                                       const std::vector<AliasTarget>& targets,
                                       const Keywords& keywords, int depth) {
  if (path_.contains(name)) {
    // "ada: ada, ada@elsewhere" keeps a copy, as in sendmail and Postfix; other loops fail.
    if (IsUser(name)) {
      Deliver("", keywords);
    } else {
      failed_ = true;
    }
    return;
  }
  if (depth >= kMaxAliasDepth) {
    failed_ = true;
    return;
  }
  if (!done_.emplace(name, keywords).second) return;
  path_.insert(name);
  for (const AliasTarget& target : targets) Target(target, keywords, depth + 1);
  path_.erase(name);
}

void RecipientPolicy::Expansion::Target(const AliasTarget& target, const Keywords& keywords,
                                        int depth) {
  switch (target.kind) {
    case AliasTarget::Kind::kFolder:
      Deliver(target.value, keywords);
      return;
    case AliasTarget::Kind::kAddress:
      Forward(target.value);
      return;
    case AliasTarget::Kind::kLocalName:
      LocalName(target.value, keywords, depth, target.expand);
      return;
    default:
      return;  // the constructor keeps no other kind
  }
}

// One copy per folder: the store keeps one copy of the same bytes in a folder anyway.
void RecipientPolicy::Expansion::Deliver(const std::string& folder, const Keywords& keywords) {
  auto same_folder = [&folder](const LocalDelivery& d) { return d.folder == folder; };
  auto existing = std::find_if(route_.local.begin(), route_.local.end(), same_folder);
  if (existing == route_.local.end()) {
    route_.local.push_back(LocalDelivery{folder, keywords});
    return;
  }
  for (const std::string& keyword : keywords) {
    existing->keywords = WithKeyword(std::move(existing->keywords), keyword);
  }
}

void RecipientPolicy::Expansion::Forward(const std::string& address) {
  if (std::find(route_.remote.begin(), route_.remote.end(), address) == route_.remote.end()) {
    route_.remote.push_back(address);
  }
}

RecipientPolicy::RecipientPolicy(const config::Config& config, Aliases aliases) {
  // Normalized again rather than trusted: a Config can be built without ParseConfig.
  for (const std::string& domain : config.smtpd.local_domains) {
    Result<std::string> normalized = config::NormalizeDomainName(domain);
    if (normalized && std::find(local_domains_.begin(), local_domains_.end(), *normalized) ==
                          local_domains_.end()) {
      local_domains_.push_back(std::move(*normalized));
    }
  }
  for (const std::string& user : config.smtpd.local_users) {
    if (config::CheckLocalUser(user)) local_users_.insert(AsciiLower(user));
  }
  for (auto& [name, targets] : aliases.entries) {
    if (!IsUnquotedLocalName(name)) continue;
    std::vector<AliasTarget> resolved;
    for (const std::string& target : targets) {
      if (std::optional<AliasTarget> t = ResolveTarget(ClassifyAliasTarget(target))) {
        resolved.push_back(std::move(*t));
      }
    }
    aliases_.emplace(AsciiLower(name), std::move(resolved));
  }
}

std::optional<AliasTarget> RecipientPolicy::ResolveTarget(AliasTarget target) const {
  switch (target.kind) {
    case AliasTarget::Kind::kLocalName:
    case AliasTarget::Kind::kFolder:
      return target;
    case AliasTarget::Kind::kAddress:
      break;
    default:
      return std::nullopt;  // refused by ParseAliases already
  }
  const std::optional<SmtpAddress> address = ParseSmtpAddress(target.value, false);
  if (!address) return std::nullopt;
  if (address->address_literal) return target;
  Result<std::string> domain = config::NormalizeDomainName(address->domain);
  if (!domain) return std::nullopt;
  if (IsLocalDomain(*domain)) {
    if (!IsUnquotedLocalName(address->local_part)) return std::nullopt;
    return AliasTarget{AliasTarget::Kind::kLocalName, AsciiLower(address->local_part), true};
  }
  return AliasTarget{AliasTarget::Kind::kAddress, std::string(address->local_text) + "@" + *domain,
                     true};
}

bool RecipientPolicy::IsLocalDomain(std::string_view domain) const {
  Result<std::string> normalized = config::NormalizeDomainName(domain);
  return normalized && std::find(local_domains_.begin(), local_domains_.end(), *normalized) !=
                           local_domains_.end();
}

tl::expected<Route, Refusal> RecipientPolicy::Resolve(std::string_view address,
                                                      bool authenticated) const {
  const std::optional<SmtpAddress> parsed = ParseSmtpAddress(address, true);
  if (!parsed) return BadSyntax();
  if (parsed->domain.empty()) {  // RFC 5321 §4.1.1.3: only <Postmaster> may lack a domain
    if (AsciiLower(parsed->local_part) != "postmaster") return BadSyntax();
    return ResolveLocal(parsed->local_part, address);
  }
  std::string domain = parsed->domain;
  if (!parsed->address_literal) {  // a literal is never local
    Result<std::string> normalized = config::NormalizeDomainName(parsed->domain);
    if (!normalized) return BadSyntax();
    domain = std::move(*normalized);
    if (std::find(local_domains_.begin(), local_domains_.end(), domain) != local_domains_.end()) {
      return ResolveLocal(parsed->local_part, address);
    }
  }
  if (!authenticated) return RelayDenied(address);
  return Route{{}, {std::string(parsed->local_text) + "@" + domain}};
}

tl::expected<Route, Refusal> RecipientPolicy::ResolveLocal(std::string_view local_part,
                                                           std::string_view shown) const {
  const std::string name = AsciiLower(local_part);
  Expansion expansion(*this);
  expansion.LocalName(name, {}, 0, true);
  Route route = expansion.TakeRoute();
  if (!route.local.empty() || !route.remote.empty()) return route;
  // RFC 5321 §4.5.1: postmaster is always accepted, even when its alias leads nowhere.
  if (IsPostmaster(name)) return Route{{LocalDelivery{}}, {}};
  if (expansion.failed()) return AliasFailure(shown);
  return NoSuchUser(shown);
}

}  // namespace pigeon::mta::policy
