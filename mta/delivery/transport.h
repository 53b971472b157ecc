// The connection under an outgoing SMTP session: TCP with optional TLS (STARTTLS, or from the
// start for a relay host on port 465), blocking with a deadline on every call. An interface so
// the delivery logic can be tested against scripted servers without sockets.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/util/result.h"

namespace pigeon::mta::delivery {

enum class ReadStatus { kData, kEof, kTimeout, kError };

struct TlsOutcome {
  bool ok = false;        // the handshake succeeded
  bool verified = false;  // the chain verified and the name matched
  std::string detail;     // "TLSv1.3 TLS_AES_256_GCM_SHA384" or why it failed
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Appends what arrives to `out`.
  virtual ReadStatus Read(std::string& out, std::chrono::seconds timeout) = 0;
  virtual bool Write(std::string_view bytes, std::chrono::seconds timeout) = 0;
  // `server_name`: for SNI and the certificate's name check.
  virtual TlsOutcome StartTls(const std::string& server_name, std::chrono::seconds timeout) = 0;
};

struct ConnectRequest {
  std::string host;     // for TLS names and messages
  std::string address;  // numeric IPv4 or IPv6
  uint16_t port = 25;
  bool implicit_tls = false;        // TLS before the greeting (port 465)
  bool verify_implicit_tls = true;  // and its certificate must verify
  std::chrono::seconds timeout{30};
};

class Connector {
 public:
  virtual ~Connector() = default;
  // A failure's message reads like Postfix's: "connect to HOST[ADDR]:PORT: Connection refused".
  virtual Result<std::unique_ptr<Transport>> Connect(const ConnectRequest& request) = 0;
  // Ends every connection's waiting at once (their calls fail) and refuses new ones: for a
  // prompt stop. Thread-safe.
  virtual void Cancel() {}
};

struct TlsSettings {
  std::string ca_file;  // "" = the system's CAs
};

// The real thing: sockets and OpenSSL. Shared by the delivery threads.
Result<std::unique_ptr<Connector>> MakeSocketConnector(const TlsSettings& settings);

}  // namespace pigeon::mta::delivery
