// See editor.h.
#include "mua/compose/editor.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "common/sys/file.h"

namespace pigeon::mua::compose {
namespace {

Error SystemError(std::string_view what) {
  return Error{ErrorCode::kIo, fmt::format("{}: {}", what, std::strerror(errno))};
}

// Removes the draft file on every way out of Edit.
class RemoveOnExit {
 public:
  explicit RemoveOnExit(std::string path) : path_(std::move(path)) {}
  ~RemoveOnExit() { ::unlink(path_.c_str()); }
  RemoveOnExit(const RemoveOnExit&) = delete;
  RemoveOnExit& operator=(const RemoveOnExit&) = delete;

 private:
  std::string path_;
};

Result<void> WriteAll(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) return tl::unexpected(SystemError("cannot write the draft"));
    text.remove_prefix(static_cast<size_t>(written));
  }
  return {};
}

}  // namespace

std::string EditorCommand(const char* visual, const char* editor) {
  for (const char* value : {visual, editor}) {
    if (value != nullptr && value[0] != '\0') return value;
  }
  return "vi";
}

std::string ShellQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

Result<bool> ShellEditor::Edit(std::string& text) {
  std::string path = temp_directory_ + "/pigeon-draft-XXXXXX";
  const int fd = ::mkstemp(path.data());
  if (fd < 0) return tl::unexpected(SystemError(fmt::format("cannot create {}", path)));
  RemoveOnExit remove(path);
  Result<void> written = WriteAll(fd, text);
  if (::close(fd) != 0 && written) written = tl::unexpected(SystemError("cannot write the draft"));
  if (!written) return tl::unexpected(written.error());

  const std::string command = fmt::format("{} {}", command_, ShellQuote(path));
  const int status = std::system(command.c_str());
  if (status == -1) return tl::unexpected(SystemError("cannot start the editor"));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return MakeError(
        ErrorCode::kIo,
        fmt::format("Error running \"{}\": {}", command_,
                    WIFEXITED(status) ? fmt::format("exit status {}", WEXITSTATUS(status))
                                      : std::string("killed by a signal")));
  }
  Result<std::string> edited = sys::ReadWholeFile(path);
  if (!edited) return tl::unexpected(edited.error());
  const bool changed = *edited != text;
  text = std::move(*edited);
  return changed;
}

}  // namespace pigeon::mua::compose
