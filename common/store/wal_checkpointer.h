// WalCheckpointer: copies a store's write-ahead log into the database on a thread and
// connection of its own, so a writer that commits batch after batch (pigeon import) does not
// stop at every other commit to do it (a fifth of an import's time on one core). It replaces
// the writer connection's auto-checkpoint through SQLite's WAL hook. A checkpoint only copies
// committed pages and never blocks the writer; commits, their durability and what readers see
// are unchanged. The WAL grows larger than it would otherwise: see CheckpointLimits.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "common/store/sqlite.h"
#include "common/util/result.h"

namespace pigeon::store {

struct CheckpointLimits {
  // Checkpoints start once the WAL holds this many frames (pages) ...
  int start_frames = 2048;
  // ... and run on the thread until it holds this many (128 MiB). The WAL can only start over
  // from its beginning once every frame in it was copied, which a checkpoint running beside a
  // busy writer never sees; so at this size the commit that reached it waits for the thread and
  // copies the rest itself, and the next transaction writes the WAL from the start again.
  int catch_up_frames = 32768;
};

class WalCheckpointer {
 public:
  // Opens a second connection to `writer`'s database and hooks `writer`'s commits. `writer`
  // must outlive the checkpointer and be used by one thread at a time, as always. kUnsupported
  // when this SQLite is built without threads.
  static Result<std::unique_ptr<WalCheckpointer>> Start(Database& writer,
                                                        const CheckpointLimits& limits = {});
  // Stops the thread (after the checkpoint it is running) and gives `writer` its
  // auto-checkpoint back.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

 private:
  WalCheckpointer(Database& writer, std::unique_ptr<Database> own, const CheckpointLimits& limits);
  // SQLite's WAL hook: runs on the writer's thread after each commit.
  static int OnCommit(void* self, sqlite3* db, const char* schema, int frames);
  void CatchUp(sqlite3* db);
  void Run();

  Database& writer_;
  std::unique_ptr<Database> own_;  // used by the thread alone
  const CheckpointLimits limits_;
  std::mutex mutex_;
  std::condition_variable wake_;  // requested_ or stopping_ set
  std::condition_variable idle_;  // running_ cleared
  bool requested_ = false;
  bool running_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: started once the rest is set up
};

}  // namespace pigeon::store
