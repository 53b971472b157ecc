// Store operations that change messages: insert (summary, thread, full-text entry), flags,
// keywords, move, copy, delete, expunge. See store.h.
#include <algorithm>

#include <fmt/format.h>

#include "common/store/schema.h"
#include "common/store/store.h"
#include "common/store/summary.h"
#include "common/util/sha256.h"

namespace pigeon::store {
namespace {

// Runs `sql` once per id (bound as the last parameter after `leading`).
Result<void> ForEachId(Database& db, std::string_view sql, std::span<const int64_t> ids,
                       std::span<const SqlParam> leading = {}) {
  Result<Statement> statement = db.Prepare(sql);
  if (!statement) return tl::unexpected(statement.error());
  for (int64_t id : ids) {
    statement->Reset();
    statement->BindAll(leading);
    statement->Bind(static_cast<int>(leading.size()) + 1, id);
    if (Result<void> done = statement->Run(); !done) return done;
  }
  return {};
}

constexpr std::string_view kInsertSearchSql =
    "INSERT INTO search (rowid, subject, sender, recipients, cc, body) VALUES (?, ?, ?, ?, ?, ?)";
// A contentless FTS5 table deletes an entry by being given the same text again.
constexpr std::string_view kDeleteSearchSql =
    "INSERT INTO search (search, rowid, subject, sender, recipients, cc, body) "
    "VALUES ('delete', ?, ?, ?, ?, ?, ?)";

Result<void> WriteSearchText(Database& db, std::string_view sql, const SearchText& text) {
  Result<CachedStatement> statement = db.Cached(sql);
  if (!statement) return tl::unexpected(statement.error());
  return (*statement)
      ->Bind(1, text.body_id)
      .Bind(2, text.subject)
      .Bind(3, text.sender)
      .Bind(4, text.recipients)
      .Bind(5, text.cc)
      .Bind(6, text.body)
      .Run();
}

// The index text of a message; takes the search_* fields, leaves the summary columns.
SearchText SearchTextOf(int64_t body_id, MessageSummaryFields& fields) {
  return SearchText{body_id,
                    fields.subject,
                    std::move(fields.search_sender),
                    std::move(fields.search_recipients),
                    std::move(fields.search_cc),
                    std::move(fields.search_body)};
}

// Steps a cached lookup and returns its first column, or nullopt when there is no row.
Result<std::optional<int64_t>> LookupId(CachedStatement& statement) {
  Result<bool> row = statement->Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>(statement->ColumnInt(0));
}

}  // namespace

Result<void> Store::WriteSearchTexts(std::span<const SearchText> texts) {
  for (const SearchText& text : texts) {
    if (Result<void> done = WriteSearchText(*db_, kInsertSearchSql, text); !done) return done;
  }
  return {};
}

Result<std::optional<int64_t>> Store::FindBody(const std::string& sha256) {
  Result<CachedStatement> find_body = db_->Cached("SELECT id FROM bodies WHERE sha256 = ?");
  if (!find_body) return tl::unexpected(find_body.error());
  (*find_body)->Bind(1, sha256);
  return LookupId(*find_body);
}

Result<int64_t> Store::InsertBody(const std::string& sha256, std::string_view raw,
                                  MessageSummaryFields& fields,
                                  std::vector<SearchText>& search_texts) {
  Result<CachedStatement> insert_body =
      db_->Cached("INSERT INTO bodies (sha256, raw) VALUES (?, ?)");
  if (!insert_body) return tl::unexpected(insert_body.error());
  if (Result<void> done = (*insert_body)->Bind(1, sha256).BindBlob(2, raw).Run(); !done) {
    return tl::unexpected(done.error());
  }
  const int64_t body_id = db_->LastInsertRowid();
  search_texts.push_back(SearchTextOf(body_id, fields));
  return body_id;
}

Result<InsertResult> Store::AddInTransaction(int64_t folder_id, std::string_view raw,
                                             const InsertOptions& options,
                                             std::vector<SearchText>& search_texts) {
  return AddInTransaction(folder_id, raw, Sha256Hex(raw), nullptr, options, search_texts);
}

Result<InsertResult> Store::AddInTransaction(int64_t folder_id, std::string_view raw,
                                             const std::string& sha256,
                                             MessageSummaryFields* prepared,
                                             const InsertOptions& options,
                                             std::vector<SearchText>& search_texts) {
  Result<std::optional<int64_t>> body_id = FindBody(sha256);
  if (!body_id) return tl::unexpected(body_id.error());
  if (*body_id) {  // the same bytes again: a duplicate when already in this folder
    Result<CachedStatement> existing =
        db_->Cached("SELECT id FROM messages WHERE body_id = ? AND folder_id = ? LIMIT 1");
    if (!existing) return tl::unexpected(existing.error());
    (*existing)->Bind(1, **body_id).Bind(2, folder_id);
    Result<std::optional<int64_t>> row = LookupId(*existing);
    if (!row) return tl::unexpected(row.error());
    if (*row) return InsertResult{**row, true};
  }

  MessageSummaryFields extracted;
  MessageSummaryFields& fields = prepared != nullptr ? *prepared : extracted;
  if (prepared == nullptr) extracted = ExtractSummary(raw);
  if (!*body_id) {
    Result<int64_t> inserted = InsertBody(sha256, raw, fields, search_texts);
    if (!inserted) return tl::unexpected(inserted.error());
    *body_id = *inserted;
  }

  std::vector<std::string> thread_keys = std::move(fields.references);
  if (fields.message_id) thread_keys.push_back(*fields.message_id);
  Result<ThreadAssignment> thread = AssignThread(thread_keys);
  if (!thread) return tl::unexpected(thread.error());

  const int64_t arrived = options.arrived.value_or(clock_.NowUtcSeconds());
  Result<CachedStatement> insert = db_->Cached(
      "INSERT INTO messages (id, folder_id, body_id, thread_id, date, arrived, flags, size, "
      "has_attachment, from_name, from_addr, to_text, subject, message_id, parent_id, snippet) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return tl::unexpected(insert.error());
  if (thread->new_row) {
    (*insert)->Bind(1, *thread->new_row);
  } else {
    (*insert)->BindNull(1);
  }
  (*insert)
      ->Bind(2, folder_id)
      .Bind(3, **body_id)
      .Bind(4, thread->thread_id)
      .Bind(5, fields.date.value_or(arrived))
      .Bind(6, arrived)
      .Bind(7, options.flags)
      .Bind(8, static_cast<int64_t>(raw.size()))
      .Bind(9, fields.has_attachment ? 1 : 0)
      .Bind(10, fields.from_name)
      .Bind(11, fields.from_addr)
      .Bind(12, fields.to_text)
      .Bind(13, fields.subject)
      .Bind(14, fields.message_id)
      .Bind(15, fields.parent_id)
      .Bind(16, fields.snippet);
  if (Result<void> done = (*insert)->Run(); !done) return tl::unexpected(done.error());
  const int64_t id = db_->LastInsertRowid();

  for (const std::string& keyword : options.keywords) {
    Result<CachedStatement> tag =
        db_->Cached("INSERT OR IGNORE INTO keywords (keyword, message_id) VALUES (?, ?)");
    if (!tag) return tl::unexpected(tag.error());
    if (Result<void> done = (*tag)->Bind(1, keyword).Bind(2, id).Run(); !done) {
      return tl::unexpected(done.error());
    }
  }
  return InsertResult{id, false};
}

// JWZ-style threading by ids alone: every Message-ID a message has or refers to maps to its
// thread. A message joining ids of several threads merges them (into the oldest), which is how
// a parent arriving after its replies brings them together. Runs before the message's row
// exists, so that row is written once, in its thread: a message starting a thread gets the next
// row id, which names the thread. Only ids not yet known are written: rewriting the known ones
// (a reply names up to a dozen) dirtied as many random pages of thread_refs and its index.
Result<Store::ThreadAssignment> Store::AssignThread(const std::vector<std::string>& ids) {
  std::vector<int64_t> others;
  std::vector<const std::string*> unknown;
  {
    Result<CachedStatement> lookup =
        db_->Cached("SELECT thread_id FROM thread_refs WHERE msgid = ?");
    if (!lookup) return tl::unexpected(lookup.error());
    for (const std::string& msgid : ids) {
      (*lookup)->Reset();
      (*lookup)->Bind(1, msgid);
      Result<std::optional<int64_t>> thread = LookupId(*lookup);
      if (!thread) return tl::unexpected(thread.error());
      if (*thread) {
        others.push_back(**thread);
      } else {
        unknown.push_back(&msgid);
      }
    }
  }
  std::sort(others.begin(), others.end());
  others.erase(std::unique(others.begin(), others.end()), others.end());
  ThreadAssignment assignment;
  if (others.empty()) {
    Result<CachedStatement> next = db_->Cached("SELECT coalesce(max(id), 0) + 1 FROM messages");
    if (!next) return tl::unexpected(next.error());
    Result<std::optional<int64_t>> row = LookupId(*next);
    if (!row) return tl::unexpected(row.error());
    assignment.new_row = **row;
    assignment.thread_id = **row;
  } else {
    assignment.thread_id = others.front();
  }
  for (int64_t other : others) {
    if (other == assignment.thread_id) continue;
    for (std::string_view sql : {"UPDATE messages SET thread_id = ? WHERE thread_id = ?",
                                 "UPDATE thread_refs SET thread_id = ? WHERE thread_id = ?"}) {
      Result<CachedStatement> merge = db_->Cached(sql);
      if (!merge) return tl::unexpected(merge.error());
      if (Result<void> done = (*merge)->Bind(1, assignment.thread_id).Bind(2, other).Run(); !done) {
        return tl::unexpected(done.error());
      }
    }
  }
  // OR IGNORE: a message may name its own id among its references.
  Result<CachedStatement> remember =
      db_->Cached("INSERT OR IGNORE INTO thread_refs (msgid, thread_id) VALUES (?, ?)");
  if (!remember) return tl::unexpected(remember.error());
  for (const std::string* id : unknown) {
    (*remember)->Reset();
    if (Result<void> done = (*remember)->Bind(1, *id).Bind(2, assignment.thread_id).Run(); !done) {
      return tl::unexpected(done.error());
    }
  }
  return assignment;
}

// Runs ForEachId in a write transaction of its own.
Result<void> Store::UpdateEach(std::string_view sql, std::span<const int64_t> ids,
                               std::span<const SqlParam> leading) {
  Result<Transaction> transaction = Transaction::Begin(*db_, Transaction::Kind::kWrite);
  if (!transaction) return tl::unexpected(transaction.error());
  if (Result<void> done = ForEachId(*db_, sql, ids, leading); !done) return done;
  return transaction->Commit();
}

Result<void> Store::SetFlags(std::span<const int64_t> ids, int set, int clear) {
  const SqlParam masks[] = {int64_t{set}, int64_t{clear}};
  return UpdateEach("UPDATE messages SET flags = (flags | ?) & ~? WHERE id = ?", ids, masks);
}

Result<void> Store::ToggleFlags(std::span<const int64_t> ids, int flags) {
  // SQLite has no XOR operator: a ^ b = (a | b) & ~(a & b).
  const SqlParam masks[] = {int64_t{flags}, int64_t{flags}};
  return UpdateEach("UPDATE messages SET flags = (flags | ?) & ~(flags & ?) WHERE id = ?", ids,
                    masks);
}

Result<void> Store::AddKeyword(std::span<const int64_t> ids, std::string_view keyword) {
  const SqlParam name[] = {std::string(keyword)};
  return UpdateEach("INSERT OR IGNORE INTO keywords (keyword, message_id) VALUES (?, ?)", ids,
                    name);
}

Result<void> Store::RemoveKeyword(std::span<const int64_t> ids, std::string_view keyword) {
  const SqlParam name[] = {std::string(keyword)};
  return UpdateEach("DELETE FROM keywords WHERE keyword = ? AND message_id = ?", ids, name);
}

Result<void> Store::Move(std::span<const int64_t> ids, int64_t folder_id) {
  const SqlParam folder[] = {folder_id};
  return UpdateEach("UPDATE messages SET folder_id = ? WHERE id = ?", ids, folder);
}

Result<std::vector<int64_t>> Store::Copy(std::span<const int64_t> ids, int64_t folder_id) {
  Result<Transaction> transaction = Transaction::Begin(*db_, Transaction::Kind::kWrite);
  if (!transaction) return tl::unexpected(transaction.error());
  Result<Statement> copy = db_->Prepare(
      "INSERT INTO messages (folder_id, body_id, thread_id, date, arrived, flags, size, "
      "has_attachment, from_name, from_addr, to_text, subject, message_id, parent_id, snippet) "
      "SELECT ?, body_id, thread_id, date, arrived, flags, size, has_attachment, from_name, "
      "from_addr, to_text, subject, message_id, parent_id, snippet FROM messages WHERE id = ?");
  Result<Statement> keywords = db_->Prepare(
      "INSERT INTO keywords (message_id, keyword) SELECT ?, keyword FROM keywords "
      "WHERE message_id = ?");
  if (!copy) return tl::unexpected(copy.error());
  if (!keywords) return tl::unexpected(keywords.error());
  std::vector<int64_t> copies;
  for (int64_t id : ids) {
    copy->Reset();
    if (Result<void> done = copy->Bind(1, folder_id).Bind(2, id).Run(); !done) {
      return tl::unexpected(done.error());
    }
    if (db_->Changes() == 0) continue;  // no such message
    copies.push_back(db_->LastInsertRowid());
    keywords->Reset();
    if (Result<void> done = keywords->Bind(1, copies.back()).Bind(2, id).Run(); !done) {
      return tl::unexpected(done.error());
    }
  }
  if (Result<void> done = transaction->Commit(); !done) return tl::unexpected(done.error());
  return copies;
}

Result<void> Store::Delete(std::span<const int64_t> ids) {
  Result<FolderInfo> trash = FolderByRole("trash");
  if (!trash) return tl::unexpected(trash.error());
  Result<Transaction> transaction = Transaction::Begin(*db_, Transaction::Kind::kWrite);
  if (!transaction) return tl::unexpected(transaction.error());
  std::vector<int64_t> in_trash, elsewhere;
  Result<Statement> where = db_->Prepare("SELECT folder_id FROM messages WHERE id = ?");
  if (!where) return tl::unexpected(where.error());
  for (int64_t id : ids) {
    where->Reset();
    Result<bool> row = where->Bind(1, id).Step();
    if (!row) return tl::unexpected(row.error());
    if (*row) (where->ColumnInt(0) == trash->id ? in_trash : elsewhere).push_back(id);
  }
  const SqlParam folder[] = {trash->id};
  Result<void> done =
      ForEachId(*db_, "UPDATE messages SET folder_id = ? WHERE id = ?", elsewhere, folder);
  if (done) done = RemoveMessages(in_trash);
  if (!done) return done;
  return transaction->Commit();
}

Result<int64_t> Store::Expunge(int64_t folder_id) {
  Result<Transaction> transaction = Transaction::Begin(*db_, Transaction::Kind::kWrite);
  if (!transaction) return tl::unexpected(transaction.error());
  Result<Statement> doomed =
      db_->Prepare(fmt::format("SELECT id FROM messages WHERE folder_id = ? AND flags & {}",
                               static_cast<int>(kFlagDeleted)));
  if (!doomed) return tl::unexpected(doomed.error());
  doomed->Bind(1, folder_id);
  std::vector<int64_t> ids;
  for (;;) {
    Result<bool> row = doomed->Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    ids.push_back(doomed->ColumnInt(0));
  }
  if (Result<void> done = RemoveMessages(ids); !done) return tl::unexpected(done.error());
  if (Result<void> done = transaction->Commit(); !done) return tl::unexpected(done.error());
  return static_cast<int64_t>(ids.size());
}

Result<int64_t> Store::PurgeDeleted(int64_t folder_id) {
  Result<FolderInfo> trash = FolderByRole("trash");
  if (!trash) return tl::unexpected(trash.error());
  if (trash->id == folder_id) return Expunge(folder_id);
  Result<Transaction> transaction = Transaction::Begin(*db_, Transaction::Kind::kWrite);
  if (!transaction) return tl::unexpected(transaction.error());
  Result<Statement> move =
      db_->Prepare(fmt::format("UPDATE messages SET folder_id = ?, flags = flags & ~{0} "
                               "WHERE folder_id = ? AND flags & {0}",
                               static_cast<int>(kFlagDeleted)));
  if (!move) return tl::unexpected(move.error());
  if (Result<void> done = move->Bind(1, trash->id).Bind(2, folder_id).Run(); !done) {
    return tl::unexpected(done.error());
  }
  const int64_t moved = db_->Changes();
  if (Result<void> done = transaction->Commit(); !done) return tl::unexpected(done.error());
  return moved;
}

// Deletes message rows, and each body (with its full-text entry) no other row uses.
// Runs inside the caller's transaction.
Result<void> Store::RemoveMessages(std::span<const int64_t> ids) {
  for (int64_t id : ids) {
    Result<CachedStatement> body_of = db_->Cached("SELECT body_id FROM messages WHERE id = ?");
    if (!body_of) return tl::unexpected(body_of.error());
    Result<bool> row = (*body_of)->Bind(1, id).Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) continue;
    const int64_t body_id = (*body_of)->ColumnInt(0);
    Result<CachedStatement> remove = db_->Cached("DELETE FROM messages WHERE id = ?");
    if (!remove) return tl::unexpected(remove.error());
    if (Result<void> done = (*remove)->Bind(1, id).Run(); !done) return done;
    if (Result<void> done = DropBodyIfUnused(body_id); !done) return done;
  }
  return {};
}

Result<void> Store::DropBodyIfUnused(int64_t body_id) {
  Result<CachedStatement> orphan = db_->Cached(
      "SELECT raw FROM bodies WHERE id = ? AND NOT EXISTS "
      "(SELECT 1 FROM messages WHERE body_id = bodies.id) AND NOT EXISTS "
      "(SELECT 1 FROM queue WHERE body_id = bodies.id)");
  if (!orphan) return tl::unexpected(orphan.error());
  Result<bool> unused = (*orphan)->Bind(1, body_id).Step();
  if (!unused) return tl::unexpected(unused.error());
  if (!*unused) return {};
  MessageSummaryFields fields = ExtractSummary((*orphan)->ColumnBlob(0));
  SearchText text = SearchTextOf(body_id, fields);
  if (Result<void> done = WriteSearchText(*db_, kDeleteSearchSql, text); !done) return done;
  Result<CachedStatement> drop_body = db_->Cached("DELETE FROM bodies WHERE id = ?");
  if (!drop_body) return tl::unexpected(drop_body.error());
  return (*drop_body)->Bind(1, body_id).Run();
}

}  // namespace pigeon::store
