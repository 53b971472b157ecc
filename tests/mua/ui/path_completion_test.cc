#include "mua/ui/path_completion.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "tests/support/temp_directory.h"

namespace pigeon::mua::ui {
namespace {

using Names = std::vector<std::string>;

// A file tree in memory: directory path as listed → its entries. Records what was listed.
struct FakeTree {
  std::map<std::string, std::vector<DirEntry>> directories;
  std::vector<std::string> listed;

  ListDirectory Lister() {
    return [this](const std::string& directory) -> Result<std::vector<DirEntry>> {
      listed.push_back(directory);
      auto it = directories.find(directory);
      if (it == directories.end()) return MakeError(ErrorCode::kNotFound, directory);
      return it->second;
    };
  }
};

FakeTree SampleTree() {
  FakeTree tree;
  tree.directories["/home/me/"] = {{"Documents", true},
                                   {"Downloads", true},
                                   {"doc.txt", false},
                                   {".profile", false},
                                   {".config", true}};
  tree.directories["."] = {{"notes.txt", false}, {"src", true}, {".git", true}};
  tree.directories["/"] = {{"etc", true}, {"home", true}, {"vmlinuz", false}};
  tree.directories["src/"] = {{"main.cc", false}, {"Makefile", false}, {"lib", true}};
  return tree;
}

TEST(CompletePath, TildeDirectoryIsKeptAsTyped) {
  FakeTree tree = SampleTree();
  EXPECT_EQ(CompletePath("~/Do", "/home/me", tree.Lister()),
            (Names{"~/Documents/", "~/Downloads/"}));
  EXPECT_EQ(tree.listed, (Names{"/home/me/"}));
  EXPECT_EQ(CompletePath("~/Doc", "/home/me", tree.Lister()), (Names{"~/Documents/"}));
  // Case-sensitive: "do" is not "Do".
  EXPECT_EQ(CompletePath("~/do", "/home/me", tree.Lister()), (Names{"~/doc.txt"}));
  EXPECT_EQ(CompletePath("~", "/home/me", tree.Lister()), (Names{"~/"}));
}

TEST(CompletePath, HiddenEntriesOnlyForADot) {
  FakeTree tree = SampleTree();
  EXPECT_EQ(CompletePath("~/", "/home/me", tree.Lister()),
            (Names{"~/Documents/", "~/Downloads/", "~/doc.txt"}));
  EXPECT_EQ(CompletePath("~/.", "/home/me", tree.Lister()), (Names{"~/.config/", "~/.profile"}));
}

TEST(CompletePath, RelativeAbsoluteAndEmpty) {
  FakeTree tree = SampleTree();
  EXPECT_EQ(CompletePath("", "/home/me", tree.Lister()), (Names{"notes.txt", "src/"}));
  EXPECT_EQ(CompletePath("s", "/home/me", tree.Lister()), (Names{"src/"}));
  EXPECT_EQ(CompletePath("src/", "/home/me", tree.Lister()),
            (Names{"src/Makefile", "src/lib/", "src/main.cc"}));
  EXPECT_EQ(CompletePath("/", "/home/me", tree.Lister()), (Names{"/etc/", "/home/", "/vmlinuz"}));
  EXPECT_EQ(CompletePath("/v", "/home/me", tree.Lister()), (Names{"/vmlinuz"}));
}

TEST(CompletePath, AnUnreadableDirectoryOrNoMatchGivesNothing) {
  FakeTree tree = SampleTree();
  EXPECT_TRUE(CompletePath("/nowhere/x", "/home/me", tree.Lister()).empty());
  EXPECT_TRUE(CompletePath("zzz", "/home/me", tree.Lister()).empty());
}

TEST(ExpandHome, OnlyALeadingTilde) {
  EXPECT_EQ(ExpandHome("~", "/home/me"), "/home/me");
  EXPECT_EQ(ExpandHome("~/", "/home/me"), "/home/me/");
  EXPECT_EQ(ExpandHome("~/a/b", "/home/me/"), "/home/me/a/b");
  EXPECT_EQ(ExpandHome("~/a", "/"), "/a");
  EXPECT_EQ(ExpandHome("~other/a", "/home/me"), "~other/a");
  EXPECT_EQ(ExpandHome("a/~/b", "/home/me"), "a/~/b");
  EXPECT_EQ(ExpandHome("~/a", ""), "~/a");
  EXPECT_EQ(ExpandHome("", "/home/me"), "");
}

TEST(RealDirectoryLister, ListsATemporaryDirectory) {
  const testing::TempDirectory temp("complete");
  ASSERT_FALSE(temp.path().empty());
  const std::string& dir = temp.path();
  std::filesystem::create_directory(dir + "/sub");
  std::ofstream(dir + "/file.txt") << "x";
  std::ofstream(dir + "/.hidden") << "x";
  std::filesystem::create_directory_symlink(dir + "/sub", dir + "/link");

  const ListDirectory list = RealDirectoryLister();
  EXPECT_EQ(CompletePath(dir + "/", "", list),
            (Names{dir + "/file.txt", dir + "/link/", dir + "/sub/"}));
  EXPECT_EQ(CompletePath(dir + "/.", "", list), (Names{dir + "/.hidden"}));
  Result<std::vector<DirEntry>> missing = list(dir + "/none");
  EXPECT_FALSE(missing.has_value());
}

}  // namespace
}  // namespace pigeon::mua::ui
