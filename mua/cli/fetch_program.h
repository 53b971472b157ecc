// `pigeon fetch` runs in a program of its own, pigeon-fetch: libcurl and the TLS, HTTP and
// authentication libraries it loads stay out of the mail reader, whose start they would slow
// (38 shared libraries instead of 8).
#pragma once

#include <optional>
#include <string>

#include "mua/cli/fetch_cli.h"

namespace pigeon::mua {

// pigeon-fetch beside the running program (a build tree, or bin/ holding both), else in the
// installed libexec directory.
std::string FetchProgramPath();

// Replaces this process with pigeon-fetch, passing the configuration file and store the user
// named (nullopt: the defaults) and the arguments. Returns only when that fails, with the
// exit status after printing why.
int ExecFetchProgram(const std::optional<std::string>& config_path,
                     const std::optional<std::string>& store_path, const FetchArguments& arguments);

}  // namespace pigeon::mua
