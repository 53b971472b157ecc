#include "common/mailbox/byte_stream.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace pigeon::mailbox {
namespace {

tl::unexpected<Error> SystemError(const std::string& path, int error) {
  return MakeError(error == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                   fmt::format("{}: {}", path, std::strerror(error)));
}

}  // namespace

FileSource::FileSource(int fd, std::string path, bool owned)
    : fd_(fd), path_(std::move(path)), owned_(owned) {}

FileSource::~FileSource() {
  if (owned_) ::close(fd_);
}

Result<std::unique_ptr<FileSource>> FileSource::Open(const std::string& path) {
  if (path == "-") {
    return std::unique_ptr<FileSource>(new FileSource(STDIN_FILENO, "<stdin>", false));
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return SystemError(path, errno);
  return std::unique_ptr<FileSource>(new FileSource(fd, path, true));
}

std::optional<uint64_t> FileSource::SizeHint() const {
  struct stat status;
  if (fstat(fd_, &status) != 0 || !S_ISREG(status.st_mode)) return std::nullopt;
  const off_t at = lseek(fd_, 0, SEEK_CUR);
  if (at < 0 || at > status.st_size) return std::nullopt;
  return static_cast<uint64_t>(status.st_size - at);
}

Result<size_t> FileSource::Read(char* buffer, size_t size) {
  for (;;) {
    const ssize_t n = ::read(fd_, buffer, size);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return SystemError(path_, errno);
  }
}

FileSink::FileSink(int fd, std::string path, bool owned)
    : fd_(fd), path_(std::move(path)), owned_(owned) {}

FileSink::~FileSink() {
  if (owned_) ::close(fd_);
}

Result<std::unique_ptr<FileSink>> FileSink::Open(const std::string& path, bool append) {
  if (path == "-") {
    return std::unique_ptr<FileSink>(new FileSink(STDOUT_FILENO, "<stdout>", false));
  }
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC);
  const int fd = ::open(path.c_str(), flags, 0600);
  if (fd < 0) return SystemError(path, errno);
  return std::unique_ptr<FileSink>(new FileSink(fd, path, true));
}

Result<void> FileSink::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return SystemError(path_, errno);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

Result<void> FileSink::Sync() {
  if (::fsync(fd_) == 0) return {};
  if (!owned_ && (errno == EINVAL || errno == EROFS)) return {};  // a pipe or terminal
  return SystemError(path_, errno);
}

}  // namespace pigeon::mailbox
