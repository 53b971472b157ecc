// See tag_set.h.
#include "mua/ui/tag_set.h"

namespace pigeon::mua::ui {

void TagSet::Toggle(int64_t id) {
  if (!ids_.erase(id)) ids_.insert(id);
}

void TagSet::Forget(std::span<const int64_t> ids) {
  for (int64_t id : ids) ids_.erase(id);
}

}  // namespace pigeon::mua::ui
