// See thread_tree.h.
#include "common/store/thread_tree.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace pigeon::store {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

// parent[i] = index of i's parent, or kNone. Cuts every loop at its oldest member (the lowest
// index: messages are sorted oldest first).
void BreakLoops(std::vector<size_t>& parent) {
  enum State : char { kUnseen, kOnPath, kDone };
  std::vector<State> state(parent.size(), kUnseen);
  std::vector<size_t> path;
  for (size_t start = 0; start < parent.size(); ++start) {
    path.clear();
    size_t at = start;
    while (at != kNone && state[at] == kUnseen) {
      state[at] = kOnPath;
      path.push_back(at);
      at = parent[at];
    }
    if (at != kNone && state[at] == kOnPath) {
      auto loop_start = std::find(path.begin(), path.end(), at);
      parent[*std::min_element(loop_start, path.end())] = kNone;
    }
    for (size_t visited : path) state[visited] = kDone;
  }
}

ThreadNode MakeNode(std::vector<MessageSummary>& messages,
                    const std::vector<std::vector<size_t>>& replies, size_t index) {
  ThreadNode node{std::move(messages[index]), {}};
  node.replies.reserve(replies[index].size());
  for (size_t reply : replies[index]) node.replies.push_back(MakeNode(messages, replies, reply));
  return node;
}

}  // namespace

std::vector<ThreadNode> BuildThreadTree(std::vector<MessageSummary> messages) {
  std::sort(messages.begin(), messages.end(), [](const auto& a, const auto& b) {
    return std::pair(a.date, a.id) < std::pair(b.date, b.id);
  });
  std::unordered_map<std::string_view, size_t> first_with_id;
  for (size_t i = 0; i < messages.size(); ++i) {
    if (messages[i].message_id) first_with_id.emplace(*messages[i].message_id, i);
  }
  std::vector<size_t> parent(messages.size(), kNone);
  for (size_t i = 0; i < messages.size(); ++i) {
    if (!messages[i].parent_id) continue;
    auto found = first_with_id.find(*messages[i].parent_id);
    if (found != first_with_id.end() && found->second != i) parent[i] = found->second;
  }
  BreakLoops(parent);

  std::vector<std::vector<size_t>> replies(messages.size());
  std::vector<size_t> roots;
  for (size_t i = 0; i < messages.size(); ++i) {
    (parent[i] == kNone ? roots : replies[parent[i]]).push_back(i);
  }
  std::vector<ThreadNode> tree;
  tree.reserve(roots.size());
  for (size_t root : roots) tree.push_back(MakeNode(messages, replies, root));
  return tree;
}

Result<std::vector<ThreadNode>> ThreadTreeOf(Store& store, int64_t id) {
  Result<std::vector<MessageSummary>> messages = store.Thread(id);
  if (!messages) return tl::unexpected(messages.error());
  return BuildThreadTree(std::move(*messages));
}

std::vector<ThreadLine> FlattenThreadTree(const std::vector<ThreadNode>& roots) {
  std::vector<ThreadLine> lines;
  struct Pending {
    const ThreadNode* node;
    int depth;
    bool last;
  };
  std::vector<Pending> stack;
  for (size_t i = roots.size(); i-- > 0;) stack.push_back({&roots[i], 0, i + 1 == roots.size()});
  while (!stack.empty()) {
    Pending next = stack.back();
    stack.pop_back();
    lines.push_back({&next.node->message, next.depth, next.last});
    const auto& replies = next.node->replies;
    for (size_t i = replies.size(); i-- > 0;) {
      stack.push_back({&replies[i], next.depth + 1, i + 1 == replies.size()});
    }
  }
  return lines;
}

}  // namespace pigeon::store
