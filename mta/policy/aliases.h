// The aliases file, classic sendmail/Postfix format (aliases(5)), as newaliases checks it:
//   name: target, target, …      (continuation lines start with white space; # comments)
// A target is a local name ("ada"), an address ("ada@elsewhere.example": forwarded), or
// "+folder" (pigeon: deliver into that folder of the store, e.g. "+lists/dev"). Names are case-
// insensitive. Program ("|cmd"), file ("/path") and ":include:" targets are refused with the
// line number: pigeond delivers into the store only.
//
// Also as in sendmail: "\ada" is user ada without alias lookup ("ada: \ada, ada@elsewhere"
// keeps a copy), a target or name may be in double quotes, and a blank or comment line may sit
// between a line and its continuation. An entry with any bad target is skipped as a whole (half
// an alias would lose mail silently); a name defined twice keeps its first definition.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.h"

namespace pigeon::mta::policy {

struct AliasProblem {
  int line = 0;
  std::string message;
};

struct Aliases {
  // Lower-case name (unquoted) → targets as written, unquoted; ClassifyAliasTarget
  // (alias_target.h) says what each one is.
  std::map<std::string, std::vector<std::string>, std::less<>> entries;
  std::vector<AliasProblem> problems;  // bad lines (skipped), by line; newaliases reports, fails
};

// Pure: parses the text of an aliases file.
Aliases ParseAliases(std::string_view text);

// Reads and parses `path`; a file that cannot be read is an error naming it.
Result<Aliases> LoadAliases(const std::string& path);

}  // namespace pigeon::mta::policy
