// pigeond's queue manager: takes due recipients from the store's outgoing queue, groups them
// by destination, delivers them on a pool of delivery threads (bounded in total and per
// destination; one connection carries many messages), and writes each outcome back: delivered,
// bounced (with an RFC 3464 bounce to the sender, in the same transaction), or deferred until
// the next try of the retry schedule (with a delay warning once the message has waited long).
//
// Crash safety: a recipient is "inflight" while a thread works on it; after a crash Start()
// puts such recipients back in the queue, so delivery is at-least-once.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/config/config.h"
#include "common/store/outgoing_queue.h"
#include "common/store/store.h"
#include "common/sys/clock.h"
#include "common/sys/log.h"
#include "mta/delivery/destination.h"
#include "mta/delivery/transport.h"
#include "mta/dns/resolver.h"
#include "mta/policy/recipient_policy.h"
#include "mta/queue/backoff.h"
#include "mta/queue/queue_id.h"

namespace pigeon::mta::delivery {

struct QueueRunnerSetup {
  config::Config config;
  // The recipient policy in force (it changes on reload): routes bounces to local senders.
  std::function<std::shared_ptr<const policy::RecipientPolicy>()> policy;
  // One resolver per delivery thread (resolvers are not shared between threads).
  std::function<Result<std::unique_ptr<dns::Resolver>>()> make_resolver;
  std::unique_ptr<Connector> connector;
};

class QueueRunner {
 public:
  QueueRunner(QueueRunnerSetup setup, const sys::Clock& clock, sys::Logger& log);
  ~QueueRunner();  // Stop()
  QueueRunner(const QueueRunner&) = delete;
  QueueRunner& operator=(const QueueRunner&) = delete;

  // Opens the store, returns inflight recipients to the queue, starts the threads.
  Result<void> Start();
  // The queue changed (a new message, a flush): look now rather than at the next tick.
  void Wake();
  // Lets running connections finish their current exchange, writes their outcomes, stops.
  void Stop();

 private:
  struct Finished {
    std::string destination;
    std::vector<RecipientResult> results;
  };

  void RunManager();
  void RunWorker(size_t index);
  // Claims due recipients and turns them into jobs; false when nothing was due.
  bool ClaimWork(store::OutgoingQueue& queue, int64_t now);
  void Dispatch();
  void RecordResults(store::Store& store, store::OutgoingQueue& queue,
                     std::vector<Finished> finished);
  std::vector<store::IncomingMessage> Notices(store::Store& store,
                                              const std::vector<RecipientResult>& bounced,
                                              const std::vector<RecipientResult>& delayed,
                                              int64_t now);
  DestinationOptions OptionsFor(bool relay) const;

  QueueRunnerSetup setup_;
  const sys::Clock& clock_;
  sys::Logger& log_;
  queue::Backoff backoff_;
  queue::QueueIdSource queue_ids_;  // manager thread only
  std::unique_ptr<store::Store> store_;

  // What the manager knows of claimed recipients, by recipient id (manager thread only).
  std::map<int64_t, store::QueuedMessage> claimed_;  // message snapshot, one recipient each
  // The bytes of messages with claimed recipients, by queue id, kept while any is claimed.
  struct InFlightBody {
    std::shared_ptr<const std::string> bytes;
    size_t recipients = 0;
  };
  std::map<std::string, InFlightBody> bodies_;
  std::deque<std::string> notice_texts_;  // the bytes of the notices being recorded

  std::mutex mutex_;
  std::condition_variable manager_wake_, worker_wake_;
  bool stopping_ = false;             // guarded
  bool woken_ = false;                // guarded
  bool workers_gone_ = false;         // guarded: every worker has returned
  std::deque<DestinationJob> ready_;  // guarded: jobs for the workers
  std::map<std::string, std::deque<DestinationJob>>
      waiting_;                           // guarded: over the per-destination limit
  std::map<std::string, size_t> active_;  // guarded: jobs per destination, ready or running
  std::vector<Finished> finished_;        // guarded

  std::thread manager_;
  std::vector<std::thread> workers_;
};

}  // namespace pigeon::mta::delivery
