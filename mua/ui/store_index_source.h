// The index's rows read from the store: one folder, date order (oldest first, or newest first
// when reversed), by keyset pages (Store::Page with a cursor), limited to the messages matching the
// limit query when one is set (mutt's limit; the store runs it, so a limited 1M-message folder
// pages as fast as the query's index allows). Each call is one short read transaction. It also
// reads the store's threaded pages for ThreadedIndexSource.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/store/store.h"
#include "mua/ui/index_model.h"
#include "mua/ui/threaded_index_source.h"

namespace pigeon::mua::ui {

class StoreIndexSource : public IndexSource, public ThreadPageReader {
 public:
  // `store` must outlive the source. AllMatching() reads `matching_page` rows a call: a
  // full-text query costs about the same for 1,000 rows as for 20,000 (the store finds every
  // match before it sorts them; 0.45 s for a word in 900,000 of 1M messages), while 20,000
  // summaries take ~20 MB.
  StoreIndexSource(store::Store& store, int64_t folder_id, int matching_page = 20000)
      : store_(store), folder_id_(folder_id), matching_page_(matching_page) {}

  Result<std::vector<store::MessageSummary>> After(std::optional<RowKey> after, int limit) override;
  Result<std::vector<store::MessageSummary>> Before(std::optional<RowKey> before,
                                                    int limit) override;
  Result<std::optional<store::MessageSummary>> NextUnread(std::optional<RowKey> after) override;
  Result<std::optional<store::MessageSummary>> FirstMatching(std::string_view query,
                                                             std::optional<RowKey> after) override;
  Result<std::vector<int64_t>> AllMatching(std::string_view query) override;

  Result<std::vector<store::MessageSummary>> ThreadPage(std::optional<store::PageCursor> after,
                                                        bool newest_first, int limit,
                                                        std::string_view query) override;
  Result<std::optional<store::MessageSummary>> CurrentThreadRow(int64_t id) override;
  Result<std::optional<store::MessageSummary>> OldestUnread() override;
  std::string_view UnreadQuery() const override { return kUnreadQuery; }

  // mutt's reverse-date: newest first.
  void SetReverse(bool reverse) { reverse_ = reverse; }

  // A normalized query (view_query.h); "" shows every message again.
  void SetLimit(std::string limit) { limit_ = std::move(limit); }
  const std::string& limit() const { return limit_; }
  // How many messages the view shows: the folder's total unless a limit is set (then one
  // count by the store, as costly as the limit's query).
  Result<int64_t> CountShown();

 private:
  Result<std::vector<store::MessageSummary>> Read(store::SortOrder order,
                                                  std::optional<RowKey> from, int limit,
                                                  std::string_view query);
  static constexpr std::string_view kUnreadQuery = "is:unread -is:deleted";
  // The store's order reading forward (`forward`) or backward in display order.
  store::SortOrder DateOrder(bool forward) const;
  store::Store& store_;
  int64_t folder_id_;
  bool reverse_ = false;
  int matching_page_;
  std::string limit_;
};

}  // namespace pigeon::mua::ui
