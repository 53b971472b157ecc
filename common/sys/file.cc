#include "common/sys/file.h"

#include <fcntl.h>
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

}  // namespace pigeon::sys
