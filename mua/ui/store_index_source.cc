// See store_index_source.h.
#include "mua/ui/store_index_source.h"

#include <utility>

#include "mua/ui/view_query.h"

namespace pigeon::mua::ui {
Result<std::vector<store::MessageSummary>> StoreIndexSource::Read(store::SortOrder order,
                                                                  std::optional<RowKey> from,
                                                                  int limit,
                                                                  std::string_view query) {
  store::PageRequest request;
  request.folder_id = folder_id_;
  request.order = order;
  request.limit = limit;
  request.query = BothQueries(limit_, query);
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
  return FirstMatching("is:unread -is:deleted", after);
}

Result<std::optional<store::MessageSummary>> StoreIndexSource::FirstMatching(
    std::string_view query, std::optional<RowKey> after) {
  Result<std::vector<store::MessageSummary>> rows =
      Read(store::SortOrder::kDateAscending, after, 1, query);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<store::MessageSummary>();
  return std::optional<store::MessageSummary>(std::move(rows->front()));
}

Result<std::vector<int64_t>> StoreIndexSource::AllMatching(std::string_view query) {
  std::vector<int64_t> ids;
  std::optional<RowKey> after;
  for (;;) {
    Result<std::vector<store::MessageSummary>> page =
        Read(store::SortOrder::kDateAscending, after, matching_page_, query);
    if (!page) return tl::unexpected(page.error());
    for (const store::MessageSummary& row : *page) ids.push_back(row.id);
    if (static_cast<int>(page->size()) < matching_page_) return ids;
    after = RowKey{page->back().date, page->back().id};
  }
}

Result<int64_t> StoreIndexSource::CountShown() {
  store::PageRequest request;
  request.folder_id = folder_id_;
  request.query = limit_;
  return store_.Count(request);
}

}  // namespace pigeon::mua::ui
