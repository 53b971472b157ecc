// Writes messages in the mboxrd variant of mbox(5): "From SENDER DATE" (asctime layout, UTC),
// the message with every line matching /^>*From / quoted by one more '>', and an empty line.
// Reading the output with MboxVariant::kMboxrd (or kAuto) gives the messages back byte for
// byte. A message that does not end with "\n" gets one appended: mboxrd cannot record its
// absence. Messages are trusted to be messages; any bytes are written safely.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/mailbox/byte_stream.h"
#include "common/util/result.h"

namespace pigeon::mailbox {

// Appends the mboxrd form of one message to `*out`. `sender` is written as FromLineSender
// makes it ("MAILER-DAEMON" when empty or not one printable word).
void AppendMboxrdMessage(std::string_view sender, int64_t utc_seconds, std::string_view message,
                         std::string* out);

class MboxWriter {
 public:
  // `sink` must outlive the writer. Appending to an existing mbox is the caller's choice of
  // sink; that mbox must already end with an empty line (as this writer leaves it).
  explicit MboxWriter(ByteSink& sink) : sink_(sink) {}

  Result<void> Write(std::string_view sender, int64_t utc_seconds, std::string_view message);
  // Syncs the sink: after success every written message is durable.
  Result<void> Finish() { return sink_.Sync(); }

 private:
  ByteSink& sink_;
  std::string scratch_;
};

}  // namespace pigeon::mailbox
