#include "common/store/thread_tree.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pigeon::store {
namespace {

MessageSummary Message(int64_t id, int64_t date, std::string message_id,
                       std::optional<std::string> parent = std::nullopt) {
  MessageSummary summary;
  summary.id = id;
  summary.date = date;
  summary.message_id = std::move(message_id);
  summary.parent_id = std::move(parent);
  return summary;
}

// The flattened tree as "id@depth" words, e.g. "1@0 2@1 3@2 4@1".
std::string Shape(const std::vector<ThreadNode>& tree) {
  std::string out;
  for (const ThreadLine& line : FlattenThreadTree(tree)) {
    if (!out.empty()) out += ' ';
    out += std::to_string(line.message->id) + "@" + std::to_string(line.depth);
  }
  return out;
}

struct TreeCase {
  const char* name;
  std::vector<MessageSummary> messages;
  std::string want;
};

TEST(ThreadTreeTest, BuildsTheReplyTree) {
  const std::vector<TreeCase> cases = {
      {"empty", {}, ""},
      {"lone message", {Message(1, 10, "a")}, "1@0"},
      {"chain and a second branch sorted by date",
       {Message(4, 40, "d", "a"), Message(1, 10, "a"), Message(3, 30, "c", "b"),
        Message(2, 20, "b", "a")},
       "1@0 2@1 3@2 4@1"},
      {"parent not in the thread makes a root",
       {Message(1, 10, "a", "missing"), Message(2, 20, "b", "a"), Message(3, 5, "c", "gone")},
       "3@0 1@0 2@1"},
      {"equal dates order by id", {Message(2, 10, "b", "a"), Message(1, 10, "a")}, "1@0 2@1"},
      {"no message id", {Message(1, 10, ""), Message(2, 20, "x", "")}, "1@0 2@1"},
      {"message answering itself is a root", {Message(1, 10, "a", "a")}, "1@0"},
      {"two-message loop broken at the oldest",
       {Message(1, 10, "a", "b"), Message(2, 20, "b", "a")},
       "1@0 2@1"},
      {"three-message loop with a tail",
       {Message(1, 10, "a", "c"), Message(2, 20, "b", "a"), Message(3, 30, "c", "b"),
        Message(4, 40, "d", "c")},
       "1@0 2@1 3@2 4@3"},
      {"copies of one id: replies under the first",
       {Message(1, 10, "a"), Message(2, 10, "a"), Message(3, 20, "b", "a")},
       "1@0 3@1 2@0"},
  };
  for (const TreeCase& c : cases) {
    EXPECT_EQ(Shape(BuildThreadTree(c.messages)), c.want) << c.name;
  }
}

TEST(ThreadTreeTest, FlattenMarksTheLastReplyOfEachParent) {
  std::vector<ThreadNode> tree =
      BuildThreadTree({Message(1, 10, "a"), Message(2, 20, "b", "a"), Message(3, 30, "c", "b"),
                       Message(4, 40, "d", "a"), Message(5, 50, "e")});
  std::vector<bool> last;
  for (const ThreadLine& line : FlattenThreadTree(tree)) last.push_back(line.last_sibling);
  EXPECT_EQ(last, (std::vector<bool>{false, false, true, true, true}));
}

TEST(ThreadTreeTest, DeepChainsDoNotLoseMessages) {
  std::vector<MessageSummary> chain;
  for (int i = 0; i < 5000; ++i) {
    chain.push_back(
        Message(i + 1, i, "m" + std::to_string(i),
                i == 0 ? std::nullopt : std::optional<std::string>("m" + std::to_string(i - 1))));
  }
  std::vector<ThreadLine> lines = FlattenThreadTree(BuildThreadTree(chain));
  ASSERT_EQ(lines.size(), 5000u);
  EXPECT_EQ(lines.back().depth, 4999);
}

}  // namespace
}  // namespace pigeon::store
