#include "common/sys/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace pigeon::sys {
namespace {

Result<std::string> ReadAll(int fd, const std::string& path) {
  std::string data;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) return data;
    if (n < 0) {
      if (errno == EINTR) continue;
      return MakeError(ErrorCode::kIo, fmt::format("{}: {}", path, std::strerror(errno)));
    }
    data.append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace

Result<std::string> ReadWholeFile(const std::string& path) {
  if (path == "-") return ReadAll(STDIN_FILENO, "<stdin>");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return MakeError(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                     fmt::format("{}: {}", path, std::strerror(errno)));
  }
  Result<std::string> data = ReadAll(fd, path);
  ::close(fd);
  return data;
}

Result<std::string> ReadFileUpTo(const std::string& path, uintmax_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return MakeError(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                     fmt::format("{}: {}", path, std::strerror(errno)));
  }
  struct stat status {};
  Result<std::string> data;
  if (::fstat(fd, &status) != 0) {
    data = MakeError(ErrorCode::kIo, fmt::format("{}: {}", path, std::strerror(errno)));
  } else if (!S_ISREG(status.st_mode)) {
    data = MakeError(ErrorCode::kInvalidArgument, fmt::format("{}: not a regular file", path));
  } else if (static_cast<uintmax_t>(status.st_size) > max_bytes) {
    const bool whole_megabytes = max_bytes > 0 && max_bytes % (1u << 20) == 0;
    data = MakeError(ErrorCode::kInvalidArgument,
                     whole_megabytes ? fmt::format("{}: larger than {} MB", path, max_bytes >> 20)
                                     : fmt::format("{}: larger than {} bytes", path, max_bytes));
  } else {
    data = ReadAll(fd, path);
  }
  ::close(fd);
  return data;
}

Result<void> MakeDirectories(const std::string& path, unsigned mode) {
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string prefix = path.substr(0, slash);
    if (!prefix.empty() && ::mkdir(prefix.c_str(), mode) != 0 && errno != EEXIST) {
      return MakeError(ErrorCode::kIo, fmt::format("{}: {}", prefix, std::strerror(errno)));
    }
    if (slash == std::string::npos) return {};
  }
}

std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace pigeon::sys
