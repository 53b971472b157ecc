// The store facade: the one way any pigeon program reads or writes pigeon.db. Folders with
// counts, messages with summaries and flags, keywords, threads, full-text search, pages of
// summaries with keyset pagination, raw bytes, and change polling. Each operation is one short
// transaction. A Store is one connection: use it from one thread; open one per process.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/store/sqlite.h"
#include "common/store/wal_checkpointer.h"
#include "common/sys/clock.h"
#include "common/util/result.h"

namespace pigeon::store {

struct FolderInfo {
  int64_t id = 0;
  std::string name;
  std::optional<std::string> role;  // inbox, sent, drafts, trash, archive, junk
  int64_t total = 0;
  int64_t unread = 0;
  int64_t flagged = 0;
  int64_t deleted = 0;  // flagged deleted, not yet expunged
};

struct MessageSummary {
  int64_t id = 0;
  int64_t folder_id = 0;
  int64_t thread_id = 0;
  int64_t date = 0;  // UTC seconds
  int flags = 0;     // MessageFlag bits
  int64_t size = 0;
  bool has_attachment = false;
  std::string from_name, from_addr, to_text, subject, snippet;
  std::optional<std::string> message_id, parent_id;
  int64_t thread_date = 0;  // the thread's latest date in this folder (kThreads pages only)
};

struct InsertOptions {
  int flags = 0;
  std::vector<std::string> keywords;
  std::optional<int64_t> arrived;  // default: the clock's now
};

struct InsertResult {
  int64_t id = 0;          // the message row (the existing one for a duplicate)
  bool duplicate = false;  // the same bytes were already in that folder: nothing was added
};

// kThreads: threads newest first (by their latest message in the folder), each thread's
// messages oldest first; needs a folder. kThreadsOldestFirst: the same threads in the other
// order (each thread's messages still oldest first), for reading such a listing backwards.
enum class SortOrder { kDateDescending, kDateAscending, kThreads, kThreadsOldestFirst };

// Where the previous page ended; the next page starts after it (keyset pagination). Make it
// from the last summary of the previous page with CursorAfter().
struct PageCursor {
  int64_t date = 0;
  int64_t id = 0;
  int64_t thread_date = 0;  // kThreads only
  int64_t thread_id = 0;    // kThreads only
};

inline PageCursor CursorAfter(const MessageSummary& last) {
  return PageCursor{last.date, last.id, last.thread_date, last.thread_id};
}

struct PageRequest {
  std::optional<int64_t> folder_id;  // nullopt: every folder
  std::string query;                 // the search language (see query.h); "" = everything
  SortOrder order = SortOrder::kDateDescending;
  std::optional<PageCursor> after;
  int limit = 50;
};

class Store;
struct MessageSummaryFields;
struct PreparedMessage;

// One message arriving for delivery (pigeond's SMTP server, sendmail, the composer): its copies
// in store folders and its entries in the outgoing queue, written all or nothing.
struct IncomingMessage {
  std::string_view raw;  // as received, Received header included; CRLF line ends
  std::string queue_id;  // unique; names the message in logs, mailq and Received
  std::string sender;    // envelope sender, "" for the null sender
  struct Copy {
    int64_t folder_id = 0;
    std::vector<std::string> keywords;
    int flags = 0;
  };
  std::vector<Copy> copies;  // stored with "Return-Path: <sender>" first
  // `raw` starts with that Return-Path line already (a big message is then never copied to
  // add it); the queue entry gets `raw` without it.
  bool raw_has_return_path = false;
  std::vector<std::string> remote_recipients;  // queued for delivery over SMTP
  bool eight_bit = false;
  bool smtputf8 = false;
  std::string origin = "smtp";     // smtp, submission, sendmail, pigeon
  std::string envid;               // RFC 3461 ENVID, for its DSNs
  std::string dsn_ret;             // RFC 3461 RET: "FULL", "HDRS" or "" (the default)
  std::string notify;              // RFC 3461 NOTIFY for every remote recipient, "" = default
  std::optional<int64_t> arrived;  // default: the clock's now
};

// The text of one body for the full-text index.
struct SearchText {
  int64_t body_id = 0;
  std::string subject, sender, recipients, cc, body;
};

// Inserts many messages in one transaction (imports, group commit). Nothing is visible to
// other connections, nor durable, before Commit(); destroying it uncommitted rolls back. A
// message whose Add fails leaves no trace; the batch stays usable. Full-text entries are
// written at Commit: FTS5 flushes its pending terms at every savepoint, so writing them per
// message made one index segment per message (and ~20 writes of every page through merges).
class Batch {
 public:
  Result<InsertResult> Add(int64_t folder_id, std::string_view raw, const InsertOptions& options);
  // The same for a message prepared ahead (PrepareMessage, summary.h); takes its fields.
  Result<InsertResult> Add(int64_t folder_id, PreparedMessage& message,
                           const InsertOptions& options);
  // Every copy and queue entry of `message`, or (on failure) none of them.
  Result<void> Deliver(const IncomingMessage& message);
  Result<void> Commit();

