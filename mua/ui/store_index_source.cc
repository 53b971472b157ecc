// See store_index_source.h.
#include "mua/ui/store_index_source.h"

#include <utility>

namespace pigeon::mua::ui {

Result<std::vector<store::MessageSummary>> StoreIndexSource::Read(store::SortOrder order,
                                                                  std::optional<RowKey> from,
                                                                  int limit, std::string query) {
  store::PageRequest request;
  request.folder_id = folder_id_;
  request.order = order;
  request.limit = limit;
  request.query = std::move(query);
  if (from) request.after = store::PageCursor{from->date, from->id};
  return store_.Page(request);
}

Result<std::vector<store::MessageSummary>> StoreIndexSource::After(std::optional<RowKey> after,
                                                                   int limit) {
  return Read(store::SortOrder::kDateAscending, after, limit, "");
}

Result<std::vector<store::MessageSummary>> StoreIndexSource::Before(std::optional<RowKey> before,
                                                                    int limit) {
  return Read(store::SortOrder::kDateDescending, before, limit, "");
}

Result<std::optional<store::MessageSummary>> StoreIndexSource::NextUnread(
    std::optional<RowKey> after) {
  Result<std::vector<store::MessageSummary>> rows =
      Read(store::SortOrder::kDateAscending, after, 1, "is:unread -is:deleted");
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<store::MessageSummary>();
  return std::optional<store::MessageSummary>(std::move(rows->front()));
}

}  // namespace pigeon::mua::ui
