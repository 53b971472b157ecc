#include "mua/ui/sidebar.h"

#include <gtest/gtest.h>

#include <string>

namespace pigeon::mua::ui {
namespace {

store::FolderInfo Folder(int64_t id, std::string name, int64_t total, int64_t unread) {
  store::FolderInfo folder;
  folder.id = id;
  folder.name = std::move(name);
  folder.total = total;
  folder.unread = unread;
  return folder;
}

std::vector<store::FolderInfo> SomeFolders() {
  return {Folder(1, "INBOX", 120, 3), Folder(2, "Lists", 0, 0), Folder(3, "Lists/dev", 40, 0),
          Folder(4, "Sent", 9, 0), Folder(5, "Trash", 2, 1)};
}

TEST(Sidebar, ShortNamesIndentedByDepth) {
  EXPECT_EQ(SidebarName("INBOX"), "INBOX");
  EXPECT_EQ(SidebarName("Lists/dev"), "  dev");
  EXPECT_EQ(SidebarName("a/b/c"), "    c");
  EXPECT_EQ(SidebarName("odd/"), "odd/");
}

TEST(Sidebar, RowsShowCountsRightAlignedAndMarkTheOpenFolder) {
  Sidebar sidebar(true, 20);
  const std::vector<SidebarRow> rows = sidebar.Rows(SomeFolders(), 1, 10, 80);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].text, "INBOX          3/120");
  EXPECT_EQ(rows[2].text, "  dev             40");
  EXPECT_TRUE(rows[0].open);
  EXPECT_TRUE(rows[0].highlighted);  // nothing moved yet: the highlight is the open folder
  EXPECT_TRUE(rows[0].has_unread);
  EXPECT_FALSE(rows[3].has_unread);
  EXPECT_TRUE(rows[4].has_unread);
}

TEST(Sidebar, LongNamesAreCutBeforeTheCounts) {
  Sidebar sidebar(true, 12);
  const std::vector<SidebarRow> rows =
      sidebar.Rows({Folder(1, "A-very-long-folder-name", 1234, 56)}, 1, 5, 80);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].text, "A-ve 56/1234");
}

TEST(Sidebar, HiddenOrTooNarrowTakesNoColumns) {
  Sidebar sidebar(false, 30);
  EXPECT_EQ(sidebar.ColumnsUsed(120), 0);
  sidebar.ToggleVisible();
  EXPECT_EQ(sidebar.ColumnsUsed(120), 31);
  EXPECT_EQ(sidebar.ColumnsUsed(60), 0);  // the index would keep fewer than 40 columns
  EXPECT_TRUE(sidebar.Rows(SomeFolders(), 1, 10, 60).empty());
}

TEST(Sidebar, NextAndPreviousMoveTheHighlightFromTheOpenFolder) {
  Sidebar sidebar(true, 20);
  const std::vector<store::FolderInfo> folders = SomeFolders();
  EXPECT_EQ(sidebar.Highlighted(3), 3);
  EXPECT_TRUE(sidebar.Next(folders, 3));
  EXPECT_EQ(sidebar.Highlighted(3), 4);
  EXPECT_TRUE(sidebar.Next(folders, 3));
  EXPECT_FALSE(sidebar.Next(folders, 3));  // Trash is the last
  EXPECT_EQ(sidebar.Highlighted(3), 5);
  EXPECT_TRUE(sidebar.Previous(folders, 3));
  EXPECT_EQ(sidebar.Highlighted(3), 4);
  sidebar.ClearHighlight();
  EXPECT_EQ(sidebar.Highlighted(1), 1);
  EXPECT_FALSE(sidebar.Previous(folders, 1));
}

TEST(Sidebar, NextUnreadWrapsAndSkipsReadFolders) {
  Sidebar sidebar(true, 20);
  const std::vector<store::FolderInfo> folders = SomeFolders();
  EXPECT_TRUE(sidebar.NextUnread(folders, 1, 1));
  EXPECT_EQ(sidebar.Highlighted(1), 5);
  EXPECT_TRUE(sidebar.NextUnread(folders, 1, 1));
  EXPECT_EQ(sidebar.Highlighted(1), 1);
  EXPECT_TRUE(sidebar.NextUnread(folders, 1, -1));
  EXPECT_EQ(sidebar.Highlighted(1), 5);
  EXPECT_FALSE(sidebar.NextUnread({Folder(1, "INBOX", 3, 0)}, 1, 1));
}

TEST(Sidebar, ScrollsToKeepTheHighlightShown) {
  Sidebar sidebar(true, 20);
  std::vector<store::FolderInfo> folders;
  for (int64_t id = 1; id <= 30; ++id)
    folders.push_back(Folder(id, "f" + std::to_string(id), id, 0));
  for (int i = 0; i < 12; ++i) sidebar.Next(folders, 1);
  std::vector<SidebarRow> rows = sidebar.Rows(folders, 1, 5, 80);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_TRUE(rows.back().highlighted);  // folder 13 at the bottom
  EXPECT_EQ(rows.back().text.substr(0, 3), "f13");
  for (int i = 0; i < 2; ++i) sidebar.Previous(folders, 1);
  rows = sidebar.Rows(folders, 1, 5, 80);
  EXPECT_EQ(rows.front().text.substr(0, 2), "f9");  // no jump while the highlight is shown
  EXPECT_TRUE(rows[2].highlighted);
}

}  // namespace
}  // namespace pigeon::mua::ui
