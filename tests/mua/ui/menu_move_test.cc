#include "mua/ui/menu_move.h"

#include <gtest/gtest.h>

namespace pigeon::mua::ui {
namespace {

TEST(MenuMoveTest, MovesWithinTheListAndSaysSoAtItsEdges) {
  EXPECT_EQ(MoveInMenu(Op::kNextEntry, 0, 3)->cursor, 1u);
  EXPECT_EQ(MoveInMenu(Op::kNextEntry, 0, 3)->notice, "");
  EXPECT_EQ(MoveInMenu(Op::kNextEntry, 2, 3)->cursor, 2u);
  EXPECT_EQ(MoveInMenu(Op::kNextEntry, 2, 3)->notice, "You are on the last entry.");
  EXPECT_EQ(MoveInMenu(Op::kPrevUndeleted, 2, 3)->cursor, 1u);
  EXPECT_EQ(MoveInMenu(Op::kPrevEntry, 0, 3)->notice, "You are on the first entry.");
  EXPECT_EQ(MoveInMenu(Op::kLastEntry, 0, 3)->cursor, 2u);
  EXPECT_EQ(MoveInMenu(Op::kFirstEntry, 2, 3)->cursor, 0u);
}

TEST(MenuMoveTest, AnEmptyListStaysAtZeroAndOtherOpsAreNotMovements) {
  EXPECT_EQ(MoveInMenu(Op::kNextEntry, 0, 0)->cursor, 0u);
  EXPECT_EQ(MoveInMenu(Op::kNextEntry, 0, 0)->notice, "You are on the last entry.");
  EXPECT_EQ(MoveInMenu(Op::kLastEntry, 0, 0)->cursor, 0u);
  EXPECT_EQ(MoveInMenu(Op::kSendMessage, 0, 3), std::nullopt);
}

}  // namespace
}  // namespace pigeon::mua::ui
