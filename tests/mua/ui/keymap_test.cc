#include "mua/ui/keymap.h"

#include <gtest/gtest.h>

namespace pigeon::mua::ui {
namespace {

TEST(Keymap, IndexHasNeoMuttDefaults) {
  const Keymap index = DefaultIndexKeymap();
  struct Case {
    Key key;
    Op op;
  } cases[] = {
      {'j', Op::kNextUndeleted},
      {keys::kDown, Op::kNextUndeleted},
      {'o', Op::kSortMailbox},
      {'O', Op::kSortReverse},
      {keys::Meta('v'), Op::kCollapseThread},
      {keys::Meta('V'), Op::kCollapseAll},
      {keys::kControlN, Op::kNextThread},
      {keys::kControlP, Op::kPreviousThread},
      {'k', Op::kPrevUndeleted},
      {keys::kUp, Op::kPrevUndeleted},
      {'J', Op::kNextEntry},
      {'K', Op::kPrevEntry},
      {' ', Op::kDisplayMessage},
      {'\r', Op::kDisplayMessage},
      {'\n', Op::kDisplayMessage},
      {'=', Op::kFirstEntry},
      {keys::kHome, Op::kFirstEntry},
      {'*', Op::kLastEntry},
      {keys::kEnd, Op::kLastEntry},
      {keys::kPageDown, Op::kNextPage},
      {'z', Op::kNextPage},
      {keys::kPageUp, Op::kPrevPage},
      {'Z', Op::kPrevPage},
      {'c', Op::kChangeFolder},
      {'q', Op::kQuit},
      {'x', Op::kExit},
      {'?', Op::kHelp},
      {keys::kControlL, Op::kRedraw},
      {'\t', Op::kNextNewThenUnread},
      {'d', Op::kDeleteMessage},
      {'u', Op::kUndeleteMessage},
      {keys::kControlD, Op::kDeleteThread},
      {keys::kControlU, Op::kUndeleteThread},
      {'F', Op::kFlagMessage},
      {'N', Op::kToggleNew},
      {'t', Op::kTag},
      {';', Op::kTagPrefix},
      {'s', Op::kSaveMessage},
      {'C', Op::kCopyMessage},
      {'$', Op::kSyncMailbox},
      {'m', Op::kMail},
      {'r', Op::kReply},
      {'l', Op::kLimit},
      {'/', Op::kSearch},
      {'n', Op::kSearchNext},
      {'D', Op::kDeletePattern},
      {'U', Op::kUndeletePattern},
      {'T', Op::kTagPattern},
      {keys::kControlT, Op::kUntagPattern},
      {'g', Op::kGroupReply},
      {'L', Op::kListReply},  // NeoMutt's index: not the generic menu's bottom-page
      {'f', Op::kForward},
      {'b', Op::kBounce},
      {'H', Op::kTopPage},
      {'M', Op::kMiddlePage},
  };
  for (const Case& c : cases) {
    ASSERT_TRUE(index.Lookup(c.key).has_value()) << KeyName(c.key);
    EXPECT_EQ(*index.Lookup(c.key), c.op) << KeyName(c.key);
  }
  EXPECT_FALSE(index.Lookup('h').has_value());  // display-toggle-weed: not in this reader yet
}

TEST(Keymap, PagerHasNeoMuttDefaults) {
  const Keymap pager = DefaultPagerKeymap();
  EXPECT_EQ(pager.Lookup('q'), Op::kExit);
  EXPECT_EQ(pager.Lookup('i'), Op::kExit);
  EXPECT_EQ(pager.Lookup('Q'), Op::kQuit);
  EXPECT_EQ(pager.Lookup(keys::kControlN), Op::kNextThread);
  EXPECT_EQ(pager.Lookup(keys::kControlP), Op::kPreviousThread);
  EXPECT_EQ(pager.Lookup(' '), Op::kNextPage);
  EXPECT_EQ(pager.Lookup('-'), Op::kPrevPage);
  EXPECT_EQ(pager.Lookup('\r'), Op::kNextLine);
  EXPECT_EQ(pager.Lookup(keys::kBackspace), Op::kPrevLine);
  // NeoMutt's pager: j/k and the arrows change message; Enter/Backspace scroll a line.
  EXPECT_EQ(pager.Lookup('j'), Op::kNextUndeleted);
  EXPECT_EQ(pager.Lookup(keys::kDown), Op::kNextUndeleted);
  EXPECT_EQ(pager.Lookup('k'), Op::kPrevUndeleted);
  EXPECT_EQ(pager.Lookup(keys::kUp), Op::kPrevUndeleted);
  EXPECT_EQ(pager.Lookup('h'), Op::kDisplayHeaders);
  EXPECT_EQ(pager.Lookup('^'), Op::kTop);
  // The message commands act on the shown message; tag-prefix is the index's only.
  EXPECT_EQ(pager.Lookup('d'), Op::kDeleteMessage);
  EXPECT_EQ(pager.Lookup('u'), Op::kUndeleteMessage);
  EXPECT_EQ(pager.Lookup(keys::kControlD), Op::kDeleteThread);
  EXPECT_EQ(pager.Lookup('F'), Op::kFlagMessage);
  EXPECT_EQ(pager.Lookup('N'), Op::kToggleNew);
  EXPECT_EQ(pager.Lookup('t'), Op::kTag);
  EXPECT_EQ(pager.Lookup('s'), Op::kSaveMessage);
  EXPECT_EQ(pager.Lookup('C'), Op::kCopyMessage);
  EXPECT_EQ(pager.Lookup('$'), Op::kSyncMailbox);
  EXPECT_EQ(pager.Lookup('m'), Op::kMail);
  EXPECT_EQ(pager.Lookup('r'), Op::kReply);
  EXPECT_EQ(pager.Lookup('g'), Op::kGroupReply);
  EXPECT_EQ(pager.Lookup('L'), Op::kListReply);
  EXPECT_EQ(pager.Lookup('f'), Op::kForward);
  EXPECT_EQ(pager.Lookup('b'), Op::kBounce);
  EXPECT_FALSE(pager.Lookup(';').has_value());
  // The pager's / and n search the shown text.
  EXPECT_EQ(pager.Lookup('/'), Op::kSearch);
  EXPECT_EQ(pager.Lookup('n'), Op::kSearchNext);
  EXPECT_EQ(OpName(Op::kSearchNext), "search-next");
  EXPECT_EQ(OpName(Op::kUntagPattern), "untag-pattern");
  EXPECT_EQ(KeyName(keys::kControlT), "^T");
}

TEST(Keymap, ComposeOperationsHaveNeoMuttNames) {
  EXPECT_EQ(OpName(Op::kGroupReply), "group-reply");
  EXPECT_EQ(OpName(Op::kListReply), "list-reply");
  EXPECT_EQ(OpName(Op::kForward), "forward-message");
  EXPECT_EQ(OpName(Op::kBounce), "bounce-message");
  EXPECT_EQ(OpName(Op::kExit), "exit");  // the table is still in the enumeration's order
  EXPECT_EQ(OpName(Op::kRedraw), "redraw-screen");
}

TEST(Keymap, RebindingReplacesAndUnbinds) {
  Keymap map = DefaultPagerKeymap();
  map.Bind(keys::kDown, Op::kNextLine);
  EXPECT_EQ(map.Lookup(keys::kDown), Op::kNextLine);
  map.Unbind('j');
  EXPECT_FALSE(map.Lookup('j').has_value());
  EXPECT_EQ(map.KeysFor(Op::kNextUndeleted), (std::vector<Key>{keys::kRight}));
}

TEST(Keymap, KeyNamesRoundTrip) {
  EXPECT_EQ(KeyName('j'), "j");
  EXPECT_EQ(KeyName(keys::kDown), "<Down>");
  EXPECT_EQ(KeyName(keys::kControlL), "^L");
  EXPECT_EQ(KeyName(' '), "<Space>");
  EXPECT_EQ(KeyName('\t'), "<Tab>");
  EXPECT_EQ(KeyName('\r'), "<Return>");
  for (const Keymap& map : {DefaultIndexKeymap(), DefaultPagerKeymap(), DefaultHelpKeymap()}) {
    for (const auto& [op, bound] : map.Bindings()) {
      for (Key key : bound) {
        std::optional<Key> parsed = ParseKeyName(KeyName(key));
        ASSERT_TRUE(parsed.has_value()) << KeyName(key);
        EXPECT_EQ(*parsed, key) << KeyName(key);
      }
    }
  }
  EXPECT_EQ(ParseKeyName("<pagedown>"), keys::kPageDown);
  EXPECT_EQ(ParseKeyName("^l"), keys::kControlL);
  EXPECT_FALSE(ParseKeyName("<Nonsense>").has_value());
}

TEST(Keymap, EscBeforeAKeyIsAMetaKey) {
  EXPECT_EQ(KeyName(keys::Meta('v')), "<Esc>v");
  EXPECT_EQ(ParseKeyName("<Esc>v"), keys::Meta('v'));
  EXPECT_EQ(ParseKeyName("<esc>V"), keys::Meta('V'));
  EXPECT_EQ(ParseKeyName("\\ev"), keys::Meta('v'));  // muttrc's "\ev"
  EXPECT_EQ(ParseKeyName("\\e<Down>"), keys::Meta(keys::kDown));
  EXPECT_EQ(ParseKeyName("<Esc>"), keys::kEscape);
  EXPECT_FALSE(ParseKeyName("<Esc><Esc>v").has_value());
  EXPECT_FALSE(ParseKeyName("\\e").has_value());
}

TEST(Keymap, BindingsListEveryBoundOperationOnce) {
  const Keymap index = DefaultIndexKeymap();
  std::vector<std::pair<Op, std::vector<Key>>> bindings = index.Bindings();
  ASSERT_FALSE(bindings.empty());
  EXPECT_EQ(bindings.front().first, Op::kNextUndeleted);
  EXPECT_EQ(bindings.front().second, (std::vector<Key>{'j', keys::kDown}));
  for (const auto& [op, bound] : bindings) {
    EXPECT_FALSE(OpName(op).empty());
    EXPECT_FALSE(OpDescription(op).empty());
  }
}

TEST(Keymap, HelpHintUsesTheFirstKeyAndSkipsUnbound) {
  const Keymap index = DefaultIndexKeymap();
  EXPECT_EQ(HelpHint(index, {{Op::kQuit, "Quit"},
                             {Op::kDisplayMessage, "Open"},
                             {Op::kDisplayHeaders, "Headers"},
                             {Op::kHelp, "Help"}}),
            "q:Quit  <Enter>:Open  ?:Help");
  EXPECT_EQ(HelpHint(DefaultPagerKeymap(), {{Op::kExit, "Exit"}, {Op::kNextPage, "NextPg"}}),
            "i:Exit  <Space>:NextPg");
}

}  // namespace
}  // namespace pigeon::mua::ui
