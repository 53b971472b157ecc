#include "mua/ui/mailcap.h"

#include <gtest/gtest.h>

namespace pigeon::mua::ui {
namespace {

message::ParameterizedValue Type(std::string value,
                                 std::vector<std::pair<std::string, std::string>> params = {}) {
  return message::ParameterizedValue{std::move(value), std::move(params)};
}

const MailcapTest kNoTests = [](const std::string&) { return true; };

TEST(MailcapParse, CommentsContinuationEscapesAndFlags) {
  const std::vector<MailcapEntry> entries = ParseMailcap(
      "# a comment\n"
      "\n"
      "   # an indented comment\n"
      "Text/HTML; w3m -dump -T text/html %s; \\\n"
      "  needsterminal ;CopiousOutput; nametemplate=%s.html\n"
      "image; display %s\r\n"
      "application/x-a; echo a\\;b '\\\\'; test=test -n \"$DISPLAY\"\n"
      "no-command-here\n"
      "application/empty;\n");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].type, "text/html");
  EXPECT_EQ(entries[0].command, "w3m -dump -T text/html %s");
  EXPECT_TRUE(entries[0].needs_terminal);
  EXPECT_TRUE(entries[0].copious_output);
  EXPECT_EQ(entries[0].nametemplate, "%s.html");
  EXPECT_EQ(entries[1].type, "image/*");
  EXPECT_EQ(entries[1].command, "display %s");
  EXPECT_FALSE(entries[1].copious_output);
  EXPECT_EQ(entries[2].command, "echo a\\;b '\\\\'");
  EXPECT_EQ(entries[2].test, "test -n \"$DISPLAY\"");
  // Escapes go at expansion: the ';' and one backslash reach the shell.
  EXPECT_EQ(ExpandMailcapCommand(entries[2].command, "", Type("application/x-a")).command,
            "echo a;b '\\'");
}

TEST(MailcapParse, AnEscapedBackslashAtTheEndDoesNotContinue) {
  const std::vector<MailcapEntry> entries = ParseMailcap("a/b; echo \\\\\nc/d; cat\n");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].command, "echo \\\\");
  EXPECT_EQ(entries[1].type, "c/d");
}

TEST(MailcapLookup, WildcardsAndFileOrder) {
  EXPECT_TRUE(MailcapTypeMatches("text/*", "text/html"));
  EXPECT_TRUE(MailcapTypeMatches("text/html", "text/html"));
  EXPECT_FALSE(MailcapTypeMatches("text/*", "textual/html"));
  EXPECT_FALSE(MailcapTypeMatches("text/plain", "text/html"));
  const Mailcap mailcap(ParseMailcap("text/plain; less\ntext/*; more\ntext/html; w3m\n"));
  EXPECT_EQ(mailcap.Find(Type("text/html"), kNoTests)->command, "more");  // the first match
  EXPECT_EQ(mailcap.Find(Type("text/plain"), kNoTests)->command, "less");
  EXPECT_FALSE(mailcap.Find(Type("image/png"), kNoTests).has_value());
}

TEST(MailcapLookup, TestCommandsDecideAndCopiousOnlySkipsOthers) {
  const Mailcap mailcap(
      ParseMailcap("text/html; firefox %s; test=test -n \"$DISPLAY\" %t\n"
                   "text/html; lynx %s; needsterminal\n"
                   "text/html; lynx -dump %s; copiousoutput\n"));
  std::vector<std::string> tests;
  const MailcapTest fails = [&tests](const std::string& command) {
    tests.push_back(command);
    return false;
  };
  EXPECT_EQ(mailcap.Find(Type("text/html"), fails)->command, "lynx %s");
  ASSERT_EQ(tests.size(), 1u);
  EXPECT_EQ(tests[0], "test -n \"$DISPLAY\" text/html");  // expanded before it runs
  EXPECT_EQ(mailcap.Find(Type("text/html"), kNoTests)->command, "firefox %s");
  EXPECT_EQ(mailcap.Find(Type("text/html"), fails, true)->command, "lynx -dump %s");
}

TEST(MailcapExpand, FileTypeParametersAndPercent) {
  const message::ParameterizedValue type = Type("text/plain", {{"charset", "utf-8"}});
  ExpandedCommand expanded =
      ExpandMailcapCommand("conv -f %{Charset} -t %t %s 100%% %{missing}%q", "/tmp/d/a.txt", type);
  EXPECT_EQ(expanded.command, "conv -f utf-8 -t text/plain /tmp/d/a.txt 100% %q");
  EXPECT_TRUE(expanded.uses_file);
  expanded = ExpandMailcapCommand("cat", "/tmp/x", type);
  EXPECT_EQ(expanded.command, "cat");
  EXPECT_FALSE(expanded.uses_file);
  // An unclosed %{ is kept as written.
  EXPECT_EQ(ExpandMailcapCommand("echo %{name", "", type).command, "echo %{name");
}

TEST(MailcapExpand, ValuesFromTheMailCannotReachTheShell) {
  const message::ParameterizedValue type =
      Type("application/x-evil", {{"name", "a'; rm -rf ~; echo \"$(id)`x`|&<>\n"}});
  const std::string command = ExpandMailcapCommand("view '%{name}' \"%{name}\"", "", type).command;
  EXPECT_EQ(command,
            "view 'a___rm_-rf____echo____id__x______' \"a___rm_-rf____echo____id__x______\"");
  EXPECT_EQ(ShellSafe("report v2.pdf"), "report_v2.pdf");
  EXPECT_EQ(ShellSafe("a-b_c.d+e,f=g@h:i/j"), "a-b_c.d+e,f=g@h:i/j");
}

TEST(MailcapFiles, MailcapsOverridesTheConfiguredPath) {
  EXPECT_EQ(MailcapFiles(nullptr, "~/.mailcap:/etc/mailcap", "/home/ada"),
            (std::vector<std::string>{"/home/ada/.mailcap", "/etc/mailcap"}));
  EXPECT_EQ(MailcapFiles("/a::/b", "~/.mailcap", "/home/ada"),
            (std::vector<std::string>{"/a", "/b"}));
  EXPECT_EQ(MailcapFiles(nullptr, "~/.mailcap:/etc/mailcap", ""),
            (std::vector<std::string>{"/etc/mailcap"}));
}

TEST(MailcapFiles, LoadSkipsMissingFiles) {
  const Mailcap mailcap = LoadMailcap({"/nonexistent/mailcap", "-"});
  EXPECT_TRUE(mailcap.empty());
}

}  // namespace
}  // namespace pigeon::mua::ui
