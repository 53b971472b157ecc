#include "common/store/outgoing_queue.h"

#include <array>
#include <map>

#include <fmt/format.h>

#include "common/store/schema.h"
#include "common/store/summary.h"

namespace pigeon::store {
namespace {

constexpr std::array<std::string_view, 5> kStateNames = {"queued", "inflight", "deferred",
                                                         "delivered", "bounced"};

RecipientState StateFromName(std::string_view name) {
  for (size_t i = 0; i < kStateNames.size(); ++i) {
    if (kStateNames[i] == name) return static_cast<RecipientState>(i);
  }
  return RecipientState::kQueued;  // the CHECK constraint admits nothing else
}

constexpr std::string_view kMessageColumns =
    "q.id, q.queue_id, q.body_id, q.sender, q.arrived, q.size, q.eight_bit, q.smtputf8, q.held, "
    "q.delay_warned, q.origin, q.envid, q.dsn_ret, "
    "r.id, r.address, r.state, r.attempts, r.next_attempt, r.last_reply, r.updated, r.original, "
    "r.notify";

// Rows of kMessageColumns ordered by message, folded into messages with their recipients.
Result<std::vector<QueuedMessage>> FoldRows(Statement& statement) {
  std::vector<QueuedMessage> messages;
  for (;;) {
    Result<bool> row = statement.Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    const int64_t message_row = statement.ColumnInt(0);
    if (messages.empty() || messages.back().row != message_row) {
      QueuedMessage& message = messages.emplace_back();
      message.row = message_row;
      message.queue_id = statement.ColumnText(1);
      message.body_id = statement.ColumnInt(2);
      message.sender = statement.ColumnText(3);
      message.arrived = statement.ColumnInt(4);
      message.size = statement.ColumnInt(5);
      message.eight_bit = statement.ColumnInt(6) != 0;
      message.smtputf8 = statement.ColumnInt(7) != 0;
      message.held = statement.ColumnInt(8) != 0;
      message.delay_warned = statement.ColumnInt(9) != 0;
      message.origin = statement.ColumnText(10);
      message.envid = statement.ColumnText(11);
      message.dsn_ret = statement.ColumnText(12);
    }
    QueuedRecipient& recipient = messages.back().recipients.emplace_back();
    recipient.id = statement.ColumnInt(13);
    recipient.address = statement.ColumnText(14);
    recipient.state = StateFromName(statement.ColumnText(15));
    recipient.attempts = static_cast<int>(statement.ColumnInt(16));
    recipient.next_attempt = statement.ColumnInt(17);
    recipient.last_reply = statement.ColumnIsNull(18) ? "" : statement.ColumnText(18);
    recipient.updated = statement.ColumnIsNull(19) ? 0 : statement.ColumnInt(19);
    recipient.original = statement.ColumnText(20);
    recipient.notify = statement.ColumnText(21);
  }
  return messages;
}

}  // namespace

std::string_view RecipientStateName(RecipientState state) {
  return kStateNames[static_cast<size_t>(state)];
}

bool IsFinal(RecipientState state) {
  return state == RecipientState::kDelivered || state == RecipientState::kBounced;
}

Result<std::vector<QueuedMessage>> OutgoingQueue::Messages(std::string_view where,
                                                           std::span<const SqlParam> params) {
  Result<Statement> select = store_.database().Prepare(
      fmt::format("SELECT {} FROM queue q JOIN queue_recipients r ON r.queue_row = q.id "
                  "WHERE {} ORDER BY q.arrived, q.id, r.id",
                  kMessageColumns, where));
  if (!select) return tl::unexpected(select.error());
  select->BindAll(params);
  return FoldRows(*select);
}

Result<std::vector<QueuedMessage>> OutgoingQueue::List() {
  Result<Transaction> snapshot = Transaction::Begin(store_.database(), Transaction::Kind::kRead);
  if (!snapshot) return tl::unexpected(snapshot.error());
  return Messages("1", {});
}

Result<std::optional<QueuedMessage>> OutgoingQueue::Find(std::string_view queue_id) {
  Result<Transaction> snapshot = Transaction::Begin(store_.database(), Transaction::Kind::kRead);
  if (!snapshot) return tl::unexpected(snapshot.error());
  const std::array<SqlParam, 1> params = {std::string(queue_id)};
  Result<std::vector<QueuedMessage>> found = Messages("q.queue_id = ?", params);
  if (!found) return tl::unexpected(found.error());
  if (found->empty()) return std::nullopt;
  return std::move(found->front());
}

Result<std::vector<QueuedMessage>> OutgoingQueue::ClaimDue(int64_t now, int limit) {
  Database& db = store_.database();
  Result<Transaction> transaction = Transaction::Begin(db, Transaction::Kind::kWrite);
  if (!transaction) return tl::unexpected(transaction.error());
  // The due recipients, oldest messages first, so one slow domain cannot starve the others
  // of their turn for long.
  Result<Statement> due = db.Prepare(fmt::format(
      "SELECT {} FROM queue q JOIN queue_recipients r ON r.queue_row = q.id "
      "WHERE r.id IN (SELECT r2.id FROM queue_recipients r2 JOIN queue q2 ON q2.id = r2.queue_row "
      "  WHERE r2.state IN ('queued', 'deferred') AND r2.next_attempt <= ? AND q2.held = 0 "
      "  ORDER BY q2.arrived, q2.id, r2.id LIMIT ?) "
      "ORDER BY q.arrived, q.id, r.id",
      kMessageColumns));
  if (!due) return tl::unexpected(due.error());
  due->Bind(1, now).Bind(2, static_cast<int64_t>(limit));
  Result<std::vector<QueuedMessage>> messages = FoldRows(*due);
  if (!messages) return messages;
  Result<CachedStatement> claim = db.Cached(
      "UPDATE queue_recipients SET state = 'inflight', attempts = attempts + 1, updated = ? "
      "WHERE id = ?");
  if (!claim) return tl::unexpected(claim.error());
  for (QueuedMessage& message : *messages) {
    for (QueuedRecipient& recipient : message.recipients) {
      (*claim)->Reset();
      if (Result<void> done = (*claim)->Bind(1, now).Bind(2, recipient.id).Run(); !done) {
        return tl::unexpected(done.error());
      }
      recipient.state = RecipientState::kInflight;
      ++recipient.attempts;
      recipient.updated = now;
    }
  }
  if (Result<void> done = transaction->Commit(); !done) return tl::unexpected(done.error());
  return messages;
}

Result<std::vector<std::string>> OutgoingQueue::Record(std::span<const RecipientUpdate> updates,
                                                       int64_t now,
                                                       std::span<const IncomingMessage> notices) {
  Database& db = store_.database();
  Result<Batch> batch = store_.BeginBatch(/*durable=*/false);
  if (!batch) return tl::unexpected(batch.error());
  Result<CachedStatement> update = db.Cached(
      "UPDATE queue_recipients SET state = ?, last_reply = ?, next_attempt = ?, updated = ? "
      "WHERE id = ? RETURNING queue_row");
  if (!update) return tl::unexpected(update.error());
  std::map<int64_t, bool> touched_messages;
  for (const RecipientUpdate& outcome : updates) {
    (*update)->Reset();
    (*update)
        ->Bind(1, RecipientStateName(outcome.state))
        .Bind(2, outcome.reply)
        .Bind(3, outcome.next_attempt)
        .Bind(4, now)
        .Bind(5, outcome.recipient_id);
    Result<bool> row = (*update)->Step();
    if (!row) return tl::unexpected(row.error());
    if (*row) touched_messages[(*update)->ColumnInt(0)] = true;
  }
  (*update)->Reset();
  std::vector<std::string> finished;
  for (const auto& [message_row, unused] : touched_messages) {
    Result<std::vector<std::string>> removed = RemoveFinished(message_row);
    if (!removed) return removed;
    finished.insert(finished.end(), removed->begin(), removed->end());
  }
  for (const IncomingMessage& notice : notices) {
    if (Result<void> done = batch->Deliver(notice); !done) return tl::unexpected(done.error());
  }
  if (Result<void> done = batch->Commit(); !done) return tl::unexpected(done.error());
  return finished;
}

// Inside the caller's transaction: drops the message when no recipient is waiting any more.
Result<std::vector<std::string>> OutgoingQueue::RemoveFinished(int64_t message_row) {
  Database& db = store_.database();
  Result<CachedStatement> finished = db.Cached(
      "SELECT queue_id, body_id FROM queue WHERE id = ? AND NOT EXISTS (SELECT 1 FROM "
      "queue_recipients WHERE queue_row = queue.id AND state IN ('queued', 'inflight', "
      "'deferred'))");
  if (!finished) return tl::unexpected(finished.error());
  Result<bool> row = (*finished)->Bind(1, message_row).Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::vector<std::string>{};
  std::vector<std::string> removed = {(*finished)->ColumnText(0)};
  const int64_t body_id = (*finished)->ColumnInt(1);
  (*finished)->Reset();
  Result<CachedStatement> drop = db.Cached("DELETE FROM queue WHERE id = ?");
  if (!drop) return tl::unexpected(drop.error());
  if (Result<void> done = (*drop)->Bind(1, message_row).Run(); !done) {
    return tl::unexpected(done.error());
  }
  if (Result<void> done = store_.DropBodyIfUnused(body_id); !done) {
    return tl::unexpected(done.error());
  }
  return removed;
}

Result<int64_t> OutgoingQueue::RecoverInflight() {
  Database& db = store_.database();
  if (Result<void> done = db.Exec("UPDATE queue_recipients SET state = 'queued' "
                                  "WHERE state = 'inflight'");
      !done) {
    return tl::unexpected(done.error());
  }
  return db.Changes();
}

Result<std::optional<int64_t>> OutgoingQueue::NextDue() {
  Result<CachedStatement> next = store_.database().Cached(
      "SELECT min(r.next_attempt) FROM queue_recipients r JOIN queue q ON q.id = r.queue_row "
      "WHERE r.state IN ('queued', 'deferred') AND q.held = 0");
  if (!next) return tl::unexpected(next.error());
  Result<bool> row = (*next)->Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row || (*next)->ColumnIsNull(0)) return std::nullopt;
  return (*next)->ColumnInt(0);
}

