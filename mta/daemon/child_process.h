// Running helper programs from pigeond: posix_spawn with stdin on /dev/null and stdout and
// stderr on pipes read line by line, each child in a process group of its own (so a signal
// reaches what it started too), reaped when its pidfd says it ended. Only the file descriptors 0-2
// and the default signal handling are passed on. Lines are bounded: a longer one is cut in pieces.
// The interface lets the code that decides what to run be tested without processes.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <asio/io_context.hpp>

#include "common/util/result.h"

namespace pigeon::mta::daemon {

struct ChildExit {
  int status = 0;  // the exit status, when signal is 0
  int signal = 0;  // the signal that ended it, else 0
};

struct ChildHandlers {
  std::function<void(std::string_view line)> on_stdout;  // without the newline
  std::function<void(std::string_view line)> on_stderr;
  // Last: once the child was reaped and its output read to the end.
  std::function<void(const ChildExit&)> on_exit;
};

class ChildSpawner {
 public:
  virtual ~ChildSpawner() = default;
  // Starts `argv[0]` (a path, not looked up in PATH) with `argv` and `environment`
  // ("NAME=value" each; empty: pigeond's own); returns its pid.
  virtual Result<int> Spawn(const std::vector<std::string>& argv,
                            const std::vector<std::string>& environment,
                            ChildHandlers handlers) = 0;
  // Sends `signal` to the child's process group; nothing once it was reaped.
  virtual void Signal(int pid, int signal) = 0;
};

// The real one, on `io` (which must outlive it). Destroying it kills and reaps the children
// still running.
std::unique_ptr<ChildSpawner> MakePosixChildSpawner(asio::io_context& io);

}  // namespace pigeon::mta::daemon
