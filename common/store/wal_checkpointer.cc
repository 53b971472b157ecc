// See wal_checkpointer.h.
#include "common/store/wal_checkpointer.h"

#include <sqlite3.h>

namespace pigeon::store {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::Start(Database& writer,
                                                                const CheckpointLimits& limits) {
  if (sqlite3_threadsafe() == 0) {
    return MakeError(ErrorCode::kUnsupported, "SQLite is built without thread support");
  }
  Result<std::unique_ptr<Database>> own = Database::Open(writer.path());
  if (!own) return tl::unexpected(own.error());
  // A checkpoint reads WAL frames and writes them out; it needs no page cache to speak of.
  if (Result<void> small = (*own)->Exec("PRAGMA cache_size=-256"); !small) {
    return tl::unexpected(small.error());
  }
  std::unique_ptr<WalCheckpointer> checkpointer(
      new WalCheckpointer(writer, std::move(*own), limits));
  sqlite3_wal_hook(writer.handle(), &WalCheckpointer::OnCommit, checkpointer.get());
  return checkpointer;
}

WalCheckpointer::WalCheckpointer(Database& writer, std::unique_ptr<Database> own,
                                 const CheckpointLimits& limits)
    : writer_(writer), own_(std::move(own)), limits_(limits), thread_([this] { Run(); }) {}

WalCheckpointer::~WalCheckpointer() {
  sqlite3_wal_autocheckpoint(writer_.handle(), Database::kAutoCheckpointFrames);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  thread_.join();
}

int WalCheckpointer::OnCommit(void* self, sqlite3* db, const char* /*schema*/, int frames) {
  auto* checkpointer = static_cast<WalCheckpointer*>(self);
  if (frames >= checkpointer->limits_.catch_up_frames) {
    checkpointer->CatchUp(db);
  } else if (frames >= checkpointer->limits_.start_frames) {
    std::lock_guard lock(checkpointer->mutex_);
    checkpointer->requested_ = true;
    checkpointer->wake_.notify_one();
  }
  return SQLITE_OK;
}

// Waits for the thread's checkpoint, then copies what it left: the frames committed since it
// started. A failure (a reader still on an old snapshot, a full disk) leaves the frames in the
// WAL, where they are as safe; a later commit tries again, as SQLite's own hook would.
void WalCheckpointer::CatchUp(sqlite3* db) {
  {
    std::unique_lock lock(mutex_);
    requested_ = false;
    idle_.wait(lock, [this] { return !running_; });
  }
  sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

// Errors are left alone for the same reason as in CatchUp.
void WalCheckpointer::Run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return requested_ || stopping_; });
    if (stopping_) return;
    requested_ = false;
    running_ = true;
    lock.unlock();
    sqlite3_wal_checkpoint_v2(own_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
    running_ = false;
    idle_.notify_all();
  }
}

}  // namespace pigeon::store
