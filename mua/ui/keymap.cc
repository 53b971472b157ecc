// See keymap.h. The default tables follow NeoMutt's IndexDefaultBindings,
// PagerDefaultBindings and GenericDefaultBindings (index inherits the generic menu), for the
// operations this reader has.
#include "mua/ui/keymap.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace pigeon::mua::ui {
namespace {

struct OpInfo {
  Op op;
  std::string_view name;
  std::string_view description;
};

constexpr std::array<OpInfo, 84> kOps = {{
    {Op::kNextUndeleted, "next-undeleted", "move to the next undeleted message"},
    {Op::kPrevUndeleted, "previous-undeleted", "move to the previous undeleted message"},
    {Op::kNextEntry, "next-entry", "move to the next message"},
    {Op::kPrevEntry, "previous-entry", "move to the previous message"},
    {Op::kNextPage, "next-page", "move to the next page"},
    {Op::kPrevPage, "previous-page", "move to the previous page"},
    {Op::kFirstEntry, "first-entry", "move to the first message"},
    {Op::kLastEntry, "last-entry", "move to the last message"},
    {Op::kTopPage, "top-page", "move to the top of the page"},
    {Op::kMiddlePage, "middle-page", "move to the middle of the page"},
    {Op::kBottomPage, "bottom-page", "move to the bottom of the page"},
    {Op::kNextNewThenUnread, "next-new-then-unread", "jump to the next unread message"},
    {Op::kDisplayMessage, "display-message", "display a message"},
    {Op::kChangeFolder, "change-folder", "open a different folder"},
    {Op::kNextLine, "next-line", "scroll down one line"},
    {Op::kPrevLine, "previous-line", "scroll up one line"},
    {Op::kTop, "top", "jump to the top of the message"},
    {Op::kBottom, "bottom", "jump to the bottom of the message"},
    {Op::kDisplayHeaders, "display-toggle-weed", "display message and toggle header weeding"},
    {Op::kDeleteMessage, "delete-message", "delete the current entry"},
    {Op::kUndeleteMessage, "undelete-message", "undelete the current entry"},
    {Op::kDeleteThread, "delete-thread", "delete all messages in thread"},
    {Op::kUndeleteThread, "undelete-thread", "undelete all messages in thread"},
    {Op::kFlagMessage, "flag-message", "toggle a message's 'important' flag"},
    {Op::kToggleNew, "toggle-new", "toggle a message's 'new' flag"},
    {Op::kTag, "tag-entry", "tag the current entry"},
    {Op::kTagPrefix, "tag-prefix", "apply next function to tagged messages"},
    {Op::kSaveMessage, "save-message", "move the message to a folder"},
    {Op::kCopyMessage, "copy-message", "copy the message to a folder"},
    {Op::kSyncMailbox, "sync-mailbox", "save changes to mailbox (purge deleted messages)"},
    {Op::kMail, "mail", "compose a new mail message"},
    {Op::kReply, "reply", "reply to a message"},
    {Op::kGroupReply, "group-reply", "reply to all recipients"},
    {Op::kListReply, "list-reply", "reply to specified mailing list"},
    {Op::kForward, "forward-message", "forward a message with comments"},
    {Op::kBounce, "bounce-message", "remail a message to another user"},
    {Op::kExit, "exit", "exit this menu"},
    {Op::kQuit, "quit", "quit pigeon"},
    {Op::kHelp, "help", "this screen"},
    {Op::kRedraw, "redraw-screen", "clear and redraw the screen"},
    {Op::kLimit, "limit", "show only messages matching a query"},
    {Op::kSearch, "search", "search for a message, or for text in the pager"},
    {Op::kSearchNext, "search-next", "search for the next match"},
    {Op::kDeletePattern, "delete-pattern", "delete messages matching a query"},
    {Op::kUndeletePattern, "undelete-pattern", "undelete messages matching a query"},
    {Op::kTagPattern, "tag-pattern", "tag messages matching a query"},
    {Op::kUntagPattern, "untag-pattern", "untag messages matching a query"},
    {Op::kPipeMessage, "pipe-message", "pipe message to a shell command"},
    {Op::kShellEscape, "shell-escape", "invoke a command in a subshell"},
    {Op::kSidebarToggleVisible, "sidebar-toggle-visible", "make the sidebar (in)visible"},
    {Op::kSidebarNext, "sidebar-next", "move the sidebar highlight to the next folder"},
    {Op::kSidebarPrev, "sidebar-prev", "move the sidebar highlight to the previous folder"},
    {Op::kSidebarNextNew, "sidebar-next-new",
     "move the sidebar highlight to the next folder with unread mail"},
    {Op::kSidebarPrevNew, "sidebar-prev-new",
     "move the sidebar highlight to the previous folder with unread mail"},
    {Op::kSidebarOpen, "sidebar-open", "open the highlighted folder"},
    {Op::kSortMailbox, "sort-mailbox", "sort messages"},
    {Op::kSortReverse, "sort-reverse", "sort messages in reverse order"},
    {Op::kCollapseThread, "collapse-thread", "collapse/uncollapse current thread"},
    {Op::kCollapseAll, "collapse-all", "collapse/uncollapse all threads"},
    {Op::kNextThread, "next-thread", "jump to the next thread"},
    {Op::kPreviousThread, "previous-thread", "jump to previous thread"},
    {Op::kViewAttachments, "view-attachments", "show MIME attachments"},
    {Op::kViewAttach, "view-attach", "view attachment using mailcap entry if necessary"},
    {Op::kViewMailcap, "view-mailcap", "force viewing of attachment using mailcap"},
    {Op::kSaveEntry, "save-entry", "save message/attachment to a file"},
    {Op::kPipeEntry, "pipe-entry", "pipe message/attachment to a shell command"},
    {Op::kUndoSend, "undo-send", "take back the message just sent"},
    {Op::kOutbox, "outbox", "list the messages waiting to go out"},
    {Op::kRetrySend, "retry-send", "try to deliver the message now"},
    {Op::kCancelSend, "cancel-send", "take the message back into Drafts"},
    {Op::kRecallMessage, "recall-message", "recall a postponed message"},
    {Op::kSendMessage, "send-message", "send the message"},
    {Op::kSendLater, "send-later", "send the message at a chosen time"},
    {Op::kPostponeMessage, "postpone-message", "save this message to send later"},
    {Op::kEditMessage, "edit-message", "edit the message"},
    {Op::kEditFrom, "edit-from", "edit the from field"},
    {Op::kEditTo, "edit-to", "edit the TO list"},
    {Op::kEditCc, "edit-cc", "edit the CC list"},
    {Op::kEditBcc, "edit-bcc", "edit the BCC list"},
    {Op::kEditSubject, "edit-subject", "edit the subject of this message"},
    {Op::kEditReplyTo, "edit-reply-to", "edit the Reply-To field"},
    {Op::kEditFcc, "edit-fcc", "enter a file to save a copy of this message in"},
    {Op::kAttachFile, "attach-file", "attach files to this message"},
    {Op::kDetachFile, "detach-file", "delete the current entry"},
}};

const OpInfo& Info(Op op) { return kOps[static_cast<size_t>(op)]; }

// The commands on messages, mail, the replies, forward and bounce: the same keys in the index
// and the pager (NeoMutt's defaults; in the index "L" is list-reply, not the generic menu's
// bottom-page).
void BindMessageCommands(Keymap& map) {
  map.Bind('d', Op::kDeleteMessage);
  map.Bind('u', Op::kUndeleteMessage);
  map.Bind(keys::kControlD, Op::kDeleteThread);
  map.Bind(keys::kControlU, Op::kUndeleteThread);
  map.Bind('F', Op::kFlagMessage);
  map.Bind('N', Op::kToggleNew);
  map.Bind('t', Op::kTag);
  map.Bind('s', Op::kSaveMessage);
  map.Bind('C', Op::kCopyMessage);
  map.Bind('$', Op::kSyncMailbox);
  map.Bind('m', Op::kMail);
  map.Bind('r', Op::kReply);
  map.Bind('g', Op::kGroupReply);
  map.Bind('L', Op::kListReply);
  map.Bind('f', Op::kForward);
  map.Bind('b', Op::kBounce);
  map.Bind('|', Op::kPipeMessage);
  map.Bind('!', Op::kShellEscape);
  // NeoMutt binds no sidebar keys; these are free in its index and pager maps.
  map.Bind('B', Op::kSidebarToggleVisible);
  map.Bind('}', Op::kSidebarNext);
  map.Bind('{', Op::kSidebarPrev);
  map.Bind(0x0F, Op::kSidebarOpen);  // ^O
  map.Bind('v', Op::kViewAttachments);
}

struct NamedKey {
  Key key;
  std::string_view name;
};

constexpr std::array<NamedKey, 15> kNamedKeys = {{
    {keys::kUp, "<Up>"},
    {keys::kDown, "<Down>"},
    {keys::kLeft, "<Left>"},
    {keys::kRight, "<Right>"},
    {keys::kPageUp, "<PageUp>"},
    {keys::kPageDown, "<PageDown>"},
    {keys::kHome, "<Home>"},
    {keys::kEnd, "<End>"},
    {keys::kBackspace, "<Backspace>"},
    {keys::kDelete, "<Delete>"},
    {keys::kKeypadEnter, "<KeypadEnter>"},
    {' ', "<Space>"},
    {'\t', "<Tab>"},
    {'\r', "<Return>"},
    {'\n', "<Enter>"},
}};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Binds the keys common to every menu that lists messages or scrolls a text.
void BindAll(Keymap& map, std::initializer_list<Key> keys, Op op) {
  for (Key key : keys) map.Bind(key, op);
}

}  // namespace

