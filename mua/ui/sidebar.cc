// See sidebar.h.
#include "mua/ui/sidebar.h"

#include <algorithm>

#include <fmt/format.h>

#include "mua/ui/display_width.h"

namespace pigeon::mua::ui {
namespace {

constexpr int kLeastIndexColumns = 40;  // narrower than this, the index needs every column

// Position of `id` in `folders`, or nullopt.
std::optional<size_t> PositionOf(const std::vector<store::FolderInfo>& folders, int64_t id) {
  for (size_t i = 0; i < folders.size(); ++i) {
    if (folders[i].id == id) return i;
  }
  return std::nullopt;
}

}  // namespace

std::string SidebarName(const std::string& folder_name) {
  const size_t slash = folder_name.rfind('/');
  if (slash == std::string::npos || slash + 1 == folder_name.size()) return folder_name;
  const auto depth = std::count(folder_name.begin(), folder_name.end(), '/');
  return std::string(static_cast<size_t>(depth) * 2, ' ') + folder_name.substr(slash + 1);
}

int Sidebar::ColumnsUsed(int screen_columns) const {
  if (!visible_ || width_ <= 0) return 0;
  if (screen_columns - (width_ + 1) < kLeastIndexColumns) return 0;
  return width_ + 1;
}

bool Sidebar::Step(const std::vector<store::FolderInfo>& folders, int64_t open_id, int step) {
  std::optional<size_t> at = PositionOf(folders, Highlighted(open_id));
  if (!at) at = PositionOf(folders, open_id);
  if (!at) {
    if (folders.empty()) return false;
    highlighted_ = folders.front().id;
    return true;
  }
  if ((step < 0 && *at == 0) || (step > 0 && *at + 1 >= folders.size())) return false;
  highlighted_ = folders[step < 0 ? *at - 1 : *at + 1].id;
  return true;
}

bool Sidebar::Next(const std::vector<store::FolderInfo>& folders, int64_t open_id) {
  return Step(folders, open_id, 1);
}

bool Sidebar::Previous(const std::vector<store::FolderInfo>& folders, int64_t open_id) {
  return Step(folders, open_id, -1);
}

bool Sidebar::NextUnread(const std::vector<store::FolderInfo>& folders, int64_t open_id, int step) {
  if (folders.empty()) return false;
  const size_t count = folders.size();
  const size_t start = PositionOf(folders, Highlighted(open_id)).value_or(0);
  for (size_t offset = 1; offset < count; ++offset) {
    const size_t i = step > 0 ? (start + offset) % count : (start + count - offset) % count;
    if (folders[i].unread > 0) {
      highlighted_ = folders[i].id;
      return true;
    }
  }
  return false;
}

std::vector<SidebarRow> Sidebar::Rows(const std::vector<store::FolderInfo>& folders,
                                      int64_t open_id, int height, int screen_columns) {
  std::vector<SidebarRow> rows;
  const int width = ColumnsUsed(screen_columns) - 1;
  if (width <= 0 || height <= 0) return rows;
  const size_t shown = static_cast<size_t>(height);
  const size_t focus = PositionOf(folders, Highlighted(open_id)).value_or(0);
  if (focus < top_) top_ = focus;
  if (focus >= top_ + shown) top_ = focus + 1 - shown;
  top_ = std::min(top_, folders.size() > shown ? folders.size() - shown : 0);
  for (size_t i = top_; i < folders.size() && rows.size() < shown; ++i) {
    const store::FolderInfo& folder = folders[i];
    const std::string counts = folder.unread > 0 ? fmt::format("{}/{}", folder.unread, folder.total)
                                                 : fmt::format("{}", folder.total);
    const int counts_width = DisplayWidth(counts);
    std::string name =
        TruncateToWidth(SidebarName(folder.name), std::max(0, width - counts_width - 1));
    const int gap = width - DisplayWidth(name) - counts_width;
    SidebarRow row;
    row.text = gap > 0 ? name + std::string(static_cast<size_t>(gap), ' ') + counts
                       : FitToWidth(name, width);
    row.open = folder.id == open_id;
    row.highlighted = folder.id == Highlighted(open_id);
    row.has_unread = folder.unread > 0;
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace pigeon::mua::ui
