// Fuzzes ParseAliases on arbitrary bytes, then resolves every alias it found through a
// RecipientPolicy: random alias graphs exercise loops, depth and fan-out. Must hold: no crash;
// problems carry a line number inside the text and a one-line message; kept names are lower
// case local names; every resolution ends (the step budget) with a route or a known refusal.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/config/config.h"
#include "mta/policy/alias_target.h"
#include "mta/policy/aliases.h"
#include "mta/policy/recipient_policy.h"
#include "mta/policy/smtp_address.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

bool IsKnownRefusal(const std::string& reply) {
  return reply.starts_with("550 5.1.1 <") || reply.starts_with("451 4.3.0 <");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pigeon::mta::policy;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const Aliases aliases = ParseAliases(text);

  const int lines = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  for (const AliasProblem& problem : aliases.problems) {
    Require(problem.line >= 1 && problem.line <= lines);
    Require(problem.message.find_first_of("\r\n") == std::string::npos);
  }
  for (const auto& [name, targets] : aliases.entries) {
    Require(IsUnquotedLocalName(name) && AsciiLower(name) == name && !targets.empty());
    for (const std::string& target : targets) {
      const AliasTarget::Kind kind = ClassifyAliasTarget(target).kind;
      Require(kind == AliasTarget::Kind::kLocalName || kind == AliasTarget::Kind::kFolder ||
              kind == AliasTarget::Kind::kAddress);
    }
  }

  pigeon::config::Config config;
  config.smtpd.local_domains = {"example.org"};
  config.smtpd.local_users = {"ada"};
  const RecipientPolicy policy(config, aliases);
  int resolved = 0;
  for (const auto& [name, targets] : aliases.entries) {
    if (++resolved > 64) break;
    const std::string address = name + "@example.org";
    const auto route = policy.Resolve(address, false);
    if (!route) {
      // Names too long for an address, or quoted ones, are refused as syntax.
      Require(IsKnownRefusal(route.error().reply) || route.error().reply.starts_with("501 "));
    }
  }
  return 0;
}
