// The reply tree of one thread, built from its messages' parent ids (In-Reply-To, else the
// last of References). Pure: summaries in, tree out. A message whose parent is not in the
// thread (not received, deleted, or in a folder not asked for) becomes a root, as in mutt.
#pragma once

#include <vector>

#include "common/store/store.h"

namespace pigeon::store {

struct ThreadNode {
  MessageSummary message;
  std::vector<ThreadNode> replies;  // oldest first
};

// Roots and every list of replies are sorted by date, then id. Copies of one Message-ID (the
// same message in two folders) are all kept; replies hang under the first of them. Reference
// loops (A answers B, B answers A) are broken at the oldest message of the loop.
std::vector<ThreadNode> BuildThreadTree(std::vector<MessageSummary> messages);

// The tree of the thread message `id` belongs to (Store::Thread, then BuildThreadTree).
Result<std::vector<ThreadNode>> ThreadTreeOf(Store& store, int64_t id);

// The tree in reading order with each message's depth (0 for roots): what an index shows.
struct ThreadLine {
  const MessageSummary* message;
  int depth;
  bool last_sibling;  // no later reply of the same parent follows (for tree art: `-> vs |->)
};
std::vector<ThreadLine> FlattenThreadTree(const std::vector<ThreadNode>& roots);

}  // namespace pigeon::store
