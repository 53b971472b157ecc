// Group commit for pigeond: one thread owns the store connection and writes the messages that
// many SMTP sessions accepted into one durable transaction (synchronous=FULL), then tells each
// session its outcome. A session replies 250 only after that commit: no acknowledged message
// is ever lost, and a busy server pays one fsync for many messages.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/store/store.h"
#include "common/sys/clock.h"
#include "common/sys/log.h"
#include "common/util/result.h"

namespace pigeon::mta::server {

// A local copy: a folder by name ("" = INBOX, created when missing) with keywords.
struct FolderCopy {
  std::string folder;
  std::vector<std::string> keywords;
};

struct DeliveryJob {
  std::string message;  // the bytes to store, Received header included
  std::string queue_id;
  std::string sender;
  std::vector<FolderCopy> copies;
  std::vector<std::string> remote_recipients;
  bool eight_bit = false;
  bool smtputf8 = false;
  std::string origin = "smtp";
  // Called on the writer thread once the job's fate is known: nullopt when durable, else the
  // SMTP reply to give ("452 4.3.1 …"). It must only hand the result over (post it).
  std::function<void(std::optional<std::string>)> done;
};

class DeliveryWriter {
 public:
  DeliveryWriter(std::string store_path, const sys::Clock& clock, sys::Logger& log);
  ~DeliveryWriter();  // Stop()
  DeliveryWriter(const DeliveryWriter&) = delete;
  DeliveryWriter& operator=(const DeliveryWriter&) = delete;

  // Opens the store (errors are reported here, not later) and starts the writer thread.
  Result<void> Start();
  void Submit(DeliveryJob job);
  // Runs `task` on the writer thread with its store, after the batch being written (a local
  // submission writes its own durable transaction). False when stopping: the task is dropped.
  bool Perform(std::function<void(store::Store&)> task);
  // Called on the writer thread after a commit that queued mail for remote recipients (so
  // the queue runner goes at once). Set before the first Submit().
  void OnQueued(std::function<void()> on_queued) { on_queued_ = std::move(on_queued); }
  // Writes what was submitted, then ends the thread. Later Submit()s fail at once (421).
  void Stop();

  // Batches committed and jobs written so far (for tests and the log).
  uint64_t commits() const;

 private:
  void Run();
  void WriteBatch(std::vector<DeliveryJob>& jobs);
  Result<int64_t> FolderId(const std::string& name);

  std::string store_path_;
  const sys::Clock& clock_;
  sys::Logger& log_;
  std::unique_ptr<store::Store> store_;
  std::map<std::string, int64_t> folder_ids_;  // writer thread only
  std::function<void()> on_queued_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<DeliveryJob> pending_;                       // guarded by mutex_
  std::deque<std::function<void(store::Store&)>> tasks_;  // guarded by mutex_
  bool stopping_ = false;                                 // guarded by mutex_
  uint64_t commits_ = 0;                                  // guarded by mutex_
  std::thread thread_;
};

// The SMTP reply for a store failure: 452 4.3.1 when the disk is full, else 451 4.3.0.
std::string ReplyForStoreError(const Error& error);

}  // namespace pigeon::mta::server