std::string_view OpName(Op op) { return Info(op).name; }
std::string_view OpDescription(Op op) { return Info(op).description; }

std::optional<Op> ParseOpName(std::string_view name) {
  for (const OpInfo& info : kOps) {
    if (info.name == name) return info.op;
  }
  return std::nullopt;
}

std::string KeyName(Key key) {
  if (key > keys::kMeta && key - keys::kMeta < keys::kMeta) {
    return "<Esc>" + KeyName(key - keys::kMeta);
  }
  for (const NamedKey& named : kNamedKeys) {
    if (named.key == key) return std::string(named.name);
  }
  if (key == keys::kEscape) return "<Esc>";
  if (key >= 0 && key < 0x20) return fmt::format("^{}", static_cast<char>(key + '@'));
  if (key == 0x7F) return "^?";  // DEL, what most terminals send for the Backspace key
  if (key >= 0x20 && key < 0x7F) return std::string(1, static_cast<char>(key));
  if (key > 0x7F && key <= 0x10FFFF) return fmt::format("<U+{:04X}>", key);
  return fmt::format("<key {}>", key);
}

std::optional<Key> ParseKeyName(std::string_view name) {
  for (std::string_view escape : {"<Esc>", "\\e"}) {
    if (name.size() > escape.size() && EqualsIgnoreCase(name.substr(0, escape.size()), escape)) {
      std::optional<Key> key = ParseKeyName(name.substr(escape.size()));
      if (!key || *key >= keys::kMeta) return std::nullopt;
      return keys::Meta(*key);
    }
  }
  for (const NamedKey& named : kNamedKeys) {
    if (EqualsIgnoreCase(named.name, name)) return named.key;
  }
  if (EqualsIgnoreCase(name, "<Esc>")) return keys::kEscape;
  if (name == "^?") return 0x7F;
  if (name.size() == 2 && name[0] == '^' && name[1] >= '@' && name[1] <= '_') {
    return name[1] - '@';
  }
  if (name.size() == 2 && name[0] == '^' && name[1] >= 'a' && name[1] <= 'z') {
    return name[1] - 'a' + 1;
  }
  if (name.size() == 1 && name[0] > 0x20 && name[0] < 0x7F) return name[0];
  return std::nullopt;
}

