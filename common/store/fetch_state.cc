// See fetch_state.h.
#include "common/store/fetch_state.h"

namespace pigeon::store {

Result<std::optional<FetchFolderState>> FetchState::Folder(std::string_view account,
                                                           std::string_view folder) {
  Result<CachedStatement> select = store_.database().Cached(
      "SELECT uidvalidity, last_uid FROM fetch_folders WHERE account = ? AND folder = ?");
  if (!select) return tl::unexpected(select.error());
  (*select)->Bind(1, account).Bind(2, folder);
  Result<bool> row = (*select)->Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<FetchFolderState>();
  return FetchFolderState{(*select)->ColumnInt(0), (*select)->ColumnInt(1)};
}

Result<void> FetchState::SetFolder(std::string_view account, std::string_view folder,
                                   const FetchFolderState& state) {
  Result<CachedStatement> upsert = store_.database().Cached(
      "INSERT INTO fetch_folders (account, folder, uidvalidity, last_uid, updated) "
      "VALUES (?, ?, ?, ?, strftime('%s', 'now')) ON CONFLICT (account, folder) DO UPDATE SET "
      "uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid, "
      "updated = excluded.updated");
  if (!upsert) return tl::unexpected(upsert.error());
  return (*upsert)
      ->Bind(1, account)
      .Bind(2, folder)
      .Bind(3, state.uidvalidity)
      .Bind(4, state.last_uid)
      .Run();
}

Result<bool> FetchState::Seen(std::string_view account, std::string_view folder,
                              std::string_view sha256,
                              const std::optional<std::string>& message_id) {
  Result<CachedStatement> by_hash = store_.database().Cached(
      "SELECT 1 FROM fetched WHERE account = ? AND folder = ? AND sha256 = ? LIMIT 1");
  if (!by_hash) return tl::unexpected(by_hash.error());
  (*by_hash)->Bind(1, account).Bind(2, folder).Bind(3, sha256);
  Result<bool> found = (*by_hash)->Step();
  if (!found || *found || !message_id) return found;
  Result<CachedStatement> by_id = store_.database().Cached(
      "SELECT 1 FROM fetched WHERE account = ? AND folder = ? AND message_id = ? LIMIT 1");
  if (!by_id) return tl::unexpected(by_id.error());
  (*by_id)->Bind(1, account).Bind(2, folder).Bind(3, *message_id);
  return (*by_id)->Step();
}

Result<bool> FetchState::HasRemoteId(std::string_view account, std::string_view folder,
                                     std::string_view remote_id) {
  Result<CachedStatement> select = store_.database().Cached(
      "SELECT 1 FROM fetched WHERE account = ? AND folder = ? AND remote_id = ?");
  if (!select) return tl::unexpected(select.error());
  (*select)->Bind(1, account).Bind(2, folder).Bind(3, remote_id);
  return (*select)->Step();
}

Result<void> FetchState::Record(std::string_view account, std::string_view folder,
                                const FetchedMessage& message) {
  Result<CachedStatement> insert = store_.database().Cached(
      "INSERT OR REPLACE INTO fetched (account, folder, remote_id, sha256, message_id, fetched) "
      "VALUES (?, ?, ?, ?, ?, strftime('%s', 'now'))");
  if (!insert) return tl::unexpected(insert.error());
  return (*insert)
      ->Bind(1, account)
      .Bind(2, folder)
      .Bind(3, message.remote_id)
      .Bind(4, message.sha256)
      .Bind(5, message.message_id)
      .Run();
}

Result<std::vector<std::string>> FetchState::RemoteIds(std::string_view account,
                                                       std::string_view folder) {
  Result<CachedStatement> select = store_.database().Cached(
      "SELECT remote_id FROM fetched WHERE account = ? AND folder = ? ORDER BY remote_id");
  if (!select) return tl::unexpected(select.error());
  (*select)->Bind(1, account).Bind(2, folder);
  std::vector<std::string> ids;
  for (;;) {
    Result<bool> row = (*select)->Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return ids;
    ids.push_back((*select)->ColumnText(0));
  }
}

Result<void> FetchState::Forget(std::string_view account, std::string_view folder,
                                std::string_view remote_id) {
  Result<CachedStatement> remove = store_.database().Cached(
      "DELETE FROM fetched WHERE account = ? AND folder = ? AND remote_id = ?");
  if (!remove) return tl::unexpected(remove.error());
  return (*remove)->Bind(1, account).Bind(2, folder).Bind(3, remote_id).Run();
}

}  // namespace pigeon::store