Result<void> OutgoingQueue::MarkDelayWarned(int64_t message_row) {
  Result<CachedStatement> mark =
      store_.database().Cached("UPDATE queue SET delay_warned = 1 WHERE id = ?");
  if (!mark) return tl::unexpected(mark.error());
  return (*mark)->Bind(1, message_row).Run();
}

Result<bool> OutgoingQueue::Hold(std::string_view queue_id, bool held) {
  Database& db = store_.database();
  Result<Statement> hold = db.Prepare("UPDATE queue SET held = ? WHERE queue_id = ?");
  if (!hold) return tl::unexpected(hold.error());
  if (Result<void> done = hold->Bind(1, held ? 1 : 0).Bind(2, queue_id).Run(); !done) {
    return tl::unexpected(done.error());
  }
  return db.Changes() > 0;
}

Result<bool> OutgoingQueue::Remove(std::string_view queue_id) {
  Database& db = store_.database();
  Result<Transaction> transaction = Transaction::Begin(db, Transaction::Kind::kWrite);
  if (!transaction) return tl::unexpected(transaction.error());
  Result<Statement> find = db.Prepare("SELECT id, body_id FROM queue WHERE queue_id = ?");
  if (!find) return tl::unexpected(find.error());
  Result<bool> row = find->Bind(1, queue_id).Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return false;
  const int64_t message_row = find->ColumnInt(0);
  const int64_t body_id = find->ColumnInt(1);
  find->Reset();
  Result<Statement> drop = db.Prepare("DELETE FROM queue WHERE id = ?");
  if (!drop) return tl::unexpected(drop.error());
  if (Result<void> done = drop->Bind(1, message_row).Run(); !done) {
    return tl::unexpected(done.error());
  }
  if (Result<void> done = store_.DropBodyIfUnused(body_id); !done) {
    return tl::unexpected(done.error());
  }
  if (Result<void> done = transaction->Commit(); !done) return tl::unexpected(done.error());
  return true;
}