std::optional<Op> Keymap::Lookup(Key key) const {
  auto found = bindings_.find(key);
  if (found == bindings_.end()) return std::nullopt;
  return found->second;
}

std::vector<Key> Keymap::KeysFor(Op op) const {
  std::vector<Key> printable, other;
  for (const auto& [key, bound] : bindings_) {
    if (bound != op) continue;
    (key > 0x20 && key < 0x7F ? printable : other).push_back(key);
  }
  printable.insert(printable.end(), other.begin(), other.end());
  return printable;
}

std::vector<std::pair<Op, std::vector<Key>>> Keymap::Bindings() const {
  std::vector<std::pair<Op, std::vector<Key>>> out;
  for (const OpInfo& info : kOps) {
    std::vector<Key> keys = KeysFor(info.op);
    if (!keys.empty()) out.emplace_back(info.op, std::move(keys));
  }
  return out;
}

Keymap DefaultIndexKeymap() {
  Keymap map;
  // Generic menu (NeoMutt's GenericDefaultBindings) first; the index map then overrides.
  BindAll(map, {'=', keys::kHome}, Op::kFirstEntry);
  BindAll(map, {'*', keys::kEnd}, Op::kLastEntry);
  BindAll(map, {'z', keys::kPageDown, keys::kRight}, Op::kNextPage);
  BindAll(map, {'Z', keys::kPageUp, keys::kLeft}, Op::kPrevPage);
  BindAll(map, {'H'}, Op::kTopPage);
  BindAll(map, {'M'}, Op::kMiddlePage);
  BindAll(map, {'L'}, Op::kBottomPage);
  BindAll(map, {'?'}, Op::kHelp);
  BindAll(map, {keys::kControlL}, Op::kRedraw);
  // Index (IndexDefaultBindings).
  BindAll(map, {'j', keys::kDown}, Op::kNextUndeleted);
  BindAll(map, {'k', keys::kUp}, Op::kPrevUndeleted);
  BindAll(map, {'J'}, Op::kNextEntry);
  BindAll(map, {'K'}, Op::kPrevEntry);
  BindAll(map, {' ', '\n', '\r', keys::kKeypadEnter}, Op::kDisplayMessage);
  BindAll(map, {keys::kTab}, Op::kNextNewThenUnread);
  BindAll(map, {'c'}, Op::kChangeFolder);
  BindAll(map, {'q'}, Op::kQuit);
  BindAll(map, {'x'}, Op::kExit);
  BindMessageCommands(map);
  BindAll(map, {';'}, Op::kTagPrefix);  // generic menu; the pager has no tag-prefix
  BindAll(map, {'l'}, Op::kLimit);
  BindAll(map, {'/'}, Op::kSearch);  // generic menu, as is search-next
  BindAll(map, {'n'}, Op::kSearchNext);
  BindAll(map, {'D'}, Op::kDeletePattern);
  BindAll(map, {'U'}, Op::kUndeletePattern);
  BindAll(map, {'T'}, Op::kTagPattern);
  BindAll(map, {keys::kControlT}, Op::kUntagPattern);
  BindAll(map, {'o'}, Op::kSortMailbox);
  BindAll(map, {'O'}, Op::kSortReverse);
  BindAll(map, {keys::Meta('v')}, Op::kCollapseThread);
  BindAll(map, {keys::Meta('V')}, Op::kCollapseAll);
  BindAll(map, {keys::kControlN}, Op::kNextThread);
  BindAll(map, {keys::kControlP}, Op::kPreviousThread);
  // pigeon's own, on keys NeoMutt's index leaves free.
  BindAll(map, {'X'}, Op::kUndoSend);
  BindAll(map, {'Y'}, Op::kOutbox);
  BindAll(map, {'R'}, Op::kRecallMessage);
  return map;
}