 private:
  friend class Store;
  Batch(Store* store, Transaction transaction)
      : store_(store), transaction_(std::move(transaction)) {}
  // Runs `write` in a savepoint: all of it, or nothing of it, stays in the batch.
  template <typename T, typename Write>
  Result<T> InSavepoint(Write write);
  Store* store_;
  Transaction transaction_;
  std::vector<SearchText> search_texts_;
};

class Store {
 public:
  // Opens or creates the database at `path` and brings its schema up to date. Refuses a
  // database written by a newer pigeon. `clock` must outlive the Store.
  static Result<std::unique_ptr<Store>> Open(const std::string& path, const sys::Clock& clock);
  ~Store();

  // Folders, system folders first (in the order INBOX, Drafts, Sent, Archive, Junk, Trash),
  // then user folders by name.
  Result<std::vector<FolderInfo>> Folders();
  Result<FolderInfo> FindFolder(std::string_view name);  // INBOX is case-insensitive
  Result<FolderInfo> FolderByRole(std::string_view role);
  // Creates `name` ("lists/dev"); returns the existing folder when it is already there.
  Result<FolderInfo> CreateFolder(std::string_view name);

  // durable = true: synchronous=FULL for the commit (the caller is about to acknowledge mail).
  Result<Batch> BeginBatch(bool durable);
  Result<InsertResult> Insert(int64_t folder_id, std::string_view raw, const InsertOptions& options,
                              bool durable = false);

  Result<void> SetFlags(std::span<const int64_t> ids, int set, int clear);
  // Flips the `flags` bits of each message on its own (mutt's toggles over tagged messages).
  Result<void> ToggleFlags(std::span<const int64_t> ids, int flags);
  Result<void> AddKeyword(std::span<const int64_t> ids, std::string_view keyword);
  Result<void> RemoveKeyword(std::span<const int64_t> ids, std::string_view keyword);
  Result<std::vector<std::string>> Keywords(int64_t id);
  Result<void> Move(std::span<const int64_t> ids, int64_t folder_id);
  Result<std::vector<int64_t>> Copy(std::span<const int64_t> ids, int64_t folder_id);
  // Moves to Trash; messages already in Trash are removed for good.
  Result<void> Delete(std::span<const int64_t> ids);
  // Removes the messages flagged deleted in `folder_id`; returns how many.
  Result<int64_t> Expunge(int64_t folder_id);
  // Delete() for the messages flagged deleted in `folder_id`: they go to Trash, their deleted
  // flag cleared there (they were deleted from their folder, not from Trash); in Trash they
  // are expunged. One transaction; returns how many.
  Result<int64_t> PurgeDeleted(int64_t folder_id);

  Result<std::vector<MessageSummary>> Page(const PageRequest& request);
  Result<int64_t> Count(const PageRequest& request);
  // Every message of the thread `id` belongs to, oldest first.
  Result<std::vector<MessageSummary>> Thread(int64_t id);
  Result<MessageSummary> Summary(int64_t id);
  // Every stored copy of the message with this Message-ID (without angle brackets), oldest
  // first: a reply's original, found again from a recalled draft's In-Reply-To.
  Result<std::vector<MessageSummary>> WithMessageId(std::string_view message_id);
  // The highest message id in the store (ids only grow: a later arrival has a higher one); 0
  // when empty. Cheap: the rowid's end.
  Result<int64_t> LastMessageId();
  // Messages of `folder_id` stored after `after_id`, in arrival order, at most `limit`: what
  // arrived since LastMessageId() was read. Reads only the rows above `after_id`.
  Result<std::vector<MessageSummary>> Arrivals(int64_t folder_id, int64_t after_id, int limit);
  Result<std::string> Raw(int64_t id);

  // True when another connection committed since the last call (PRAGMA data_version).
  Result<bool> Changed();

