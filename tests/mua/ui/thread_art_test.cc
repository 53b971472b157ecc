#include "mua/ui/thread_art.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/store/schema.h"

namespace pigeon::mua::ui {
namespace {

using store::MessageSummary;

MessageSummary Mail(int64_t id, std::string subject, std::string parent = "") {
  MessageSummary m;
  m.id = id;
  m.date = 1000 + id;
  m.thread_id = 1;
  m.flags = store::kFlagSeen;
  m.message_id = "m" + std::to_string(id);
  if (!parent.empty()) m.parent_id = parent;
  m.subject = std::move(subject);
  return m;
}

std::vector<std::string> Lines(const std::vector<ThreadRow>& rows) {
  std::vector<std::string> lines;
  for (const ThreadRow& row : rows) lines.push_back(ThreadSubject(row));
  return lines;
}

// 1 ── 2 ── 4
//  │    └── 6
//  └── 3 ── 5
TEST(ThreadArt, NestedAndBranchingThreadsInTreeOrder) {
  std::vector<MessageSummary> thread = {
      Mail(1, "Plans"),           Mail(2, "Re: Plans", "m1"),      Mail(3, "Other idea", "m1"),
      Mail(4, "Re: Plans", "m2"), Mail(5, "Re: Other idea", "m3"), Mail(6, "RE: plans?", "m2")};
  EXPECT_EQ(Lines(ThreadRows(thread, true, false)),
            (std::vector<std::string>{"Plans", "├─>", "│ ├─>", "│ └─>RE: plans?", "└─>Other idea",
                                      "  └─>"}));
  EXPECT_EQ(Lines(ThreadRows(thread, false, false)),
            (std::vector<std::string>{"Plans", "|->", "| |->", "| `->RE: plans?", "`->Other idea",
                                      "  `->"}));
}

TEST(ThreadArt, SubjectsAreComparedWithoutReplyPrefixes) {
  EXPECT_EQ(BaseSubject("Re: Fwd: RE:  Plans "), "Plans");
  EXPECT_EQ(BaseSubject("Fw: re:x"), "x");
  EXPECT_EQ(BaseSubject("Reply"), "Reply");
}

TEST(ThreadArt, AnOrphanIsARootOfItsOwn) {
  std::vector<MessageSummary> thread = {Mail(1, "A"), Mail(2, "Re: A", "missing")};
  EXPECT_EQ(Lines(ThreadRows(thread, true, false)), (std::vector<std::string>{"A", "Re: A"}));
}

TEST(ThreadArt, ACollapsedThreadIsItsFirstRowWithTheCount) {
  std::vector<MessageSummary> thread = {Mail(1, "Plans"), Mail(2, "Re: Plans", "m1"),
                                        Mail(3, "Re: Plans", "m2")};
  std::vector<ThreadRow> rows = ThreadRows(thread, true, true);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].hidden, 2);
  EXPECT_FALSE(rows[0].hidden_unread);
  EXPECT_EQ(ThreadSubject(rows[0]), "(2) Plans");
  thread[2].flags = 0;
  rows = ThreadRows(thread, true, true);
  EXPECT_TRUE(rows[0].hidden_unread);
  // A thread of one message has nothing to hide.
  rows = ThreadRows({Mail(9, "Alone")}, true, true);
  EXPECT_EQ(rows[0].hidden, 0);
  EXPECT_EQ(ThreadSubject(rows[0]), "Alone");
}

}  // namespace
}  // namespace pigeon::mua::ui
