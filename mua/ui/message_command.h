// The rules of the reader's commands on messages (mutt's delete-message, flag-message,
// tag-entry, save-message…), without a store or a terminal: which messages a command acts on
// (the selected one, or the tagged ones after tag-prefix), what it writes to their flags, and
// where the cursor goes afterwards (mutt's $resolve, set by default). App applies them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/store/store.h"
#include "mua/ui/keymap.h"
#include "mua/ui/tag_set.h"

namespace pigeon::mua::ui {

// d u ^D ^U F N t s C: the commands tag-prefix applies to.
bool IsMessageCommand(Op op);
// ^D, ^U: on every message of the thread in the open folder.
bool ActsOnThread(Op op);

// A command's write to the flags of the messages it acts on: bits set, cleared, or flipped on
// each message on its own (mutt toggles every tagged message by its own state).
struct FlagEdit {
  int set = 0;
  int clear = 0;
  int toggle = 0;
};
// nullopt for the commands that write no flag (t, s, C).
std::optional<FlagEdit> FlagEditFor(Op op);
// mutt's $delete_untag (set by default): deleting a message untags it.
bool Untags(Op op);

// Where the cursor goes after a command (mutt's $resolve).
enum class Advance { kStay, kNextEntry, kNextUndeleted };
// d, ^D, F, N: to the next undeleted message; u, ^U, t: to the next message; s, C: stay (a
// moved message leaves the folder, and the one after it takes its row). On tagged messages:
// stay, as mutt does.
Advance AdvanceAfter(Op op, bool on_tagged);

// The messages a command acts on; `tagged` when they are the tagged ones.
struct Targets {
  std::vector<int64_t> ids;
  bool tagged = false;
};

// mutt's tag-prefix (';'): the next message command applies to the tagged messages. Any
// other command drops it.
class TagPrefix {
 public:
  // Arms when a message is tagged; false (mutt: "No tagged messages.") when none is.
  bool Arm(const TagSet& tags);
  void Disarm() { armed_ = false; }
  bool armed() const { return armed_; }
  // The tagged messages when armed (and disarms), else the selected one (none when
  // `selected` is null: an empty folder).
  Targets Take(const TagSet& tags, const store::MessageSummary* selected);

 private:
  bool armed_ = false;
};

// D U T ^T (mutt's delete-pattern, undelete-pattern, tag-pattern, untag-pattern): on every
// message of the view that matches a query, asked for with PatternPrompt(). D and U write
// FlagEditFor() in one store write; D untags as d does.
bool IsPatternCommand(Op op);
// mutt's prompts: "Delete messages matching: ".
std::string_view PatternPrompt(Op op);
// What the command did: "3 messages deleted.", "1 message tagged."
std::string PatternOutcome(Op op, size_t count);

// The ids of `thread`'s messages that are in `folder_id` (a thread spans folders; ^D acts on
// the open one), in the thread's order.
std::vector<int64_t> MembersInFolder(std::span<const store::MessageSummary> thread,
                                     int64_t folder_id);

// "Purge 1 deleted message?", "Purge 3 deleted messages?"
std::string PurgeQuestion(int64_t deleted);

}  // namespace pigeon::mua::ui
