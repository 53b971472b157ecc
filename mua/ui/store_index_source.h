// The index's rows read from the store: one folder, date order, by keyset pages
// (Store::Page with a cursor), limited to the messages matching the limit query when one is
// set (mutt's limit; the store runs it, so a limited 1M-message folder pages as fast as the
// query's index allows). Each call is one short read transaction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/store/store.h"
#include "mua/ui/index_model.h"

namespace pigeon::mua::ui {

class StoreIndexSource : public IndexSource {
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
  store::Store& store_;
  int64_t folder_id_;
  int matching_page_;
  std::string limit_;
};

}  // namespace pigeon::mua::ui
