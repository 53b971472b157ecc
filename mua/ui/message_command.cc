// See message_command.h. The $resolve moves are those of mutt's index and pager loops.
#include "mua/ui/message_command.h"

#include <fmt/format.h>

#include "common/store/schema.h"

namespace pigeon::mua::ui {

bool IsMessageCommand(Op op) {
  switch (op) {
    case Op::kDeleteMessage:
    case Op::kUndeleteMessage:
    case Op::kDeleteThread:
    case Op::kUndeleteThread:
    case Op::kFlagMessage:
    case Op::kToggleNew:
    case Op::kTag:
    case Op::kSaveMessage:
    case Op::kCopyMessage:
      return true;
    default:
      return false;
  }
}

bool ActsOnThread(Op op) { return op == Op::kDeleteThread || op == Op::kUndeleteThread; }

std::optional<FlagEdit> FlagEditFor(Op op) {
  switch (op) {
    case Op::kDeleteMessage:
    case Op::kDeleteThread:
    case Op::kDeletePattern:
      return FlagEdit{.set = store::kFlagDeleted};
    case Op::kUndeleteMessage:
    case Op::kUndeleteThread:
    case Op::kUndeletePattern:
      return FlagEdit{.clear = store::kFlagDeleted};
    case Op::kFlagMessage:
      return FlagEdit{.toggle = store::kFlagFlagged};
    case Op::kToggleNew:
      return FlagEdit{.toggle = store::kFlagSeen};
    default:
      return std::nullopt;
  }
}

bool Untags(Op op) {
  return op == Op::kDeleteMessage || op == Op::kDeleteThread || op == Op::kDeletePattern;
}

Advance AdvanceAfter(Op op, bool on_tagged) {
  if (on_tagged) return Advance::kStay;
  switch (op) {
    case Op::kDeleteMessage:
    case Op::kDeleteThread:
    case Op::kFlagMessage:
    case Op::kToggleNew:
      return Advance::kNextUndeleted;
    case Op::kUndeleteMessage:
    case Op::kUndeleteThread:
    case Op::kTag:
      return Advance::kNextEntry;
    default:
      return Advance::kStay;
  }
}

bool TagPrefix::Arm(const TagSet& tags) {
  armed_ = !tags.empty();
  return armed_;
}

Targets TagPrefix::Take(const TagSet& tags, const store::MessageSummary* selected) {
  if (armed_) {
    armed_ = false;
    return Targets{tags.Ids(), true};
  }
  if (selected == nullptr) return Targets{};
  return Targets{{selected->id}, false};
}

bool IsPatternCommand(Op op) {
  return op == Op::kDeletePattern || op == Op::kUndeletePattern || op == Op::kTagPattern ||
         op == Op::kUntagPattern;
}

std::string_view PatternPrompt(Op op) {
  switch (op) {
    case Op::kDeletePattern:
      return "Delete messages matching: ";
    case Op::kUndeletePattern:
      return "Undelete messages matching: ";
    case Op::kTagPattern:
      return "Tag messages matching: ";
    default:
      return "Untag messages matching: ";
  }
}

std::string PatternOutcome(Op op, size_t count) {
  const std::string_view done = op == Op::kDeletePattern     ? "deleted"
                                : op == Op::kUndeletePattern ? "undeleted"
                                : op == Op::kTagPattern      ? "tagged"
                                                             : "untagged";
  return fmt::format("{} message{} {}.", count, count == 1 ? "" : "s", done);
}

std::vector<int64_t> MembersInFolder(std::span<const store::MessageSummary> thread,
                                     int64_t folder_id) {
  std::vector<int64_t> ids;
  for (const store::MessageSummary& message : thread) {
    if (message.folder_id == folder_id) ids.push_back(message.id);
  }
  return ids;
}

std::string PurgeQuestion(int64_t deleted) {
  return fmt::format("Purge {} deleted message{}?", deleted, deleted == 1 ? "" : "s");
}

}  // namespace pigeon::mua::ui