Keymap DefaultComposeKeymap() {
  Keymap map;
  BindAll(map, {'j', keys::kDown}, Op::kNextEntry);
  BindAll(map, {'k', keys::kUp}, Op::kPrevEntry);
  BindAll(map, {'=', keys::kHome}, Op::kFirstEntry);
  BindAll(map, {'*', keys::kEnd}, Op::kLastEntry);
  BindAll(map, {'y'}, Op::kSendMessage);
  BindAll(map, {'L'}, Op::kSendLater);  // pigeon's own; free in NeoMutt's compose menu
  BindAll(map, {'P'}, Op::kPostponeMessage);
  BindAll(map, {'q'}, Op::kExit);
  BindAll(map, {'e', 'E'}, Op::kEditMessage);  // the editor shows the headers too
  BindAll(map, {keys::Meta('f')}, Op::kEditFrom);
  BindAll(map, {'t'}, Op::kEditTo);
  BindAll(map, {'c'}, Op::kEditCc);
  BindAll(map, {'b'}, Op::kEditBcc);
  BindAll(map, {'s'}, Op::kEditSubject);
  BindAll(map, {'r'}, Op::kEditReplyTo);
  BindAll(map, {'f'}, Op::kEditFcc);
  BindAll(map, {'a'}, Op::kAttachFile);
  BindAll(map, {'D'}, Op::kDetachFile);
  BindAll(map, {'?'}, Op::kHelp);
  BindAll(map, {keys::kControlL}, Op::kRedraw);
  return map;
}

Keymap DefaultOutboxKeymap() {
  Keymap map;
  BindAll(map, {'j', keys::kDown}, Op::kNextEntry);
  BindAll(map, {'k', keys::kUp}, Op::kPrevEntry);
  BindAll(map, {'=', keys::kHome}, Op::kFirstEntry);
  BindAll(map, {'*', keys::kEnd}, Op::kLastEntry);
  BindAll(map, {'r'}, Op::kRetrySend);
  BindAll(map, {'d'}, Op::kCancelSend);
  BindAll(map, {'q', 'x'}, Op::kExit);
  BindAll(map, {'?'}, Op::kHelp);
  BindAll(map, {keys::kControlL}, Op::kRedraw);
  return map;
}

