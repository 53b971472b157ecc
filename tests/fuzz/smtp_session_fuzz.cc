// Fuzzes a whole ESMTP session with a fake daemon behind it. Input: one byte of settings,
// two of chunking seed, then what the client sends. Invariants: no crash; the session reads
// nothing while it waits for a delivery or a TLS handshake (so never two deliveries without
// Delivered(), and nothing past STARTTLS in the clear); every reply line is "DDD SP/- text"
// with CRLF, at most 512 octets, without control bytes; every message starts with our
// Received field and respects the size limit; and feeding the bytes in pieces gives exactly
// the same replies and messages as feeding them whole.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mta/smtp/session.h"

using pigeon::mta::smtp::PeerInfo;
using pigeon::mta::smtp::RecipientVerdict;
using pigeon::mta::smtp::Session;
using pigeon::mta::smtp::SessionHooks;
using pigeon::mta::smtp::SessionSettings;
using Want = Session::Want;

namespace {

class FakeHooks : public SessionHooks {
 public:
  RecipientVerdict CheckRecipient(std::string_view address,
                                  const std::optional<std::string>& user) override {
    if (user || address.starts_with("a")) return {true, ""};
    // Refusals as a careless daemon might write them: with line breaks, or malformed.
    if (address.starts_with("b")) return {false, "550 5.1.1 <" + std::string(address) + ">\r\n"};
    if (address.starts_with("c")) return {false, "oops"};
    return {false, "550 5.7.1 Relay access denied"};
  }
  bool CheckPassword(std::string_view user, std::string_view password) override {
    return user == "u" && password == "p";
  }
  std::string NewQueueId() override { return "Q" + std::to_string(++ids); }
  std::string Now() override { return "Tue, 14 Nov 2023 22:13:20 +0000"; }
  void Note(std::string_view) override {}
  int ids = 0;
};

struct Transcript {
  std::string output;
  std::vector<std::string> messages;
  std::vector<std::string> senders;
  int accepted = 0;
};

bool operator==(const Transcript& a, const Transcript& b) {
  return a.output == b.output && a.messages == b.messages && a.senders == b.senders &&
         a.accepted == b.accepted;
}

// seed == 0: one piece; otherwise chunks of 1..64 bytes from a xorshift sequence.
Transcript Run(const SessionSettings& settings, std::string_view input, uint32_t seed) {
  FakeHooks hooks;
  Session session(settings, PeerInfo{.address = "192.0.2.1"}, hooks);
  session.Start();
  Transcript t;
  std::string buffer;
  size_t fed = 0;
  bool fail_next_delivery = false;
  while (session.want() != Want::kClose) {
    if (session.want() == Want::kInput) {
      if (fed == input.size()) break;
      size_t n = input.size() - fed;
      if (seed != 0) {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        n = std::min<size_t>(n, 1 + seed % 64);
      }
      buffer.append(input.substr(fed, n));
      fed += n;
      const size_t used = session.Consume(buffer);
      if (used > buffer.size()) std::abort();
      buffer.erase(0, used);
      continue;
    }
    if (!buffer.empty() && session.Consume(buffer) != 0) std::abort();  // waits for us
    if (session.want() == Want::kDeliver) {
      std::string message = session.TakeMessage();
      if (!message.starts_with("Received: from")) std::abort();
      if (message.size() > settings.max_message_size + 2048) std::abort();
      t.senders.push_back(session.envelope().sender);
      if (session.envelope().recipients.empty()) std::abort();
      t.messages.push_back(std::move(message));
      session.Delivered(fail_next_delivery ? std::optional<std::string>("451 4.3.0 disk")
                                           : std::nullopt);
      fail_next_delivery = !fail_next_delivery;
    } else {  // kStartTls: what follows is taken as if it came through TLS
      session.TlsStarted({"TLSv1.3", "TLS_AES_128_GCM_SHA256"});
    }
    // Whatever was left in the buffer is read now.
    const size_t used = session.Consume(buffer);
    if (used > buffer.size()) std::abort();
    buffer.erase(0, used);
  }
  session.TimedOut();
  t.output = session.TakeOutput();
  t.accepted = session.messages_accepted();
  return t;
}

void CheckReplies(std::string_view output) {
  while (!output.empty()) {
    const size_t end = output.find("\r\n");
    if (end == std::string_view::npos || end + 2 > 512 || end < 3) std::abort();
    const std::string_view line = output.substr(0, end);
    for (int i = 0; i < 3; ++i) {
      if (line[i] < '0' || line[i] > '9') std::abort();
    }
    if (line.size() > 3 && line[3] != ' ' && line[3] != '-') std::abort();
    for (char c : line) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte == 0x7f) std::abort();
    }
    output.remove_prefix(end + 2);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  SessionSettings settings{.hostname = "mx.example.org"};
  settings.submission = data[0] & 1;
  settings.tls_available = data[0] & 2;
  settings.auth_requires_tls = data[0] & 4;
  settings.max_message_size = 64 + (data[0] >> 3) * 64;
  settings.max_recipients = 3;
  settings.max_received_headers = 2;
  settings.max_auth_failures = 2;
  settings.max_bad_commands = 8;
  const uint32_t seed = 1 + data[1] + (uint32_t{data[2]} << 8);
  const std::string_view input(reinterpret_cast<const char*>(data) + 3, size - 3);

  const Transcript whole = Run(settings, input, 0);
  CheckReplies(whole.output);
  if (!(Run(settings, input, seed) == whole)) std::abort();
  return 0;
}
