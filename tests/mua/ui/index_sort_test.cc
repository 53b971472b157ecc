#include "mua/ui/index_sort.h"

#include <gtest/gtest.h>

namespace pigeon::mua::ui {
namespace {

TEST(IndexSort, NamesRoundTrip) {
  for (std::string_view name : {"date", "reverse-date", "threads", "reverse-threads"}) {
    std::optional<IndexSort> sort = ParseIndexSort(name);
    ASSERT_TRUE(sort) << name;
    EXPECT_EQ(IndexSortName(*sort), name);
  }
  EXPECT_EQ(ParseIndexSort("threads"), (IndexSort{true, false}));
  EXPECT_FALSE(ParseIndexSort("subject"));
}

TEST(IndexSort, ThePromptTakesOneKey) {
  SortAnswer answer = AnswerSortPrompt('t', false);
  EXPECT_EQ(answer.kind, SortAnswer::Kind::kSort);
  EXPECT_EQ(answer.sort, (IndexSort{true, false}));
  answer = AnswerSortPrompt('d', true);
  EXPECT_EQ(answer.kind, SortAnswer::Kind::kSort);
  EXPECT_EQ(answer.sort, (IndexSort{false, true}));
  EXPECT_EQ(AnswerSortPrompt('T', true).sort, (IndexSort{true, true}));
  EXPECT_EQ(AnswerSortPrompt(keys::kControlG, false).kind, SortAnswer::Kind::kCancel);
  EXPECT_EQ(AnswerSortPrompt(keys::kEscape, false).kind, SortAnswer::Kind::kCancel);
  EXPECT_EQ(AnswerSortPrompt('x', false).kind, SortAnswer::Kind::kAgain);
}

}  // namespace
}  // namespace pigeon::mua::ui