Result<int64_t> OutgoingQueue::Schedule(std::string_view queue_id, int64_t not_before) {
  Database& db = store_.database();
  Result<Statement> schedule = db.Prepare(
      "UPDATE queue_recipients SET next_attempt = ? "
      "WHERE queue_row = (SELECT id FROM queue WHERE queue_id = ?) AND state = 'queued'");
  if (!schedule) return tl::unexpected(schedule.error());
  if (Result<void> done = schedule->Bind(1, not_before).Bind(2, queue_id).Run(); !done) {
    return tl::unexpected(done.error());
  }
  return db.Changes();
}

std::string_view WithoutTraceFields(std::string_view raw) {
  while (raw.starts_with("Return-Path:") || raw.starts_with("Received:")) {
    size_t end = raw.find('\n');
    // Folded continuation lines belong to the field.
    while (end != std::string_view::npos && end + 1 < raw.size() &&
           (raw[end + 1] == ' ' || raw[end + 1] == '\t')) {
      end = raw.find('\n', end + 1);
    }
    if (end == std::string_view::npos) break;
    raw.remove_prefix(end + 1);
  }
  return raw;
}

Result<std::optional<PulledBack>> OutgoingQueue::PullBack(std::string_view queue_id,
                                                          std::optional<int64_t> keep_in) {
  Database& db = store_.database();
  Result<Batch> transaction = store_.BeginBatch(/*durable=*/true);
  if (!transaction) return tl::unexpected(transaction.error());
  Result<Statement> find = db.Prepare(
      "SELECT q.id, q.body_id, (SELECT count(*) FROM queue_recipients r WHERE r.queue_row = q.id "
      "AND r.state IN ('inflight', 'delivered')) FROM queue q WHERE q.queue_id = ?");
  if (!find) return tl::unexpected(find.error());
  Result<bool> row = find->Bind(1, queue_id).Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::nullopt;
  const int64_t message_row = find->ColumnInt(0);
  const int64_t body_id = find->ColumnInt(1);
  if (find->ColumnInt(2) > 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{}: too late, already sent to a recipient", queue_id));
  }
  find->Reset();
  PulledBack pulled;
  Result<std::string> raw = Body(body_id);
  if (!raw) return tl::unexpected(raw.error());
  pulled.raw = std::move(*raw);

  // The copies share the Message-ID; thread_refs finds their thread without a scan.
  std::vector<int64_t> copies;
  if (std::optional<std::string> message_id = ExtractSummary(pulled.raw).message_id) {
    Result<Statement> same = db.Prepare(
        "SELECT m.id FROM thread_refs t JOIN messages m ON m.thread_id = t.thread_id "
        "WHERE t.msgid = ? AND m.message_id = ?");
    if (!same) return tl::unexpected(same.error());
    same->Bind(1, *message_id).Bind(2, *message_id);
    for (;;) {
      Result<bool> next = same->Step();
      if (!next) return tl::unexpected(next.error());
      if (!*next) break;
      copies.push_back(same->ColumnInt(0));
    }
  }
  Result<Statement> drop = db.Prepare("DELETE FROM queue WHERE id = ?");
  if (!drop) return tl::unexpected(drop.error());
  if (Result<void> done = drop->Bind(1, message_row).Run(); !done) {
    return tl::unexpected(done.error());
  }
  if (Result<void> done = store_.RemoveMessages(copies); !done) {
    return tl::unexpected(done.error());
  }
  if (keep_in) {
    InsertOptions options;
    options.flags = kFlagDraft | kFlagSeen;
    Result<InsertResult> kept = transaction->Add(*keep_in, WithoutTraceFields(pulled.raw), options);
    if (!kept) return tl::unexpected(kept.error());
    pulled.kept_id = kept->id;
  }
  if (Result<void> done = store_.DropBodyIfUnused(body_id); !done) {
    return tl::unexpected(done.error());
  }
  if (Result<void> done = transaction->Commit(); !done) return tl::unexpected(done.error());
  pulled.removed_copies = static_cast<int64_t>(copies.size());
  return pulled;
}

