// Log lines of the daemons and command-line programs: to stderr (foreground, tests, systemd's
// journal) or to syslog (facility mail, like every MTA). One line per call, no trailing newline.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace pigeon::sys {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

class Logger {
 public:
  virtual ~Logger() = default;
  virtual void Log(LogLevel level, std::string_view line) = 0;
  void Info(std::string_view line) { Log(LogLevel::kInfo, line); }
  void Warning(std::string_view line) { Log(LogLevel::kWarning, line); }
  void Error(std::string_view line) { Log(LogLevel::kError, line); }
};

// "pigeond: warning: text" on stderr (one write(2) per line, so concurrent writers never
// interleave within a line).
std::unique_ptr<Logger> MakeStderrLogger(std::string program);
// syslog(3) with `program` as the identity, facility LOG_MAIL, the pid included.
std::unique_ptr<Logger> MakeSyslogLogger(std::string program);

}  // namespace pigeon::sys
