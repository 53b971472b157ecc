// A scripted server for SmtpClient tests: the test plays the server, feeding reply bytes and
// checking what the client wrote in between.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "mta/client/smtp_client.h"

namespace pigeon::mta::client::testing {

using Want = SmtpClient::Want;

inline constexpr std::string_view kPeer = "mx.example.net[192.0.2.25]";
inline constexpr std::string_view kGreeting = "220 mx.example.net ESMTP\r\n";
// Postfix-like, with everything the client uses.
inline constexpr std::string_view kEhloFull =
    "250-mx.example.net\r\n250-PIPELINING\r\n250-SIZE 10000\r\n250-8BITMIME\r\n"
    "250-SMTPUTF8\r\n250-ENHANCEDSTATUSCODES\r\n250 CHUNKING\r\n";
// No extensions that change the transaction.
inline constexpr std::string_view kEhloBare = "250-mx.example.net\r\n250 HELP\r\n";

inline ClientOptions Options(TlsPolicy tls = TlsPolicy::kNone) {
  return {.helo_name = "client.example", .peer_name = std::string(kPeer), .tls = tls};
}

inline OutgoingMessage Message(std::vector<std::string> recipients, std::string_view body) {
  return {.sender = "ana@example.org", .recipients = std::move(recipients), .body = body};
}

class Conversation {
 public:
  explicit Conversation(ClientOptions options) : client(std::move(options)) { client.Start(); }

  // Everything the client writes now, the whole body included.
  std::string Sent() {
    std::string out = client.TakeOutput();
    while (client.want() == Want::kWrite) out += client.TakeOutput();
    return out;
  }

  // Server bytes, whole or in pieces of `chunk`.
  void Server(std::string_view bytes, size_t chunk = 0) {
    if (chunk == 0) chunk = bytes.size() + 1;
    for (size_t pos = 0; pos < bytes.size(); pos += chunk) client.Feed(bytes.substr(pos, chunk));
  }

  // Greeting and EHLO with `ehlo` as the reply: ready for a message.
  void Ready(std::string_view ehlo) {
    Server(kGreeting);
    EXPECT_EQ(Sent(), "EHLO client.example\r\n");
    Server(ehlo);
    EXPECT_EQ(client.want(), Want::kMessage);
  }

  MessageOutcome Outcome() {
    std::optional<MessageOutcome> outcome = client.TakeOutcome();
    EXPECT_TRUE(outcome.has_value());
    return outcome.value_or(MessageOutcome());
  }

  SmtpClient client;
};

inline std::vector<Fate> Fates(const MessageOutcome& outcome) {
  std::vector<Fate> fates;
  for (const RecipientOutcome& r : outcome.recipients) fates.push_back(r.fate);
  return fates;
}

inline std::vector<std::string> Replies(const MessageOutcome& outcome) {
  std::vector<std::string> replies;
  for (const RecipientOutcome& r : outcome.recipients) replies.push_back(r.reply.ToString());
  return replies;
}

}  // namespace pigeon::mta::client::testing
