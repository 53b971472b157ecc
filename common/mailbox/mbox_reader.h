// MboxReader: reads an mbox from a ByteSource in small chunks and hands out one message at a
// time (mbox(5) variants and the splitting rules are MboxSplitter's). Memory stays bounded by
// the largest message, not the file. Input is untrusted; I/O errors are returned as Result.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "common/mailbox/byte_stream.h"
#include "common/mailbox/mbox_splitter.h"
#include "common/util/result.h"

namespace pigeon::mailbox {

class MboxReader {
 public:
  static constexpr size_t kChunkBytes = 64 * 1024;

  // `source` must outlive the reader.
  explicit MboxReader(ByteSource& source, MboxOptions options = {});

  // The next message, nullopt at the end of the mbox, or the source's read error.
  Result<std::optional<MboxMessage>> Next();
  // Warnings about the file so far (garbage, wrong Content-Length, oversized messages).
  std::vector<MboxWarning> TakeWarnings() { return splitter_.TakeWarnings(); }
  // Bytes held by the splitter (for callers that monitor memory).
  size_t BufferedBytes() const { return splitter_.BufferedBytes(); }

 private:
  ByteSource& source_;
  MboxSplitter splitter_;
  std::unique_ptr<char[]> chunk_;
  bool at_end_ = false;
};

}  // namespace pigeon::mailbox
