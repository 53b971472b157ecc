// `pigeond queue …`: the outgoing queue's administration, as postqueue/postsuper do it for
// Postfix. Works on the store directly (pigeond need not run) and wakes pigeond when the queue
// should be looked at now.
#pragma once

#include <string>
#include <vector>

namespace pigeon::mta::daemon {

struct QueueCommand {
  std::string config_path;  // "" = the default
  bool config_named = false;
  std::string action;            // list, flush, hold, release, delete, requeue
  std::vector<std::string> ids;  // queue ids (hold, release, delete, requeue); "ALL" = every
};

// Exit status per sysexits.h; one line on stderr per problem ("no message QUEUEID").
int RunQueueCommand(const QueueCommand& command);

}  // namespace pigeon::mta::daemon
