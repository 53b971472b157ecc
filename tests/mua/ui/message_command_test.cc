#include "mua/ui/message_command.h"

#include <gtest/gtest.h>

#include "common/store/schema.h"

namespace pigeon::mua::ui {
namespace {

store::MessageSummary Message(int64_t id, int64_t folder_id = 1) {
  store::MessageSummary summary;
  summary.id = id;
  summary.folder_id = folder_id;
  return summary;
}

TEST(TagPrefix, WithoutPrefixActsOnTheSelectedMessage) {
  TagPrefix prefix;
  TagSet tags;
  tags.Toggle(5);
  const store::MessageSummary selected = Message(9);
  Targets targets = prefix.Take(tags, &selected);
  EXPECT_EQ(targets.ids, (std::vector<int64_t>{9}));
  EXPECT_FALSE(targets.tagged);
  EXPECT_TRUE(prefix.Take(tags, nullptr).ids.empty());  // an empty folder
}

TEST(TagPrefix, ArmsOnlyWithTaggedMessagesAndServesOneCommand) {
  TagPrefix prefix;
  TagSet tags;
  EXPECT_FALSE(prefix.Arm(tags));  // "No tagged messages."
  EXPECT_FALSE(prefix.armed());
  tags.Toggle(4);
  tags.Toggle(2);
  ASSERT_TRUE(prefix.Arm(tags));
  const store::MessageSummary selected = Message(9);
  Targets targets = prefix.Take(tags, &selected);
  EXPECT_EQ(targets.ids, (std::vector<int64_t>{2, 4}));
  EXPECT_TRUE(targets.tagged);
  EXPECT_FALSE(prefix.armed());
  EXPECT_EQ(prefix.Take(tags, &selected).ids, (std::vector<int64_t>{9}));
  ASSERT_TRUE(prefix.Arm(tags));
  prefix.Disarm();  // another command came first
  EXPECT_FALSE(prefix.Take(tags, &selected).tagged);
}

TEST(MessageCommand, CommandsTagPrefixAppliesTo) {
  for (Op op : {Op::kDeleteMessage, Op::kUndeleteMessage, Op::kDeleteThread, Op::kUndeleteThread,
                Op::kFlagMessage, Op::kToggleNew, Op::kTag, Op::kSaveMessage, Op::kCopyMessage}) {
    EXPECT_TRUE(IsMessageCommand(op)) << OpName(op);
  }
  for (Op op : {Op::kNextUndeleted, Op::kTagPrefix, Op::kSyncMailbox, Op::kQuit, Op::kExit}) {
    EXPECT_FALSE(IsMessageCommand(op)) << OpName(op);
  }
  EXPECT_TRUE(ActsOnThread(Op::kDeleteThread));
  EXPECT_TRUE(ActsOnThread(Op::kUndeleteThread));
  EXPECT_FALSE(ActsOnThread(Op::kDeleteMessage));
}

TEST(MessageCommand, FlagWritesFollowMutt) {
  struct Case {
    Op op;
    int set, clear, toggle;
  } cases[] = {
      {Op::kDeleteMessage, store::kFlagDeleted, 0, 0},
      {Op::kDeleteThread, store::kFlagDeleted, 0, 0},
      {Op::kUndeleteMessage, 0, store::kFlagDeleted, 0},
      {Op::kUndeleteThread, 0, store::kFlagDeleted, 0},
      {Op::kFlagMessage, 0, 0, store::kFlagFlagged},
      {Op::kToggleNew, 0, 0, store::kFlagSeen},
      {Op::kDeletePattern, store::kFlagDeleted, 0, 0},
      {Op::kUndeletePattern, 0, store::kFlagDeleted, 0},
  };
  for (const Case& c : cases) {
    std::optional<FlagEdit> edit = FlagEditFor(c.op);
    ASSERT_TRUE(edit) << OpName(c.op);
    EXPECT_EQ(edit->set, c.set) << OpName(c.op);
    EXPECT_EQ(edit->clear, c.clear) << OpName(c.op);
    EXPECT_EQ(edit->toggle, c.toggle) << OpName(c.op);
  }
  for (Op op : {Op::kTag, Op::kSaveMessage, Op::kCopyMessage, Op::kTagPattern, Op::kUntagPattern}) {
    EXPECT_FALSE(FlagEditFor(op)) << OpName(op);
  }
  EXPECT_TRUE(Untags(Op::kDeletePattern));
  EXPECT_TRUE(Untags(Op::kDeleteMessage));  // $delete_untag
  EXPECT_TRUE(Untags(Op::kDeleteThread));
  EXPECT_FALSE(Untags(Op::kFlagMessage));
}

TEST(MessageCommand, ResolveMovesLikeMutt) {
  struct Case {
    Op op;
    Advance alone;
  } cases[] = {
      {Op::kDeleteMessage, Advance::kNextUndeleted},
      {Op::kDeleteThread, Advance::kNextUndeleted},
      {Op::kFlagMessage, Advance::kNextUndeleted},
      {Op::kToggleNew, Advance::kNextUndeleted},
      {Op::kUndeleteMessage, Advance::kNextEntry},
      {Op::kUndeleteThread, Advance::kNextEntry},
      {Op::kTag, Advance::kNextEntry},
      {Op::kSaveMessage, Advance::kStay},
      {Op::kCopyMessage, Advance::kStay},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(AdvanceAfter(c.op, false), c.alone) << OpName(c.op);
    EXPECT_EQ(AdvanceAfter(c.op, true), Advance::kStay) << OpName(c.op);  // on tagged ones
  }
}

TEST(MessageCommand, ThreadMembersInTheOpenFolderOnly) {
  const store::MessageSummary thread[] = {Message(1, 1), Message(2, 3), Message(5, 1)};
  EXPECT_EQ(MembersInFolder(thread, 1), (std::vector<int64_t>{1, 5}));
  EXPECT_TRUE(MembersInFolder(thread, 2).empty());
}

TEST(MessageCommand, PurgeQuestionCountsInMuttsWords) {
  EXPECT_EQ(PurgeQuestion(1), "Purge 1 deleted message?");
  EXPECT_EQ(PurgeQuestion(3), "Purge 3 deleted messages?");
}

TEST(MessageCommand, PatternCommandsAskAndReportInMuttsWords) {
  for (Op op : {Op::kDeletePattern, Op::kUndeletePattern, Op::kTagPattern, Op::kUntagPattern}) {
    EXPECT_TRUE(IsPatternCommand(op)) << OpName(op);
    EXPECT_FALSE(IsMessageCommand(op)) << OpName(op);  // tag-prefix does not apply
  }
  EXPECT_FALSE(IsPatternCommand(Op::kDeleteMessage));
  EXPECT_FALSE(IsPatternCommand(Op::kLimit));
  EXPECT_EQ(PatternPrompt(Op::kDeletePattern), "Delete messages matching: ");
  EXPECT_EQ(PatternPrompt(Op::kUndeletePattern), "Undelete messages matching: ");
  EXPECT_EQ(PatternPrompt(Op::kTagPattern), "Tag messages matching: ");
  EXPECT_EQ(PatternPrompt(Op::kUntagPattern), "Untag messages matching: ");
  EXPECT_EQ(PatternOutcome(Op::kDeletePattern, 3), "3 messages deleted.");
  EXPECT_EQ(PatternOutcome(Op::kUndeletePattern, 1), "1 message undeleted.");
  EXPECT_EQ(PatternOutcome(Op::kTagPattern, 2), "2 messages tagged.");
  EXPECT_EQ(PatternOutcome(Op::kUntagPattern, 1), "1 message untagged.");
}

}  // namespace
}  // namespace pigeon::mua::ui
