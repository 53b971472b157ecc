// ReadAhead: the reading half of `pigeon import` on a thread of its own. It reads mailboxes and
// prepares each message for the store (hash, summary, index text: PrepareMessage) while the
// importing thread writes the messages before it, so the two halves share the machine's cores.
// What it found comes out in the order it was found; at most kMaxItems items or kMaxBytes of
// messages wait at a time, so memory stays flat however large the mailbox.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/store/store.h"
#include "common/store/summary.h"

namespace pigeon::mua {

// One thing the reading half found, with the progress it had reached.
struct ImportItem {
  enum class Kind {
    kMessage,     // `message`, read from `text` (its file and position)
    kUnreadable,  // a message that could not be read or is empty: `text` says why
    kWarning,     // `text`, not an error (the import may still exit 0)
    kError,       // `text`, an error that is not one message (a missing file)
  };
  Kind kind = Kind::kWarning;
  std::string text;
  std::optional<store::PreparedMessage> message;
  store::InsertOptions options;
  // Messages (Maildir) or bytes (mbox) read so far, of `total` when known; only for kMessage
  // and kUnreadable.
  int64_t done = 0;
  std::optional<int64_t> total;
};

class ReadAhead {
 public:
  static constexpr size_t kMaxItems = 64;
  static constexpr size_t kMaxBytes = size_t{16} << 20;  // one larger message still passes

  // Runs `produce` on a new thread; it hands over what it finds with Put().
  explicit ReadAhead(std::function<void(ReadAhead&)> produce);
  // Cancels, then waits for `produce` to return (it may be in the middle of a read).
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // Producer: queues `item`, waiting while the queue is full. False once cancelled: `produce`
  // should return.
  bool Put(ImportItem item);
  // Consumer: the next item, waiting for it; nullopt once `produce` returned and every item
  // was taken.
  std::optional<ImportItem> Take();
  // Either side: drops what is queued and makes Put() return false from now on.
  void Cancel();

 private:
  static size_t BytesOf(const ImportItem& item) {
    return item.message ? item.message->raw.size() : 0;
  }

  std::mutex mutex_;
  std::condition_variable changed_;  // an item put or taken, the producer done, a cancel
  std::deque<ImportItem> items_;
  size_t bytes_ = 0;
  bool finished_ = false;
  bool cancelled_ = false;
  std::thread thread_;  // last: starts once the rest is initialized
};

}  // namespace pigeon::mua
