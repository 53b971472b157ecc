// See store.h. SQL lives here and in schema.cc only. Every public operation is one
// transaction; inserts go through Batch so imports and group commits share the code.
#include "common/store/store.h"

#include <cstdlib>

#include <fmt/format.h>

#include "common/store/schema.h"
#include "common/store/summary.h"

namespace pigeon::store {
namespace {

FolderInfo ReadFolder(const Statement& row) {
  FolderInfo folder;
  folder.id = row.ColumnInt(0);
  folder.name = row.ColumnText(1);
  if (!row.ColumnIsNull(2)) folder.role = row.ColumnText(2);
  folder.total = row.ColumnInt(3);
  folder.unread = row.ColumnInt(4);
  folder.flagged = row.ColumnInt(5);
  folder.deleted = row.ColumnInt(6);
  return folder;
}

// Folder names are paths of non-empty components separated by "/".
Result<void> CheckFolderName(std::string_view name) {
  bool valid = !name.empty() && name.size() <= 255 && name.front() != '/' && name.back() != '/' &&
               name.find("//") == std::string_view::npos;
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) valid = false;
  }
  if (!valid) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("invalid folder name \"{}\": use names like lists/dev", name));
  }
  return {};
}

}  // namespace

std::string DefaultStorePath() {
  const char* data_home = std::getenv("XDG_DATA_HOME");
  if (data_home != nullptr && data_home[0] == '/') {
    return std::string(data_home) + "/pigeon/pigeon.db";
  }
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : ".") + "/.local/share/pigeon/pigeon.db";
}

Store::Store(std::unique_ptr<Database> db, const sys::Clock& clock)
    : db_(std::move(db)), clock_(clock) {}

Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, const sys::Clock& clock) {
  Result<std::unique_ptr<Database>> db = Database::Open(path);
  if (!db) return tl::unexpected(db.error());
  std::unique_ptr<Store> store(new Store(std::move(*db), clock));
  Result<void> migrated = store->Migrate();
  if (!migrated) return tl::unexpected(migrated.error());
  return store;
}

// The schema version, read without taking the write lock (a busy writer must not delay
// every open).
static Result<int64_t> SchemaVersion(Database& db) {
  Result<Statement> version = db.Prepare("PRAGMA user_version");
  if (!version) return tl::unexpected(version.error());
  if (Result<bool> row = version->Step(); !row) return tl::unexpected(row.error());
  return version->ColumnInt(0);
}

Result<void> Store::Migrate() {
  Result<int64_t> current = SchemaVersion(*db_);
  if (!current) return tl::unexpected(current.error());
  if (*current == CurrentSchemaVersion()) return {};
  for (const Migration& migration : Migrations()) {
    Result<Transaction> transaction = Transaction::Begin(*db_, Transaction::Kind::kWrite);
    if (!transaction) return tl::unexpected(transaction.error());
    current = SchemaVersion(*db_);  // again under the lock: another process may have migrated
    if (!current) return tl::unexpected(current.error());
    if (*current > CurrentSchemaVersion()) {
      return MakeError(ErrorCode::kUnsupported,
                       fmt::format("{}: written by a newer pigeon (schema {}, this pigeon knows "
                                   "up to {}); upgrade pigeon to use it",
                                   db_->path(), *current, CurrentSchemaVersion()));
    }
    if (*current >= migration.version) continue;
    Result<void> applied = db_->Exec(migration.sql);
    if (applied) applied = db_->Exec(fmt::format("PRAGMA user_version = {}", migration.version));
    if (applied) applied = transaction->Commit();
    if (!applied) {
      return MakeError(applied.error().code,
                       fmt::format("{}: schema migration {}: {}", db_->path(), migration.version,
                                   applied.error().message));
    }
  }
  return {};
}

