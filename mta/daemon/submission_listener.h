// pigeond's end of the submission hand-off (mta/submit/handoff.h): a stream socket next to
// the store, served on the I/O thread; each request runs the one submission path
// (mta/submit/submitter.h) on the store writer's thread, between its batches, and is answered
// after its durable commit.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <asio.hpp>

#include "common/sys/clock.h"
#include "common/sys/log.h"
#include "common/util/result.h"
#include "mta/queue/queue_id.h"
#include "mta/server/delivery_writer.h"
#include "mta/server/runtime.h"

namespace pigeon::mta::daemon {

struct SubmissionListenerSetup {
  std::string store_path;
  // The configuration and recipient policy in force (replaced on reload).
  std::function<std::shared_ptr<const server::Runtime>()> runtime;
  server::DeliveryWriter* writer = nullptr;
  std::function<void()> wake_queue;  // after a commit that queued remote recipients
  size_t max_requests = 16;          // at once; more are closed unanswered (the sender writes
                                     // the store itself)
  int timeout_seconds = 60;          // to receive one request
};

class SubmissionListener {
 public:
  SubmissionListener(asio::io_context& io, SubmissionListenerSetup setup, const sys::Clock& clock,
                     sys::Logger& log);
  ~SubmissionListener();
  // Binds the socket (replacing a stale one) and starts accepting.
  Result<void> Start();
  // Stops accepting; requests already taken are answered (the I/O loop runs until then).
  void Stop();

 private:
  class Request;

  void Accept();

  asio::io_context& io_;
  SubmissionListenerSetup setup_;
  const sys::Clock& clock_;
  sys::Logger& log_;
  asio::local::stream_protocol::acceptor acceptor_;
  std::string path_;
  bool bound_ = false;
  size_t active_ = 0;                             // I/O thread only
  std::vector<std::weak_ptr<Request>> requests_;  // I/O thread only
  queue::QueueIdSource queue_ids_;                // writer thread only
};

}  // namespace pigeon::mta::daemon
