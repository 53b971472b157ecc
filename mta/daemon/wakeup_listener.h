// pigeond's end of the wakeup socket (mta/queue/wakeup.h): a datagram socket next to the
// store on pigeond's I/O thread; each datagram's byte says what to do.
#pragma once

#include <functional>
#include <string>

#include <asio.hpp>

#include "common/util/result.h"
#include "mta/queue/wakeup.h"

namespace pigeon::mta::daemon {

class WakeupListener {
 public:
  WakeupListener(asio::io_context& io, std::string store_path,
                 std::function<void(queue::Wakeup)> on_wakeup);
  ~WakeupListener();
  // Binds the socket (replacing a stale one) and starts listening.
  Result<void> Start();
  void Stop();

 private:
  void Receive();

  asio::local::datagram_protocol::socket socket_;
  std::string path_;
  std::function<void(queue::Wakeup)> on_wakeup_;
  char byte_ = 0;
  bool bound_ = false;
};

}  // namespace pigeon::mta::daemon
