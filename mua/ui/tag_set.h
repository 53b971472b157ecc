// The tagged messages of the open folder (mutt's tag-entry, shown as '*'): reader state only,
// never written to the store, forgotten when another folder is opened. Keyed by message id,
// so tags stay on their messages while the index pages and other mail arrives.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <span>
#include <vector>

namespace pigeon::mua::ui {

class TagSet {
 public:
  // Tags an untagged message, untags a tagged one.
  void Toggle(int64_t id);
  // Tags messages, whether they were tagged or not (mutt's tag-pattern).
  void Tag(std::span<const int64_t> ids) { ids_.insert(ids.begin(), ids.end()); }
  bool Contains(int64_t id) const { return ids_.count(id) > 0; }
  // Untags messages (deleted with $delete_untag, moved away, expunged).
  void Forget(std::span<const int64_t> ids);
  void Clear() { ids_.clear(); }
  size_t size() const { return ids_.size(); }
  bool empty() const { return ids_.empty(); }
  // Ascending.
  std::vector<int64_t> Ids() const { return {ids_.begin(), ids_.end()}; }

 private:
  std::set<int64_t> ids_;
};

}  // namespace pigeon::mua::ui
