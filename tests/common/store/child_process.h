// Test helper for the store's multi-process tests: runs a function in a forked child with a
// pipe back to the parent. The destructor SIGKILLs and reaps a child still running, so a test
// never leaves processes behind, even when an assertion returns early. The child must not
// touch gtest (it reports through the pipe and its exit status) and leaves with _exit.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace pigeon::store {

class ChildProcess {
 public:
  // Forks; the child runs `body(report_fd)` and _exits with what it returns. Returns null
  // when fork or pipe fails. No SQLite connection may be open in the parent across this.
  static std::unique_ptr<ChildProcess> Start(const std::function<int(int)>& body) {
    int fds[2];
    if (::pipe(fds) != 0) return nullptr;
    pid_t pid = ::fork();
    if (pid < 0) {
      ::close(fds[0]);
      ::close(fds[1]);
      return nullptr;
    }
    if (pid == 0) {
      ::close(fds[0]);
      int status = body(fds[1]);
      ::_exit(status);  // no atexit handlers, no flushing of the parent's stdio buffers
    }
    ::close(fds[1]);
    return std::unique_ptr<ChildProcess>(new ChildProcess(pid, fds[0]));
  }

  ~ChildProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      Wait();
    }
    ::close(read_fd_);
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void Kill() {
    if (pid_ > 0) ::kill(pid_, SIGKILL);
  }

  // Reaps the child; returns its wait status (-1 if already reaped).
  int Wait() {
    if (pid_ <= 0) return status_;
    while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status_;
  }

  // Everything the child wrote to its report pipe, up to EOF (call after Wait, or rely on the
  // child exiting: reports are small, far below the pipe's buffer).
  std::string ReadReport() {
    std::string out;
    char buffer[4096];
    for (;;) {
      ssize_t n = ::read(read_fd_, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return out;
      out.append(buffer, static_cast<size_t>(n));
    }
  }

 private:
  ChildProcess(pid_t pid, int read_fd) : pid_(pid), read_fd_(read_fd) {}
  pid_t pid_;
  int read_fd_;
  int status_ = -1;
};

// Writes all of `text` to `fd` (the child's side of the report pipe).
inline void WriteReport(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text.remove_prefix(static_cast<size_t>(n));
  }
}

// "exited 0", "killed by signal 9", … for failure messages.
inline std::string DescribeStatus(int status) {
  if (WIFEXITED(status)) return "exited " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

}  // namespace pigeon::store
