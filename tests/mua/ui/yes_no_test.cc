#include "mua/ui/yes_no.h"

#include <gtest/gtest.h>

namespace pigeon::mua::ui {
namespace {

TEST(YesNo, TextShowsTheDefaultInBrackets) {
  EXPECT_EQ(YesNoText("Purge 2 deleted messages?", true), "Purge 2 deleted messages? ([yes]/no): ");
  EXPECT_EQ(YesNoText("Create lists/new?", false), "Create lists/new? (yes/[no]): ");
}

TEST(YesNo, KeysAnswerEnterTakesTheDefaultOthersWait) {
  struct Case {
    Key key;
    bool default_yes;
    Answer want;
  } cases[] = {
      {'y', false, Answer::kYes},
      {'Y', false, Answer::kYes},
      {'n', true, Answer::kNo},
      {'N', true, Answer::kNo},
      {'\r', true, Answer::kYes},
      {'\n', false, Answer::kNo},
      {keys::kKeypadEnter, true, Answer::kYes},
      {keys::kControlG, true, Answer::kCancelled},
      {keys::kEscape, true, Answer::kCancelled},
      {'x', true, Answer::kPending},
      {' ', true, Answer::kPending},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(AnswerFor(c.key, c.default_yes), c.want) << KeyName(c.key);
  }
}

}  // namespace
}  // namespace pigeon::mua::ui
