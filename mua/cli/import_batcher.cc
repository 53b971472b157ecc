// See import_batcher.h.
#include "mua/cli/import_batcher.h"

#include <thread>

namespace pigeon::mua {

Result<void> ImportBatcher::Open() {
  Result<store::Batch> batch = store_.BeginBatch(/*durable=*/false);
  if (!batch) return tl::unexpected(batch.error());
  batch_.emplace(std::move(*batch));
  opened_ = std::chrono::steady_clock::now();
  return {};
}

Result<void> ImportBatcher::Add(std::string raw, store::InsertOptions options,
                                std::optional<Error>* refused) {
  refused->reset();
  if (!batch_) {
    if (Result<void> opened = Open(); !opened) return opened;
  }
  Result<store::InsertResult> added = batch_->Add(folder_id_, raw, options);
  if (!added) {
    *refused = added.error();
    return Rebuild();  // the refused message may have left rows behind
  }
  if (added->duplicate) {
    ++pending_duplicates_;
  } else {
    pending_bytes_ += raw.size();
    pending_.push_back({std::move(raw), std::move(options)});
  }
  const size_t held = pending_.size() + static_cast<size_t>(pending_duplicates_);
  if (held >= kMaxMessages || pending_bytes_ >= kMaxBytes ||
      std::chrono::steady_clock::now() - opened_ >= kMaxAge) {
    return Commit();
  }
  return {};
}

// Rolls the open batch back and adds the messages it held again, in a new batch.
Result<void> ImportBatcher::Rebuild() {
  batch_.reset();  // rollback
  if (Result<void> opened = Open(); !opened) return opened;
  for (const Pending& message : pending_) {
    Result<store::InsertResult> added = batch_->Add(folder_id_, message.raw, message.options);
    if (!added) {
      batch_.reset();
      return tl::unexpected(added.error());
    }
  }
  return {};
}

Result<void> ImportBatcher::Commit() {
  if (!batch_) return {};
  Result<void> committed = batch_->Commit();
  batch_.reset();  // rolls back when the commit failed
  if (!committed) return committed;
  imported_ += static_cast<int64_t>(pending_.size());
  duplicates_ += pending_duplicates_;
  pending_.clear();
  pending_bytes_ = 0;
  pending_duplicates_ = 0;
  std::this_thread::sleep_for(kLockGap);
  return {};
}

}  // namespace pigeon::mua
