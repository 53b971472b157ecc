// ImportBatcher: groups the messages of `pigeon import` into store batches (one transaction
// per 500 messages, 32 MiB or 250 ms, whichever first): fast, and a crash loses at most the
// open batch, rolled back whole. A message the store refuses leaves nothing behind (each Add
// is a savepoint); a failing store (disk full, I/O error) ends the import.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/store/store.h"
#include "common/store/summary.h"
#include "common/util/result.h"

namespace pigeon::mua {

class ImportBatcher {
 public:
  static constexpr size_t kMaxMessages = 500;
  static constexpr size_t kMaxBytes = size_t{32} << 20;
  static constexpr auto kMaxAge = std::chrono::milliseconds(250);

  // `store` must outlive the batcher. Destroying it with messages pending rolls them back.
  ImportBatcher(store::Store& store, int64_t folder_id) : store_(store), folder_id_(folder_id) {}

  // Adds one message to the open batch and commits the batch when it is due. A message the
  // store refuses is left out and its error put in `*refused`; an error returned means the
  // store itself failed (the open batch is lost) and the import cannot go on.
  Result<void> Add(store::PreparedMessage message, const store::InsertOptions& options,
                   std::optional<Error>* refused);
  // Commits the open batch, if any.
  Result<void> Commit();

  int64_t imported() const { return imported_; }
  int64_t duplicates() const { return duplicates_; }

 private:
  Result<void> Open();

  store::Store& store_;
  int64_t folder_id_;
  std::optional<store::Batch> batch_;
  int64_t pending_messages_ = 0;
  size_t pending_bytes_ = 0;
  int64_t pending_duplicates_ = 0;
  std::chrono::steady_clock::time_point opened_;
  int64_t imported_ = 0;
  int64_t duplicates_ = 0;
};

}  // namespace pigeon::mua
