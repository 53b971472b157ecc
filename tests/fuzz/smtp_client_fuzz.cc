// Fuzzes the SMTP client against a hostile server. Input: one byte of options (TLS policy,
// AUTH, handshake outcome, how the connection ends), one of chunking seed, then the server's
// bytes. The harness drives the machine as pigeond would, handing over up to three messages.
// Invariants: no crash and no endless loop; every command line ends with CRLF and has no
// other CR or LF; every message handed over gets exactly one outcome naming its recipients in
// order; no recipient is delivered unless the whole data, final dot included, was written.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mta/client/smtp_client.h"

using pigeon::mta::client::ClientOptions;
using pigeon::mta::client::Credentials;
using pigeon::mta::client::Fate;
using pigeon::mta::client::MessageOutcome;
using pigeon::mta::client::OutgoingMessage;
using pigeon::mta::client::SmtpClient;
using pigeon::mta::client::TlsPolicy;
using Want = SmtpClient::Want;

namespace {

const std::string kPlainBody = "Subject: a\n\n.\n..\nline\r\n.";
const std::string kEightBitBody =
    "Subject: b\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=q\n\n--q\n"
    "Content-Type: text/plain; charset=utf-8\n\ncaf\xc3\xa9\n--q\nContent-Type: image/gif\n\n"
    "\xff\xfe\n--q--\n";

std::vector<OutgoingMessage> Messages() {
  OutgoingMessage one{.sender = "a@x", .recipients = {"b@y", "c@y"}, .body = kPlainBody};
  OutgoingMessage two{
      .sender = "", .recipients = {"d@y"}, .eight_bit = true, .body = kEightBitBody};
  OutgoingMessage three{.sender = "e@x",
                        .recipients = {"f@y", "g@y", "h@y"},
                        .eight_bit = true,
                        .smtputf8 = true,
                        .body = kEightBitBody};
  return {one, two, three};
}

void CheckCommands(std::string_view out) {
  size_t pos = 0;
  while (pos < out.size()) {
    const size_t crlf = out.find("\r\n", pos);
    if (crlf == std::string_view::npos) std::abort();  // an unterminated line
    const std::string_view line = out.substr(pos, crlf - pos);
    if (line.find('\r') != std::string_view::npos || line.find('\n') != std::string_view::npos) {
      std::abort();
    }
    pos = crlf + 2;
  }
}

void CheckOutcome(const MessageOutcome& outcome, const OutgoingMessage& message,
                  bool data_written) {
  if (outcome.recipients.size() != message.recipients.size()) std::abort();
  for (size_t i = 0; i < outcome.recipients.size(); ++i) {
    if (outcome.recipients[i].recipient != message.recipients[i]) std::abort();
    if (outcome.recipients[i].fate == Fate::kDelivered && !data_written) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t flags = data[0];
  uint32_t seed = data[1] | 1u;
  const std::string_view server(reinterpret_cast<const char*>(data + 2), size - 2);

  ClientOptions options{.helo_name = "client.example", .peer_name = "mx.example[192.0.2.1]"};
  options.tls = static_cast<TlsPolicy>(flags & 3);
  if (flags & 4) options.auth = Credentials{"user", "pass"};
  options.allow_auth_without_tls = (flags & 8) != 0;
  const bool handshake_ok = (flags & 16) == 0;
  const bool verified = (flags & 32) != 0;
  const bool end_by_timeout = (flags & 64) != 0;

  const std::vector<OutgoingMessage> messages = Messages();
  SmtpClient client(options);
  client.Start();
  size_t pos = 0;
  size_t next_message = 0;
  std::optional<size_t> current;  // the message whose outcome is awaited
  bool data_written = false;
  for (int steps = 0; steps < 100000; ++steps) {
    const Want want = client.want();
    const std::string out = client.TakeOutput();
    if (want != Want::kWrite) CheckCommands(out);
    if (want == Want::kWrite && client.want() != Want::kWrite) data_written = true;
    if (std::optional<MessageOutcome> outcome = client.TakeOutcome()) {
      if (!current) std::abort();  // an outcome nobody asked for
      CheckOutcome(*outcome, messages[*current], data_written);
      current.reset();
    }
    switch (client.want()) {
      case Want::kWrite:
        continue;
      case Want::kRead: {
        if (pos >= server.size()) {
          end_by_timeout ? client.OnTimeout() : client.OnConnectionLost();
          continue;
        }
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        const size_t chunk = 1 + seed % 64;
        client.Feed(server.substr(pos, chunk));
        pos += chunk;
        continue;
      }
      case Want::kStartTls:
        client.TlsDone(handshake_ok, verified);
        continue;
      case Want::kMessage:
        if (current) std::abort();  // ready again without an outcome
        if (next_message < messages.size()) {
          current = next_message;
          data_written = false;
          client.SendMessage(messages[next_message++]);
        } else {
          client.Quit();
        }
        continue;
      case Want::kClose:
        if (current) std::abort();
        return 0;
    }
  }
  std::abort();  // the machine never finished
}
