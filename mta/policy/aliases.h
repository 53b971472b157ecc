// The aliases file, classic sendmail/Postfix format (aliases(5)), as newaliases checks it:
//   name: target, target, …      (continuation lines start with white space; # comments)
// A target is a local name ("ada"), an address ("ada@elsewhere.example": forwarded), or
// "+folder" (pigeon: deliver into that folder of the store, e.g. "+lists/dev"). Names are case-
// insensitive. Program ("|cmd"), file ("/path") and ":include:" targets are refused with the
// line number: pigeond delivers into the store only.
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
  std::map<std::string, std::vector<std::string>, std::less<>> entries;  // lower-case name
  std::vector<AliasProblem> problems;  // bad lines (skipped); newaliases reports and fails
};

// Pure: parses the text of an aliases file.
Aliases ParseAliases(std::string_view text);

// Reads and parses `path`; a file that cannot be read is an error naming it.
Result<Aliases> LoadAliases(const std::string& path);

}  // namespace pigeon::mta::policy
