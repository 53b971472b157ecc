// The index's rows read from the store: one folder, date order, by keyset pages
// (Store::Page with a cursor). Each call is one short read transaction.
#pragma once

#include <cstdint>

#include "common/store/store.h"
#include "mua/ui/index_model.h"

namespace pigeon::mua::ui {

class StoreIndexSource : public IndexSource {
 public:
  // `store` must outlive the source.
  StoreIndexSource(store::Store& store, int64_t folder_id) : store_(store), folder_id_(folder_id) {}

  Result<std::vector<store::MessageSummary>> After(std::optional<RowKey> after, int limit) override;
  Result<std::vector<store::MessageSummary>> Before(std::optional<RowKey> before,
                                                    int limit) override;
  Result<std::optional<store::MessageSummary>> NextUnread(std::optional<RowKey> after) override;

 private:
  Result<std::vector<store::MessageSummary>> Read(store::SortOrder order,
                                                  std::optional<RowKey> from, int limit,
                                                  std::string query);
  store::Store& store_;
  int64_t folder_id_;
};

}  // namespace pigeon::mua::ui
