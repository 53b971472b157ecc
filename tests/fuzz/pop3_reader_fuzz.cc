// Fuzzes the POP3 reply reader (the server's bytes are untrusted). For any input: no crash,
// no body over the limit, and the same replies (or the same error) whether the bytes arrive at
// once or in chunks of any size; the first byte picks the chunk size, the second which replies
// are read as multi-line (bit i for the i-th reply, cycling).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "mua/fetch/pop3_reader.h"

using pigeon::mua::fetch::Pop3Limits;
using pigeon::mua::fetch::Pop3Reader;

namespace {

constexpr Pop3Limits kLimits{1024, 8192};

struct Outcome {
  std::vector<std::string> replies;
  bool failed = false;
};

Outcome Read(std::string_view input, size_t chunk, uint8_t multiline_bits) {
  Outcome outcome;
  Pop3Reader reader(kLimits);
  size_t fed = 0;
  for (;;) {
    const bool multiline = (multiline_bits >> (outcome.replies.size() % 8)) & 1;
    auto next = reader.Next(multiline);
    if (!next) {
      outcome.failed = true;
      return outcome;
    }
    if (*next) {
      if ((*next)->body.size() > kLimits.max_body + kLimits.max_body / 2 + 2) abort();
      outcome.replies.push_back(((*next)->ok ? "+" : "-") + (*next)->text + '|' + (*next)->body);
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
  if (size < 2) return 0;
  const size_t chunk = 1 + data[0] % 64;
  const uint8_t multiline_bits = data[1];
  const std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);
  const Outcome whole = Read(input, input.size() + 1, multiline_bits);
  const Outcome pieces = Read(input, chunk, multiline_bits);
  if (whole.failed != pieces.failed || whole.replies != pieces.replies) abort();
  return 0;
}
