#include "mua/ui/key_bindings.h"

#include <gtest/gtest.h>

namespace pigeon::mua::ui {
namespace {

config::KeyBinding Bind(std::vector<std::string> screens, std::string key, std::string function) {
  std::string text;
  for (const std::string& screen : screens) text += (text.empty() ? "" : ",") + screen;
  text += " " + key + " " + function;
  return {std::move(screens), std::move(key), std::move(function), std::move(text)};
}

TEST(KeyBindingsTest, BindsRebindsAndUnbindsPerScreenInOrder) {
  Keymaps keymaps;
  const Keymap &index = keymaps.index, &pager = keymaps.pager, &attach = keymaps.attach;
  ASSERT_EQ(index.Lookup('j'), Op::kNextUndeleted);
  Result<void> applied = ApplyKeyBindings(
      {Bind({"index"}, "j", "next-entry"), Bind({"index", "pager"}, "^N", "next-page"),
       Bind({"pager"}, "<Space>", "noop"), Bind({"index"}, "G", "last-entry"),
       Bind({"index"}, "G", "first-entry")},
      keymaps);
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(index.Lookup('j'), Op::kNextEntry);
  EXPECT_EQ(index.Lookup(0x0E), Op::kNextPage);
  EXPECT_EQ(pager.Lookup(0x0E), Op::kNextPage);
  EXPECT_EQ(pager.Lookup(' '), std::nullopt);
  EXPECT_EQ(index.Lookup(' '), DefaultIndexKeymap().Lookup(' '));  // the index keeps its own
  EXPECT_EQ(index.Lookup('G'), Op::kFirstEntry);                   // the later line wins
  EXPECT_EQ(pager.Lookup('j'), DefaultPagerKeymap().Lookup('j'));
  EXPECT_EQ(attach.Lookup('j'), Op::kNextEntry);  // untouched by the others' lines
}

TEST(KeyBindingsTest, TheAttachMenuHasItsOwnBindings) {
  Keymaps keymaps;
  const Keymap &index = keymaps.index, &pager = keymaps.pager, &attach = keymaps.attach;
  ASSERT_EQ(attach.Lookup('s'), Op::kSaveEntry);
  ASSERT_EQ(index.Lookup('v'), Op::kViewAttachments);
  Result<void> applied =
      ApplyKeyBindings({Bind({"attach"}, "S", "save-entry"), Bind({"attach"}, "s", "noop"),
                        Bind({"attach"}, "<Space>", "view-mailcap")},
                       keymaps);
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(attach.Lookup('S'), Op::kSaveEntry);
  EXPECT_EQ(attach.Lookup('s'), std::nullopt);
  EXPECT_EQ(attach.Lookup(' '), Op::kViewMailcap);
  EXPECT_EQ(index.Lookup('s'), Op::kSaveMessage);
  EXPECT_EQ(pager.Lookup(' '), Op::kNextPage);
}

TEST(KeyBindingsTest, TheComposeScreenHasItsOwnBindings) {
  Keymaps keymaps;
  ASSERT_EQ(keymaps.compose.Lookup('y'), Op::kSendMessage);
  Result<void> applied = ApplyKeyBindings(
      {Bind({"compose"}, "S", "send-message"), Bind({"compose"}, "y", "noop")}, keymaps);
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(keymaps.compose.Lookup('S'), Op::kSendMessage);
  EXPECT_EQ(keymaps.compose.Lookup('y'), std::nullopt);
  EXPECT_EQ(keymaps.compose.Lookup('a'), Op::kAttachFile);
  EXPECT_EQ(keymaps.index.Lookup('S'), std::nullopt);
}

TEST(KeyBindingsTest, EscBeforeAKeyBindsTheMetaKey) {
  Keymaps keymaps;
  const Keymap &index = keymaps.index, &pager = keymaps.pager, &attach = keymaps.attach;
  Result<void> applied = ApplyKeyBindings(
      {Bind({"index"}, "\\ec", "collapse-all"), Bind({"index", "pager"}, "<Esc>n", "next-thread")},
      keymaps);
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(index.Lookup(keys::Meta('c')), Op::kCollapseAll);
  EXPECT_EQ(index.Lookup('c'), Op::kChangeFolder);  // c alone is still change-folder
  EXPECT_EQ(pager.Lookup(keys::Meta('n')), Op::kNextThread);
}

TEST(KeyBindingsTest, AnUnknownNameFailsAndChangesNothing) {
  Keymaps keymaps;
  const Keymap &index = keymaps.index, &pager = keymaps.pager, &attach = keymaps.attach;
  Result<void> applied = ApplyKeyBindings(
      {Bind({"index"}, "j", "next-entry"), Bind({"index"}, "j", "frobnicate")}, keymaps);
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().message,
            "bind \"index j frobnicate\": unknown function \"frobnicate\" (the help screen, ?, "
            "lists them)");
  EXPECT_EQ(index.Lookup('j'), Op::kNextUndeleted);

  applied = ApplyKeyBindings({Bind({"pager"}, "<Nope>", "exit")}, keymaps);
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().message,
            "bind \"pager <Nope> exit\": unknown key \"<Nope>\" (a character, ^X, or a name such "
            "as <Space>, <Down>, <PageUp>, <Enter>)");
}

TEST(KeyBindingsTest, FunctionNamesRoundTrip) {
  for (const auto& [op, keys] : DefaultIndexKeymap().Bindings()) {
    EXPECT_EQ(ParseOpName(OpName(op)), op) << OpName(op);
  }
  for (const auto& [op, keys] : DefaultAttachKeymap().Bindings()) {
    EXPECT_EQ(ParseOpName(OpName(op)), op) << OpName(op);
  }
  EXPECT_EQ(ParseOpName("no-such-function"), std::nullopt);
}

}  // namespace
}  // namespace pigeon::mua::ui
