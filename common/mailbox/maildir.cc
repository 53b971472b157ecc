#include "common/mailbox/maildir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <utility>

#include <fmt/format.h>

namespace pigeon::mailbox {
namespace {

constexpr int kNameAttempts = 8;

tl::unexpected<Error> SystemError(const std::string& path, int error) {
  return MakeError(error == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                   fmt::format("{}: {}", path, std::strerror(error)));
}

uint64_t LeadingNumber(std::string_view name) {
  uint64_t n = 0;
  for (size_t i = 0; i < name.size() && i < 19 && name[i] >= '0' && name[i] <= '9'; ++i) {
    n = n * 10 + static_cast<uint64_t>(name[i] - '0');
  }
  return n;
}

bool IsRegularFile(int dir_fd, const dirent& entry) {
  if (entry.d_type == DT_REG) return true;
  if (entry.d_type != DT_UNKNOWN && entry.d_type != DT_LNK) return false;
  struct stat st;
  return ::fstatat(dir_fd, entry.d_name, &st, 0) == 0 && S_ISREG(st.st_mode);
}

Result<void> MakeDirectory(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) == 0 || errno == EEXIST) return {};
  return SystemError(path, errno);
}

// Makes the directory entry of a just-linked file durable.
Result<void> SyncDirectory(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return SystemError(path, errno);
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0) return SystemError(path, error);
  return {};
}

Result<void> WriteAndSync(int fd, const std::string& path, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return SystemError(path, errno);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  if (::fsync(fd) != 0) return SystemError(path, errno);
  return {};
}

std::string HostName() {
  char buffer[HOST_NAME_MAX + 1] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0 || buffer[0] == '\0') return "localhost";
  return buffer;
}

}  // namespace

MaildirFlags ParseMaildirFlags(std::string_view file_name) {
  MaildirFlags flags;
  const size_t colon = file_name.rfind(':');
  if (colon == std::string_view::npos || file_name.substr(colon + 1, 2) != "2,") return flags;
  for (char c : file_name.substr(colon + 3)) {
    switch (c) {
      case 'D':
        flags.draft = true;
        break;
      case 'F':
        flags.flagged = true;
        break;
      case 'P':
        flags.passed = true;
        break;
      case 'R':
        flags.replied = true;
        break;
      case 'S':
        flags.seen = true;
        break;
      case 'T':
        flags.trashed = true;
        break;
      default:
        break;  // keywords and unknown flags: ignored, see the header
    }
  }
  return flags;
}

std::string FormatMaildirInfo(const MaildirFlags& flags) {
  std::string info = ":2,";
  if (flags.draft) info += 'D';
  if (flags.flagged) info += 'F';
  if (flags.passed) info += 'P';
  if (flags.replied) info += 'R';
  if (flags.seen) info += 'S';
  if (flags.trashed) info += 'T';
  return info;
}

std::string_view MaildirUniquePart(std::string_view file_name) {
  return file_name.substr(0, file_name.rfind(':'));
}

