// pigeond's network side: listening sockets (plain SMTP and submission), one coroutine per
// connection on one I/O thread (asio, C++20 coroutines), connection limits (in total and per
// client address), timeouts, STARTTLS, and the hand-over of accepted messages to the
// DeliveryWriter. The protocol itself is mta/smtp/session.h.
#pragma once

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/ssl.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/sys/clock.h"
#include "common/sys/log.h"
#include "common/util/result.h"
#include "mta/queue/queue_id.h"
#include "mta/server/delivery_writer.h"
#include "mta/server/runtime.h"

namespace pigeon::mta::server {

class Connection;

// Failed AUTH attempts per client address over a sliding window: past the limit, AUTH is
// refused without even checking the password (no password guessing at crypt speed).
class AuthThrottle {
 public:
  AuthThrottle(const sys::Clock& clock, int max_failures, std::chrono::seconds window)
      : clock_(clock), max_failures_(max_failures), window_(window) {}
  bool Blocked(const std::string& address);
  void Failed(const std::string& address);

 private:
  const sys::Clock& clock_;
  int max_failures_;
  std::chrono::seconds window_;
  std::map<std::string, std::vector<int64_t>> failures_;  // address → failure times
};

class Server {
 public:
  Server(asio::io_context& io, std::shared_ptr<const Runtime> runtime, const sys::Clock& clock,
         sys::Logger& log);
  ~Server();

  // Opens the listening sockets of the runtime's config (as root, before dropping privileges).
  Result<void> Bind();
  // Loads the TLS certificate and key, when configured (also before dropping privileges).
  Result<void> LoadTls();
  // Starts accepting; accepted messages go to `writer`, which must outlive the Server's use
  // of `io`. Connections then run on `io` until Stop().
  void Start(DeliveryWriter& writer);
  // New connections get the new runtime; running ones keep theirs.
  void Reload(std::shared_ptr<const Runtime> runtime);
  // Stops accepting; idle sessions get 421 and close; sessions waiting for a commit finish it.
  void Stop();

  // The bound addresses, submission ones flagged (tests bind port 0 and read the port here).
  struct Bound {
    asio::ip::tcp::endpoint endpoint;
    bool submission;
  };
  std::vector<Bound> bound() const;
  size_t connections() const { return connections_.size(); }

 private:
  friend class Connection;
  struct Listener {
    asio::ip::tcp::acceptor acceptor;
    bool submission;
  };
  asio::awaitable<void> AcceptLoop(Listener& listener);
  void Forget(Connection* connection);

  asio::io_context& io_;
  std::shared_ptr<const Runtime> runtime_;
  DeliveryWriter* writer_ = nullptr;
  const sys::Clock& clock_;
  sys::Logger& log_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::shared_ptr<asio::ssl::context> tls_;  // null when no certificate is configured
  std::set<Connection*> connections_;
  std::map<std::string, size_t> per_address_;
  queue::QueueIdSource queue_ids_;
  AuthThrottle auth_throttle_;
  uint64_t next_connection_id_ = 1;
  bool stopping_ = false;
};

}  // namespace pigeon::mta::server
