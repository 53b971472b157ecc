// ByteSource / ByteSink: the small I/O seam the mbox reader and writer stream through, so a
// 2 GB mbox is never held in memory and tests can feed bytes without files. FileSource and
// FileSink are the real ones (POSIX fds, owned). Errors name the path and strerror.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/util/result.h"

namespace pigeon::mailbox {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `size` bytes into `buffer`; 0 means end of input.
  virtual Result<size_t> Read(char* buffer, size_t size) = 0;
  // How many bytes there are to read, when known (a regular file): lets a reader allocate
  // once instead of growing.
  virtual std::optional<uint64_t> SizeHint() const { return std::nullopt; }
};

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  // Writes all of `bytes`.
  virtual Result<void> Write(std::string_view bytes) = 0;
  // Makes what was written durable (fsync for files).
  virtual Result<void> Sync() = 0;
};

// Reads a file; "-" is standard input (not closed).
class FileSource final : public ByteSource {
 public:
  static Result<std::unique_ptr<FileSource>> Open(const std::string& path);
  ~FileSource() override;
  Result<size_t> Read(char* buffer, size_t size) override;
  std::optional<uint64_t> SizeHint() const override;

 private:
  FileSource(int fd, std::string path, bool owned);
  int fd_;
  std::string path_;
  bool owned_;
};

// Writes a file, created with mode 0600 when missing; appends when `append`, else truncates.
// "-" is standard output (not closed; Sync is then a no-op when stdout is not a file).
class FileSink final : public ByteSink {
 public:
  static Result<std::unique_ptr<FileSink>> Open(const std::string& path, bool append);
  ~FileSink() override;
  Result<void> Write(std::string_view bytes) override;
  Result<void> Sync() override;

 private:
  FileSink(int fd, std::string path, bool owned);
  int fd_;
  std::string path_;
  bool owned_;
};

}  // namespace pigeon::mailbox
