// The outgoing queue's writes (schema migration 3). See store.h, IncomingMessage.
#include "common/store/store.h"
#include "common/store/summary.h"
#include "common/util/sha256.h"

namespace pigeon::store {

Result<void> Store::EnqueueInTransaction(const IncomingMessage& message, std::string_view raw,
                                         std::vector<SearchText>& search_texts) {
  const std::string sha256 = Sha256Hex(raw);
  Result<std::optional<int64_t>> body_id = FindBody(sha256);
  if (!body_id) return tl::unexpected(body_id.error());
  if (!*body_id) {
    MessageSummaryFields fields = ExtractSummary(raw);
    Result<int64_t> inserted = InsertBody(sha256, raw, fields, search_texts);
    if (!inserted) return tl::unexpected(inserted.error());
    *body_id = *inserted;
  }
  const int64_t now = message.arrived.value_or(clock_.NowUtcSeconds());
  Result<CachedStatement> insert = db_->Cached(
      "INSERT INTO queue (queue_id, body_id, sender, arrived, size, eight_bit, smtputf8, origin, "
      "envid, dsn_ret) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return tl::unexpected(insert.error());
  (*insert)
      ->Bind(1, message.queue_id)
      .Bind(2, **body_id)
      .Bind(3, message.sender)
      .Bind(4, now)
      .Bind(5, static_cast<int64_t>(raw.size()))
      .Bind(6, message.eight_bit ? 1 : 0)
      .Bind(7, message.smtputf8 ? 1 : 0)
      .Bind(8, message.origin)
      .Bind(9, message.envid)
      .Bind(10, message.dsn_ret);
  if (Result<void> done = (*insert)->Run(); !done) return done;
  const int64_t queue_row = db_->LastInsertRowid();
  Result<CachedStatement> recipient = db_->Cached(
      "INSERT INTO queue_recipients (queue_row, address, next_attempt, updated, notify) "
      "VALUES (?, ?, ?, ?, ?)");
  if (!recipient) return tl::unexpected(recipient.error());
  for (const std::string& address : message.remote_recipients) {
    (*recipient)->Reset();
    (*recipient)
        ->Bind(1, queue_row)
        .Bind(2, address)
        .Bind(3, now)
        .Bind(4, now)
        .Bind(5, message.notify);
    if (Result<void> done = (*recipient)->Run(); !done) return done;
  }
  return {};
}

}  // namespace pigeon::store
