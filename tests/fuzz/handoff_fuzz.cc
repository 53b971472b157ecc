// Fuzzes what pigeond reads from any local user on the submission socket, and what sendmail
// reads back: the request head and the reply line. Parsing never crashes; an accepted head
// encodes back to one that parses to the same request, and an accepted reply likewise.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "mta/submit/handoff.h"

namespace {

using pigeon::mta::submit::EncodeHandoffHead;
using pigeon::mta::submit::EncodeHandoffReply;
using pigeon::mta::submit::HandoffHead;
using pigeon::mta::submit::MessageInput;
using pigeon::mta::submit::ParseHandoffHead;
using pigeon::mta::submit::ParseHandoffReply;

void CheckHead(std::string_view input) {
  auto head = ParseHandoffHead(input);
  if (!head) {
    if (head.error().message.empty()) std::abort();
    return;
  }
  // The size is carried, not the bytes: a message of that many bytes stands in.
  MessageInput message{std::string(static_cast<size_t>(head->size % 4096), 'x'), head->eight_bit};
  std::string encoded = EncodeHandoffHead(head->submission, message);
  if (encoded.empty() || encoded.back() != '\n' || encoded.find("\n\n") != std::string::npos) {
    std::abort();
  }
  encoded.pop_back();
  auto again = ParseHandoffHead(encoded);
  if (!again) std::abort();
  const auto& a = head->submission;
  const auto& b = again->submission;
  if (a.envelope_sender != b.envelope_sender || a.full_name != b.full_name ||
      a.recipients != b.recipients || a.recipients_from_headers != b.recipients_from_headers ||
      a.origin != b.origin || a.notify != b.notify || a.envid != b.envid ||
      a.dsn_ret != b.dsn_ret || again->eight_bit != head->eight_bit ||
      again->size != message.raw.size()) {
    std::abort();
  }
}

void CheckReply(std::string_view input) {
  auto reply = ParseHandoffReply(input);
  if (!reply) return;
  std::string encoded = EncodeHandoffReply(*reply);
  if (encoded.empty() || encoded.back() != '\n') std::abort();
  encoded.pop_back();
  if (encoded.find('\n') != std::string::npos) std::abort();
  auto again = ParseHandoffReply(encoded);
  if (!again || again->has_value() != reply->has_value()) std::abort();
  if (reply->has_value()) {
    if ((*again)->queue_id != (*reply)->queue_id || (*again)->queued != (*reply)->queued ||
        (*again)->local_copies != (*reply)->local_copies) {
      std::abort();
    }
  } else if (again->error().code != reply->error().code ||
             again->error().message != reply->error().message) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckHead(input);
  CheckReply(input);
  return 0;
}
