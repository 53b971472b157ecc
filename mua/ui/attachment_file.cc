// See attachment_file.h.
#include "mua/ui/attachment_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/message/charset.h"
#include "mua/ui/mailcap.h"

namespace pigeon::mua::ui {
namespace {

constexpr size_t kMaxNameBytes = 200;  // below NAME_MAX with room for a template's suffix

Error SystemError(std::string_view what, const std::string& path) {
  const ErrorCode code = errno == ENOSPC || errno == EDQUOT ? ErrorCode::kNoSpace : ErrorCode::kIo;
  return Error{code, fmt::format("{} {}: {}", what, path, std::strerror(errno))};
}

}  // namespace

std::string SafeFileName(std::string_view name) {
  const size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string clean;
  for (char c : message::SanitizeUtf8(name)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) continue;
    clean.push_back(c);
  }
  const size_t start = clean.find_first_not_of(". \t");
  if (start == std::string::npos) return "";
  clean.erase(0, start);
  if (clean.size() > kMaxNameBytes) {
    size_t cut = kMaxNameBytes;  // on a character boundary
    while (cut > 0 && (static_cast<unsigned char>(clean[cut]) & 0xC0) == 0x80) --cut;
    clean.resize(cut);
  }
  return clean;
}

std::string ExpandHome(std::string_view path, std::string_view home) {
  if (path == "~") return std::string(home);
  if (path.starts_with("~/")) return std::string(home) + std::string(path.substr(1));
  return std::string(path);
}

bool FileExists(const std::string& path) {
  struct stat info = {};
  return ::lstat(path.c_str(), &info) == 0;
}

Result<void> WriteAttachmentFile(const std::string& path, std::string_view bytes, bool overwrite) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL);
  const int fd = ::open(path.c_str(), flags, 0666);
  if (fd < 0) return tl::unexpected(SystemError("cannot create", path));
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      Error error = SystemError("cannot write", path);
      ::close(fd);
      return tl::unexpected(std::move(error));
    }
    bytes.remove_prefix(static_cast<size_t>(written));
  }
  if (::close(fd) != 0) return tl::unexpected(SystemError("cannot write", path));
  return {};
}

std::string TempFileName(const std::optional<std::string>& filename,
                         std::string_view nametemplate) {
  std::string base = ShellSafe(SafeFileName(filename.value_or("")));
  // A name ShellSafe made only of '_' or one starting with '-' (an option to the viewer).
  while (!base.empty() && (base.front() == '-' || base.front() == '.')) base.erase(0, 1);
  if (base.find_first_not_of('_') == std::string::npos) base = "attachment";
  if (nametemplate.empty()) return base;
  std::string named;
  const size_t at = nametemplate.find("%s");
  if (at == std::string_view::npos) return base;
  named = std::string(nametemplate.substr(0, at)) + base + std::string(nametemplate.substr(at + 2));
  named = ShellSafe(SafeFileName(named));
  while (!named.empty() && named.front() == '-') named.erase(0, 1);
  return named.empty() ? base : named;
}

Result<std::unique_ptr<TempAttachment>> TempAttachment::Create(
    std::string_view root, const std::optional<std::string>& filename,
    std::string_view nametemplate, std::string_view bytes) {
  std::string base(root);
  if (!base.starts_with("/") || ShellSafe(base) != base) base = "/tmp";
  std::string directory = base + "/pigeon-XXXXXX";
  if (::mkdtemp(directory.data()) == nullptr) {
    return tl::unexpected(SystemError("cannot make a directory in", base));
  }
  std::string path = directory + "/" + TempFileName(filename, nametemplate);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    Error error = SystemError("cannot create", path);
    ::rmdir(directory.c_str());
    return tl::unexpected(std::move(error));
  }
  ::close(fd);
  // From here the destructor cleans up.
  std::unique_ptr<TempAttachment> temp(new TempAttachment(std::move(directory), path));
  if (Result<void> written = WriteAttachmentFile(path, bytes, true); !written) {
    return tl::unexpected(written.error());
  }
  return temp;
}

TempAttachment::~TempAttachment() {
  ::unlink(path_.c_str());
  ::rmdir(directory_.c_str());
}

}  // namespace pigeon::mua::ui
