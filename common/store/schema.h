// The store's schema as numbered migrations. Migration N takes a database at user_version N-1
// to N; Store::Open applies the missing ones in one transaction each and refuses a database
// whose user_version is newer than kSchemaVersion (written by a newer pigeon).
#pragma once

#include <span>
#include <string_view>

namespace pigeon::store {

struct Migration {
  int version;
  std::string_view sql;  // one or more statements
};

// All migrations in ascending order; the last one's version is the current schema version.
std::span<const Migration> Migrations();
int CurrentSchemaVersion();

// Message flag bits in messages.flags (mutt/IMAP system flags).
enum MessageFlag : int {
  kFlagSeen = 1 << 0,
  kFlagAnswered = 1 << 1,
  kFlagFlagged = 1 << 2,
  kFlagDeleted = 1 << 3,
  kFlagDraft = 1 << 4,
  kFlagForwarded = 1 << 5,
};

}  // namespace pigeon::store
