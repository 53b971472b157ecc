// See delivery_writer.h.
#include "mta/server/delivery_writer.h"

#include <fmt/format.h>

#include "common/sys/file.h"

namespace pigeon::mta::server {

std::string ReplyForStoreError(const Error& error) {
  if (error.code == ErrorCode::kNoSpace) return "452 4.3.1 Insufficient system storage";
  return "451 4.3.0 Local error in processing: try again later";
}

namespace {

// Errors of the store itself rather than of one message.
bool IsStoreFailure(const Error& error) {
  return error.code == ErrorCode::kNoSpace || error.code == ErrorCode::kIo ||
         error.code == ErrorCode::kBusy || error.code == ErrorCode::kParse ||
         error.code == ErrorCode::kInternal;
}

}  // namespace

DeliveryWriter::DeliveryWriter(std::string store_path, const sys::Clock& clock, sys::Logger& log)
    : store_path_(std::move(store_path)), clock_(clock), log_(log) {}

DeliveryWriter::~DeliveryWriter() { Stop(); }

Result<void> DeliveryWriter::Start() {
  // The store's folder (the XDG data folder on the built-in profile) may not exist yet.
  if (Result<void> made = sys::MakeDirectories(sys::DirectoryOf(store_path_)); !made) {
    return tl::unexpected(made.error());
  }
  Result<std::unique_ptr<store::Store>> store = store::Store::Open(store_path_, clock_);
  if (!store) return tl::unexpected(store.error());
  if (Result<void> large = (*store)->UseLargeCache(); !large) return large;
  store_ = std::move(*store);
  thread_ = std::thread([this] { Run(); });
  return {};
}

void DeliveryWriter::Submit(DeliveryJob job) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      pending_.push_back(std::move(job));
      wake_.notify_one();
      return;
    }
  }
  job.done("421 4.3.2 Service shutting down");
}

bool DeliveryWriter::Perform(std::function<void(store::Store&)> task) {
  std::lock_guard lock(mutex_);
  if (stopping_) return false;
  tasks_.push_back(std::move(task));
  wake_.notify_one();
  return true;
}

void DeliveryWriter::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

uint64_t DeliveryWriter::commits() const {
  std::lock_guard lock(mutex_);
  return commits_;
}

void DeliveryWriter::Run() {
  for (;;) {
    std::vector<DeliveryJob> jobs;
    std::deque<std::function<void(store::Store&)>> tasks;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty() || !tasks_.empty(); });
      // Stopping, and everything was written.
      if (pending_.empty() && tasks_.empty()) return;
      // Everything that queued up during the previous commit goes into this one.
      while (!pending_.empty()) {
        jobs.push_back(std::move(pending_.front()));
        pending_.pop_front();
      }
      tasks.swap(tasks_);
    }
    if (!jobs.empty()) WriteBatch(jobs);
    for (auto& task : tasks) task(*store_);
  }
}

Result<int64_t> DeliveryWriter::FolderId(const std::string& name) {
  const std::string key = name.empty() ? "INBOX" : name;
  if (auto found = folder_ids_.find(key); found != folder_ids_.end()) return found->second;
  Result<store::FolderInfo> folder = store_->CreateFolder(key);
  if (!folder) return tl::unexpected(folder.error());
  folder_ids_.emplace(key, folder->id);
  return folder->id;
}

void DeliveryWriter::WriteBatch(std::vector<DeliveryJob>& jobs) {
  std::vector<std::optional<std::string>> outcomes(jobs.size());
  std::optional<Error> store_failure;
  Result<store::Batch> batch = store_->BeginBatch(/*durable=*/true);
  if (batch) {
    for (size_t i = 0; i < jobs.size(); ++i) {
      const DeliveryJob& job = jobs[i];
      store::IncomingMessage incoming{.raw = job.message,
                                      .queue_id = job.queue_id,
                                      .sender = job.sender,
                                      .remote_recipients = job.remote_recipients,
                                      .eight_bit = job.eight_bit,
                                      .smtputf8 = job.smtputf8,
                                      .origin = job.origin};
      Result<void> written;
      for (const FolderCopy& copy : job.copies) {
        Result<int64_t> folder = FolderId(copy.folder);
        if (!folder) {
          written = tl::unexpected(folder.error());
          break;
        }
        incoming.copies.push_back({.folder_id = *folder, .keywords = copy.keywords});
      }
      if (written) written = batch->Deliver(incoming);
      if (!written) {
        log_.Error(
            fmt::format("{}: cannot store the message: {}", job.queue_id, written.error().message));
        outcomes[i] = ReplyForStoreError(written.error());
        if (IsStoreFailure(written.error())) {
          // SQLite may have rolled the whole transaction back (disk full, I/O error): none
          // of this batch can be trusted to commit.
          store_failure = written.error();
          break;
        }
      }
    }
    Result<void> committed =
        store_failure ? Result<void>(tl::unexpected(*store_failure)) : batch->Commit();
    if (!committed) {
      log_.Error(fmt::format("store commit failed: {}", committed.error().message));
      for (auto& outcome : outcomes) outcome = ReplyForStoreError(committed.error());
      folder_ids_.clear();  // folders created in the rolled-back batch are gone
    }
  } else {
    log_.Error(fmt::format("store: {}", batch.error().message));
    for (auto& outcome : outcomes) outcome = ReplyForStoreError(batch.error());
  }
  {
    std::lock_guard lock(mutex_);
    ++commits_;
  }
  bool queued = false;
  for (size_t i = 0; i < jobs.size(); ++i) {
    queued = queued || (!outcomes[i] && !jobs[i].remote_recipients.empty());
    jobs[i].done(std::move(outcomes[i]));
  }
  if (queued && on_queued_) on_queued_();
}

}  // namespace pigeon::mta::server
