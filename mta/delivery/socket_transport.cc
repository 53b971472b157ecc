// Transport over a non-blocking socket: every call polls until its deadline, so a stalled
// server costs one timeout, never a stuck thread. TLS through OpenSSL on the same socket.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "mta/delivery/transport.h"

namespace pigeon::mta::delivery {
namespace {

using Clock = std::chrono::steady_clock;

int MillisLeft(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

// Waits until `fd` is ready for `events`; false on timeout, error or cancellation (looked at
// every 200 ms).
bool WaitFor(int fd, short events, Clock::time_point deadline, const std::atomic<bool>& cancelled) {
  for (;;) {
    if (cancelled.load()) return false;
    pollfd ready{fd, events, 0};
    const int left = MillisLeft(deadline);
    const int polled = poll(&ready, 1, std::min(left, 200));
    if (polled > 0) return true;
    if (polled == 0 && left <= 200) return false;
    if (polled < 0 && errno != EINTR) return false;
  }
}

std::string OpenSslErrors() {
  std::string text;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    if (!text.empty()) text += "; ";
    text += buffer;
  }
  return text.empty() ? "handshake failed" : text;
}

class SocketTransport final : public Transport {
 public:
  SocketTransport(int fd, SSL_CTX* context, const std::atomic<bool>& cancelled)
      : fd_(fd), context_(context), cancelled_(cancelled) {}
  ~SocketTransport() override {
    if (ssl_ != nullptr) SSL_free(ssl_);
    close(fd_);
  }

  ReadStatus Read(std::string& out, std::chrono::seconds timeout) override {
    const Clock::time_point deadline = Clock::now() + timeout;
    char buffer[16384];
    for (;;) {
      if (ssl_ != nullptr) {
        const int got = SSL_read(ssl_, buffer, sizeof(buffer));
        if (got > 0) {
          out.append(buffer, static_cast<size_t>(got));
          return ReadStatus::kData;
        }
        const int error = SSL_get_error(ssl_, got);
        if (error == SSL_ERROR_ZERO_RETURN) return ReadStatus::kEof;
        short events = 0;
        if (error == SSL_ERROR_WANT_READ) events = POLLIN;
        if (error == SSL_ERROR_WANT_WRITE) events = POLLOUT;
        if (events == 0) return ReadStatus::kError;
        if (!WaitFor(fd_, events, deadline, cancelled_)) return ReadStatus::kTimeout;
        continue;
      }
      const ssize_t got = recv(fd_, buffer, sizeof(buffer), 0);
      if (got > 0) {
        out.append(buffer, static_cast<size_t>(got));
        return ReadStatus::kData;
      }
      if (got == 0) return ReadStatus::kEof;
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return ReadStatus::kError;
      if (!WaitFor(fd_, POLLIN, deadline, cancelled_)) return ReadStatus::kTimeout;
    }
  }

  bool Write(std::string_view bytes, std::chrono::seconds timeout) override {
    const Clock::time_point deadline = Clock::now() + timeout;
    while (!bytes.empty()) {
      if (ssl_ != nullptr) {
        const int wrote = SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()));
        if (wrote > 0) {
          bytes.remove_prefix(static_cast<size_t>(wrote));
          continue;
        }
        const int error = SSL_get_error(ssl_, wrote);
        short events = 0;
        if (error == SSL_ERROR_WANT_READ) events = POLLIN;
        if (error == SSL_ERROR_WANT_WRITE) events = POLLOUT;
        if (events == 0 || !WaitFor(fd_, events, deadline, cancelled_)) return false;
        continue;
      }
      const ssize_t wrote = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (wrote > 0) {
        bytes.remove_prefix(static_cast<size_t>(wrote));
        continue;
      }
      if (wrote < 0 && errno == EINTR) continue;
      if (wrote < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!WaitFor(fd_, POLLOUT, deadline, cancelled_)) return false;
        continue;
      }
      return false;
    }
    return true;
  }

  TlsOutcome StartTls(const std::string& server_name, std::chrono::seconds timeout) override {
    TlsOutcome outcome;
    ssl_ = SSL_new(context_);
    if (ssl_ == nullptr) {
      outcome.detail = OpenSslErrors();
      return outcome;
    }
    SSL_set_fd(ssl_, fd_);
    const bool name_is_address = IsAddress(server_name);
    if (!name_is_address) SSL_set_tlsext_host_name(ssl_, server_name.c_str());
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl_);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (name_is_address) {
      X509_VERIFY_PARAM_set1_ip_asc(param, server_name.c_str());
    } else {
      SSL_set1_host(ssl_, server_name.c_str());
    }
    const Clock::time_point deadline = Clock::now() + timeout;
    for (;;) {
      const int done = SSL_connect(ssl_);
      if (done == 1) break;
      const int error = SSL_get_error(ssl_, done);
      short events = 0;
      if (error == SSL_ERROR_WANT_READ) events = POLLIN;
      if (error == SSL_ERROR_WANT_WRITE) events = POLLOUT;
      if (events == 0) {
        outcome.detail = OpenSslErrors();
        return outcome;
      }
      if (!WaitFor(fd_, events, deadline, cancelled_)) {
        outcome.detail = "TLS handshake timed out";
        return outcome;
      }
    }
    outcome.ok = true;
    const long verify = SSL_get_verify_result(ssl_);
    outcome.verified = verify == X509_V_OK && SSL_get0_peer_certificate(ssl_) != nullptr;
    outcome.detail =
        fmt::format("{} {}{}", SSL_get_version(ssl_), SSL_get_cipher_name(ssl_),
                    outcome.verified ? ""
                                     : fmt::format(" (certificate not verified: {})",
                                                   X509_verify_cert_error_string(verify)));
    return outcome;
  }

 private:
  static bool IsAddress(const std::string& name) {
    in6_addr any;
    return inet_pton(AF_INET, name.c_str(), &any) == 1 ||
           inet_pton(AF_INET6, name.c_str(), &any) == 1;
  }

  int fd_;
  SSL_CTX* context_;
  const std::atomic<bool>& cancelled_;
  SSL* ssl_ = nullptr;
};

