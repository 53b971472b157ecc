// See store_index_source.h.
#include "mua/ui/store_index_source.h"

#include <algorithm>
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
  if (from) {
    // An inclusive key starts one id before the row, in the direction of the read (ids are
    // integers: nothing sorts between them).
    const int64_t step = order == store::SortOrder::kDateAscending ? -1 : 1;
    request.after = store::PageCursor{from->date, from->inclusive ? from->id + step : from->id};
  }
  return store_.Page(request);
}

store::SortOrder StoreIndexSource::DateOrder(bool forward) const {
  return forward != reverse_ ? store::SortOrder::kDateAscending : store::SortOrder::kDateDescending;
}

Result<std::vector<store::MessageSummary>> StoreIndexSource::ThreadPage(
    std::optional<store::PageCursor> after, bool newest_first, int limit, std::string_view query) {
  store::PageRequest request;
  request.folder_id = folder_id_;
  request.order = newest_first ? store::SortOrder::kThreads : store::SortOrder::kThreadsOldestFirst;
  request.limit = limit;
  request.query = BothQueries(limit_, query);
  request.after = after;
  return store_.Page(request);
}

Result<std::optional<store::MessageSummary>> StoreIndexSource::OldestUnread() {
  Result<std::vector<store::MessageSummary>> rows =
      Read(store::SortOrder::kDateAscending, std::nullopt, 1, kUnreadQuery);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<store::MessageSummary>();
  return CurrentThreadRow(rows->front().id);
}

Result<std::optional<store::MessageSummary>> StoreIndexSource::CurrentThreadRow(int64_t id) {
  Result<std::vector<store::MessageSummary>> thread = store_.Thread(id);
  if (!thread) return tl::unexpected(thread.error());
  std::optional<store::MessageSummary> found;
  int64_t latest = 0;
  for (const store::MessageSummary& message : *thread) {
    if (message.folder_id != folder_id_) continue;
    latest = std::max(latest, message.date);
    if (message.id == id) found = message;
  }
  if (found) found->thread_date = latest;
  return found;
}

Result<std::vector<store::MessageSummary>> StoreIndexSource::After(std::optional<RowKey> after,
                                                                   int limit) {
  return Read(DateOrder(true), after, limit, "");
}

Result<std::vector<store::MessageSummary>> StoreIndexSource::Before(std::optional<RowKey> before,
                                                                    int limit) {
  return Read(DateOrder(false), before, limit, "");
}

Result<std::optional<store::MessageSummary>> StoreIndexSource::NextUnread(
    std::optional<RowKey> after) {
  return FirstMatching(kUnreadQuery, after);
}

Result<std::optional<store::MessageSummary>> StoreIndexSource::FirstMatching(
    std::string_view query, std::optional<RowKey> after) {
  Result<std::vector<store::MessageSummary>> rows = Read(DateOrder(true), after, 1, query);
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
