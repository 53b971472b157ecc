// RAII over the SQLite C API: Database (a connection), Statement (a prepared statement) and
// Transaction (BEGIN … COMMIT, rolled back if not committed). Only common/store includes this.
// Every failure becomes an Error naming the operation and SQLite's message; SQLITE_BUSY past
// the busy timeout is ErrorCode::kBusy so callers can say "store busy" (and retry later).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "common/util/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace pigeon::store {

// A value bound to a "?" placeholder.
using SqlParam = std::variant<int64_t, std::string>;

class Statement {
 public:
  Statement() = default;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(Statement&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite. Text is copied (SQLITE_TRANSIENT); see BindBlob.
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const std::string& text) {
    return Bind(index, std::string_view(text));
  }
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  // Not copied (a message may be 50 MB): `bytes` must outlive the step, and the statement
  // must be reset or rebound before they go away.
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindNull(int index);
  Statement& Bind(int index, const std::optional<std::string>& text);
  // Binds params[i] to placeholder i + 1 + offset.
  Statement& BindAll(std::span<const SqlParam> params, int offset = 0);

  // true: a row is ready; false: done. Errors include SQLite's message.
  Result<bool> Step();
  // Steps to completion, for statements that return no rows.
  Result<void> Run();
  void Reset();  // also clears bindings

  int64_t ColumnInt(int column) const;
  std::string ColumnText(int column) const;
  std::string_view ColumnBlob(int column) const;  // valid until the next Step/Reset
  bool ColumnIsNull(int column) const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// A statement borrowed from a Database's cache; reset (bindings cleared, read lock released)
// when the lease ends, so a half-stepped SELECT never pins a snapshot.
class CachedStatement {
 public:
  explicit CachedStatement(Statement* statement) : statement_(statement) {}
  CachedStatement(CachedStatement&& other) noexcept : statement_(other.statement_) {
    other.statement_ = nullptr;
  }
  CachedStatement& operator=(CachedStatement&&) = delete;
  CachedStatement(const CachedStatement&) = delete;
  ~CachedStatement() {
    if (statement_ != nullptr) statement_->Reset();
  }
  Statement* operator->() const { return statement_; }
  Statement& operator*() const { return *statement_; }

 private:
  Statement* statement_;
};

class Database {
 public:
  // Opens (creating if needed) the database at `path`, in WAL mode with foreign keys on and
  // a busy timeout, so concurrent writers wait instead of failing.
  static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                int busy_timeout_ms = 15000);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Result<void> Exec(std::string_view sql);  // one or more statements, no results
  Result<Statement> Prepare(std::string_view sql);
  // The statement for `sql`, prepared once per connection and kept: for the statements of hot
  // paths (inserts, lookups). Do not hold two leases of the same text at once.
  Result<CachedStatement> Cached(std::string_view sql);
  int64_t LastInsertRowid() const;
  int Changes() const;
  int64_t TotalChanges() const;  // rows changed since the connection opened
  // PRAGMA data_version: changes when another connection commits.
  Result<int64_t> DataVersion();
  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }
  // While set, `interrupt` is asked every `steps` virtual machine steps of a running
  // statement; when it says true the statement stops with kCancelled (a search the user gave
  // up on). An empty function removes it.
  void SetInterruptCheck(std::function<bool()> interrupt, int steps = 20000);

  // WAL frames (pages) between checkpoints.
  static constexpr int kAutoCheckpointFrames = 8192;

 private:
  Database(sqlite3* db, std::string path, int busy_timeout_ms)
      : db_(db), path_(std::move(path)), busy_retries_(busy_timeout_ms / kBusyRetryMs + 1) {}
  static int RetryWhenBusy(void* database, int attempts);
  static int OnProgress(void* database);
  static constexpr int kBusyRetryMs = 2;

  sqlite3* db_;
  std::string path_;
  int busy_retries_;
  std::map<std::string, Statement, std::less<>> cache_;
  std::function<bool()> interrupt_;
};

// A transaction: kWrite takes the write lock at BEGIN (BEGIN IMMEDIATE) so it never fails
// later with a lock upgrade deadlock; kDurable is kWrite with synchronous=FULL for the commit
// (used when the commit acknowledges mail).
class Transaction {
 public:
  enum class Kind { kRead, kWrite, kDurable };
  static Result<Transaction> Begin(Database& db, Kind kind);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();  // rolls back unless committed

  Result<void> Commit();

 private:
  Transaction(Database* db, Kind kind) : db_(db), kind_(kind) {}
  Database* db_;
  Kind kind_;
  bool open_ = true;
};

// Error from the connection's last failure, prefixed by what was being done.
Error SqliteError(sqlite3* db, std::string_view doing);

}  // namespace pigeon::store
