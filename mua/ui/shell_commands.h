// The shell commands the reader runs: mutt's pipe-message and pipe-entry and the mailcap
// viewers that need the terminal (input on the command's standard input, the terminal given
// to the command: the caller suspends the screen around Run), mailcap tests and copiousoutput
// viewers (Capture: no terminal, the output comes back) and the new-mail command (in the
// background). Behind an interface so the
// reader can be driven without running programs.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.h"

namespace pigeon::mua::ui {

// What a captured command wrote and how it ended.
struct CommandOutput {
  int status = 0;          // exit status, 128 + the signal when a signal ended it
  std::string output;      // standard output and error together, at most kMaxCapturedOutput
  bool timed_out = false;  // killed at its time limit: `output` is what came before
};

inline constexpr size_t kMaxCapturedOutput = 16 * 1024 * 1024;

// Whether Run asks for a key once the command is done, so its last output can be read
// (mutt's $wait_key): always (pipes; mailcap viewers marked needsterminal), or only when the
// command failed (other mailcap viewers: a picture viewer's window needs no key after it).
enum class KeyWait { kAlways, kOnFailure };

class ShellCommands {
 public:
  virtual ~ShellCommands() = default;
  // Runs `command` with `input` on its standard input; the command's exit status (128 + the
  // signal when a signal ended it). Errors: the command could not be started.
  virtual Result<int> Run(const std::string& command, std::string_view input,
                          KeyWait wait = KeyWait::kAlways) = 0;
  // Runs `command` with the terminal as its standard input too (shell-escape): its status.
  virtual Result<int> RunOnTerminal(const std::string& command, KeyWait wait) = 0;
  // Runs `command` with `input` on its standard input and its standard output and error
  // captured; bytes past kMaxCapturedOutput are read and dropped. A command still running
  // after `timeout` is killed, with the programs it started (timed_out). Errors: it could not
  // start.
  virtual Result<CommandOutput> Capture(const std::string& command, std::string_view input,
                                        std::chrono::milliseconds timeout) = 0;
  // Starts `command` with `arguments` as its $1, $2… in the background, detached from the
  // terminal (standard input, output and error on /dev/null), and does not wait for it.
  virtual Result<void> Launch(const std::string& command,
                              const std::vector<std::string>& arguments) = 0;
};

// /bin/sh -c COMMAND, as system(3) runs it: pigeon ignores SIGINT and SIGQUIT meanwhile, so ^C
// reaches the command alone, and a command that stops reading early is not an error. Then,
// on a terminal, "Press any key to continue..." as KeyWait says, so its output can be read.
class SystemShellCommands : public ShellCommands {
 public:
  Result<int> Run(const std::string& command, std::string_view input,
                  KeyWait wait = KeyWait::kAlways) override;
  Result<int> RunOnTerminal(const std::string& command, KeyWait wait) override;
  // Standard input is fed and the output drained in one poll loop, so neither side blocks.
  // The command runs in a process group of its own, which the time limit kills whole.
  Result<CommandOutput> Capture(const std::string& command, std::string_view input,
                                std::chrono::milliseconds timeout) override;
  // Forks twice, so the command is nobody's child here and needs no reaping.
  Result<void> Launch(const std::string& command,
                      const std::vector<std::string>& arguments) override;
};

// The stored message with CRLF line ends as Unix programs expect it (LF), as mutt pipes it.
std::string WithUnixLineEnds(std::string_view text);

}  // namespace pigeon::mua::ui
