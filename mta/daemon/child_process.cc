// See child_process.h.
#include "mta/daemon/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>

#include <fmt/format.h>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

extern char** environ;

namespace pigeon::mta::daemon {
namespace {

constexpr size_t kMaxLine = 2000;
// A child that was reaped while something it started still holds its output open: read on
// for this long, then stop waiting for the end of the output.
constexpr std::chrono::seconds kDrainLimit{2};
// Where there is no pidfd (a kernel before 5.3, a seccomp filter), the exit is polled for.
constexpr std::chrono::milliseconds kReapPoll{200};

Error SystemError(std::string_view doing, int error) {
  return Error{ErrorCode::kIo, fmt::format("{}: {}", doing, std::strerror(error))};
}

// One output pipe, split into lines.
class LineReader {
 public:
  LineReader(asio::io_context& io, int fd, std::function<void(std::string_view)>& on_line)
      : pipe_(io, fd), on_line_(on_line) {}

  void Start(std::function<void()> on_end) {
    on_end_ = std::move(on_end);
    Read();
  }
  void Close() {
    asio::error_code ignored;
    pipe_.close(ignored);
  }

 private:
  void Read() {
    pipe_.async_read_some(asio::buffer(chunk_), [this](const asio::error_code& error, size_t n) {
      if (error) {
        if (!pending_.empty()) Emit(pending_);
        pending_.clear();
        Close();
        on_end_();  // may destroy this reader: the last thing done here
        return;
      }
      Split(std::string_view(chunk_, n));
      Read();
    });
  }
  void Split(std::string_view data) {
    for (char c : data) {
      if (c == '\n') {
        Emit(pending_);
        pending_.clear();
        continue;
      }
      pending_ += c;
      if (pending_.size() >= kMaxLine) {
        Emit(pending_);
        pending_.clear();
      }
    }
  }
  void Emit(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (on_line_) on_line_(line);
  }

  asio::posix::stream_descriptor pipe_;
  std::function<void(std::string_view)>& on_line_;
  std::function<void()> on_end_;
  char chunk_[4096];
  std::string pending_;
};

class PosixChildSpawner : public ChildSpawner {
 public:
  explicit PosixChildSpawner(asio::io_context& io) : io_(io) {}

  ~PosixChildSpawner() override {
    for (auto& [pid, child] : children_) {
      if (child->reaped) continue;
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      int status = 0;
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
  }

  Result<int> Spawn(const std::vector<std::string>& argv,
                    const std::vector<std::string>& environment, ChildHandlers handlers) override {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0) return tl::unexpected(SystemError("pipe", errno));
    if (pipe2(err, O_CLOEXEC) != 0) {
      const int saved = errno;
      close(out[0]);
      close(out[1]);
      return tl::unexpected(SystemError("pipe", saved));
    }
    Result<int> pid = SpawnWith(argv, environment, out[1], err[1]);
    close(out[1]);
    close(err[1]);
    if (!pid) {
      close(out[0]);
      close(err[0]);
      return pid;
    }
    auto child = std::make_unique<Child>(io_, std::move(handlers), out[0], err[0]);
    Child* raw = child.get();
    children_[*pid] = std::move(child);
    const int id = *pid;
    raw->out.Start([this, id] { OutputEnded(id); });
    raw->err.Start([this, id] { OutputEnded(id); });
    // A pidfd becomes readable when the child ends: no SIGCHLD handler, whose signals
    // would interrupt system calls in pigeond's other threads.
    // (The system call itself: glibc 2.36's <sys/pidfd.h> lacks extern "C".)
    const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, id, 0));
    if (pidfd >= 0) raw->exit_watch.assign(pidfd);
    WatchExit(id);
    return pid;
  }

  void Signal(int pid, int signal) override {
    auto found = children_.find(pid);
    if (found == children_.end() || found->second->reaped) return;
    if (kill(-pid, signal) != 0) kill(pid, signal);
  }