class SocketConnector final : public Connector {
 public:
  explicit SocketConnector(SSL_CTX* context) : context_(context) {}
  ~SocketConnector() override { SSL_CTX_free(context_); }

  void Cancel() override { cancelled_.store(true); }

  Result<std::unique_ptr<Transport>> Connect(const ConnectRequest& request) override {
    if (cancelled_.load()) return MakeError(ErrorCode::kIo, "pigeond is stopping");
    const std::string where = fmt::format("{}[{}]:{}", request.host, request.address, request.port);
    sockaddr_storage storage{};
    socklen_t length = 0;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
    if (inet_pton(AF_INET, request.address.c_str(), &v4->sin_addr) == 1) {
      v4->sin_family = AF_INET;
      v4->sin_port = htons(request.port);
      length = sizeof(*v4);
    } else if (inet_pton(AF_INET6, request.address.c_str(), &v6->sin6_addr) == 1) {
      v6->sin6_family = AF_INET6;
      v6->sin6_port = htons(request.port);
      length = sizeof(*v6);
    } else {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("connect to {}: not a numeric address", where));
    }
    const int fd = socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      return MakeError(ErrorCode::kIo, fmt::format("connect to {}: {}", where, strerror(errno)));
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    const Clock::time_point deadline = Clock::now() + request.timeout;
    if (connect(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0 && errno != EINPROGRESS) {
      const int error = errno;
      close(fd);
      return MakeError(ErrorCode::kIo, fmt::format("connect to {}: {}", where, strerror(error)));
    }
    if (!WaitFor(fd, POLLOUT, deadline, cancelled_)) {
      close(fd);
      return MakeError(ErrorCode::kIo, fmt::format("connect to {}: Connection timed out", where));
    }
    int error = 0;
    socklen_t error_length = sizeof(error);
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &error_length);
    if (error != 0) {
      close(fd);
      return MakeError(ErrorCode::kIo, fmt::format("connect to {}: {}", where, strerror(error)));
    }
    auto transport = std::make_unique<SocketTransport>(fd, context_, cancelled_);
    if (request.implicit_tls) {
      TlsOutcome tls = transport->StartTls(request.host, request.timeout);
      if (!tls.ok) {
        return MakeError(ErrorCode::kIo, fmt::format("TLS with {}: {}", where, tls.detail));
      }
      if (!tls.verified && request.verify_implicit_tls) {
        return MakeError(ErrorCode::kIo, fmt::format("TLS with {}: {}", where, tls.detail));
      }
    }
    return transport;
  }

 private:
  SSL_CTX* context_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace

Result<std::unique_ptr<Connector>> MakeSocketConnector(const TlsSettings& settings) {
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  if (context == nullptr) return MakeError(ErrorCode::kInternal, OpenSslErrors());
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  SSL_CTX_set_mode(context, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE);
  // Verification is judged after the handshake (opportunistic TLS goes on unverified).
  SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nullptr);
  const int loaded = settings.ca_file.empty() ? SSL_CTX_set_default_verify_paths(context)
                                              : SSL_CTX_load_verify_locations(
                                                    context, settings.ca_file.c_str(), nullptr);
  if (loaded != 1) {
    SSL_CTX_free(context);
    return MakeError(ErrorCode::kIo, fmt::format("cannot load the CA certificates {}: {}",
                                                 settings.ca_file, OpenSslErrors()));
  }
  return std::unique_ptr<Connector>(std::make_unique<SocketConnector>(context));
}

}  // namespace pigeon::mta::delivery
