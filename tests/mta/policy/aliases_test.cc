#include "mta/policy/aliases.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "mta/policy/alias_target.h"

namespace pigeon::mta::policy {
namespace {

using Entries = std::map<std::string, std::vector<std::string>, std::less<>>;

struct GoodCase {
  const char* name;
  std::string_view text;
  Entries expected;
};

TEST(ParseAliases, GoodFiles) {
  const std::vector<GoodCase> cases = {
      {"empty file", "", {}},
      {"only comments and blanks", "# aliases\n\n   \n\t# indented comment\n", {}},
      {"one alias", "root: ada\n", {{"root", {"ada"}}}},
      {"no final newline", "root: ada", {{"root", {"ada"}}}},
      {"CRLF line ends", "root: ada\r\nabuse: ada\r\n", {{"abuse", {"ada"}}, {"root", {"ada"}}}},
      {"several targets", "team: ada, bob ,carol\n", {{"team", {"ada", "bob", "carol"}}}},
      {"no space after colon", "team:ada,bob\n", {{"team", {"ada", "bob"}}}},
      {"space before colon", "team : ada\n", {{"team", {"ada"}}}},
      {"names are case-insensitive", "PostMaster: Ada\n", {{"postmaster", {"Ada"}}}},
      {"continuation lines",
       "team: ada,\n  bob,\n\tcarol\nother: ada\n",
       {{"other", {"ada"}}, {"team", {"ada", "bob", "carol"}}}},
      {"continuation without trailing comma", "team: ada\n  , bob\n", {{"team", {"ada", "bob"}}}},
      {"comment inside a continued entry",
       "team: ada,\n# not yet: dave\n  bob\n",
       {{"team", {"ada", "bob"}}}},
      {"blank line inside a continued entry", "team: ada,\n\n  bob\n", {{"team", {"ada", "bob"}}}},
      {"trailing comma", "team: ada, bob,\n", {{"team", {"ada", "bob"}}}},
      {"empty elements skipped", "team: ada,, bob\n", {{"team", {"ada", "bob"}}}},
      {"folder target", "lists: +lists/dev\n", {{"lists", {"+lists/dev"}}}},
      {"remote address", "ada: ada@elsewhere.example\n", {{"ada", {"ada@elsewhere.example"}}}},
      {"keep a copy and forward",
       "ada: \\ada, ada@elsewhere.example\n",
       {{"ada", {"\\ada", "ada@elsewhere.example"}}}},
      {"quoted target", "team: \"ada\", bob\n", {{"team", {"ada", "bob"}}}},
      {"quoted target with comma", "team: \"a,b\"@x.example\n", {{"team", {"\"a,b\"@x.example"}}}},
      {"quoted local part address",
       "team: \"a b\"@x.example, bob\n",
       {{"team", {"\"a b\"@x.example", "bob"}}}},
      {"quoted name", "\"info desk\": ada\n", {{"info desk", {"ada"}}}},
      {"plus in name and target", "ada+lists: ada+dev\n", {{"ada+lists", {"ada+dev"}}}},
      {"UTF-8 name", "j\xC3\xBCrgen: ada\n", {{"j\xC3\xBCrgen", {"ada"}}}},
      {"address literal target", "x: ada@[192.0.2.1]\n", {{"x", {"ada@[192.0.2.1]"}}}},
      {"hash inside a line is not a comment", "team: ada#x\n", {{"team", {"ada#x"}}}},
  };
  for (const GoodCase& c : cases) {
    const Aliases aliases = ParseAliases(c.text);
    EXPECT_EQ(aliases.entries, c.expected) << c.name;
    for (const AliasProblem& p : aliases.problems) {
      ADD_FAILURE() << c.name << ": unexpected problem on line " << p.line << ": " << p.message;
    }
  }
}

struct BadCase {
  const char* name;
  std::string_view text;
  std::vector<std::pair<int, std::string>> problems;  // line, message
  Entries kept;
};

TEST(ParseAliases, BadFiles) {
  const std::vector<BadCase> cases = {
      {"program target",
       "root: ada\nlog: |/usr/bin/logger\n",
       {{2,
         "program targets (\"|command\") are not supported: pigeond delivers into the store "
         "only"}},
       {{"root", {"ada"}}}},
      {"quoted program target",
       "log: \"|/usr/bin/logger -t mail\"\n",
       {{1,
         "program targets (\"|command\") are not supported: pigeond delivers into the store "
         "only"}},
       {}},
      {"file target",
       "archive: /var/mail/archive\n",
       {{1, "file targets (\"/path\") are not supported: pigeond delivers into the store only"}},
       {}},
      {"include target",
       "list: :INCLUDE:/etc/list\n",
       {{1, "\":include:\" targets are not supported: list the targets in the aliases file"}},
       {}},
      {"bad target on a continuation line skips the entry",
       "team: ada,\n  bob,\n  |cat\nok: ada\n",
       {{3,
         "program targets (\"|command\") are not supported: pigeond delivers into the store "
         "only"}},
       {{"ok", {"ada"}}}},
      {"no colon",
       "root ada\nok: ada\n",
       {{1, "expected \"name: target, ...\" (no ':' after the name)"}},
       {{"ok", {"ada"}}}},
      {"duplicate name, any case",
       "root: ada\nabuse: ada\nROOT: bob\n",
       {{3, "duplicate alias \"root\" (first defined on line 1)"}},
       {{"abuse", {"ada"}}, {"root", {"ada"}}}},
      {"no targets",
       "root:\nroot2:  ,\n",
       {{1, "alias \"root\" has no targets"}, {2, "alias \"root2\" has no targets"}},
       {}},
      {"continuation first",
       "  ada\nroot: ada\n",
       {{1, "continuation line without an alias before it"}},
       {{"root", {"ada"}}}},
      {"empty name", ": ada\n", {{1, "\"\" is not a local name"}}, {}},
      {"name with an at sign", "a@b: ada\n", {{1, "\"a@b\" is not a local name"}}, {}},
      {"name with percent", "a%b: ada\n", {{1, "\"a%b\" is not a local name"}}, {}},
      {"name with bang", "b!a: ada\n", {{1, "\"b!a\" is not a local name"}}, {}},
      {"name with space", "a b: ada\n", {{1, "\"a b\" is not a local name"}}, {}},
      {"missing comma",
       "team: ada bob\n",
       {{1, "\"ada bob\" is not a local name (targets are separated by commas)"}},
       {}},
      {"bad folder", "x: +a//b\n", {{1, "\"+a//b\" is not a folder name"}}, {}},
      {"empty folder", "x: +\n", {{1, "\"+\" is not a folder name"}}, {}},
      {"bad address", "x: a@b@c\n", {{1, "\"a@b@c\" is not an address"}}, {}},
      {"address with trailing junk",
       "x: a@[1.2.3.4\n",
       {{1, "\"a@[1.2.3.4\" is not an address"}},
       {}},
      {"unterminated quote",
       "x: ada, \"bob\n",
       {{1, "\"\"bob\" is not a local name or an address"}},
       {}},
      {"backslash ends an unterminated quote",
       "x: ada, \"bob\\\n",
       {{1, "\"\"bob\\\" is not a local name or an address"}},
       {}},
      {"empty quoted target", "x: \"\"\n", {{1, "empty target \"\""}}, {}},
      {"relay syntax target", "x: a%b\n", {{1, "\"a%b\" is not a local name or an address"}}, {}},
      {"control character shown safely",
       "x: a\x01z\n",
       {{1, "\"a?z\" is not a local name or an address"}},
       {}},
      {"several problems in line order",
       "a: |x\nb: /y\nc d\n",
       {{1,
         "program targets (\"|command\") are not supported: pigeond delivers into the store "
         "only"},
        {2, "file targets (\"/path\") are not supported: pigeond delivers into the store only"},
        {3, "expected \"name: target, ...\" (no ':' after the name)"}},
       {}},
  };
  for (const BadCase& c : cases) {
    const Aliases aliases = ParseAliases(c.text);
    std::vector<std::pair<int, std::string>> got;
    for (const AliasProblem& p : aliases.problems) got.emplace_back(p.line, p.message);
    EXPECT_EQ(got, c.problems) << c.name;
    EXPECT_EQ(aliases.entries, c.kept) << c.name;
  }
}

TEST(ParseAliases, HostileInputStaysBounded) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "name" + std::to_string(i) + ": a, b, c\n";
  text += std::string(100000, ',') + "\n";
  text += std::string(100000, '"') + "\n";
  const Aliases aliases = ParseAliases(text);
  EXPECT_EQ(aliases.entries.size(), 20000u);
  EXPECT_EQ(aliases.problems.size(), 2u);
}

TEST(ClassifyAliasTarget, Kinds) {
  using Kind = AliasTarget::Kind;
  struct Case {
    std::string_view target;
    Kind kind;
    std::string value;
    bool expand = true;
  };
  const std::vector<Case> cases = {
      {"Ada", Kind::kLocalName, "ada"},
      {"\\Ada", Kind::kLocalName, "ada", false},
      {"ada+tag", Kind::kLocalName, "ada+tag"},
      {"+lists/dev", Kind::kFolder, "lists/dev"},
      {"+InBox", Kind::kFolder, ""},
      {"ada@Elsewhere.example", Kind::kAddress, "ada@Elsewhere.example"},
      {"|cat", Kind::kProgram, ""},
      {"/dev/null", Kind::kFile, ""},
      {":include:/x", Kind::kInclude, ""},
      {"a%b", Kind::kInvalid, ""},
      {"a b", Kind::kInvalid, ""},
      {"", Kind::kInvalid, ""},
  };
  for (const Case& c : cases) {
    const AliasTarget t = ClassifyAliasTarget(c.target);
    EXPECT_EQ(t.kind, c.kind) << c.target;
    EXPECT_EQ(t.value, c.value) << c.target;
    EXPECT_EQ(t.expand, c.expand) << c.target;
  }
}

TEST(LoadAliases, ReadsAFileAndNamesAMissingOne) {
  const std::filesystem::path dir = std::filesystem::path(testing::TempDir()) / "aliases_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "aliases").string();
  std::ofstream(path) << "root: ada\n";
  Result<Aliases> loaded = LoadAliases(path);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->entries, (Entries{{"root", {"ada"}}}));

  Result<Aliases> missing = LoadAliases((dir / "missing").string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, (dir / "missing").string() + ": No such file or directory");
}

}  // namespace
}  // namespace pigeon::mta::policy
