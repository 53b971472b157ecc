// See connection.h.
#include "mta/server/connection.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <chrono>

#include <fmt/format.h>

#include "common/message/date.h"
#include "mta/auth/password.h"
#include "mta/server/server.h"

namespace pigeon::mta::server {
namespace {

using asio::use_awaitable;
using asio::experimental::as_tuple;
using namespace asio::experimental::awaitable_operators;

constexpr size_t kReadChunk = 4096;
// Unconsumed input beyond this means the session is not making progress (it consumes every
// complete line, and skips over-long ones): close rather than buffer without bound.
constexpr size_t kMaxUnconsumed = 64 * 1024;

smtp::SessionSettings SettingsFor(const config::Config& config, bool submission, bool tls) {
  smtp::SessionSettings settings;
  settings.hostname = config.smtpd.hostname;
  settings.submission = submission;
  settings.tls_available = tls;
  settings.max_message_size = config.smtpd.max_message_size;
  settings.max_recipients = config.smtpd.max_recipients;
  return settings;
}

// The copies and remote recipients of one message: one copy per folder (the store keeps one
// per folder anyway), with the keywords of every recipient that leads there.
void AddRoute(const policy::Route& route, DeliveryJob& job) {
  for (const policy::LocalDelivery& local : route.local) {
    auto copy = std::find_if(job.copies.begin(), job.copies.end(),
                             [&](const FolderCopy& copy) { return copy.folder == local.folder; });
    if (copy == job.copies.end()) {
      job.copies.push_back({local.folder, local.keywords});
      continue;
    }
    for (const std::string& keyword : local.keywords) {
      if (std::find(copy->keywords.begin(), copy->keywords.end(), keyword) ==
          copy->keywords.end()) {
        copy->keywords.push_back(keyword);
      }
    }
  }
  for (const std::string& remote : route.remote) {
    if (std::find(job.remote_recipients.begin(), job.remote_recipients.end(), remote) ==
        job.remote_recipients.end()) {
      job.remote_recipients.push_back(remote);
    }
  }
}

// Client-supplied text for a log line: no control bytes (log injection), bounded length.
std::string SafeForLog(std::string_view text, size_t limit = 256) {
  std::string out;
  for (char c : text.substr(0, limit)) {
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  return out;
}

}  // namespace

smtp::PeerInfo PeerOf(const asio::ip::tcp::socket& socket) {
  smtp::PeerInfo peer;
  asio::error_code error;
  asio::ip::tcp::endpoint remote = socket.remote_endpoint(error);
  if (!error) {
    asio::ip::address address = remote.address();
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
      address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
    }
    peer.address = address.to_string();
    peer.port = remote.port();
  }
  return peer;
}

Connection::Connection(Server& server, asio::ip::tcp::socket socket, smtp::PeerInfo peer,
                       bool submission, uint64_t id, std::optional<std::string> refusal)
    : server_(server),
      runtime_(server.runtime_),
      tls_context_(server.tls_),
      socket_(std::move(socket)),
      submission_(submission),
      id_(id),
      refusal_(std::move(refusal)),
      peer_(std::move(peer)),
      session_(SettingsFor(runtime_->config, submission, tls_context_ != nullptr), peer_, *this) {}

Connection::~Connection() = default;

std::string Connection::Describe() const {
  return fmt::format("#{} [{}]:{}", id_, peer_.address, peer_.port);
}

std::chrono::seconds Connection::Timeout() const {
  return session_.in_data() ? runtime_->config.smtpd.data_timeout
                            : runtime_->config.smtpd.command_timeout;
}

void Connection::Interrupt() {
  interrupted_ = true;
  asio::error_code ignored;
  socket_.cancel(ignored);
}

asio::awaitable<void> Connection::Run() {
  auto self = shared_from_this();
  server_.log_.Info(fmt::format("connect {}{}", Describe(), submission_ ? " (submission)" : ""));
  session_.Start(refusal_);
  for (bool open = true; open;) {
    switch (session_.want()) {
      case smtp::Session::Want::kInput: {
        if (!input_.empty()) {
          input_.erase(0, session_.Consume(input_));
          if (session_.want() != smtp::Session::Want::kInput) break;
          if (input_.size() > kMaxUnconsumed) {
            Note("unconsumed input past 64 KB: closing");
            open = false;
            break;
          }
        }
        // Every complete line is answered: send the replies (RFC 2920 §3.2) and read on.
        if (!co_await Flush()) {
          open = false;
          break;
        }
        if (interrupted_ || server_.stopping_) {
          session_.ShuttingDown();
          break;
        }
        switch (co_await Read()) {
          case ReadOutcome::kData:
            break;
          case ReadOutcome::kTimeout:
            Note("timeout");
            session_.TimedOut();
            break;
          case ReadOutcome::kInterrupted:
            session_.ShuttingDown();
            break;
          case ReadOutcome::kClosed:
            open = false;
            break;
        }
        break;
      }
      case smtp::Session::Want::kDeliver:
        co_await Deliver();
        break;
      case smtp::Session::Want::kStartTls:
        if (!co_await Flush() || !co_await StartTls()) open = false;
        break;
      case smtp::Session::Want::kClose:
        co_await Flush();
        open = false;
        break;
    }
  }
  asio::error_code ignored;
  if (tls_) {
    // A short close_notify; no waiting for the peer's.
    SSL_shutdown(tls_->native_handle());
  }
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  server_.log_.Info(
      fmt::format("disconnect {} messages={}", Describe(), session_.messages_accepted()));
  server_.Forget(this);
}

asio::awaitable<Connection::ReadOutcome> Connection::Read() {
  char chunk[kReadChunk];
  asio::steady_timer timer(socket_.get_executor(), Timeout());
  std::variant<std::tuple<asio::error_code, size_t>, std::tuple<asio::error_code>> result;
  if (tls_) {
    result = co_await (tls_->async_read_some(asio::buffer(chunk), as_tuple(use_awaitable)) ||
                       timer.async_wait(as_tuple(use_awaitable)));
  } else {
    result = co_await (socket_.async_read_some(asio::buffer(chunk), as_tuple(use_awaitable)) ||
                       timer.async_wait(as_tuple(use_awaitable)));
  }
  if (result.index() == 1) co_return ReadOutcome::kTimeout;
  auto [error, size] = std::get<0>(result);
  if (error == asio::error::operation_aborted && interrupted_) co_return ReadOutcome::kInterrupted;
  if (error) co_return ReadOutcome::kClosed;
  input_.append(chunk, size);
  co_return ReadOutcome::kData;
}

asio::awaitable<bool> Connection::Flush() {
  std::string output = session_.TakeOutput();
  if (output.empty()) co_return true;
  asio::steady_timer timer(socket_.get_executor(), runtime_->config.smtpd.command_timeout);
  std::variant<std::tuple<asio::error_code, size_t>, std::tuple<asio::error_code>> result;
  if (tls_) {
    result = co_await (asio::async_write(*tls_, asio::buffer(output), as_tuple(use_awaitable)) ||
                       timer.async_wait(as_tuple(use_awaitable)));
  } else {
    result = co_await (asio::async_write(socket_, asio::buffer(output), as_tuple(use_awaitable)) ||
                       timer.async_wait(as_tuple(use_awaitable)));
  }
  co_return result.index() == 0 && !std::get<0>(std::get<0>(result));
}

asio::awaitable<bool> Connection::StartTls() {
  // Bytes the client sent after STARTTLS in the clear are never executed (STARTTLS injection).
  input_.clear();
  tls_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket&>>(socket_, *tls_context_);
  asio::steady_timer timer(socket_.get_executor(), runtime_->config.smtpd.command_timeout);
  auto result =
      co_await (tls_->async_handshake(asio::ssl::stream_base::server, as_tuple(use_awaitable)) ||
                timer.async_wait(as_tuple(use_awaitable)));
  if (result.index() != 0 || std::get<0>(std::get<0>(result))) {
    Note("TLS handshake failed");
    session_.TlsFailed();
    tls_.reset();
    co_return false;
  }
  SSL* ssl = tls_->native_handle();
  smtp::TlsInfo info{SSL_get_version(ssl), SSL_get_cipher_name(ssl)};
  server_.log_.Info(fmt::format("{}: TLS {} {}", Describe(), info.version, info.cipher));
  session_.TlsStarted(std::move(info));
  co_return true;
}

asio::awaitable<void> Connection::Deliver() {
  const smtp::Envelope& envelope = session_.envelope();
  auto owned_job = std::make_unique<DeliveryJob>();
  DeliveryJob& job = *owned_job;
  job.message = session_.TakeMessage();
  job.queue_id = envelope.queue_id;
  job.sender = envelope.sender;
  job.eight_bit = envelope.eight_bit;
  job.smtputf8 = envelope.smtputf8;
  job.origin = submission_ ? "submission" : "smtp";
  const bool authenticated = envelope.authenticated_user.has_value();
  for (const std::string& recipient : envelope.recipients) {
    auto known = routes_.find(recipient);
    if (known != routes_.end()) {
      AddRoute(known->second, job);
      continue;
    }
    // Accepted at RCPT but not remembered (never expected): route it again, and never drop
    // an accepted recipient: the owner's INBOX is the fallback.
    auto route = runtime_->policy.Resolve(recipient, authenticated);
    AddRoute(route ? *route : policy::Route{{policy::LocalDelivery{}}, {}}, job);
  }
  routes_.clear();
  const size_t size = job.message.size();
  std::string recipients;
  for (const std::string& recipient : envelope.recipients) {
    recipients += (recipients.empty() ? "<" : ",<") + recipient + ">";
  }
  const std::string summary = fmt::format(
      "{}: client={} from=<{}> to={} size={} tls={}{}", job.queue_id, Describe(),
      SafeForLog(job.sender), SafeForLog(recipients, 4096), size,
      envelope.tls ? envelope.tls->version : "no",
      envelope.authenticated_user ? " user=" + SafeForLog(*envelope.authenticated_user) : "");
  std::optional<std::string> failure = co_await Commit(std::move(owned_job));
  server_.log_.Info(fmt::format("{} result={}", summary, failure ? *failure : "queued"));
  session_.Delivered(std::move(failure));
}

// Hands `job` to the writer thread; completes on the handler's executor with the outcome.
// The job travels as a unique_ptr: GCC 12 miscompiles objects moved into lambda captures
// inside co_await expressions (strings ended up pointing into the coroutine frame).
struct SubmitToWriter {
  DeliveryWriter* writer;
  template <typename Handler>
  void operator()(Handler&& handler, std::unique_ptr<DeliveryJob> job) const {
    auto executor = asio::get_associated_executor(handler);
    auto shared = std::make_shared<std::decay_t<Handler>>(std::forward<Handler>(handler));
    job->done = [executor, shared](std::optional<std::string> failure) {
      asio::post(executor, [shared, failure = std::move(failure)]() mutable {
        (*shared)(std::move(failure));
      });
    };
    writer->Submit(std::move(*job));
  }
};

asio::awaitable<std::optional<std::string>> Connection::Commit(std::unique_ptr<DeliveryJob> job) {
  co_return co_await asio::async_initiate<decltype(use_awaitable),
                                          void(std::optional<std::string>)>(
      SubmitToWriter{server_.writer_}, use_awaitable, std::move(job));
}

smtp::RecipientVerdict Connection::CheckRecipient(
    std::string_view address, const std::optional<std::string>& authenticated_user) {
  auto route = runtime_->policy.Resolve(address, authenticated_user.has_value());
  if (!route) return {false, route.error().reply};
  if (routes_.size() < 10'000) routes_.insert_or_assign(std::string(address), std::move(*route));
  return {true, ""};
}

bool Connection::CheckPassword(std::string_view user, std::string_view password) {
  if (server_.auth_throttle_.Blocked(peer_.address)) {
    Note("AUTH refused: too many failures from this address");
    return false;
  }
  for (const config::Account& account : runtime_->config.smtpd.accounts) {
    if (account.user == user && auth::VerifyPassword(password, account.password_hash)) {
      server_.log_.Info(fmt::format("{}: AUTH user={}", Describe(), SafeForLog(user)));
      return true;
    }
  }
  server_.auth_throttle_.Failed(peer_.address);
  Note(fmt::format("AUTH failed for user={}", SafeForLog(user)));
  return false;
}

std::string Connection::NewQueueId() {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return server_.queue_ids_.Next(micros.count());
}

std::string Connection::Now() {
  const int64_t now = server_.clock_.NowUtcSeconds();
  return message::FormatRfc5322Date(now, server_.clock_.LocalOffsetMinutes(now));
}

void Connection::Note(std::string_view event) {
  server_.log_.Info(fmt::format("{}: {}", Describe(), event));
}

}  // namespace pigeon::mta::server
