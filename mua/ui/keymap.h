// Keys to operations, per screen, with NeoMutt's default bindings (index, pager and attach maps of
// NeoMutt's keymap tables). A Keymap is a plain table so the config can rebind keys later; the
// operation names are NeoMutt's function names ("next-undeleted"), which is what a muttrc
// "bind" line and the help screen use.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pigeon::mua::ui {

// A key as the terminal reports it: a Unicode code point (control keys as their C0 code), or
// one of the named keys below (outside Unicode's range).
using Key = int;
namespace keys {
inline constexpr Key kUp = 0x110001;
inline constexpr Key kDown = 0x110002;
inline constexpr Key kLeft = 0x110003;
inline constexpr Key kRight = 0x110004;
inline constexpr Key kPageUp = 0x110005;
inline constexpr Key kPageDown = 0x110006;
inline constexpr Key kHome = 0x110007;
inline constexpr Key kEnd = 0x110008;
inline constexpr Key kBackspace = 0x110009;
inline constexpr Key kDelete = 0x11000A;
inline constexpr Key kKeypadEnter = 0x11000B;
inline constexpr Key kResize = 0x11000C;  // the terminal changed size
inline constexpr Key kTab = '\t';
inline constexpr Key kEscape = 0x1B;
inline constexpr Key kControlL = 0x0C;
inline constexpr Key kControlG = 0x07;
inline constexpr Key kControlU = 0x15;
inline constexpr Key kControlD = 0x04;
inline constexpr Key kControlT = 0x14;
inline constexpr Key kControlN = 0x0E;
inline constexpr Key kControlP = 0x10;
// Esc followed by a key (mutt's "\ev", the Meta key): the key plus kMeta.
inline constexpr Key kMeta = 0x200000;
constexpr Key Meta(Key key) { return kMeta + key; }
}  // namespace keys

enum class Op {
  kNextUndeleted,
  kPrevUndeleted,
  kNextEntry,
  kPrevEntry,
  kNextPage,
  kPrevPage,
  kFirstEntry,
  kLastEntry,
  kTopPage,
  kMiddlePage,
  kBottomPage,
  kNextNewThenUnread,
  kDisplayMessage,
  kChangeFolder,
  kNextLine,
  kPrevLine,
  kTop,
  kBottom,
  kDisplayHeaders,
  kDeleteMessage,
  kUndeleteMessage,
  kDeleteThread,
  kUndeleteThread,
  kFlagMessage,
  kToggleNew,
  kTag,
  kTagPrefix,
  kSaveMessage,
  kCopyMessage,
  kSyncMailbox,
  kMail,
  kReply,
  kGroupReply,
  kListReply,
  kForward,
  kBounce,
  kExit,
  kQuit,
  kHelp,
  kRedraw,
  kLimit,
  kSearch,
  kSearchNext,
  kDeletePattern,
  kUndeletePattern,
  kTagPattern,
  kUntagPattern,
  kPipeMessage,
  kShellEscape,
  kSidebarToggleVisible,
  kSidebarNext,
  kSidebarPrev,
  kSidebarNextNew,
  kSidebarPrevNew,
  kSidebarOpen,
  kSortMailbox,
  kSortReverse,
  kCollapseThread,
  kCollapseAll,
  kNextThread,
  kPreviousThread,
  kViewAttachments,
  kViewAttach,
  kViewMailcap,
  kSaveEntry,
  kPipeEntry,
  kUndoSend,
  kOutbox,
  kRetrySend,
  kCancelSend,
  kRecallMessage,
  kSendMessage,
  kSendLater,
  kPostponeMessage,
  kEditMessage,
  kEditFrom,
  kEditTo,
  kEditCc,
  kEditBcc,
  kEditSubject,
  kEditReplyTo,
  kEditFcc,
  kAttachFile,
  kDetachFile,
};

// NeoMutt's function name ("next-undeleted") and a one-line description for the help screen.
std::string_view OpName(Op op);
std::string_view OpDescription(Op op);
// The operation named `name` (NeoMutt's function name); nullopt when there is none.
std::optional<Op> ParseOpName(std::string_view name);

// "j", "<Down>", "^L", "<Space>", "<Enter>", "<Tab>", "<Esc>v": the names mutt's help shows.
std::string KeyName(Key key);
// The inverse of KeyName for named keys (any case), "^X" and printable ASCII, and of Esc
// before one of those as "<Esc>v" or "\ev" (muttrc's spelling); else nullopt.
std::optional<Key> ParseKeyName(std::string_view name);

class Keymap {
 public:
  // A key has at most one operation: binding it again replaces the old one.
  void Bind(Key key, Op op) { bindings_[key] = op; }
  void Unbind(Key key) { bindings_.erase(key); }
  std::optional<Op> Lookup(Key key) const;
  // Keys bound to `op`, in key order (printable ones first, as KeyName sorts them).
  std::vector<Key> KeysFor(Op op) const;
  // Every operation that has a key, in the order of the Op enumeration, with its keys.
  std::vector<std::pair<Op, std::vector<Key>>> Bindings() const;

 private:
  std::map<Key, Op> bindings_;
};

Keymap DefaultIndexKeymap();
Keymap DefaultPagerKeymap();
// The attachments menu (NeoMutt's AttachmentDefaultBindings over the generic menu).
Keymap DefaultAttachKeymap();
// The outbox screen: the generic menu's movement, retry (r), cancel (d), exit (q), help (?).
Keymap DefaultOutboxKeymap();
// The compose screen (NeoMutt's ComposeDefaultBindings for the operations it has, with
// send-later on L).
Keymap DefaultComposeKeymap();
// The help screen is shown in a pager: scrolling keys and exit only.
Keymap DefaultHelpKeymap();

// Every screen's keymap, as the config's bind lines leave them.
struct Keymaps {
  Keymap index = DefaultIndexKeymap();
  Keymap pager = DefaultPagerKeymap();
  Keymap attach = DefaultAttachKeymap();
  Keymap outbox = DefaultOutboxKeymap();
  Keymap compose = DefaultComposeKeymap();
};

// mutt's $help line: "q:Quit  c:Change folder  ?:Help" from the first key of each listed
// operation that has one; operations without a key are left out.
std::string HelpHint(const Keymap& keymap, const std::vector<std::pair<Op, std::string>>& items);

}  // namespace pigeon::mua::ui
