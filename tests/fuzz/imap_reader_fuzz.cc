// Fuzzes the IMAP response reader (the server's bytes are untrusted). For any input: no crash,
// no response over the limits, and the same responses (or the same error) whether the bytes
// arrive at once or in chunks of any size (the first byte picks it): a response is taken out
// only when it is complete.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "mua/fetch/imap_reader.h"

using pigeon::mua::fetch::ImapLimits;
using pigeon::mua::fetch::ImapReader;
using pigeon::mua::fetch::ImapResponse;

namespace {

constexpr ImapLimits kLimits{4096, 16384};

// Each response as one comparable string, and whether reading ended in an error.
struct Outcome {
  std::vector<std::string> responses;
  bool failed = false;
};

std::string Describe(const ImapResponse& r) {
  std::string out;
  out += std::to_string(static_cast<int>(r.kind)) + '|' + r.tag + '|' + r.status + '|' + r.code +
         '|' + r.text + '|' + r.name + '|';
  out += r.number ? std::to_string(*r.number) : "-";
  out += r.fetch.uid ? std::to_string(*r.fetch.uid) : "-";
  out += r.fetch.size ? std::to_string(*r.fetch.size) : "-";
  out += r.fetch.body ? *r.fetch.body : "-";
  return out;
}

Outcome Read(std::string_view input, size_t chunk) {
  Outcome outcome;
  ImapReader reader(kLimits);
  size_t fed = 0;
  for (;;) {
    auto next = reader.Next();
    if (!next) {
      outcome.failed = true;
      return outcome;
    }
    if (*next) {
      const ImapResponse& r = **next;
      if (r.fetch.body && r.fetch.body->size() > kLimits.max_literal) abort();
      outcome.responses.push_back(Describe(r));
      continue;
    }
    if (fed == input.size()) return outcome;
    const size_t n = std::min(chunk, input.size() - fed);
    reader.Feed(input.substr(fed, n));
    fed += n;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t chunk = 1 + data[0] % 64;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const Outcome whole = Read(input, input.size() + 1);
  const Outcome pieces = Read(input, chunk);
  if (whole.failed != pieces.failed || whole.responses != pieces.responses) abort();
  return 0;
}
