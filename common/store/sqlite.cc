// See sqlite.h.
#include "common/store/sqlite.h"

#include <sqlite3.h>

#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "common/store/wal_write_buffer.h"

namespace pigeon::store {

Error SqliteError(sqlite3* db, std::string_view doing) {
  int code = db != nullptr ? sqlite3_errcode(db) : SQLITE_ERROR;
  const char* text = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
  ErrorCode kind = ErrorCode::kIo;
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) kind = ErrorCode::kBusy;
  if (code == SQLITE_FULL) kind = ErrorCode::kNoSpace;
  if (code == SQLITE_INTERRUPT) kind = ErrorCode::kCancelled;
  if (code == SQLITE_CONSTRAINT || code == SQLITE_MISMATCH) kind = ErrorCode::kInvalidArgument;
  if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) kind = ErrorCode::kParse;
  return Error{kind, fmt::format("{}: {}", doing, text)};
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = other.stmt_;
    other.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_STATIC);
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<std::string>& text) {
  return text ? Bind(index, std::string_view(*text)) : BindNull(index);
}

Statement& Statement::BindAll(std::span<const SqlParam> params, int offset) {
  for (size_t i = 0; i < params.size(); ++i) {
    int index = static_cast<int>(i) + 1 + offset;
    if (const int64_t* number = std::get_if<int64_t>(&params[i])) {
      Bind(index, *number);
    } else {
      Bind(index, std::string_view(std::get<std::string>(params[i])));
    }
  }
  return *this;
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error error = SqliteError(sqlite3_db_handle(stmt_), "step");
  sqlite3_reset(stmt_);
  return tl::unexpected(std::move(error));
}

Result<void> Statement::Run() {
  for (;;) {
    Result<bool> row = Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return {};
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::ColumnInt(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string_view Statement::ColumnBlob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  if (data == nullptr) return {};
  return {static_cast<const char*>(data), static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

namespace {

// Switching a new database to WAL takes an exclusive lock, and SQLite does not call the busy
// handler for it (waiting while holding the shared lock could deadlock): processes creating
// the store at the same moment failed with "database is locked" (concurrency_test). Retry
// for as long as the busy timeout allows instead.
Result<void> EnterWalMode(Database& database, int busy_timeout_ms) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
  for (;;) {
    Result<void> done = database.Exec("PRAGMA journal_mode=WAL");
    if (done || done.error().code != ErrorCode::kBusy ||
        std::chrono::steady_clock::now() >= deadline) {
      return done;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, int busy_timeout_ms) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, WalWriteBufferVfs()) != SQLITE_OK) {
    Error error = SqliteError(db, fmt::format("{}: cannot open", path));
    sqlite3_close(db);
    return tl::unexpected(std::move(error));
  }
  std::unique_ptr<Database> database(new Database(db, path, busy_timeout_ms));
  sqlite3_extended_result_codes(db, 0);
  sqlite3_busy_handler(db, &Database::RetryWhenBusy, database.get());
  // WAL: readers never block the writer nor the writer them. synchronous=NORMAL by default;
  // transactions that acknowledge mail switch to FULL (see Transaction::Kind::kDurable).
  // Statement journals (a savepoint per message) stay in memory; SQLite's default page cache
  // (2 MB) unless the connection writes batch after batch (Store::UseLargeCache). Checkpoints copy
  // the WAL into the database inside the commit that triggers them; rarer, larger ones (32 MiB of
  // WAL rather than 4) copy each hot index page once instead of eight times (pigeond, one SMTP
  // session: 420 -> 684 msgs/s); a long run of batches can move them to a thread (WalCheckpointer).
  // The VFS gathers WAL frames into large writes (wal_write_buffer.h).
  Result<void> setup = EnterWalMode(*database, busy_timeout_ms);
  if (setup) {
    setup = database->Exec(
        fmt::format("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
                    "PRAGMA wal_autocheckpoint={};",
                    kAutoCheckpointFrames));
  }
  if (!setup) {
    return MakeError(setup.error().code, fmt::format("{}: {}", path, setup.error().message));
  }
  return database;
}

// SQLite's own busy timeout backs off to 100 ms sleeps, so a writer that commits back to back
// (an import, a busy pigeond) can hold others off until they time out. Retrying every couple
// of milliseconds lets a waiting writer in right after one of those commits.
int Database::RetryWhenBusy(void* database, int attempts) {
  if (attempts >= static_cast<Database*>(database)->busy_retries_) return 0;
  std::this_thread::sleep_for(std::chrono::milliseconds(kBusyRetryMs));
  return 1;
}

void Database::SetInterruptCheck(std::function<bool()> interrupt, int steps) {
  interrupt_ = std::move(interrupt);
  if (interrupt_) {
    sqlite3_progress_handler(db_, steps, &Database::OnProgress, this);
  } else {
    sqlite3_progress_handler(db_, 0, nullptr, nullptr);
  }
}

int Database::OnProgress(void* database) {
  const Database& self = *static_cast<Database*>(database);
  return self.interrupt_ && self.interrupt_() ? 1 : 0;
}

Database::~Database() {
  cache_.clear();  // finalized before the connection closes
  sqlite3_close_v2(db_);
}

Result<void> Database::Exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    Error error = SqliteError(db_, "exec");
    sqlite3_free(message);
    return tl::unexpected(std::move(error));
  }
  return {};
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt, nullptr) != SQLITE_OK) {
    return tl::unexpected(SqliteError(db_, fmt::format("prepare \"{}\"", sql.substr(0, 60))));
  }
  return Statement(stmt);
}

Result<CachedStatement> Database::Cached(std::string_view sql) {
  auto found = cache_.find(sql);
  if (found == cache_.end()) {
    Result<Statement> prepared = Prepare(sql);
    if (!prepared) return tl::unexpected(prepared.error());
    found = cache_.emplace(std::string(sql), std::move(*prepared)).first;
  }
  return CachedStatement(&found->second);
}

int64_t Database::LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }

int Database::Changes() const { return sqlite3_changes(db_); }

int64_t Database::TotalChanges() const { return sqlite3_total_changes64(db_); }

Result<int64_t> Database::DataVersion() {
  Result<Statement> statement = Prepare("PRAGMA data_version");
  if (!statement) return tl::unexpected(statement.error());
  Result<bool> row = statement->Step();
  if (!row) return tl::unexpected(row.error());
  return statement->ColumnInt(0);
}

Result<Transaction> Transaction::Begin(Database& db, Kind kind) {
  const char* sql = "BEGIN";
  if (kind == Kind::kWrite) sql = "BEGIN IMMEDIATE";
  if (kind == Kind::kDurable) sql = "PRAGMA synchronous=FULL; BEGIN IMMEDIATE";
  Result<void> begun = db.Exec(sql);
  if (!begun) return tl::unexpected(begun.error());
  return Transaction(&db, kind);
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(other.db_), kind_(other.kind_), open_(other.open_) {
  other.open_ = false;
}

Transaction::~Transaction() {
  if (open_) (void)db_->Exec("ROLLBACK");
  if (open_ && kind_ == Kind::kDurable) (void)db_->Exec("PRAGMA synchronous=NORMAL");
}

Result<void> Transaction::Commit() {
  Result<void> committed = db_->Exec("COMMIT");
  if (!committed) return committed;  // still open: the destructor rolls back
  open_ = false;
  if (kind_ == Kind::kDurable) return db_->Exec("PRAGMA synchronous=NORMAL");
  return {};
}

}  // namespace pigeon::store
