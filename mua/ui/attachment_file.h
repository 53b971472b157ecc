// Attachment bytes on disk: the save command's file and the temporary file a mailcap command
// reads. Attachment names come from the mail and are untrusted: SafeFileName keeps only a
// last path component without control characters or leading dots, and a temporary file's
// name is further cut to characters a shell never interprets (mailcap.h ShellSafe).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/util/result.h"

namespace pigeon::mua::ui {

// The last component of `name` ('/' and '\\' both separate), control characters removed,
// invalid UTF-8 repaired, leading dots and blanks dropped; "" when nothing is left.
std::string SafeFileName(std::string_view name);

// "~" and "~/…" with `home`; other paths as they are.
std::string ExpandHome(std::string_view path, std::string_view home);

bool FileExists(const std::string& path);

// Writes `bytes` to `path` (mode 0666 less the umask): a new file unless `overwrite`.
Result<void> WriteAttachmentFile(const std::string& path, std::string_view bytes, bool overwrite);

// A file in a private directory (mode 0700) made for one command: the file is 0600, both go
// when this is destroyed.
class TempAttachment {
 public:
  // Under `root` (TMPDIR; "/tmp" when it is not an absolute, shell-safe path), named from
  // the attachment's `filename` and the entry's `nametemplate` ("%s.html"), else "attachment".
  static Result<std::unique_ptr<TempAttachment>> Create(std::string_view root,
                                                        const std::optional<std::string>& filename,
                                                        std::string_view nametemplate,
                                                        std::string_view bytes);
  ~TempAttachment();
  TempAttachment(const TempAttachment&) = delete;
  TempAttachment& operator=(const TempAttachment&) = delete;

  const std::string& path() const { return path_; }

 private:
  TempAttachment(std::string directory, std::string path)
      : directory_(std::move(directory)), path_(std::move(path)) {}
  std::string directory_;
  std::string path_;
};

// The name TempAttachment::Create gives the file (exposed for tests).
std::string TempFileName(const std::optional<std::string>& filename, std::string_view nametemplate);

}  // namespace pigeon::mua::ui