std::string EscapeMaildirHost(std::string_view host) {
  std::string escaped;
  for (char c : host) {
    if (c == '/') {
      escaped += "\\057";
    } else if (c == ':') {
      escaped += "\\072";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

std::string FormatUniqueName(const UniqueNameParts& parts) {
  return fmt::format("{}.M{}P{}Q{}.{}", parts.seconds, parts.microseconds, parts.pid,
                     parts.sequence, EscapeMaildirHost(parts.host));
}

Result<MaildirScanner> MaildirScanner::Open(std::string root) {
  MaildirScanner scanner(std::move(root));
  if (Result<void> opened = scanner.OpenSubdir(); !opened) return tl::unexpected(opened.error());
  return scanner;
}

MaildirScanner::MaildirScanner(MaildirScanner&& other) noexcept
    : root_(std::move(other.root_)),
      subdir_(other.subdir_),
      dir_path_(std::move(other.dir_path_)),
      dir_(other.dir_) {
  other.dir_ = nullptr;
}

MaildirScanner::~MaildirScanner() {
  if (dir_ != nullptr) ::closedir(dir_);
}

Result<void> MaildirScanner::OpenSubdir() {
  if (dir_ != nullptr) ::closedir(dir_);
  dir_ = nullptr;
  if (subdir_ >= 2) return {};
  dir_path_ = root_ + (subdir_ == 0 ? "/new" : "/cur");
  dir_ = ::opendir(dir_path_.c_str());
  if (dir_ == nullptr) return SystemError(dir_path_, errno);
  return {};
}

Result<std::optional<MaildirEntry>> MaildirScanner::Next() {
  while (dir_ != nullptr) {
    errno = 0;
    const dirent* entry = ::readdir(dir_);
    if (entry == nullptr) {
      if (errno != 0) return SystemError(dir_path_, errno);
      ++subdir_;
      if (Result<void> opened = OpenSubdir(); !opened) return tl::unexpected(opened.error());
      continue;
    }
    if (entry->d_name[0] == '.' || !IsRegularFile(::dirfd(dir_), *entry)) continue;
    MaildirEntry found;
    found.name = entry->d_name;
    found.path = dir_path_ + "/" + found.name;
    found.in_new = subdir_ == 0;
    found.flags = ParseMaildirFlags(found.name);
    if (found.in_new) found.flags.seen = false;  // new/ means no client has shown it yet
    return std::optional<MaildirEntry>(std::move(found));
  }
  return std::optional<MaildirEntry>();
}

Result<int64_t> CountMaildir(const std::string& root) {
  Result<MaildirScanner> scanner = MaildirScanner::Open(root);
  if (!scanner) return tl::unexpected(scanner.error());
  int64_t count = 0;
  for (;;) {
    Result<std::optional<MaildirEntry>> next = scanner->Next();
    if (!next) return tl::unexpected(next.error());
    if (!*next) return count;
    ++count;
  }
}

Result<std::vector<MaildirEntry>> ListMaildir(const std::string& root) {
  Result<MaildirScanner> scanner = MaildirScanner::Open(root);
  if (!scanner) return tl::unexpected(scanner.error());
  std::vector<MaildirEntry> entries;
  for (;;) {
    Result<std::optional<MaildirEntry>> next = scanner->Next();
    if (!next) return tl::unexpected(next.error());
    if (!*next) break;
    entries.push_back(std::move(**next));
  }
  std::sort(entries.begin(), entries.end(), [](const MaildirEntry& a, const MaildirEntry& b) {
    const uint64_t ta = LeadingNumber(a.name), tb = LeadingNumber(b.name);
    return ta != tb ? ta < tb : a.name < b.name;
  });
  return entries;
}

Result<void> CreateMaildir(const std::string& root) {
  for (const std::string& path : {root, root + "/cur", root + "/new", root + "/tmp"}) {
    if (Result<void> made = MakeDirectory(path); !made) return made;
  }
  return {};
}

MaildirWriter::MaildirWriter(std::string root, std::string host, int64_t pid)
    : root_(std::move(root)), host_(std::move(host)), pid_(pid) {}

Result<MaildirWriter> MaildirWriter::Open(std::string root, std::string host) {
  if (Result<void> made = CreateMaildir(root); !made) return tl::unexpected(made.error());
  if (host.empty()) host = HostName();
  return MaildirWriter(std::move(root), std::move(host), static_cast<int64_t>(::getpid()));
}

// Creates tmp/NAME exclusively (a fresh name when one is taken), writes and fsyncs it.
Result<std::string> MaildirWriter::WriteTemp(std::string_view message, std::string* name) {
  for (int attempt = 0; attempt < kNameAttempts; ++attempt) {
    struct timeval now = {};
    ::gettimeofday(&now, nullptr);
    *name = FormatUniqueName({now.tv_sec, now.tv_usec, pid_, sequence_++, host_});
    const std::string path = root_ + "/tmp/" + *name;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      if (errno == EEXIST) continue;
      return SystemError(path, errno);
    }
    Result<void> written = WriteAndSync(fd, path, message);
    if (::close(fd) != 0 && written) written = SystemError(path, errno);
    if (!written) {
      ::unlink(path.c_str());
      return tl::unexpected(written.error());
    }
    return path;
  }
  return MakeError(ErrorCode::kIo, fmt::format("{}/tmp: no unused file name", root_));
}

Result<std::string> MaildirWriter::Deliver(std::string_view message, const MaildirFlags& flags) {
  std::string name;
  Result<std::string> temp = WriteTemp(message, &name);
  if (!temp) return temp;
  const std::string dir = root_ + (flags.Any() ? "/cur" : "/new");
  const std::string path = dir + "/" + name + (flags.Any() ? FormatMaildirInfo(flags) : "");
  // link() refuses to replace an existing file, which rename() would do silently; file
  // systems without hard links get rename() of the (unique) name instead.
  if (::link(temp->c_str(), path.c_str()) == 0) {
    ::unlink(temp->c_str());
  } else if (errno == EPERM || errno == ENOSYS || errno == EOPNOTSUPP) {
    if (::rename(temp->c_str(), path.c_str()) != 0) {
      const int error = errno;
      ::unlink(temp->c_str());
      return SystemError(path, error);
    }
  } else {
    const int error = errno;
    ::unlink(temp->c_str());
    return SystemError(path, error);
  }
  if (Result<void> synced = SyncDirectory(dir); !synced) return tl::unexpected(synced.error());
  return path;
}

}  // namespace pigeon::mailbox
