// The editor step of composing: the draft's text goes into a private temporary file, the
// user's editor runs on it, and the saved text comes back. Behind an interface so the reader
// can be driven without a real editor. The caller suspends the terminal around Edit().
#pragma once

#include <string>

#include "common/util/result.h"

namespace pigeon::mua::compose {

// The editor command: $VISUAL, else $EDITOR, else "vi" (unset and empty values skipped, as
// mutt does). A shell command line: "emacs -nw" works.
std::string EditorCommand(const char* visual, const char* editor);

// "'it'\''s'": `text` as one word for /bin/sh.
std::string ShellQuote(const std::string& text);

class EditorRunner {
 public:
  virtual ~EditorRunner() = default;
  // Lets the user edit `text`; on success `text` is what was saved. Returns whether it
  // changed. Errors: the file could not be written or read, or the editor failed.
  virtual Result<bool> Edit(std::string& text) = 0;
};

// Runs `command` through /bin/sh -c with the file's path as its last word, as system(3) does:
// pigeon ignores SIGINT and SIGQUIT meanwhile, so ^C reaches the editor alone. The file is
// made in `temp_directory` (mode 0600) and removed afterwards.
class ShellEditor : public EditorRunner {
 public:
  ShellEditor(std::string command, std::string temp_directory)
      : command_(std::move(command)), temp_directory_(std::move(temp_directory)) {}
  Result<bool> Edit(std::string& text) override;

 private:
  std::string command_;
  std::string temp_directory_;
};

}  // namespace pigeon::mua::compose
