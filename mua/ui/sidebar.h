// NeoMutt's sidebar without a terminal: the store's folders down the left edge, each with its
// unread and total counts, the open one marked and one highlighted for sidebar-next/-prev/-open.
// Nested folders ("Lists/dev") show their last name component, indented by depth, as NeoMutt's
// $sidebar_short_path and $sidebar_folder_indent do. The highlight follows a folder id, so it
// stays on its folder when others are created or removed between polls.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/store/store.h"

namespace pigeon::mua::ui {

struct SidebarRow {
  std::string text;  // exactly the sidebar's width (without the divider)
  bool open = false;
  bool highlighted = false;
  bool has_unread = false;
};

class Sidebar {
 public:
  Sidebar(bool visible, int width) : visible_(visible), width_(width) {}

  bool visible() const { return visible_; }
  void ToggleVisible() { visible_ = !visible_; }
  // Columns taken from the left of the screen, the divider included; 0 when hidden or when
  // the screen is too narrow to leave the index 40 columns.
  int ColumnsUsed(int screen_columns) const;

  // Moves the highlight to the next/previous folder of `folders` (the store's order),
  // starting from `open_id` when nothing is highlighted yet. False at the end of the list.
  bool Next(const std::vector<store::FolderInfo>& folders, int64_t open_id);
  bool Previous(const std::vector<store::FolderInfo>& folders, int64_t open_id);
  // sidebar-next-new / sidebar-prev-new: the next/previous folder with unread mail, wrapping.
  bool NextUnread(const std::vector<store::FolderInfo>& folders, int64_t open_id, int step);
  // The highlighted folder's id; `open_id` when there is no highlight.
  int64_t Highlighted(int64_t open_id) const { return highlighted_ != 0 ? highlighted_ : open_id; }
  // After opening a folder the highlight starts again from the open one.
  void ClearHighlight() { highlighted_ = 0; }

  // `height` rows (fewer when there are fewer folders), scrolled so the highlighted folder
  // shows; each row `ColumnsUsed - 1` columns wide.
  std::vector<SidebarRow> Rows(const std::vector<store::FolderInfo>& folders, int64_t open_id,
                               int height, int screen_columns);

 private:
  bool Step(const std::vector<store::FolderInfo>& folders, int64_t open_id, int step);

  bool visible_;
  int width_;
  int64_t highlighted_ = 0;  // a folder id; 0 = follow the open folder
  size_t top_ = 0;           // the first folder shown, kept between frames like a pager's
};

// "Lists/dev" → "  dev" (two columns per level), "INBOX" → "INBOX".
std::string SidebarName(const std::string& folder_name);

}  // namespace pigeon::mua::ui
