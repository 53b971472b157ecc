// What pigeond's sessions consult, built once from the config and the aliases file and replaced
// whole on SIGHUP: sessions hold a shared_ptr to the snapshot they started with.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "common/config/config.h"
#include "common/util/result.h"
#include "mta/policy/recipient_policy.h"

namespace pigeon::mta::server {

struct Runtime {
  config::Config config;
  policy::RecipientPolicy policy;
};

// Loads the aliases named by `config` (none when the path is empty) and builds the policy.
// Bad alias lines are skipped, each reported through `warn`.
Result<std::shared_ptr<const Runtime>> MakeRuntime(
    config::Config config, const std::function<void(std::string_view)>& warn);

}  // namespace pigeon::mta::server
