// mutt's pipe-message: the text of messages goes to a shell command's standard input, with
// the terminal given to the command (the caller suspends the screen around Run). Behind an
// interface so the reader can be driven without running programs.
#pragma once

#include <string>
#include <string_view>

#include "common/util/result.h"

namespace pigeon::mua::ui {

class ShellPipe {
 public:
  virtual ~ShellPipe() = default;
  // Runs `command` with `input` on its standard input; the command's exit status (128 + the
  // signal when a signal ended it). Errors: the command could not be started.
  virtual Result<int> Run(const std::string& command, std::string_view input) = 0;
};

// /bin/sh -c COMMAND, as system(3) runs it: pigeon ignores SIGINT and SIGQUIT meanwhile, so ^C
// reaches the command alone, and a command that stops reading early is not an error. Then,
// on a terminal, "Press any key to continue..." (mutt's $wait_key) so its output can be read.
class SystemShellPipe : public ShellPipe {
 public:
  Result<int> Run(const std::string& command, std::string_view input) override;
};

// The stored message with CRLF line ends as Unix programs expect it (LF), as mutt pipes it.
std::string WithUnixLineEnds(std::string_view text);

}  // namespace pigeon::mua::ui
