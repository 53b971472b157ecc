// mailcap files (RFC 1524): which program shows a content type. Parsing is pure and never
// fails (a malformed line is skipped); the text comes from files the user and the system
// chose but is read defensively. Lookup runs an entry's test= command through a callback.
// Expansion puts only characters a shell never interprets into a command: %s is a file name
// the reader made itself, and %t and %{name}, which come from the mail, are cut down to a
// safe character set, so no quoting is needed (and a mailcap that quotes %s still works).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/message/mime.h"
#include "common/util/result.h"

namespace pigeon::mua::ui {

struct MailcapEntry {
  std::string type;     // lower case: "text/html", "image/*" ("image" alone is read as "image/*")
  std::string command;  // the view command, backslash escapes still in it
  std::string test;     // test= command, "" when none
  std::string nametemplate;  // nametemplate=, "" when none
  bool needs_terminal = false;
  bool copious_output = false;
  bool operator==(const MailcapEntry&) const = default;
};

// Parses a mailcap file's text: '#' comment lines, backslash-newline continuation, fields
// split at ';' (not at "\;"), flags and name=value fields (names case-insensitive).
// Lines without a type or a view command are skipped.
std::vector<MailcapEntry> ParseMailcap(std::string_view text);

// Whether `entry_type` ("text/*", "text/html", "text") covers `content_type` (lower case).
bool MailcapTypeMatches(std::string_view entry_type, std::string_view content_type);

// A command with its %-escapes replaced (RFC 1524 §4: %s, %t, %{name}, %%) and backslash
// escapes removed.
struct ExpandedCommand {
  std::string command;
  bool uses_file = false;  // %s appeared: the data goes in the file, not on standard input
};
ExpandedCommand ExpandMailcapCommand(std::string_view command, std::string_view file,
                                     const message::ParameterizedValue& content_type);

// `text` with every character outside [A-Za-z0-9._+,=@:/-] replaced by '_' (never a shell
// metacharacter, quote or space).
std::string ShellSafe(std::string_view text);

// Decides whether an entry's test= command (expanded) passes: true when it exits with 0.
using MailcapTest = std::function<bool(const std::string& command)>;

class Mailcap {
 public:
  Mailcap() = default;
  explicit Mailcap(std::vector<MailcapEntry> entries) : entries_(std::move(entries)) {}
  const std::vector<MailcapEntry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

  // The first entry for `content_type` whose test passes (entries without a test always do),
  // in file order; with `copious_only`, only copiousoutput entries count (mutt's auto_view).
  std::optional<MailcapEntry> Find(const message::ParameterizedValue& content_type,
                                   const MailcapTest& test, bool copious_only = false) const;

 private:
  std::vector<MailcapEntry> entries_;
};

// The mailcap files to read, in order: $MAILCAPS when it is set (as mutt does), else
// `configured`; both are colon-separated, "~/" standing for `home`.
std::vector<std::string> MailcapFiles(const char* mailcaps_env, std::string_view configured,
                                      std::string_view home);

// Reads and parses `files` in order; missing or unreadable files are skipped.
Mailcap LoadMailcap(const std::vector<std::string>& files);

}  // namespace pigeon::mua::ui
