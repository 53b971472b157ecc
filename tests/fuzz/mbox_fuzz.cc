// Fuzzes MboxSplitter: arbitrary bytes split in one piece and in chunk sizes derived from the
// input must give identical messages, offsets and warnings; every split message must respect
// the size bound; and writing the messages as mboxrd then reading them back must return them
// byte for byte (plus the final "\n" the writer adds when missing), with the same senders.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/mailbox/from_line.h"
#include "common/mailbox/mbox_splitter.h"
#include "common/mailbox/mbox_writer.h"

using pigeon::mailbox::MboxMessage;
using pigeon::mailbox::MboxOptions;
using pigeon::mailbox::MboxSplitter;
using pigeon::mailbox::MboxVariant;
using pigeon::mailbox::MboxWarning;

namespace {

struct Split {
  std::vector<MboxMessage> messages;
  std::vector<MboxWarning> warnings;
};

// seed == 0: one piece; otherwise chunks of 1..64 bytes from a xorshift sequence.
Split Run(std::string_view input, const MboxOptions& options, uint32_t seed) {
  MboxSplitter splitter(options);
  Split out;
  size_t pos = 0;
  while (pos < input.size()) {
    size_t n = input.size() - pos;
    if (seed != 0) {
      seed ^= seed << 13;
      seed ^= seed >> 17;
      seed ^= seed << 5;
      n = std::min<size_t>(n, 1 + seed % 64);
    }
    splitter.Feed(input.substr(pos, n));
    pos += n;
    while (std::optional<MboxMessage> m = splitter.Next()) out.messages.push_back(std::move(*m));
  }
  splitter.Finish();
  while (std::optional<MboxMessage> m = splitter.Next()) out.messages.push_back(std::move(*m));
  out.warnings = splitter.TakeWarnings();
  return out;
}

void CheckSame(const Split& a, const Split& b) {
  if (a.messages.size() != b.messages.size()) std::abort();
  for (size_t i = 0; i < a.messages.size(); ++i) {
    const MboxMessage &x = a.messages[i], &y = b.messages[i];
    if (x.data != y.data || x.offset != y.offset || x.index != y.index ||
        x.envelope.sender != y.envelope.sender || x.envelope.date_text != y.envelope.date_text) {
      std::abort();
    }
  }
  if (a.warnings.size() != b.warnings.size()) std::abort();
  for (size_t i = 0; i < a.warnings.size(); ++i) {
    if (a.warnings[i].text != b.warnings[i].text) std::abort();
  }
}

void CheckRoundTrip(const Split& split) {
  std::string mbox;
  for (const MboxMessage& m : split.messages) {
    pigeon::mailbox::AppendMboxrdMessage(m.envelope.sender, m.envelope.date.value_or(0), m.data,
                                         &mbox);
  }
  MboxOptions rd;
  rd.variant = MboxVariant::kMboxrd;
  const Split back = Run(mbox, rd, 0);
  if (!back.warnings.empty() || back.messages.size() != split.messages.size()) std::abort();
  for (size_t i = 0; i < back.messages.size(); ++i) {
    std::string want = split.messages[i].data;
    if (want.empty() || want.back() != '\n') want += '\n';
    if (!split.messages[i].data.empty() && back.messages[i].data != want) std::abort();
    if (split.messages[i].data.empty() && !back.messages[i].data.empty()) std::abort();
    if (back.messages[i].envelope.sender !=
        pigeon::mailbox::FromLineSender(split.messages[i].envelope.sender)) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  MboxOptions options;
  options.variant = static_cast<MboxVariant>(data[0] % 5);
  if (data[0] & 0x80) options.max_message_bytes = 16 + data[1] * 64;  // exercise skipping
  const uint32_t seed = 1 + data[1] + (uint32_t{data[2]} << 8);
  const std::string_view input(reinterpret_cast<const char*>(data) + 3, size - 3);

  const Split whole = Run(input, options, 0);
  for (const MboxMessage& m : whole.messages) {
    if (m.data.size() > options.max_message_bytes || m.offset >= input.size()) std::abort();
  }
  CheckSame(whole, Run(input, options, seed));
  CheckRoundTrip(whole);
  return 0;
}
