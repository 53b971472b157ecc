// pigeond: pigeon's mail transfer agent. Thin: parses argv and runs the daemon library.
#include <sysexits.h>

#include <CLI/CLI.hpp>

#include "mta/daemon/pigeond.h"

int main(int argc, char** argv) {
  CLI::App app{"pigeond: pigeon's SMTP server and mail queue (see pigeond(8))", "pigeond"};
  pigeon::mta::daemon::DaemonOptions options;
  bool hash_password = false;
  app.add_option("-C,--config", options.config_path,
                 "configuration file (default: "
                 "$XDG_CONFIG_HOME/pigeon/pigeon.conf)");
  app.add_flag("-f,--foreground", options.foreground,
               "stay in the foreground, logging to stderr unless the config says syslog");
  app.add_flag("--check-config", options.check_config, "check the configuration and exit");
  app.add_flag("--hash-password", hash_password,
               "read a password on stdin and print its hash for password_hash");
  app.set_version_flag("-V,--version", "pigeond 0.1.0");
  options.foreground = false;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int status = app.exit(error);
    return status == 0 ? 0 : EX_USAGE;
  }
  options.config_named = !options.config_path.empty();
  if (hash_password) return pigeon::mta::daemon::RunHashPassword();
  return pigeon::mta::daemon::RunDaemon(options);
}
