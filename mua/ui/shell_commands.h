// The shell commands the reader runs: mutt's pipe-message and pipe-entry and the mailcap
// viewers that need the terminal (input on the command's standard input, the terminal given
// to the command: the caller suspends the screen around Run), mailcap tests and copiousoutput
// viewers (Capture: no terminal, the output comes back) and the new-mail command (in the
// background). Behind an interface so the
// reader can be driven without running programs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.h"

namespace pigeon::mua::ui {

// What a captured command wrote and how it ended.
struct CommandOutput {
  int status = 0;      // exit status, 128 + the signal when a signal ended it
  std::string output;  // standard output and error together, at most kMaxCapturedOutput
};

inline constexpr size_t kMaxCapturedOutput = 16 * 1024 * 1024;

class ShellCommands {
 public:
  virtual ~ShellCommands() = default;
  // Runs `command` with `input` on its standard input; the command's exit status (128 + the
  // signal when a signal ended it). Errors: the command could not be started.
  virtual Result<int> Run(const std::string& command, std::string_view input) = 0;
  // Runs `command` with `input` on its standard input and its standard output and error
  // captured; bytes past kMaxCapturedOutput are read and dropped. Errors: it could not start.
  virtual Result<CommandOutput> Capture(const std::string& command, std::string_view input) = 0;
  // Starts `command` with `arguments` as its $1, $2… in the background, detached from the
  // terminal (standard input, output and error on /dev/null), and does not wait for it.
  virtual Result<void> Launch(const std::string& command,
                              const std::vector<std::string>& arguments) = 0;
};

// /bin/sh -c COMMAND, as system(3) runs it: pigeon ignores SIGINT and SIGQUIT meanwhile, so ^C
// reaches the command alone, and a command that stops reading early is not an error. Then,
// on a terminal, "Press any key to continue..." (mutt's $wait_key) so its output can be read.
class SystemShellCommands : public ShellCommands {
 public:
  Result<int> Run(const std::string& command, std::string_view input) override;
  // Standard input is fed and the output drained in one poll loop, so neither side blocks.
  Result<CommandOutput> Capture(const std::string& command, std::string_view input) override;
  // Forks twice, so the command is nobody's child here and needs no reaping.
  Result<void> Launch(const std::string& command,
                      const std::vector<std::string>& arguments) override;
};

// The stored message with CRLF line ends as Unix programs expect it (LF), as mutt pipes it.
std::string WithUnixLineEnds(std::string_view text);

}  // namespace pigeon::mua::ui