Keymap DefaultPagerKeymap() {
  Keymap map;
  BindAll(map, {'q', 'x', 'i'}, Op::kExit);
  BindAll(map, {'Q'}, Op::kQuit);
  BindAll(map, {'j', keys::kDown, keys::kRight}, Op::kNextUndeleted);
  BindAll(map, {'k', keys::kUp, keys::kLeft}, Op::kPrevUndeleted);
  BindAll(map, {'J'}, Op::kNextEntry);
  BindAll(map, {'K'}, Op::kPrevEntry);
  BindAll(map, {'\n', '\r', keys::kKeypadEnter}, Op::kNextLine);
  BindAll(map, {keys::kBackspace, 0x7F, 0x08}, Op::kPrevLine);
  BindAll(map, {' ', keys::kPageDown}, Op::kNextPage);
  BindAll(map, {'-', keys::kPageUp}, Op::kPrevPage);
  BindAll(map, {'^', keys::kHome}, Op::kTop);
  BindAll(map, {keys::kEnd}, Op::kBottom);
  BindAll(map, {keys::kTab}, Op::kNextNewThenUnread);
  BindAll(map, {'h'}, Op::kDisplayHeaders);
  BindAll(map, {'c'}, Op::kChangeFolder);
  BindAll(map, {'?'}, Op::kHelp);
  BindAll(map, {keys::kControlL}, Op::kRedraw);
  BindAll(map, {'/'}, Op::kSearch);
  BindAll(map, {'n'}, Op::kSearchNext);
  BindAll(map, {keys::kControlN}, Op::kNextThread);
  BindAll(map, {keys::kControlP}, Op::kPreviousThread);
  BindMessageCommands(map);
  return map;
}

Keymap DefaultAttachKeymap() {
  Keymap map;
  BindAll(map, {'=', keys::kHome}, Op::kFirstEntry);
  BindAll(map, {'*', keys::kEnd}, Op::kLastEntry);
  BindAll(map, {'z', keys::kPageDown, keys::kRight}, Op::kNextPage);
  BindAll(map, {'Z', keys::kPageUp, keys::kLeft}, Op::kPrevPage);
  BindAll(map, {'j', keys::kDown}, Op::kNextEntry);
  BindAll(map, {'k', keys::kUp}, Op::kPrevEntry);
  BindAll(map, {'q', 'x', keys::kEscape}, Op::kExit);
  BindAll(map, {'?'}, Op::kHelp);
  BindAll(map, {keys::kControlL}, Op::kRedraw);
  BindAll(map, {'\n', '\r', keys::kKeypadEnter}, Op::kViewAttach);
  BindAll(map, {'m'}, Op::kViewMailcap);
  BindAll(map, {'s'}, Op::kSaveEntry);
  BindAll(map, {'|'}, Op::kPipeEntry);
  return map;
}

Keymap DefaultHelpKeymap() {
  Keymap map;
  BindAll(map, {'q', 'x', 'i'}, Op::kExit);
  BindAll(map, {'\n', '\r', keys::kKeypadEnter, 'j', keys::kDown}, Op::kNextLine);
  BindAll(map, {keys::kBackspace, 0x7F, 0x08, 'k', keys::kUp}, Op::kPrevLine);
  BindAll(map, {' ', keys::kPageDown}, Op::kNextPage);
  BindAll(map, {'-', keys::kPageUp}, Op::kPrevPage);
  BindAll(map, {'^', keys::kHome}, Op::kTop);
  BindAll(map, {keys::kEnd}, Op::kBottom);
  BindAll(map, {keys::kControlL}, Op::kRedraw);
  return map;
}

std::string HelpHint(const Keymap& keymap, const std::vector<std::pair<Op, std::string>>& items) {
  std::string out;
  for (const auto& [op, label] : items) {
    std::vector<Key> keys = keymap.KeysFor(op);
    if (keys.empty()) continue;
    // Keys come in code order ('Q' before 'q'); mutt's hint names the lower-case letter.
    auto shown =
        std::find_if(keys.begin(), keys.end(), [](Key key) { return key >= 'a' && key <= 'z'; });
    if (!out.empty()) out += "  ";
    out += KeyName(shown != keys.end() ? *shown : keys.front()) + ":" + label;
  }
  return out;
}

}  // namespace pigeon::mua::ui