 private:
  struct Child {
    Child(asio::io_context& io, ChildHandlers h, int out_fd, int err_fd)
        : handlers(std::move(h)),
          out(io, out_fd, handlers.on_stdout),
          err(io, err_fd, handlers.on_stderr),
          drain(io),
          exit_watch(io),
          exit_poll(io) {}
    ChildHandlers handlers;
    LineReader out;
    LineReader err;
    asio::steady_timer drain;
    asio::posix::stream_descriptor exit_watch;  // the pidfd, when there is one
    asio::steady_timer exit_poll;
    int outputs_open = 2;
    bool reaped = false;
    ChildExit exit;
  };

  static Result<int> SpawnWith(const std::vector<std::string>& argv,
                               const std::vector<std::string>& environment, int out, int err) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err, STDERR_FILENO);
    // Whatever pigeond holds open (listeners, the store, TLS keys) stays with pigeond.
    posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    for (int signal : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGQUIT, SIGUSR1, SIGUSR2}) {
      sigaddset(&defaults, signal);
    }
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(
        &attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    std::vector<char*> variables;
    for (const std::string& variable : environment) {
      variables.push_back(const_cast<char*>(variable.c_str()));
    }
    variables.push_back(nullptr);
    pid_t pid = -1;
    const int failed = argv.empty()
                           ? EINVAL
                           : posix_spawn(&pid, argv[0].c_str(), &actions, &attributes, args.data(),
                                         environment.empty() ? environ : variables.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (failed != 0) {
      return tl::unexpected(
          SystemError(fmt::format("cannot run {}", argv.empty() ? "" : argv[0]), failed));
    }
    return static_cast<int>(pid);
  }

  void WatchExit(int pid) {
    Child& child = *children_.at(pid);
    auto reap = [this, pid](const asio::error_code& error) {
      if (!error) Reap(pid);
    };
    if (child.exit_watch.is_open()) {
      child.exit_watch.async_wait(asio::posix::stream_descriptor::wait_read, reap);
    } else {
      child.exit_poll.expires_after(kReapPoll);
      child.exit_poll.async_wait(reap);
    }
  }

  void Reap(int pid) {
    auto found = children_.find(pid);
    if (found == children_.end() || found->second->reaped) return;
    Child& child = *found->second;
    int status = 0;
    const pid_t got = waitpid(pid, &status, WNOHANG);
    if (got == 0 || (got < 0 && errno == EINTR)) {
      WatchExit(pid);
      return;
    }
    child.reaped = true;
    asio::error_code ignored;
    child.exit_watch.close(ignored);
    if (got < 0) {
      child.exit.status = -1;  // reaped elsewhere (ECHILD): its status is lost
    } else if (WIFSIGNALED(status)) {
      child.exit.signal = WTERMSIG(status);
    } else {
      child.exit.status = WEXITSTATUS(status);
    }
    if (child.outputs_open > 0) {
      child.drain.expires_after(kDrainLimit);
      child.drain.async_wait([this, pid](const asio::error_code& error) {
        if (error) return;
        auto still = children_.find(pid);
        if (still == children_.end()) return;
        still->second->out.Close();
        still->second->err.Close();
      });
    }
    // Posted: the watch whose handler runs now is destroyed when the child is finished.
    asio::post(io_, [this, pid] { MaybeFinish(pid); });
  }

  void OutputEnded(int pid) {
    auto found = children_.find(pid);
    if (found == children_.end()) return;
    --found->second->outputs_open;
    // Finishing destroys the readers: only once neither has a read in flight.
    if (found->second->outputs_open == 0) asio::post(io_, [this, pid] { MaybeFinish(pid); });
  }

  void MaybeFinish(int pid) {
    auto found = children_.find(pid);
    if (found == children_.end()) return;
    Child& child = *found->second;
    if (!child.reaped || child.outputs_open > 0) return;
    std::function<void(const ChildExit&)> on_exit = std::move(child.handlers.on_exit);
    const ChildExit exit = child.exit;
    child.drain.cancel();
    child.exit_poll.cancel();
    children_.erase(found);
    if (on_exit) on_exit(exit);
  }

  asio::io_context& io_;
  std::map<int, std::unique_ptr<Child>> children_;
};

}  // namespace

std::unique_ptr<ChildSpawner> MakePosixChildSpawner(asio::io_context& io) {
  return std::make_unique<PosixChildSpawner>(io);
}

}  // namespace pigeon::mta::daemon
