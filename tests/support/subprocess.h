// Test helper: runs a program in a child process with its output in a log file, and makes
// sure it ends with the test. A watchdog process sits between the test and the program: it
// stops (SIGTERM, then SIGKILL) and reaps the program when a pipe from the test closes, be it
// by the destructor or by the test process dying (even by SIGKILL). PR_SET_PDEATHSIG alone is
// not enough: a program that changes its credentials (dnsmasq does) loses it.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace pigeon::testing {

class Subprocess {
 public:
  // Starts argv[0] (a path) with stdout and stderr appended to `log_path`; null on failure.
  static std::unique_ptr<Subprocess> Start(const std::vector<std::string>& argv,
                                           const std::string& log_path) {
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    const int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    int lifeline[2];
    if (log < 0 || null < 0 || ::pipe2(lifeline, O_CLOEXEC) != 0) {
      if (log >= 0) ::close(log);
      if (null >= 0) ::close(null);
      return nullptr;
    }
    const pid_t watchdog = ::fork();
    if (watchdog == 0) {
      // Async-signal-safe calls only from here on: the test may have other threads.
      if (::dup2(null, 0) < 0 || ::dup2(log, 1) < 0 || ::dup2(log, 2) < 0 ||
          ::dup2(lifeline[0], 3) < 0) {
        ::_exit(127);
      }
      ::close_range(4, ~0U, 0);  // other lifelines too, so each closes when its test end does
      Watch(args.data());
    }
    ::close(log);
    ::close(null);
    ::close(lifeline[0]);
    if (watchdog < 0) {
      ::close(lifeline[1]);
      return nullptr;
    }
    return std::unique_ptr<Subprocess>(new Subprocess(watchdog, lifeline[1]));
  }

  ~Subprocess() { Stop(); }
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  // False once the program has exited (the watchdog then exits too and is reaped).
  bool Running() {
    if (pid_ <= 0) return false;
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) pid_ = -1;
    return pid_ > 0;
  }

  // Closes the lifeline and waits for the watchdog, which stops the program.
  void Stop() {
    if (lifeline_ >= 0) ::close(lifeline_);
    lifeline_ = -1;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (Running() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (pid_ > 0) {  // a stuck watchdog; should not happen
      ::kill(pid_, SIGKILL);
      while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
      }
      pid_ = -1;
    }
  }

 private:
  Subprocess(pid_t pid, int lifeline) : pid_(pid), lifeline_(lifeline) {}

  // The watchdog: fd 3 is the lifeline. Never returns.
  [[noreturn]] static void Watch(char** args) {
    const pid_t program = ::fork();
    if (program == 0) {
      ::close(3);
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      ::execv(args[0], args);
      ::_exit(127);
    }
    if (program < 0) ::_exit(127);
    for (;;) {
      int status = 0;
      if (::waitpid(program, &status, WNOHANG) == program) ::_exit(0);
      pollfd lifeline{3, POLLIN, 0};
      if (::poll(&lifeline, 1, 50) == 1) break;  // EOF (or a stray byte): the test is done
    }
    ::kill(program, SIGTERM);
    for (int i = 0; i < 200; ++i) {  // 2 s
      if (::waitpid(program, nullptr, WNOHANG) == program) ::_exit(0);
      const timespec tick{0, 10'000'000};
      ::nanosleep(&tick, nullptr);
    }
    ::kill(program, SIGKILL);
    ::waitpid(program, nullptr, 0);
    ::_exit(0);
  }

  pid_t pid_;
  int lifeline_;
};

}  // namespace pigeon::testing