Result<int64_t> OutgoingQueue::Requeue(std::string_view queue_id, int64_t now) {
  Database& db = store_.database();
  Result<Statement> requeue =
      queue_id.empty() ? db.Prepare(
                             "UPDATE queue_recipients SET state = 'queued', next_attempt = ? "
                             "WHERE state IN ('queued', 'deferred')")
                       : db.Prepare(
                             "UPDATE queue_recipients SET state = 'queued', next_attempt = ? "
                             "WHERE queue_row = (SELECT id FROM queue WHERE queue_id = ?) "
                             "AND state IN ('queued', 'deferred')");
  if (!requeue) return tl::unexpected(requeue.error());
  requeue->Bind(1, now);
  if (!queue_id.empty()) requeue->Bind(2, queue_id);
  if (Result<void> done = requeue->Run(); !done) return tl::unexpected(done.error());
  return db.Changes();
}

Result<int64_t> OutgoingQueue::HoldAll(bool held) {
  Database& db = store_.database();
  Result<Statement> hold = db.Prepare("UPDATE queue SET held = ? WHERE held <> ?");
  if (!hold) return tl::unexpected(hold.error());
  if (Result<void> done = hold->Bind(1, held ? 1 : 0).Bind(2, held ? 1 : 0).Run(); !done) {
    return tl::unexpected(done.error());
  }
  return db.Changes();
}

Result<std::string> OutgoingQueue::Body(int64_t body_id) {
  Result<CachedStatement> body = store_.database().Cached("SELECT raw FROM bodies WHERE id = ?");
  if (!body) return tl::unexpected(body.error());
  Result<bool> row = (*body)->Bind(1, body_id).Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kNotFound, fmt::format("no body {}", body_id));
  return std::string((*body)->ColumnBlob(0));
}

}  // namespace pigeon::store
