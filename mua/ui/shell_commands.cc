// See shell_commands.h.
#include "mua/ui/shell_commands.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <optional>

#include <fmt/format.h>

namespace pigeon::mua::ui {
namespace {

// Ignores SIGINT, SIGQUIT and SIGPIPE for its lifetime, then restores them.
class SignalsIgnored {
 public:
  SignalsIgnored() {
    struct sigaction ignore = {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    for (size_t i = 0; i < kSignals.size(); ++i) sigaction(kSignals[i], &ignore, &old_[i]);
  }
  ~SignalsIgnored() {
    for (size_t i = 0; i < kSignals.size(); ++i) sigaction(kSignals[i], &old_[i], nullptr);
  }
  SignalsIgnored(const SignalsIgnored&) = delete;
  SignalsIgnored& operator=(const SignalsIgnored&) = delete;

 private:
  static constexpr std::array<int, 3> kSignals = {SIGINT, SIGQUIT, SIGPIPE};
  std::array<struct sigaction, 3> old_ = {};
};

// Writes all of `input`; a reader that closed its end early ends the writing (EPIPE).
void WriteAll(int fd, std::string_view input) {
  while (!input.empty()) {
    const ssize_t written = ::write(fd, input.data(), input.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;
    input.remove_prefix(static_cast<size_t>(written));
  }
}

// mutt's "Press any key to continue...", read from the terminal in non-canonical mode.
void WaitForKey() {
  if (::isatty(STDIN_FILENO) != 1) return;
  termios saved = {};
  if (::tcgetattr(STDIN_FILENO, &saved) != 0) return;
  termios raw = saved;
  raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  std::fputs("Press any key to continue...", stdout);
  std::fflush(stdout);
  ::tcsetattr(STDIN_FILENO, TCSANOW, &raw);
  char key = 0;
  while (::read(STDIN_FILENO, &key, 1) < 0 && errno == EINTR) {
  }
  ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
}

// Runs `command` on the terminal, with `input` on its standard input through a pipe, or the
// terminal's own standard input when there is none; its status (128 + a signal).
Result<int> RunWithTerminal(const std::string& command, std::optional<std::string_view> input,
                            KeyWait wait) {
  int ends[2] = {-1, -1};
  if (input && ::pipe2(ends, O_CLOEXEC) != 0) {
    return MakeError(ErrorCode::kIo, fmt::format("cannot make a pipe: {}", std::strerror(errno)));
  }
  std::fflush(nullptr);
  int status = 0;
  {
    SignalsIgnored ignored;
    const pid_t child = ::fork();
    if (child == 0) {
      // Only async-signal-safe calls between fork and exec.
      ::signal(SIGINT, SIG_DFL);
      ::signal(SIGQUIT, SIG_DFL);
      ::signal(SIGPIPE, SIG_DFL);
      if (input) ::dup2(ends[0], STDIN_FILENO);
      ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    if (input) ::close(ends[0]);
    if (child < 0) {
      if (input) ::close(ends[1]);
      return MakeError(ErrorCode::kIo,
                       fmt::format("cannot start {}: {}", command, std::strerror(errno)));
    }
    if (input) {
      WriteAll(ends[1], *input);
      ::close(ends[1]);
    }
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
  }
  const int result = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  if (wait == KeyWait::kAlways || result != 0) WaitForKey();
  return result;
}

}  // namespace

Result<int> SystemShellCommands::Run(const std::string& command, std::string_view input,
                                     KeyWait wait) {
  return RunWithTerminal(command, input, wait);
}

Result<int> SystemShellCommands::RunOnTerminal(const std::string& command, KeyWait wait) {
  return RunWithTerminal(command, std::nullopt, wait);
}

Result<CommandOutput> SystemShellCommands::Capture(const std::string& command,
                                                   std::string_view input,
                                                   std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0) {
    return MakeError(ErrorCode::kIo, fmt::format("cannot make a pipe: {}", std::strerror(errno)));
  }
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    return MakeError(ErrorCode::kIo, fmt::format("cannot make a pipe: {}", std::strerror(errno)));
  }
  std::fflush(nullptr);
  SignalsIgnored ignored;  // SIGPIPE: the command may stop reading early
  const pid_t child = ::fork();
  if (child == 0) {
    ::setpgid(0, 0);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGQUIT, SIG_DFL);
    ::signal(SIGPIPE, SIG_DFL);
    ::dup2(in[0], STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(out[1], STDERR_FILENO);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  if (child < 0) {
    ::close(in[1]);
    ::close(out[0]);
    return MakeError(ErrorCode::kIo,
                     fmt::format("cannot start {}: {}", command, std::strerror(errno)));
  }
  ::setpgid(child, child);  // as the child does: whichever runs first, the group exists
  ::fcntl(in[1], F_SETFL, O_NONBLOCK);
  int writing = in[1];
  if (input.empty()) {
    ::close(writing);
    writing = -1;
  }
  CommandOutput result;
  char buffer[65536];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(-child, SIGKILL);
      result.timed_out = true;
      break;
    }
    std::array<pollfd, 2> fds = {{{out[0], POLLIN, 0}, {writing, POLLOUT, 0}}};
    const int ready = ::poll(fds.data(), writing >= 0 ? 2 : 1, static_cast<int>(left.count()));
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (ready == 0) continue;  // the time limit, checked above
    if (writing >= 0 && fds[1].revents != 0) {
      const ssize_t written = ::write(writing, input.data(), input.size());
      if (written > 0) input.remove_prefix(static_cast<size_t>(written));
      if ((written < 0 && errno != EAGAIN && errno != EINTR) || input.empty()) {
        ::close(writing);
        writing = -1;
      }
    }
    if (fds[0].revents == 0) continue;
    const ssize_t got = ::read(out[0], buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    const size_t room = kMaxCapturedOutput - result.output.size();
    result.output.append(buffer, std::min(room, static_cast<size_t>(got)));
  }
  if (writing >= 0) ::close(writing);
  ::close(out[0]);
  // The output can end before the command does (it closed it, or left a program behind).
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(child, &status, result.timed_out ? 0 : WNOHANG);
    if (done == child || (done < 0 && errno != EINTR)) break;
    if (done == 0 && std::chrono::steady_clock::now() >= deadline) {
      ::kill(-child, SIGKILL);
      result.timed_out = true;
    } else if (done == 0) {
      ::usleep(2000);
    }
  }
  result.status = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  return result;
}

Result<void> SystemShellCommands::Launch(const std::string& command,
                                         const std::vector<std::string>& arguments) {
  // Everything exec needs is made before fork: the child only calls async-signal-safe code.
  const std::string script = command + " \"$@\"";
  std::vector<const char*> argv = {"sh", "-c", script.c_str(), "pigeon"};
  for (const std::string& argument : arguments) argv.push_back(argument.c_str());
  argv.push_back(nullptr);
  std::fflush(nullptr);
  const pid_t child = ::fork();
  if (child < 0) {
    return MakeError(ErrorCode::kIo,
                     fmt::format("cannot start {}: {}", command, std::strerror(errno)));
  }
  if (child == 0) {
    ::setsid();
    if (::fork() != 0) ::_exit(0);
    const int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
      ::dup2(null, STDIN_FILENO);
      ::dup2(null, STDOUT_FILENO);
      ::dup2(null, STDERR_FILENO);
    }
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGQUIT, SIG_DFL);
    ::signal(SIGPIPE, SIG_DFL);
    ::execv("/bin/sh", const_cast<char* const*>(argv.data()));
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return {};
}

std::string WithUnixLineEnds(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out.push_back(text[i]);
  }
  return out;
}

}  // namespace pigeon::mua::ui
