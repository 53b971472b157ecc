// See read_ahead.h.
#include "mua/cli/read_ahead.h"

namespace pigeon::mua {

ReadAhead::ReadAhead(std::function<void(ReadAhead&)> produce)
    : thread_([this, produce = std::move(produce)] {
        produce(*this);
        std::lock_guard lock(mutex_);
        finished_ = true;
        changed_.notify_all();
      }) {}

ReadAhead::~ReadAhead() {
  Cancel();
  thread_.join();
}

bool ReadAhead::Put(ImportItem item) {
  std::unique_lock lock(mutex_);
  const size_t bytes = BytesOf(item);
  changed_.wait(lock, [&] {
    return cancelled_ || items_.empty() ||
           (items_.size() < kMaxItems && bytes_ + bytes <= kMaxBytes);
  });
  if (cancelled_) return false;
  bytes_ += bytes;
  items_.push_back(std::move(item));
  changed_.notify_all();
  return true;
}

std::optional<ImportItem> ReadAhead::Take() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !items_.empty() || finished_ || cancelled_; });
  if (items_.empty()) return std::nullopt;
  ImportItem item = std::move(items_.front());
  items_.pop_front();
  bytes_ -= BytesOf(item);
  changed_.notify_all();
  return item;
}

void ReadAhead::Cancel() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;
  items_.clear();
  bytes_ = 0;
  changed_.notify_all();
}

}  // namespace pigeon::mua
