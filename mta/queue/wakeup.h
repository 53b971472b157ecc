// How sendmail, the MUA and `pigeond queue` tell a running pigeond that the queue changed: one
// datagram to a UNIX socket next to the store. Best effort by design: with no pigeond (or a
// path too long for a socket) nothing happens and the message waits in the store, where
// pigeond finds it at start and on its periodic look at the queue.
#pragma once

#include <string>

namespace pigeon::mta::queue {

// What the datagram asks for (its one byte).
enum class Wakeup : char {
  kQueue = 'q',          // the queue changed: look for due recipients now
  kReloadAliases = 'a',  // newaliases checked the aliases file: reread it
};

// "<store>.wake": pigeond binds it, everyone else sends to it.
std::string WakeupSocketPath(const std::string& store_path);

// Sends one datagram without blocking; true when a listener took it.
bool SendWakeup(const std::string& store_path, Wakeup what = Wakeup::kQueue);

}  // namespace pigeon::mta::queue
