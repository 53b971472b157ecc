#include "mua/ui/tag_set.h"

#include <gtest/gtest.h>

namespace pigeon::mua::ui {
namespace {

TEST(TagSet, ToggleTagsThenUntags) {
  TagSet tags;
  EXPECT_TRUE(tags.empty());
  tags.Toggle(7);
  tags.Toggle(3);
  EXPECT_TRUE(tags.Contains(7));
  EXPECT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags.Ids(), (std::vector<int64_t>{3, 7}));
  tags.Toggle(7);
  EXPECT_FALSE(tags.Contains(7));
  EXPECT_EQ(tags.Ids(), (std::vector<int64_t>{3}));
}

TEST(TagSet, ForgetIgnoresUntaggedIds) {
  TagSet tags;
  for (int64_t id : {1, 2, 3}) tags.Toggle(id);
  const int64_t gone[] = {2, 9};
  tags.Forget(gone);
  EXPECT_EQ(tags.Ids(), (std::vector<int64_t>{1, 3}));
  tags.Clear();
  EXPECT_TRUE(tags.empty());
}

TEST(TagSet, TagAddsWithoutToggling) {
  TagSet tags;
  tags.Toggle(2);
  const int64_t matched[] = {1, 2, 5};
  tags.Tag(matched);
  EXPECT_EQ(tags.Ids(), (std::vector<int64_t>{1, 2, 5}));
}

}  // namespace
}  // namespace pigeon::mua::ui
