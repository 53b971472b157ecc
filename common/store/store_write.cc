// Store operations that change messages: insert (summary, thread, full-text entry), flags,
// keywords, move, copy, delete, expunge. See store.h.
#include <fmt/format.h>

#include "common/store/schema.h"
#include "common/store/store.h"
#include "common/store/summary.h"
#include "common/util/sha256.h"

namespace pigeon::store {
namespace {

std::string Placeholders(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

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

// Adds or removes the full-text entry of a body. A contentless FTS5 table deletes by being
// given the same text again, so removal re-extracts it from the raw bytes.
Result<void> WriteSearchEntry(Database& db, int64_t body_id, const MessageSummaryFields& fields,
                              bool remove) {
  Result<Statement> statement = db.Prepare(
      remove ? "INSERT INTO search (search, rowid, subject, sender, recipients, cc, body) "
               "VALUES ('delete', ?, ?, ?, ?, ?, ?)"
             : "INSERT INTO search (rowid, subject, sender, recipients, cc, body) "
               "VALUES (?, ?, ?, ?, ?, ?)");
  if (!statement) return tl::unexpected(statement.error());
  statement->Bind(1, body_id)
      .Bind(2, fields.subject)
      .Bind(3, fields.search_sender)
      .Bind(4, fields.search_recipients)
      .Bind(5, fields.search_cc)
      .Bind(6, fields.search_body);
  return statement->Run();
}

}  // namespace

Result<InsertResult> Store::AddInTransaction(int64_t folder_id, std::string_view raw,
                                             const InsertOptions& options) {
  const std::string sha256 = Sha256Hex(raw);
  Result<Statement> find_body = db_->Prepare("SELECT id FROM bodies WHERE sha256 = ?");
  if (!find_body) return tl::unexpected(find_body.error());
  Result<bool> found = find_body->Bind(1, sha256).Step();
  if (!found) return tl::unexpected(found.error());
  std::optional<int64_t> body_id;
  if (*found) body_id = find_body->ColumnInt(0);

  if (body_id) {  // the same bytes again: a duplicate when already in this folder
    Result<Statement> existing =
        db_->Prepare("SELECT id FROM messages WHERE body_id = ? AND folder_id = ? LIMIT 1");
    if (!existing) return tl::unexpected(existing.error());
    Result<bool> row = existing->Bind(1, *body_id).Bind(2, folder_id).Step();
    if (!row) return tl::unexpected(row.error());
    if (*row) return InsertResult{existing->ColumnInt(0), true};
  }

  MessageSummaryFields fields = ExtractSummary(raw);
  if (!body_id) {
    Result<Statement> insert_body = db_->Prepare("INSERT INTO bodies (sha256, raw) VALUES (?, ?)");
    if (!insert_body) return tl::unexpected(insert_body.error());
    if (Result<void> done = insert_body->Bind(1, sha256).BindBlob(2, raw).Run(); !done) {
      return tl::unexpected(done.error());
    }
    body_id = db_->LastInsertRowid();
    if (Result<void> done = WriteSearchEntry(*db_, *body_id, fields, false); !done) {
      return tl::unexpected(done.error());
    }
  }

  const int64_t arrived = options.arrived.value_or(clock_.NowUtcSeconds());
  Result<Statement> insert = db_->Prepare(
      "INSERT INTO messages (folder_id, body_id, thread_id, date, arrived, flags, size, "
      "has_attachment, from_name, from_addr, to_text, subject, message_id, parent_id, snippet) "
      "VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return tl::unexpected(insert.error());
  insert->Bind(1, folder_id)
      .Bind(2, *body_id)
      .Bind(3, fields.date.value_or(arrived))
      .Bind(4, arrived)
      .Bind(5, options.flags)
      .Bind(6, static_cast<int64_t>(raw.size()))
      .Bind(7, fields.has_attachment ? 1 : 0)
      .Bind(8, fields.from_name)
      .Bind(9, fields.from_addr)
      .Bind(10, fields.to_text)
      .Bind(11, fields.subject)
      .Bind(12, fields.message_id)
      .Bind(13, fields.parent_id)
      .Bind(14, fields.snippet);
  if (Result<void> done = insert->Run(); !done) return tl::unexpected(done.error());
  const int64_t id = db_->LastInsertRowid();

  std::vector<std::string> thread_keys = fields.references;
  if (fields.message_id) thread_keys.push_back(*fields.message_id);
  if (Result<int64_t> thread = AssignThread(id, thread_keys); !thread) {
    return tl::unexpected(thread.error());
  }
  const int64_t ids[] = {id};
  for (const std::string& keyword : options.keywords) {
    const SqlParam name[] = {keyword};
    Result<void> done = ForEachId(
        *db_, "INSERT OR IGNORE INTO keywords (keyword, message_id) VALUES (?, ?)", ids, name);
    if (!done) return tl::unexpected(done.error());
  }
  return InsertResult{id, false};
}

// JWZ-style threading by ids alone: every Message-ID a message has or refers to maps to its
// thread. A message joining ids of several threads merges them (into the oldest), which is how
// a parent arriving after its replies brings them together.
Result<int64_t> Store::AssignThread(int64_t message_row, const std::vector<std::string>& ids) {
  int64_t thread = message_row;
  std::vector<int64_t> others;
  if (!ids.empty()) {
    Result<Statement> lookup = db_->Prepare(fmt::format(
        "SELECT DISTINCT thread_id FROM thread_refs WHERE msgid IN ({}) ORDER BY thread_id",
        Placeholders(ids.size())));
    if (!lookup) return tl::unexpected(lookup.error());
    for (size_t i = 0; i < ids.size(); ++i) lookup->Bind(static_cast<int>(i) + 1, ids[i]);
    for (;;) {
      Result<bool> row = lookup->Step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      others.push_back(lookup->ColumnInt(0));
    }
  }
  if (!others.empty()) thread = others.front();
  for (int64_t other : others) {
    if (other == thread) continue;
    for (std::string_view sql : {"UPDATE messages SET thread_id = ? WHERE thread_id = ?",
                                 "UPDATE thread_refs SET thread_id = ? WHERE thread_id = ?"}) {
      Result<Statement> merge = db_->Prepare(sql);
      if (!merge) return tl::unexpected(merge.error());
      if (Result<void> done = merge->Bind(1, thread).Bind(2, other).Run(); !done) {
        return tl::unexpected(done.error());
      }
    }
  }
  Result<Statement> set = db_->Prepare("UPDATE messages SET thread_id = ? WHERE id = ?");
  if (!set) return tl::unexpected(set.error());
  if (Result<void> done = set->Bind(1, thread).Bind(2, message_row).Run(); !done) {
    return tl::unexpected(done.error());
  }
  Result<Statement> remember =
      db_->Prepare("INSERT OR REPLACE INTO thread_refs (msgid, thread_id) VALUES (?, ?)");
  if (!remember) return tl::unexpected(remember.error());
  for (const std::string& id : ids) {
    remember->Reset();
    if (Result<void> done = remember->Bind(1, id).Bind(2, thread).Run(); !done) {
      return tl::unexpected(done.error());
    }
  }
  return thread;
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

// Deletes message rows, and each body (with its full-text entry) no other row uses.
// Runs inside the caller's transaction.
Result<void> Store::RemoveMessages(std::span<const int64_t> ids) {
  Result<Statement> body_of = db_->Prepare("SELECT body_id FROM messages WHERE id = ?");
  Result<Statement> remove = db_->Prepare("DELETE FROM messages WHERE id = ?");
  Result<Statement> orphan = db_->Prepare(
      "SELECT raw FROM bodies WHERE id = ? AND NOT EXISTS "
      "(SELECT 1 FROM messages WHERE body_id = bodies.id)");
  Result<Statement> drop_body = db_->Prepare("DELETE FROM bodies WHERE id = ?");
  for (auto* statement : {&body_of, &remove, &orphan, &drop_body}) {
    if (!*statement) return tl::unexpected(statement->error());
  }
  for (int64_t id : ids) {
    body_of->Reset();
    Result<bool> row = body_of->Bind(1, id).Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) continue;
    const int64_t body_id = body_of->ColumnInt(0);
    remove->Reset();
    if (Result<void> done = remove->Bind(1, id).Run(); !done) return done;
    orphan->Reset();
    Result<bool> unused = orphan->Bind(1, body_id).Step();
    if (!unused) return tl::unexpected(unused.error());
    if (!*unused) continue;
    MessageSummaryFields fields = ExtractSummary(orphan->ColumnBlob(0));
    if (Result<void> done = WriteSearchEntry(*db_, body_id, fields, true); !done) return done;
    drop_body->Reset();
    if (Result<void> done = drop_body->Bind(1, body_id).Run(); !done) return done;
  }
  return {};
}

}  // namespace pigeon::store
