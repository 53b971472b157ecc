// pigeond's life cycle: load and check the config, bind the ports, load the TLS key, drop
// root, open the store, serve until SIGTERM (finishing in-flight commits), reload the config
// and aliases on SIGHUP.
//
// SECURITY: started as root, pigeond binds its ports and reads the TLS key, then becomes the
// configured user before it reads a byte from the network; it refuses to serve as root.
#pragma once

#include <string>

namespace pigeon::mta::daemon {

struct DaemonOptions {
  std::string config_path;    // "" = the default path (a missing file = the local profile)
  bool config_named = false;  // -C given: the file must exist
  bool foreground = true;     // false: detach once serving (errors still reach stderr)
  bool check_config = false;  // validate and exit
};

// Exit status per sysexits.h: 0, 78 (EX_CONFIG) for a bad config, 71 (EX_OSERR) when the
// system refuses (bind, setuid), 73 (EX_CANTCREAT) when the store cannot be opened.
int RunDaemon(const DaemonOptions& options);

// `pigeond --hash-password`: reads a password from stdin (without echo on a terminal, asked
// twice) and prints its yescrypt hash for [[smtpd.account]] password_hash.
int RunHashPassword();

}  // namespace pigeon::mta::daemon
