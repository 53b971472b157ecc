// See stop_request.h.
#include "mua/cli/stop_request.h"

#include <csignal>

namespace pigeon::mua {
namespace {

std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void RequestStop(int) { stop_requested.store(true); }

void Install(int flags) {
  struct sigaction action = {};
  action.sa_handler = RequestStop;
  action.sa_flags = flags;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

}  // namespace

const std::atomic<bool>& InstallStopHandler() {
  Install(SA_RESTART | SA_RESETHAND);
  return stop_requested;
}

const std::atomic<bool>& InstallUiStopHandler() {
  Install(0);
  return stop_requested;
}

const std::atomic<bool>& StopRequested() { return stop_requested; }

}  // namespace pigeon::mua
