#include "mua/ui/view_query.h"

#include <gtest/gtest.h>

namespace pigeon::mua::ui {
namespace {

TEST(ViewQuery, NormalizesOrGivesTheParsersMessage) {
  Result<std::string> query = NormalizeQuery("from:ada   is:unread");
  ASSERT_TRUE(query);
  EXPECT_FALSE(query->empty());
  EXPECT_EQ(NormalizeQuery(*query).value(), *query);  // stable
  EXPECT_EQ(NormalizeQuery("").value(), "");
  Result<std::string> wrong = NormalizeQuery("form:ada");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("column 1"), std::string::npos) << wrong.error().message;
  EXPECT_FALSE(NormalizeQuery("(from:ada"));
  EXPECT_FALSE(NormalizeQuery("\"open"));
}

TEST(ViewQuery, AllOrNothingMeansEveryMessage) {
  EXPECT_TRUE(MeansEveryMessage(""));
  EXPECT_TRUE(MeansEveryMessage("all"));
  EXPECT_TRUE(MeansEveryMessage("  all "));
  EXPECT_FALSE(MeansEveryMessage("all mail"));
  EXPECT_FALSE(MeansEveryMessage("ALL"));
}

TEST(ViewQuery, BothQueriesKeepsEachWhole) {
  EXPECT_EQ(BothQueries("", ""), "");
  EXPECT_EQ(BothQueries("a", ""), "a");
  EXPECT_EQ(BothQueries("", "b"), "b");
  EXPECT_EQ(BothQueries("a OR b", "c"), "(a OR b) (c)");
  // What the store will parse: the OR stays inside the limit.
  Result<std::string> both = NormalizeQuery(BothQueries("a OR b", "c"));
  ASSERT_TRUE(both);
  EXPECT_EQ(*both, NormalizeQuery("(a OR b) AND c").value());
}

}  // namespace
}  // namespace pigeon::mua::ui
