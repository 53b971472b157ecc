#include "common/mailbox/mbox_reader.h"

namespace pigeon::mailbox {

MboxReader::MboxReader(ByteSource& source, MboxOptions options)
    : source_(source), splitter_(options), chunk_(new char[kChunkBytes]) {}

Result<std::optional<MboxMessage>> MboxReader::Next() {
  for (;;) {
    if (std::optional<MboxMessage> message = splitter_.Next()) return message;
    if (at_end_) return std::optional<MboxMessage>();
    Result<size_t> n = source_.Read(chunk_.get(), kChunkBytes);
    if (!n.has_value()) return tl::unexpected(n.error());
    if (*n == 0) {
      at_end_ = true;
      splitter_.Finish();
    } else {
      splitter_.Feed(std::string_view(chunk_.get(), *n));
    }
  }
}

}  // namespace pigeon::mailbox