  // For a connection that writes batch after batch (pigeon import, pigeond's writer): a 32 MiB
  // page cache keeps the random-key indexes (sha256, Message-IDs) of a large store from being
  // re-read and re-spilled within one batch. Not the default: a short-lived process pays for
  // each page such a cache fills (an allocation and a page fault), and a search of 100,000
  // messages ran twice as long with it.
  Result<void> UseLargeCache();

  // From now on this connection's commits are checkpointed by a thread of their own (see
  // wal_checkpointer.h): for a long run of batches, such as an import.
  Result<void> CheckpointInBackground(const CheckpointLimits& limits = {});
  // Around a long run of batches (pigeon import): a large cache, checkpoints in the background, and
  // full-text segments merged 8 at a time rather than 4 (FTS5 automerge). Each merge rewrites the
  // segments it takes: with 4, a 100k-message import rewrote its index about four times, a
  // quarter of its time. EndBulkLoad() sets 4 again and merges what the batches left (up to 7
  // segments a level, which made searches up to 18% slower) down to at most 3 a level, in
  // short transactions. A process that dies in between leaves 8 set: searches then read a few
  // more segments until the next EndBulkLoad().
  Result<void> BeginBulkLoad();
  Result<void> EndBulkLoad();

  Database& database() { return *db_; }

  // While set, reads ask `interrupt` as they run and stop with kCancelled when it says true:
  // the reader's ^G on a slow search (Database::SetInterruptCheck, asked every `steps`
  // steps). Empty removes it.
  void SetInterruptCheck(std::function<bool()> interrupt, int steps = 20000) {
    db_->SetInterruptCheck(std::move(interrupt), steps);
  }

 private:
  friend class Batch;
  friend class OutgoingQueue;
  Store(std::unique_ptr<Database> db, const sys::Clock& clock);
  Result<void> Migrate();
  // Adds the message; a new body's index text goes to `search_texts` (written at commit).
  Result<InsertResult> AddInTransaction(int64_t folder_id, std::string_view raw,
                                        const InsertOptions& options,
                                        std::vector<SearchText>& search_texts);
  // The same with the SHA-256 (hex) of `raw` known, and its summary when `prepared` is not
  // null (then taken from: the fields move into the row and the index text).
  Result<InsertResult> AddInTransaction(int64_t folder_id, std::string_view raw,
                                        const std::string& sha256, MessageSummaryFields* prepared,
                                        const InsertOptions& options,
                                        std::vector<SearchText>& search_texts);
  // `raw`: the message's bytes as they go out (without a Return-Path line).
  Result<void> EnqueueInTransaction(const IncomingMessage& message, std::string_view raw,
                                    std::vector<SearchText>& search_texts);
  Result<std::optional<int64_t>> FindBody(const std::string& sha256);
  Result<int64_t> InsertBody(const std::string& sha256, std::string_view raw,
                             MessageSummaryFields& fields, std::vector<SearchText>& search_texts);
  Result<void> WriteSearchTexts(std::span<const SearchText> texts);
  struct ThreadAssignment {
    int64_t thread_id = 0;
    std::optional<int64_t> new_row;  // the row id the message must take: it names a new thread
  };
  // The thread of a message about to be inserted that has or refers to `ids`.
  Result<ThreadAssignment> AssignThread(const std::vector<std::string>& ids);
  Result<void> RemoveMessages(std::span<const int64_t> ids);
  // Deletes the body and its full-text entry when no message or queue entry uses it.
  Result<void> DropBodyIfUnused(int64_t body_id);
  Result<void> UpdateEach(std::string_view sql, std::span<const int64_t> ids,
                          std::span<const SqlParam> leading);
  Result<std::vector<MessageSummary>> ThreadPage(const PageRequest& request);
  // `sql_tail` continues "SELECT <summary columns>, " with the thread date column, FROM, …
  Result<std::vector<MessageSummary>> QuerySummaries(const std::string& sql_tail,
                                                     std::span<const SqlParam> params);
  // What a listing reads: `from` is "messages m", or with `may_join_search`, for a query that
  // is one full-text MATCH, the index joined to its messages (the MATCH then reads "search
  // MATCH ?"); `where` is the folder and query condition.
  struct Selection {
    std::string from;
    std::string where;
  };
  Result<Selection> SelectionFor(const PageRequest& request, std::vector<SqlParam>& params,
                                 bool may_join_search);

  std::unique_ptr<Database> db_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // after db_: goes first
  const sys::Clock& clock_;
  int64_t last_data_version_ = -1;
};

// The default database path: $XDG_DATA_HOME/pigeon/pigeon.db, else ~/.local/share/pigeon/….
std::string DefaultStorePath();

}  // namespace pigeon::store
