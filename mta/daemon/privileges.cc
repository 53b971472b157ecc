// See privileges.h.
#include "mta/daemon/privileges.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

namespace pigeon::mta::daemon {
namespace {

Error SystemError(std::string_view doing) {
  return Error{ErrorCode::kIo, fmt::format("{}: {}", doing, std::strerror(errno))};
}

}  // namespace

Result<DroppedTo> DropPrivileges(const std::string& user) {
  std::vector<char> buffer(16384);
  struct passwd entry = {};
  struct passwd* found = nullptr;
  if (geteuid() != 0) {
    getpwuid_r(geteuid(), &entry, buffer.data(), buffer.size(), &found);
    if (found == nullptr) return DroppedTo{std::to_string(geteuid()), ""};
    return DroppedTo{found->pw_name, found->pw_dir};
  }
  if (user.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "started as root: set [smtpd] user to the account pigeond runs as");
  }
  if (getpwnam_r(user.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 ||
      found == nullptr) {
    return MakeError(ErrorCode::kNotFound, fmt::format("no such user \"{}\"", user));
  }
  if (found->pw_uid == 0) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        fmt::format("[smtpd] user \"{}\" is root: pigeond never serves as root", user));
  }
  if (initgroups(found->pw_name, found->pw_gid) != 0)
    return tl::unexpected(SystemError("initgroups"));
  if (setgid(found->pw_gid) != 0) return tl::unexpected(SystemError("setgid"));
  if (setuid(found->pw_uid) != 0) return tl::unexpected(SystemError("setuid"));
  if (setuid(0) == 0 || geteuid() == 0) {
    return MakeError(ErrorCode::kInternal, "root privileges could be regained after setuid");
  }
  return DroppedTo{found->pw_name, found->pw_dir, true};
}

}  // namespace pigeon::mta::daemon