Result<std::vector<FolderInfo>> Store::Folders() {
  Result<CachedStatement> query = db_->Cached(
      "SELECT id, name, role, total, unread, flagged, deleted FROM folders ORDER BY "
      "CASE role WHEN 'inbox' THEN 0 WHEN 'drafts' THEN 1 WHEN 'sent' THEN 2 "
      "WHEN 'archive' THEN 3 WHEN 'junk' THEN 4 WHEN 'trash' THEN 5 ELSE 6 END, name");
  if (!query) return tl::unexpected(query.error());
  std::vector<FolderInfo> folders;
  for (;;) {
    Result<bool> row = (*query)->Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return folders;
    folders.push_back(ReadFolder(**query));
  }
}

Result<FolderInfo> Store::FindFolder(std::string_view name) {
  Result<CachedStatement> query = db_->Cached(
      "SELECT id, name, role, total, unread, flagged, deleted FROM folders WHERE name = ? OR "
      "(role = 'inbox' AND upper(?) = 'INBOX')");
  if (!query) return tl::unexpected(query.error());
  Result<bool> row = (*query)->Bind(1, name).Bind(2, name).Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kNotFound, fmt::format("no folder \"{}\"", name));
  return ReadFolder(**query);
}

Result<FolderInfo> Store::FolderByRole(std::string_view role) {
  Result<CachedStatement> query = db_->Cached(
      "SELECT id, name, role, total, unread, flagged, deleted FROM folders WHERE role = ?");
  if (!query) return tl::unexpected(query.error());
  Result<bool> row = (*query)->Bind(1, role).Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kNotFound, fmt::format("no {} folder", role));
  return ReadFolder(**query);
}

Result<FolderInfo> Store::CreateFolder(std::string_view name) {
  if (Result<void> valid = CheckFolderName(name); !valid) return tl::unexpected(valid.error());
  if (Result<FolderInfo> existing = FindFolder(name); existing) return existing;
  Result<CachedStatement> insert = db_->Cached("INSERT OR IGNORE INTO folders (name) VALUES (?)");
  if (!insert) return tl::unexpected(insert.error());
  if (Result<void> done = (*insert)->Bind(1, name).Run(); !done) {
    return tl::unexpected(done.error());
  }
  return FindFolder(name);
}

Result<void> Store::UseLargeCache() { return db_->Exec("PRAGMA cache_size=-32768"); }

Result<void> Store::CheckpointInBackground(const CheckpointLimits& limits) {
  if (checkpointer_) return {};
  Result<std::unique_ptr<WalCheckpointer>> started = WalCheckpointer::Start(*db_, limits);
  if (!started) return tl::unexpected(started.error());
  checkpointer_ = std::move(*started);
  return {};
}

namespace {

constexpr int kSearchMergeWidth = 4;      // FTS5's default automerge
constexpr int kBulkSearchMergeWidth = 8;  // see BeginBulkLoad
constexpr int kMergeStepPages = 1000;     // ~4 MB of index a transaction

Result<void> SetSearchMergeWidth(Database& db, int width) {
  Result<Transaction> transaction = Transaction::Begin(db, Transaction::Kind::kWrite);
  if (!transaction) return tl::unexpected(transaction.error());
  Result<void> set =
      db.Exec(fmt::format("INSERT INTO search (search, rank) VALUES ('automerge', {})", width));
  if (!set) return set;
  return transaction->Commit();
}

}  // namespace

Result<void> Store::BeginBulkLoad() {
  if (Result<void> large = UseLargeCache(); !large) return large;
  if (Result<void> started = CheckpointInBackground(); !started) return started;
  return SetSearchMergeWidth(*db_, kBulkSearchMergeWidth);
}

// FTS5's 'merge' command merges levels that hold at least 'usermerge' (4) segments, writing
// about the given number of pages; it changes nothing once no level has that many.
Result<void> Store::EndBulkLoad() {
  if (Result<void> set = SetSearchMergeWidth(*db_, kSearchMergeWidth); !set) return set;
  Result<Statement> merge = db_->Prepare("INSERT INTO search (search, rank) VALUES ('merge', ?)");
  if (!merge) return tl::unexpected(merge.error());
  for (;;) {
    Result<Transaction> transaction = Transaction::Begin(*db_, Transaction::Kind::kWrite);
    if (!transaction) return tl::unexpected(transaction.error());
    const int64_t before = db_->TotalChanges();
    merge->Reset();
    if (Result<void> done = merge->Bind(1, int64_t{kMergeStepPages}).Run(); !done) return done;
    const bool worked = db_->TotalChanges() - before >= 2;
    if (Result<void> committed = transaction->Commit(); !committed) return committed;
    if (!worked) return {};
  }
}

