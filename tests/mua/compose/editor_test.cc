#include "mua/compose/editor.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "tests/mua/compose/sample_messages.h"
#include "tests/support/temp_directory.h"

namespace pigeon::mua::compose {
namespace {

TEST(EditorCommand, VisualThenEditorThenVi) {
  struct Case {
    const char* visual;
    const char* editor;
    const char* want;
  } cases[] = {
      {"emacs -nw", "nano", "emacs -nw"},
      {nullptr, "nano", "nano"},
      {"", "nano", "nano"},
      {nullptr, nullptr, "vi"},
      {"", "", "vi"},
  };
  for (const Case& c : cases) EXPECT_EQ(EditorCommand(c.visual, c.editor), c.want);
}

TEST(ShellQuote, OneWordForTheShell) {
  EXPECT_EQ(ShellQuote("/tmp/a b"), "'/tmp/a b'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(ShellQuote(""), "''");
}

class ShellEditorTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()); }
  bool DirectoryIsEmpty() const { return std::filesystem::is_empty(dir_.path()); }
  testing::TempDirectory dir_{"editor-test"};
};

TEST_F(ShellEditorTest, ReturnsTheSavedTextAndWhetherItChanged) {
  ShellEditor editor("sed -i 's/^To: $/To: bob@example.org/'", dir_.path());
  std::string text = DraftText(Fields("ada@example.org", ""));
  Result<bool> changed = editor.Edit(text);
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_TRUE(*changed);
  EXPECT_EQ(text, DraftText(Fields("ada@example.org", "bob@example.org")));
  EXPECT_TRUE(DirectoryIsEmpty());  // the draft file is removed
}

TEST_F(ShellEditorTest, UnchangedWhenTheEditorSavesNothing) {
  ShellEditor editor("true", dir_.path());
  const std::string draft = DraftText(Fields("ada@example.org", "bob@example.org"));
  std::string text = draft;
  Result<bool> changed = editor.Edit(text);
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_FALSE(*changed);
  EXPECT_EQ(text, draft);
}

TEST_F(ShellEditorTest, AFailingEditorIsAnErrorAndTheFileIsRemoved) {
  ShellEditor editor("exit 3;", dir_.path());
  std::string text = "x";
  Result<bool> changed = editor.Edit(text);
  ASSERT_FALSE(changed);
  EXPECT_NE(changed.error().message.find("exit status 3"), std::string::npos)
      << changed.error().message;
  EXPECT_TRUE(DirectoryIsEmpty());
}

TEST_F(ShellEditorTest, NoTemporaryDirectoryIsAnError) {
  ShellEditor editor("true", dir_.path() + "/missing");
  std::string text = "x";
  EXPECT_FALSE(editor.Edit(text));
}

}  // namespace
}  // namespace pigeon::mua::compose
