#include "mua/ui/html_view.h"

#include <gtest/gtest.h>

#include "common/sys/file.h"

namespace pigeon::mua::ui {
namespace {

// Records the commands; a command starting with "test" passes when `tests_pass`; others
// "print" `output` and exit with `status`. A %s file is read while the command "runs".
class FakeShell : public ShellCommands {
 public:
  Result<int> Run(const std::string& command, std::string_view, KeyWait wait) override {
    ran.push_back(command);
    waits.push_back(wait);
    return status;
  }
  Result<int> RunOnTerminal(const std::string& command, KeyWait wait) override {
    return Run(command, "", wait);
  }
  Result<CommandOutput> Capture(const std::string& command, std::string_view input,
                                std::chrono::milliseconds timeout) override {
    ran.push_back(command);
    timeouts.push_back(timeout);
    if (command.starts_with("test")) return CommandOutput{tests_pass ? 0 : 1, "", test_hangs};
    inputs.emplace_back(input);
    const size_t file = command.find("/pigeon-");
    if (file != std::string::npos) {
      const size_t start = command.rfind(' ', file) + 1;
      const size_t end = command.find(' ', file);
      Result<std::string> read = sys::ReadWholeFile(command.substr(start, end - start));
      files.push_back(read ? *read : "<missing>");
    }
    if (fail) return MakeError(ErrorCode::kIo, "cannot start");
    return CommandOutput{status, output};
  }
  Result<void> Launch(const std::string&, const std::vector<std::string>&) override { return {}; }

  std::vector<std::string> ran, inputs, files;
  std::vector<KeyWait> waits;
  std::vector<std::chrono::milliseconds> timeouts;
  bool tests_pass = true;
  bool test_hangs = false;  // the test command reaches its time limit
  bool fail = false;
  int status = 0;
  std::string output = "RENDERED TEXT\n";
};

constexpr std::string_view kHtml =
    "Content-Type: text/html; charset=utf-8\r\n\r\n<p>Caf&eacute; <b>menu</b></p>\r\n";

class HtmlViewTest : public ::testing::Test {
 protected:
  std::string View(std::string_view mailcap_text) {
    mailcap_ = Mailcap(ParseMailcap(mailcap_text));
    MailcapViewer viewer(mailcap_, shell_, ::testing::TempDir());
    const message::Part part = message::ParseMime(kHtml, nullptr);
    return HtmlViewText(part, &viewer);
  }
  Mailcap mailcap_;
  FakeShell shell_;
};

TEST_F(HtmlViewTest, ACopiousOutputEntryRendersTheHtmlFromAFile) {
  EXPECT_EQ(View("text/html; render --file %s --type %t; copiousoutput\n"), "RENDERED TEXT\n");
  ASSERT_EQ(shell_.ran.size(), 1u);
  EXPECT_TRUE(shell_.ran[0].starts_with("render --file /")) << shell_.ran[0];
  EXPECT_TRUE(shell_.ran[0].ends_with("/attachment --type text/html")) << shell_.ran[0];
  ASSERT_EQ(shell_.files.size(), 1u);
  EXPECT_EQ(shell_.files[0], "<p>Caf&eacute; <b>menu</b></p>\r\n");
  EXPECT_EQ(shell_.inputs[0], "");
}

TEST_F(HtmlViewTest, WithoutPercentSTheHtmlGoesOnStandardInput) {
  EXPECT_EQ(View("text/*; render; copiousoutput\n"), "RENDERED TEXT\n");
  ASSERT_EQ(shell_.inputs.size(), 1u);
  EXPECT_EQ(shell_.inputs[0], "<p>Caf&eacute; <b>menu</b></p>\r\n");
}

TEST_F(HtmlViewTest, OnlyCopiousOutputEntriesWhoseTestPassesCount) {
  shell_.tests_pass = false;
  EXPECT_EQ(View("text/html; firefox %s\n"
                 "text/html; render-a %s; copiousoutput; test=test -n \"$DISPLAY\"\n"
                 "text/html; render-b %s; copiousoutput\n"),
            "RENDERED TEXT\n");
  ASSERT_EQ(shell_.ran.size(), 2u);
  EXPECT_EQ(shell_.ran[0], "test -n \"$DISPLAY\"");
  EXPECT_TRUE(shell_.ran[1].starts_with("render-b ")) << shell_.ran[1];
}

TEST_F(HtmlViewTest, TestsAndRenderersHaveTimeLimitsAndAHungTestFails) {
  shell_.test_hangs = true;
  View(
      "text/html; render-a %s; copiousoutput; test=test -n x\n"
      "text/html; render-b %s; copiousoutput\n");
  ASSERT_EQ(shell_.ran.size(), 2u);
  EXPECT_TRUE(shell_.ran[1].starts_with("render-b ")) << shell_.ran[1];
  EXPECT_EQ(shell_.timeouts[0], MailcapViewer::kTestTimeout);
  EXPECT_EQ(shell_.timeouts[1], MailcapViewer::kCopiousTimeout);
}

TEST(MailcapViewerTest, AKeyIsAskedForAfterANeedsTerminalViewerElseOnlyOnFailure) {
  const Mailcap mailcap(
      ParseMailcap("text/html; browse %s; needsterminal\n"
                   "image/*; show %s\n"));
  FakeShell shell;
  MailcapViewer viewer(mailcap, shell, ::testing::TempDir());
  const message::Part html = message::ParseMime(kHtml, nullptr);
  const message::Part image =
      message::ParseMime("Content-Type: image/png\r\n\r\n\x89PNG\r\n", nullptr);
  ASSERT_TRUE(viewer.Run(*viewer.Find(html, false), html));
  ASSERT_TRUE(viewer.Run(*viewer.Find(image, false), image));
  EXPECT_EQ(shell.waits, (std::vector<KeyWait>{KeyWait::kAlways, KeyWait::kOnFailure}));
}

TEST_F(HtmlViewTest, FallsBackToTheBuiltInConversion) {
  const std::string builtin = "Caf\xC3\xA9 menu";
  EXPECT_NE(View("").find(builtin), std::string::npos);  // no mailcap entry
  EXPECT_TRUE(shell_.ran.empty());
  EXPECT_NE(View("text/html; firefox %s\n").find(builtin), std::string::npos);  // not copious
  EXPECT_TRUE(shell_.ran.empty());
  shell_.status = 1;  // the renderer failed
  EXPECT_NE(View("text/html; render %s; copiousoutput\n").find(builtin), std::string::npos);
  shell_.status = 0;
  shell_.output = "  \n";  // it printed nothing
  EXPECT_NE(View("text/html; render %s; copiousoutput\n").find(builtin), std::string::npos);
  shell_.fail = true;  // it could not start
  EXPECT_NE(View("text/html; render %s; copiousoutput\n").find(builtin), std::string::npos);
  const message::Part part = message::ParseMime(kHtml, nullptr);
  EXPECT_NE(HtmlViewText(part, nullptr).find(builtin), std::string::npos);  // no mailcap at all
}

}  // namespace
}  // namespace pigeon::mua::ui
