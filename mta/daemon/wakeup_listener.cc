#include "mta/daemon/wakeup_listener.h"

#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fmt/format.h>

namespace pigeon::mta::daemon {

WakeupListener::WakeupListener(asio::io_context& io, std::string store_path,
                               std::function<void(queue::Wakeup)> on_wakeup)
    : socket_(io), path_(queue::WakeupSocketPath(store_path)), on_wakeup_(std::move(on_wakeup)) {}

WakeupListener::~WakeupListener() { Stop(); }

Result<void> WakeupListener::Start() {
  asio::error_code error;
  socket_.open(asio::local::datagram_protocol(), error);
  // asio's endpoint throws on a path longer than sun_path; a deep store path is no reason to
  // abort, only to go without wakeups.
  if (!error && path_.size() >= sizeof(sockaddr_un::sun_path)) error = asio::error::name_too_long;
  if (!error) {
    unlink(path_.c_str());  // a stale socket of an earlier run
    socket_.bind(asio::local::datagram_protocol::endpoint(path_), error);
  }
  if (error) {
    return MakeError(ErrorCode::kIo,
                     fmt::format("cannot listen on {}: {}", path_, error.message()));
  }
  bound_ = true;
  // Anyone who may submit may wake the queue: a wakeup only makes pigeond look.
  chmod(path_.c_str(), 0666);
  Receive();
  return {};
}

void WakeupListener::Stop() {
  asio::error_code ignored;
  socket_.close(ignored);
  if (bound_) unlink(path_.c_str());
  bound_ = false;
}

void WakeupListener::Receive() {
  socket_.async_receive(asio::buffer(&byte_, 1), [this](const asio::error_code& error, size_t got) {
    if (error == asio::error::operation_aborted || !socket_.is_open()) return;
    if (!error && got == 1) {
      on_wakeup_(byte_ == static_cast<char>(queue::Wakeup::kReloadAliases)
                     ? queue::Wakeup::kReloadAliases
                     : queue::Wakeup::kQueue);
    }
    Receive();
  });
}

}  // namespace pigeon::mta::daemon
