// See server.h.
#include "mta/server/server.h"

#include <openssl/ssl.h>

#include <fmt/format.h>

#include "mta/server/connection.h"

namespace pigeon::mta::server {

bool AuthThrottle::Blocked(const std::string& address) {
  auto found = failures_.find(address);
  if (found == failures_.end()) return false;
  const int64_t since = clock_.NowUtcSeconds() - window_.count();
  std::erase_if(found->second, [since](int64_t when) { return when < since; });
  if (found->second.empty()) {
    failures_.erase(found);
    return false;
  }
  return static_cast<int>(found->second.size()) >= max_failures_;
}

void AuthThrottle::Failed(const std::string& address) {
  if (failures_.size() > 100'000) failures_.clear();  // bounded memory under a wide attack
  failures_[address].push_back(clock_.NowUtcSeconds());
}

Server::Server(asio::io_context& io, std::shared_ptr<const Runtime> runtime,
               const sys::Clock& clock, sys::Logger& log)
    : io_(io),
      runtime_(std::move(runtime)),
      clock_(clock),
      log_(log),
      auth_throttle_(clock, 10, std::chrono::minutes(10)) {}

Server::~Server() = default;

namespace {

Result<asio::ip::tcp::endpoint> EndpointOf(const config::ListenAddress& listen) {
  asio::error_code error;
  asio::ip::address address = asio::ip::make_address(listen.host, error);
  if (error) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("listen address {}: not an IP address", listen.host));
  }
  return asio::ip::tcp::endpoint(address, listen.port);
}

}  // namespace

Result<void> Server::Bind() {
  const config::SmtpdConfig& smtpd = runtime_->config.smtpd;
  auto open = [&](const config::ListenAddress& listen, bool submission) -> Result<void> {
    Result<asio::ip::tcp::endpoint> endpoint = EndpointOf(listen);
    if (!endpoint) return tl::unexpected(endpoint.error());
    asio::ip::tcp::acceptor acceptor(io_);
    asio::error_code error;
    acceptor.open(endpoint->protocol(), error);
    if (!error) acceptor.set_option(asio::ip::tcp::acceptor::reuse_address(true), error);
    if (!error && endpoint->address().is_v6()) acceptor.set_option(asio::ip::v6_only(true), error);
    if (!error) acceptor.bind(*endpoint, error);
    if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
    if (error) {
      return MakeError(ErrorCode::kIo, fmt::format("cannot listen on [{}]:{}: {}", listen.host,
                                                   listen.port, error.message()));
    }
    listeners_.push_back(std::make_unique<Listener>(Listener{std::move(acceptor), submission}));
    return {};
  };
  for (const config::ListenAddress& listen : smtpd.listen) {
    if (Result<void> done = open(listen, false); !done) return done;
  }
  for (const config::ListenAddress& listen : smtpd.submission) {
    if (Result<void> done = open(listen, true); !done) return done;
  }
  return {};
}

Result<void> Server::LoadTls() {
  const config::SmtpdConfig& smtpd = runtime_->config.smtpd;
  if (smtpd.tls_certificate.empty()) {
    tls_.reset();
    return {};
  }
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(
      native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);  // idle TLS sessions hold no buffers
  asio::error_code error;
  context->use_certificate_chain_file(smtpd.tls_certificate, error);
  if (error) {
    return MakeError(ErrorCode::kIo,
                     fmt::format("TLS certificate {}: {}", smtpd.tls_certificate, error.message()));
  }
  context->use_private_key_file(smtpd.tls_key, asio::ssl::context::pem, error);
  if (error) {
    return MakeError(ErrorCode::kIo, fmt::format("TLS key {}: {}", smtpd.tls_key, error.message()));
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("TLS key {} does not match the certificate {}", smtpd.tls_key,
                                 smtpd.tls_certificate));
  }
  tls_ = std::move(context);
  return {};
}

void Server::Start(DeliveryWriter& writer) {
  writer_ = &writer;
  for (auto& listener : listeners_) {
    asio::co_spawn(io_, AcceptLoop(*listener), asio::detached);
  }
}

std::vector<Server::Bound> Server::bound() const {
  std::vector<Bound> out;
  for (const auto& listener : listeners_) {
    asio::error_code error;
    out.push_back({listener->acceptor.local_endpoint(error), listener->submission});
  }
  return out;
}

void Server::Reload(std::shared_ptr<const Runtime> runtime) { runtime_ = std::move(runtime); }

void Server::Stop() {
  stopping_ = true;
  for (auto& listener : listeners_) {
    asio::error_code ignored;
    listener->acceptor.close(ignored);
  }
  for (Connection* connection : connections_) connection->Interrupt();
}

void Server::Forget(Connection* connection) {
  connections_.erase(connection);
  auto count = per_address_.find(connection->address());
  if (count != per_address_.end() && --count->second == 0) per_address_.erase(count);
}

asio::awaitable<void> Server::AcceptLoop(Listener& listener) {
  while (!stopping_) {
    auto [error, socket] =
        co_await listener.acceptor.async_accept(asio::experimental::as_tuple(asio::use_awaitable));
    if (stopping_) break;
    if (error) {
      // Out of descriptors and the like: say so and breathe, rather than spin.
      log_.Warning(fmt::format("accept: {}", error.message()));
      asio::steady_timer pause(io_, std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::use_awaitable);
      continue;
    }
    const config::SmtpdConfig& smtpd = runtime_->config.smtpd;
    smtp::PeerInfo peer = PeerOf(socket);
    size_t& from_address = per_address_[peer.address];
    std::optional<std::string> refusal;
    if (connections_.size() >= smtpd.max_connections) {
      refusal = "421 4.7.0 Too many connections, try again later";
    } else if (from_address >= smtpd.max_connections_per_ip) {
      refusal = "421 4.7.0 Too many connections from your address, try again later";
    }
    auto connection =
        std::make_shared<Connection>(*this, std::move(socket), std::move(peer), listener.submission,
                                     next_connection_id_++, std::move(refusal));
    ++from_address;
    connections_.insert(connection.get());
    asio::co_spawn(io_, connection->Run(), asio::detached);
  }
}

}  // namespace pigeon::mta::server
