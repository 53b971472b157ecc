// One SMTP connection of pigeond: moves bytes between the socket (plain or TLS) and the
// session state machine, enforces timeouts, answers the session's questions (recipients,
// passwords, queue ids) and hands accepted messages to the DeliveryWriter.
#pragma once

#include <asio.hpp>
#include <asio/ssl.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "mta/policy/recipient_policy.h"
#include "mta/server/delivery_writer.h"
#include "mta/server/runtime.h"
#include "mta/smtp/session.h"

namespace pigeon::mta::server {

class Server;

// The peer of a connected socket; IPv4-mapped IPv6 addresses are given as IPv4.
smtp::PeerInfo PeerOf(const asio::ip::tcp::socket& socket);

class Connection : public std::enable_shared_from_this<Connection>, private smtp::SessionHooks {
 public:
  // `refusal`: a reply to give instead of the greeting (too many connections).
  Connection(Server& server, asio::ip::tcp::socket socket, smtp::PeerInfo peer, bool submission,
             uint64_t id, std::optional<std::string> refusal);
  ~Connection() override;

  asio::awaitable<void> Run();
  // Ends a connection waiting for input (the daemon stops): 421, then close.
  void Interrupt();
  const std::string& address() const { return peer_.address; }

 private:
  enum class ReadOutcome { kData, kTimeout, kClosed, kInterrupted };
  asio::awaitable<ReadOutcome> Read();
  asio::awaitable<bool> Flush();
  asio::awaitable<bool> StartTls();
  asio::awaitable<void> Deliver();
  asio::awaitable<std::optional<std::string>> Commit(std::unique_ptr<DeliveryJob> job);
  std::chrono::seconds Timeout() const;
  std::string Describe() const;  // "host[192.0.2.1]:port" for the log

  // smtp::SessionHooks
  smtp::RecipientVerdict CheckRecipient(
      std::string_view address, const std::optional<std::string>& authenticated_user) override;
  bool CheckPassword(std::string_view user, std::string_view password) override;
  std::string NewQueueId() override;
  std::string Now() override;
  void Note(std::string_view event) override;

  Server& server_;
  std::shared_ptr<const Runtime> runtime_;
  std::shared_ptr<asio::ssl::context> tls_context_;
  asio::ip::tcp::socket socket_;
  std::unique_ptr<asio::ssl::stream<asio::ip::tcp::socket&>> tls_;
  const bool submission_;
  const uint64_t id_;
  std::optional<std::string> refusal_;
  smtp::PeerInfo peer_;
  std::map<std::string, policy::Route> routes_;  // accepted recipients of this connection
  std::string input_;
  bool interrupted_ = false;
  smtp::Session session_;  // last: its hooks are this object
};

}  // namespace pigeon::mta::server