Result<Batch> Store::BeginBatch(bool durable) {
  Result<Transaction> transaction =
      Transaction::Begin(*db_, durable ? Transaction::Kind::kDurable : Transaction::Kind::kWrite);
  if (!transaction) return tl::unexpected(transaction.error());
  return Batch(this, std::move(*transaction));
}

Result<InsertResult> Store::Insert(int64_t folder_id, std::string_view raw,
                                   const InsertOptions& options, bool durable) {
  Result<Batch> batch = BeginBatch(durable);
  if (!batch) return tl::unexpected(batch.error());
  Result<InsertResult> inserted = batch->Add(folder_id, raw, options);
  if (!inserted) return inserted;
  if (Result<void> committed = batch->Commit(); !committed) {
    return tl::unexpected(committed.error());
  }
  return inserted;
}

template <typename T, typename Write>
Result<T> Batch::InSavepoint(Write write) {
  Database& db = store_->database();
  if (Result<void> begun = db.Exec("SAVEPOINT batch_item"); !begun) {
    return tl::unexpected(begun.error());
  }
  std::vector<SearchText> search_texts;
  Result<T> written = write(search_texts);
  if (!written) {
    (void)db.Exec("ROLLBACK TO batch_item; RELEASE batch_item");
    return written;
  }
  if (Result<void> released = db.Exec("RELEASE batch_item"); !released) {
    return tl::unexpected(released.error());
  }
  for (SearchText& text : search_texts) search_texts_.push_back(std::move(text));
  return written;
}

// Each message is a savepoint inside the batch: a message that fails leaves nothing behind
// and the batch can go on with the next one.
Result<InsertResult> Batch::Add(int64_t folder_id, std::string_view raw,
                                const InsertOptions& options) {
  return InSavepoint<InsertResult>([&](std::vector<SearchText>& search_texts) {
    return store_->AddInTransaction(folder_id, raw, options, search_texts);
  });
}

Result<InsertResult> Batch::Add(int64_t folder_id, PreparedMessage& message,
                                const InsertOptions& options) {
  return InSavepoint<InsertResult>([&](std::vector<SearchText>& search_texts) {
    return store_->AddInTransaction(folder_id, message.raw, message.sha256, &message.fields,
                                    options, search_texts);
  });
}

Result<void> Batch::Deliver(const IncomingMessage& message) {
  return InSavepoint<void>([&](std::vector<SearchText>& search_texts) -> Result<void> {
    std::string_view queued = message.raw;
    if (message.raw_has_return_path)
      queued.remove_prefix(std::min(queued.find('\n') + 1, queued.size()));
    if (!message.copies.empty()) {
      std::string with_return_path;
      if (!message.raw_has_return_path) {
        with_return_path = fmt::format("Return-Path: <{}>\r\n{}", message.sender, message.raw);
      }
      const std::string_view stored =
          message.raw_has_return_path ? message.raw : std::string_view(with_return_path);
      for (const IncomingMessage::Copy& copy : message.copies) {
        InsertOptions options;
        options.flags = copy.flags;
        options.keywords = copy.keywords;
        options.arrived = message.arrived;
        Result<InsertResult> added =
            store_->AddInTransaction(copy.folder_id, stored, options, search_texts);
        if (!added) return tl::unexpected(added.error());
      }
    }
    if (message.remote_recipients.empty()) return {};
    return store_->EnqueueInTransaction(message, queued, search_texts);
  });
}

Result<void> Batch::Commit() {
  if (Result<void> indexed = store_->WriteSearchTexts(search_texts_); !indexed) return indexed;
  search_texts_.clear();
  return transaction_.Commit();
}

}  // namespace pigeon::store
