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
