// Fuzzes the DATA reader against an independent model of RFC 5321 §4.5.2 with Postfix's
// bare-LF normalisation: the data ends exactly after the first CRLF "." CRLF (the start
// counting as a line start) and nowhere else, so no smuggling; the stored content is the
// lines up to there, one CR before each LF removed, one leading dot of longer lines removed,
// CRLF line ends. Chunking never changes the result, the content never exceeds the size limit,
// and a line over 998 octets always refuses the message.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "mta/smtp/data_reader.h"

using pigeon::mta::smtp::DataReader;
using pigeon::mta::smtp::kMaxTextLine;

namespace {

struct Outcome {
  bool done = false;
  size_t used = 0;
  DataReader::Outcome outcome = DataReader::Outcome::kComplete;
  std::string content;
  bool operator==(const Outcome&) const = default;
};

// seed == 0: one piece; otherwise chunks of 1..64 bytes from a xorshift sequence.
Outcome Read(std::string_view input, uint64_t max, uint32_t seed) {
  DataReader reader(max, "Received: x\r\n");
  Outcome out;
  while (out.used < input.size() && !reader.done()) {
    size_t n = input.size() - out.used;
    if (seed != 0) {
      seed ^= seed << 13;
      seed ^= seed >> 17;
      seed ^= seed << 5;
      n = std::min<size_t>(n, 1 + seed % 64);
    }
    const size_t used = reader.Consume(input.substr(out.used, n));
    if (used == 0 || used > n) std::abort();
    out.used += used;
    if (!reader.done() && used != n) std::abort();  // everything is read until the end
  }
  out.done = reader.done();
  out.outcome = reader.outcome();
  out.content = reader.TakeContent();
  return out;
}

struct Model {
  bool done = false;
  size_t used = 0;
  std::string content;  // without the prefix
  size_t longest_line = 0;
};

Model Expected(std::string_view input) {
  Model m;
  const std::string framed = "\r\n" + std::string(input);
  const size_t end = framed.find("\r\n.\r\n");
  m.done = end != std::string::npos;
  m.used = m.done ? end + 3 : input.size();
  std::string_view text = input.substr(0, m.done ? end : input.size());
  while (true) {
    const size_t lf = text.find('\n');
    if (lf == std::string_view::npos) break;
    std::string_view line = text.substr(0, lf);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    m.longest_line = std::max(m.longest_line, line.size());
    if (line.size() > 1 && line[0] == '.') line.remove_prefix(1);
    m.content.append(line).append("\r\n");
    text.remove_prefix(lf + 1);
  }
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const uint64_t max = data[0] & 0x80 ? (data[0] & 0x7f) * 16 : 1 << 20;
  const uint32_t seed = 1 + data[1] + (uint32_t{data[2]} << 8);
  const std::string_view input(reinterpret_cast<const char*>(data) + 3, size - 3);

  const Outcome whole = Read(input, max, 0);
  if (!(Read(input, max, seed) == whole)) std::abort();

  const Model model = Expected(input);
  if (whole.done != model.done || whole.used != model.used) std::abort();
  using Kind = DataReader::Outcome;
  if (whole.content.size() > 13 + max) std::abort();
  if (model.longest_line > kMaxTextLine) {
    if (whole.outcome == Kind::kComplete || !whole.content.empty()) std::abort();
  } else if (model.content.size() > max) {
    if (whole.outcome != Kind::kTooBig || !whole.content.empty()) std::abort();
  } else {
    if (whole.outcome != Kind::kComplete) std::abort();
    if (whole.content != "Received: x\r\n" + model.content) std::abort();
  }
  return 0;
}
