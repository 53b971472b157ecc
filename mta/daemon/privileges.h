// Dropping root for good: supplementary groups, gid, then uid, and a check that root cannot be
// regained.
#pragma once

#include <string>

#include "common/util/result.h"

namespace pigeon::mta::daemon {

struct DroppedTo {
  std::string user;
  std::string home;
  bool changed = false;  // true when root was given up (else: already an ordinary user)
};

// Becomes `user` when running as root; a no-op (returns the current user) otherwise.
Result<DroppedTo> DropPrivileges(const std::string& user);

}  // namespace pigeon::mta::daemon
