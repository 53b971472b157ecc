// See runtime.h.
#include "mta/server/runtime.h"

#include <fmt/format.h>

namespace pigeon::mta::server {

Result<std::shared_ptr<const Runtime>> MakeRuntime(
    config::Config config, const std::function<void(std::string_view)>& warn) {
  policy::Aliases aliases;
  if (!config.smtpd.aliases_file.empty()) {
    Result<policy::Aliases> loaded = policy::LoadAliases(config.smtpd.aliases_file);
    if (!loaded) return tl::unexpected(loaded.error());
    aliases = std::move(*loaded);
    for (const policy::AliasProblem& problem : aliases.problems) {
      warn(fmt::format("{}:{}: {} (line ignored)", config.smtpd.aliases_file, problem.line,
                       problem.message));
    }
  }
  policy::RecipientPolicy policy(config, std::move(aliases));
  return std::make_shared<const Runtime>(Runtime{std::move(config), std::move(policy)});
}

}  // namespace pigeon::mta::server
