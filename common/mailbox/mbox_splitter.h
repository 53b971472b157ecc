// MboxSplitter: the streaming state machine that cuts an mbox into messages, fed in chunks of
// any size (the result does not depend on the chunking). Variants per mbox(5): mboxo, mboxrd,
// mboxcl, mboxcl2. Input is untrusted: any bytes are accepted, oddities become warnings, and
// memory is bounded by one message (max_message_bytes) plus the chunk being fed. Pure: no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/mailbox/from_line.h"

namespace pigeon::mailbox {

// How body lines were quoted and whether Content-Length delimits messages.
//  kMboxrd:  lines matching /^>+From / lose one '>' (the exact inverse of mboxrd quoting).
//  kMboxo:   only lines matching /^>From / lose their '>'; ">>From " stays as it is.
//  kMboxcl:  mboxo quoting, plus a Content-Length header (counting the body as stored) that
//            delimits the body when it proves right.
//  kMboxcl2: Content-Length as in kMboxcl, no quoting at all.
//  kAuto:    the policy for files of unknown origin, equal to kMboxrd: a stream cannot look
//            ahead for ">>From " to tell mboxrd from mboxo, and removing one '>' from ">From "
//            is right for both; only an mboxo body line that really began ">>From " loses a
//            '>'. Content-Length is ignored: it is stale in too many files.
// A Content-Length proves right when the announced end is followed by end of input, or an
// optional empty line and then "From " at a line start. Otherwise the message is split on
// From_ lines instead, with a warning. Duplicate Content-Length headers are ignored.
enum class MboxVariant { kAuto, kMboxo, kMboxrd, kMboxcl, kMboxcl2 };

inline constexpr size_t kDefaultMaxMessageBytes = size_t{128} << 20;
// A longer line is never taken for a From_ line.
inline constexpr size_t kMaxFromLineBytes = 4096;

struct MboxOptions {
  MboxVariant variant = MboxVariant::kAuto;
  size_t max_message_bytes = kDefaultMaxMessageBytes;  // larger messages are skipped, warned
};

struct MboxMessage {
  size_t index = 0;     // 0-based position among the From_ lines of the file
  uint64_t offset = 0;  // byte offset of the message's From_ line in the file
  FromLine envelope;    // sender and date from the From_ line
  std::string data;     // the message: From_ line and separator removed, unquoted
};

struct MboxWarning {
  uint64_t offset = 0;  // where in the file
  std::string text;     // "message 3 at byte 1234: ..."
};

// A From_ line starts with "From " at a line start and is either the first such line of the
// input (or the first after a Content-Length-delimited message), or follows an empty line, or
// has the strict "From ADDR Www Mmm d hh:mm:ss yyyy" shape (mboxes without empty separator
// lines). The empty line before a From_ line (and at the end of input) is the separator, not
// part of the message. Line endings (LF or CRLF) are kept as they are in the file. Bytes
// before the first From_ line are skipped with a warning.
class MboxSplitter {
 public:
  explicit MboxSplitter(MboxOptions options = {});

  // Appends the next bytes of the input. Must not be called after Finish().
  void Feed(std::string_view chunk);
  // Marks the end of the input; the last message becomes available. Idempotent.
  void Finish();
  // The next complete message, in file order, or nullopt when none is ready yet.
  std::optional<MboxMessage> Next();
  // Warnings produced so far (then forgotten). At most kMaxWarnings are kept between calls.
  std::vector<MboxWarning> TakeWarnings();
  // Bytes held: unprocessed input, the message being built and ready messages.
  size_t BufferedBytes() const;

  static constexpr size_t kMaxWarnings = 1000;

 private:
  enum class State { kOutside, kHeaders, kBody, kCounted, kSkipping };

  void Process();
  bool StepCounted();
  void HandleLine(std::string_view line, uint64_t offset);
  bool IsSeparator(std::string_view line) const;
  void StartMessage(std::string_view line, uint64_t offset);
  void AppendLine(std::string_view line);
  void EndHeaders();
  void NoteHeader(std::string_view line);
  void BoundPartialLine();
  void EnterSkipping();
  void FinishMessage();
  void Compact();
  size_t QuotesToRemove(std::string_view line) const;
  void Warn(uint64_t offset, std::string text);
  void WarnOutsideBytes();

  MboxOptions options_;
  std::string buffer_;        // input not yet consumed, from pos_
  size_t pos_ = 0;            // first unconsumed byte of buffer_
  size_t scan_ = 0;           // where to continue looking for '\n'
  uint64_t base_offset_ = 0;  // file offset of buffer_[0]
  bool finished_ = false;
  bool ended_ = false;

  State state_ = State::kOutside;
  bool prev_blank_ = false;     // the previous line was empty ("\n" or "\r\n")
  size_t prev_len_ = 0;         // its length, to drop it as the separator
  bool mid_line_ = false;       // the rest of an over-long line whose start was discarded
  uint64_t outside_bytes_ = 0;  // bytes skipped outside any message
  uint64_t outside_offset_ = 0;

  MboxMessage current_;
  size_t message_count_ = 0;
  std::optional<uint64_t> content_length_;
  bool content_length_duplicate_ = false;
  uint64_t counted_length_ = 0;

  std::deque<MboxMessage> ready_;
  size_t ready_bytes_ = 0;
  std::vector<MboxWarning> warnings_;
};

}  // namespace pigeon::mailbox
