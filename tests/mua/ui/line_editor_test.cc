#include "mua/ui/line_editor.h"

#include <gtest/gtest.h>

#include "mua/ui/path_completion.h"

namespace pigeon::mua::ui {
namespace {

using State = LineEditor::State;

void Type(LineEditor& editor, std::string_view text) {
  for (char c : text) editor.Feed(static_cast<unsigned char>(c));
}

const std::vector<std::string> kFolders = {"INBOX", "Drafts", "Sent", "lists/dev", "lists/ops"};

TEST(LineEditor, TypesErasesAndKills) {
  LineEditor editor(kFolders);
  Type(editor, "abc");
  EXPECT_EQ(editor.text(), "abc");
  editor.Feed(keys::kBackspace);
  EXPECT_EQ(editor.text(), "ab");
  editor.Feed(0xE9);  // é, as a code point
  EXPECT_EQ(editor.text(), "ab\xC3\xA9");
  editor.Feed(0x7F);  // DEL erases the whole character
  EXPECT_EQ(editor.text(), "ab");
  editor.Feed(0x01);  // control characters are not inserted
  EXPECT_EQ(editor.text(), "ab");
  editor.Feed(keys::kControlU);
  EXPECT_EQ(editor.text(), "");
  editor.Feed(keys::kBackspace);
  EXPECT_EQ(editor.text(), "");
}

TEST(LineEditor, EnterAcceptsEscapeCancels) {
  LineEditor editor(kFolders);
  EXPECT_EQ(editor.Feed('S'), State::kEditing);
  EXPECT_EQ(editor.Feed('\r'), State::kAccepted);
  LineEditor other(kFolders);
  EXPECT_EQ(other.Feed(keys::kEscape), State::kCancelled);
  EXPECT_EQ(other.Feed(keys::kControlG), State::kCancelled);
}

TEST(LineEditor, TabCompletesAUniqueMatchIgnoringCase) {
  LineEditor editor(kFolders);
  Type(editor, "inb");
  editor.Feed('\t');
  EXPECT_EQ(editor.text(), "INBOX");
  EXPECT_TRUE(editor.matches().empty());
}

TEST(LineEditor, TabExtendsToTheCommonPrefixAndListsMatches) {
  LineEditor editor(kFolders);
  editor.Feed('l');
  editor.Feed('\t');
  EXPECT_EQ(editor.text(), "lists/");
  EXPECT_EQ(editor.matches(), (std::vector<std::string>{"lists/dev", "lists/ops"}));
  editor.Feed('o');
  EXPECT_TRUE(editor.matches().empty());
  editor.Feed('\t');
  EXPECT_EQ(editor.text(), "lists/ops");
}

TEST(LineEditor, TabWithoutMatchKeepsTheText) {
  LineEditor editor(kFolders);
  Type(editor, "zzz");
  editor.Feed('\t');
  EXPECT_EQ(editor.text(), "zzz");
  EXPECT_TRUE(editor.matches().empty());
  LineEditor empty(kFolders);
  empty.Feed('\t');  // every folder matches: their common prefix is empty
  EXPECT_EQ(empty.text(), "");
  EXPECT_EQ(empty.matches().size(), kFolders.size());
}

TEST(LineEditor, CommonPrefixStopsAtACharacterBoundary) {
  const std::vector<std::string> names = {"caf\xC3\xA9", "caf\xC3\xA8"};  // café, cafè
  LineEditor editor(names);
  editor.Feed('c');
  editor.Feed('\t');
  EXPECT_EQ(editor.text(), "caf");
}

// The file prompt's completer: CompletePath over a small tree.
std::vector<std::string> FileCompletions(const std::string& text) {
  const ListDirectory list = [](const std::string& directory) -> Result<std::vector<DirEntry>> {
    if (directory == ".") {
      return std::vector<DirEntry>{{"Mail", true},
                                   {"Makefile", false},
                                   {"mail.txt", false},
                                   {"report-2023.pdf", false},
                                   {"report-2024.pdf", false}};
    }
    if (directory == "Mail/") return std::vector<DirEntry>{{"inbox.mbox"}, {"sent.mbox"}};
    return MakeError(ErrorCode::kNotFound, directory);
  };
  return CompletePath(text, "/home/me", list);
}

TEST(LineEditor, CompleterCompletesAUniquePath) {
  LineEditor editor{LineEditor::Completer(FileCompletions)};
  Type(editor, "rep");
  editor.Feed('\t');
  EXPECT_EQ(editor.text(), "report-202");
  EXPECT_EQ(editor.matches(), (std::vector<std::string>{"report-2023.pdf", "report-2024.pdf"}));
  Type(editor, "4");
  editor.Feed('\t');
  EXPECT_EQ(editor.text(), "report-2024.pdf");
  EXPECT_TRUE(editor.matches().empty());
}

TEST(LineEditor, CompleterMatchesCaseSensitively) {
  LineEditor editor{LineEditor::Completer(FileCompletions)};
  Type(editor, "Ma");
  editor.Feed('\t');  // "Mail/" and "Makefile", not "mail.txt"
  EXPECT_EQ(editor.text(), "Ma");
  EXPECT_EQ(editor.matches(), (std::vector<std::string>{"Mail/", "Makefile"}));
  LineEditor lower{LineEditor::Completer(FileCompletions)};
  Type(lower, "m");
  lower.Feed('\t');
  EXPECT_EQ(lower.text(), "mail.txt");
}

TEST(LineEditor, CompleterDirectoryThenAFileInside) {
  LineEditor editor{LineEditor::Completer(FileCompletions)};
  Type(editor, "Mai");
  editor.Feed('\t');
  EXPECT_EQ(editor.text(), "Mail/");
  editor.Feed('\t');  // the directory's entries
  EXPECT_EQ(editor.text(), "Mail/");
  EXPECT_EQ(editor.matches(), (std::vector<std::string>{"Mail/inbox.mbox", "Mail/sent.mbox"}));
  Type(editor, "s");
  editor.Feed('\t');
  EXPECT_EQ(editor.text(), "Mail/sent.mbox");
}

}  // namespace
}  // namespace pigeon::mua::ui
