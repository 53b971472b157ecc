// See import_batcher.h.
#include "mua/cli/import_batcher.h"

namespace pigeon::mua {

Result<void> ImportBatcher::Open() {
  Result<store::Batch> batch = store_.BeginBatch(/*durable=*/false);
  if (!batch) return tl::unexpected(batch.error());
  batch_.emplace(std::move(*batch));
  opened_ = std::chrono::steady_clock::now();
  return {};
}

namespace {

// Errors that say the store itself cannot go on, rather than that one message was refused.
bool IsStoreFailure(ErrorCode code) {
  return code == ErrorCode::kNoSpace || code == ErrorCode::kBusy || code == ErrorCode::kIo ||
         code == ErrorCode::kParse || code == ErrorCode::kInternal;
}

}  // namespace

Result<void> ImportBatcher::Add(store::PreparedMessage message, const store::InsertOptions& options,
                                std::optional<Error>* refused) {
  refused->reset();
  if (!batch_) {
    if (Result<void> opened = Open(); !opened) return opened;
  }
  const size_t size = message.raw.size();
  Result<store::InsertResult> added = batch_->Add(folder_id_, message, options);
  if (!added) {
    if (IsStoreFailure(added.error().code)) {
      batch_.reset();  // rolls the open batch back
      return tl::unexpected(added.error());
    }
    *refused = added.error();  // the savepoint in Batch::Add undid this message alone
    return {};
  }
  if (added->duplicate) {
    ++pending_duplicates_;
  } else {
    pending_bytes_ += size;
    ++pending_messages_;
  }
  const size_t held = static_cast<size_t>(pending_messages_ + pending_duplicates_);
  if (held >= kMaxMessages || pending_bytes_ >= kMaxBytes ||
      std::chrono::steady_clock::now() - opened_ >= kMaxAge) {
    return Commit();
  }
  return {};
}

Result<void> ImportBatcher::Commit() {
  if (!batch_) return {};
  Result<void> committed = batch_->Commit();
  batch_.reset();  // rolls back when the commit failed
  if (!committed) return committed;
  imported_ += pending_messages_;
  duplicates_ += pending_duplicates_;
  pending_messages_ = 0;
  pending_bytes_ = 0;
  pending_duplicates_ = 0;
  return {};
}

}  // namespace pigeon::mua
