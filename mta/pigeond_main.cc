// pigeond: pigeon's mail transfer agent. Thin: parses argv and runs the daemon library.
#include <sysexits.h>

#include <CLI/CLI.hpp>

#include "mta/daemon/pigeond.h"
#include "mta/daemon/queue_admin.h"

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
  pigeon::mta::daemon::QueueCommand queue_command;
  CLI::App* queue = app.add_subcommand("queue", "look at and manage the outgoing queue");
  queue->require_subcommand(1);
  const std::pair<const char*, const char*> kQueueActions[] = {
      {"list", "list the queue, as mailq does"},
      {"flush", "make every waiting recipient due now"},
      {"hold", "keep messages from being delivered: IDs or ALL"},
      {"release", "deliver held messages again: IDs or ALL"},
      {"delete", "remove messages from the queue: IDs or ALL"},
      {"requeue", "try messages again now: IDs or ALL"},
  };
  for (const auto& [name, help] : kQueueActions) {
    CLI::App* action = queue->add_subcommand(name, help);
    if (std::string_view(name) != "list" && std::string_view(name) != "flush") {
      action->add_option("ids", queue_command.ids, "queue ids, or ALL")->required();
    }
    action->callback([&queue_command, name = std::string(name)] { queue_command.action = name; });
  }
  options.foreground = false;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int status = app.exit(error);
    return status == 0 ? 0 : EX_USAGE;
  }
  options.config_named = !options.config_path.empty();
  if (!queue_command.action.empty()) {
    queue_command.config_path = options.config_path;
    queue_command.config_named = options.config_named;
    return pigeon::mta::daemon::RunQueueCommand(queue_command);
  }
  if (hash_password) return pigeon::mta::daemon::RunHashPassword();
  return pigeon::mta::daemon::RunDaemon(options);
}
