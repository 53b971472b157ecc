// pigeon-fetch: `pigeon fetch` in a program of its own, so only it loads libcurl (see
// mua/cli/fetch_program.h). Same command line as `pigeon [-C CONFIG] [--store PATH] fetch`.
#include <sys/stat.h>

#include <clocale>
#include <cstdio>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "common/config/config.h"
#include "common/sys/clock.h"
#include "mua/cli/fetch_cli.h"
#include "mua/cli/fetch_command.h"
#include "mua/cli/open_store.h"
#include "mua/cli/progress.h"
#include "mua/cli/stop_request.h"
#include "mua/fetch/curl_connection.h"
#include "mua/fetch/curl_https_client.h"

int main(int argc, char** argv) {
  std::setlocale(LC_ALL, "");
  ::umask(077);  // the store is the owner's alone
  CLI::App app{"pigeon-fetch: fetch the remote accounts into the store (run as pigeon fetch)"};
  std::string config_path, store_path;
  CLI::Option* config_option = app.add_option("-C,--config", config_path, "Configuration file");
  CLI::Option* store_option = app.add_option("--store", store_path, "The store database");
  pigeon::mua::FetchArguments arguments;
  pigeon::mua::AddFetchArguments(app, arguments);
  CLI11_PARSE(app, argc, argv);

  const bool named = config_option->count() > 0;
  pigeon::Result<pigeon::config::Config> config =
      pigeon::config::LoadConfig(named ? config_path : pigeon::config::DefaultConfigPath(), named);
  if (!config) {
    fmt::print(stderr, "pigeon: {}\n", config.error().message);
    return 1;
  }
  pigeon::sys::SystemClock clock;
  std::unique_ptr<pigeon::store::Store> store =
      pigeon::mua::OpenStore(store_option->count() > 0 ? store_path : config->store_path, clock);
  if (!store) return 1;
  const std::atomic<bool>& stop = pigeon::mua::InstallStopHandler();
  pigeon::mua::FetchCommandOptions options;
  options.accounts = arguments.accounts;
  options.timeout = std::chrono::seconds(arguments.timeout_seconds);
  options.quiet = arguments.quiet;
  options.progress = pigeon::mua::ProgressBar::StderrIsTerminal();
  pigeon::mua::fetch::CurlHttpsClient https;
  const auto connect = [&stop](const pigeon::config::FetchAccount& account,
                               const pigeon::mua::fetch::Credential& credential,
                               std::chrono::seconds timeout) {
    return pigeon::mua::fetch::ConnectWithCurl(account, credential, timeout, stop);
  };
  return pigeon::mua::RunFetch(*config, *store, clock, options, connect, https, stop, stdout,
                               stderr);
}
