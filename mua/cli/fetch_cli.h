// The command line of `pigeon fetch`, declared once for the two programs that parse it:
// `pigeon`, which checks it and hands it on, and `pigeon-fetch`, which runs it.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace pigeon::mua {

struct FetchArguments {
  std::vector<std::string> accounts;  // names; empty = every account
  int timeout_seconds = 60;
  bool quiet = false;  // no line for an account with nothing new (pigeond)
};

inline void AddFetchArguments(CLI::App& command, FetchArguments& arguments) {
  command.add_option("accounts", arguments.accounts, "Only these accounts (default: all)");
  command
      .add_option("--timeout", arguments.timeout_seconds,
                  "Seconds to wait for the server to connect or answer")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  command.add_flag("-q,--quiet", arguments.quiet,
                   "Say nothing about accounts with nothing new (errors are still reported)");
}

}  // namespace pigeon::mua
