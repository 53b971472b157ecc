#include "mta/daemon/queue_admin.h"

#include <sysexits.h>

#include <cstdio>
#include <iostream>

#include <fmt/format.h>

#include "common/config/config.h"
#include "common/store/outgoing_queue.h"
#include "common/store/store.h"
#include "common/sys/clock.h"
#include "mta/queue/queue_listing.h"
#include "mta/queue/wakeup.h"

namespace pigeon::mta::daemon {
namespace {

int Fail(std::string_view message, int status) {
  std::cerr << "pigeond: " << message << "\n";
  return status;
}

int StatusFor(const Error& error) {
  return error.code == ErrorCode::kBusy || error.code == ErrorCode::kNoSpace ? EX_TEMPFAIL
                                                                             : EX_IOERR;
}

}  // namespace

int RunQueueCommand(const QueueCommand& command) {
  const std::string path =
      command.config_path.empty() ? config::DefaultConfigPath() : command.config_path;
  Result<config::Config> config = config::LoadConfig(path, command.config_named);
  if (!config) return Fail(config.error().message, EX_CONFIG);
  sys::SystemClock clock;
  Result<std::unique_ptr<store::Store>> store = store::Store::Open(config->store_path, clock);
  if (!store) return Fail(store.error().message, StatusFor(store.error()));
  store::OutgoingQueue queue(**store);
  const int64_t now = clock.NowUtcSeconds();

  if (command.action == "list") {
    Result<std::vector<store::QueuedMessage>> messages = queue.List();
    if (!messages) return Fail(messages.error().message, StatusFor(messages.error()));
    std::cout << queue::FormatQueueListing(*messages, clock.LocalOffsetMinutes(now));
    return 0;
  }
  if (command.action == "flush") {
    Result<int64_t> due = queue.Requeue("", now);
    if (!due) return Fail(due.error().message, StatusFor(due.error()));
    const bool woken = queue::SendWakeup(config->store_path);
    std::cout << fmt::format("{} recipients due now{}\n", *due,
                             woken ? "" : " (pigeond is not running: they go out when it starts)");
    return 0;
  }

  // The per-message actions take ids, or ALL.
  std::vector<std::string> ids = command.ids;
  if (ids.empty())
    return Fail(fmt::format("queue {}: name queue ids, or ALL", command.action), EX_USAGE);
  if (ids.size() == 1 && ids.front() == "ALL" &&
      (command.action == "hold" || command.action == "release" || command.action == "requeue")) {
    // One statement for the whole queue, not one per message.
    Result<int64_t> changed = command.action == "requeue" ? queue.Requeue("", now)
                                                          : queue.HoldAll(command.action == "hold");
    if (changed && command.action == "release") changed = queue.Requeue("", now);
    if (!changed) return Fail(changed.error().message, StatusFor(changed.error()));
    std::cout << fmt::format("queue {}: done for every message\n", command.action);
    if (command.action != "hold") queue::SendWakeup(config->store_path);
    return 0;
  }
  if (ids.size() == 1 && ids.front() == "ALL") {
    Result<std::vector<store::QueuedMessage>> messages = queue.List();
    if (!messages) return Fail(messages.error().message, StatusFor(messages.error()));
    ids.clear();
    for (const store::QueuedMessage& message : *messages) ids.push_back(message.queue_id);
  }
  int status = 0;
  int done = 0;
  for (const std::string& id : ids) {
    Result<bool> found = false;
    if (command.action == "hold") {
      found = queue.Hold(id, true);
    } else if (command.action == "release") {
      found = queue.Hold(id, false);
      if (found && *found) found = queue.Requeue(id, now).map([](int64_t) { return true; });
    } else if (command.action == "delete") {
      found = queue.Remove(id);
    } else if (command.action == "requeue") {
      Result<std::optional<store::QueuedMessage>> message = queue.Find(id);
      found = message ? Result<bool>(message->has_value()) : tl::unexpected(message.error());
      if (found && *found) found = queue.Requeue(id, now).map([](int64_t) { return true; });
    } else {
      return Fail(fmt::format("unknown queue action '{}'", command.action), EX_USAGE);
    }
    if (!found) return Fail(found.error().message, StatusFor(found.error()));
    if (!*found) {
      std::cerr << "pigeond: no message " << id << " in the queue\n";
      status = EX_DATAERR;
      continue;
    }
    ++done;
  }
  const std::string_view past = command.action == "hold"      ? "held"
                                : command.action == "release" ? "released"
                                : command.action == "delete"  ? "deleted"
                                                              : "requeued";
  std::cout << fmt::format("{} message{} {}\n", done, done == 1 ? "" : "s", past);
  if (done > 0 && command.action != "hold" && command.action != "delete") {
    queue::SendWakeup(config->store_path);
  }
  return status;
}

}  // namespace pigeon::mta::daemon
