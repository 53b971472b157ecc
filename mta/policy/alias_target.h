// The names and targets of the aliases file, classified once: aliases.cc reports what pigeond
// cannot deliver to, and the recipient policy resolves the rest.
#pragma once

#include <string>
#include <string_view>

namespace pigeon::mta::policy {

struct AliasTarget {
  enum class Kind {
    kLocalName,  // "ada", "ada+tag", "\ada" (that user, the alias of that name not consulted)
    kFolder,     // "+lists/dev"
    kAddress,    // "ada@elsewhere.example" (forwarded, unless its domain is local)
    kProgram,    // "|command"        refused
    kFile,       // "/path"           refused
    kInclude,    // ":include:/path"  refused
    kInvalid,
  };
  Kind kind = Kind::kInvalid;
  std::string value;   // lower-case local name; folder ("" = INBOX); address as written
  bool expand = true;  // false for "\name"
};

// `target` with its quotes already removed ("\"|cmd\"" is given as "|cmd").
AliasTarget ClassifyAliasTarget(std::string_view target);

// A name that may be an alias or a user, as written: a local part (quoted or not) whose
// unquoted form passes IsUnquotedLocalName.
bool IsLocalName(std::string_view written);

// The same for the unquoted form (how names are kept): not empty, valid UTF-8, no control
// characters, and no '@', '%' or '!', so that no name at a local domain routes to another host.
bool IsUnquotedLocalName(std::string_view name);

// Folder names as the store takes them: non-empty components separated by single '/', no
// control characters, at most 255 octets.
bool IsFolderName(std::string_view name);

}  // namespace pigeon::mta::policy
