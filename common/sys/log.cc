// See log.h.
#include "common/sys/log.h"

#include <syslog.h>
#include <unistd.h>

namespace pigeon::sys {
namespace {

std::string_view LevelPrefix(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug: ";
    case LogLevel::kInfo:
      return "";
    case LogLevel::kWarning:
      return "warning: ";
    case LogLevel::kError:
      return "error: ";
  }
  return "";
}

class StderrLogger : public Logger {
 public:
  explicit StderrLogger(std::string program) : program_(std::move(program)) {}
  void Log(LogLevel level, std::string_view line) override {
    std::string text = program_ + ": ";
    text += LevelPrefix(level);
    text += line;
    text += '\n';
    for (size_t done = 0; done < text.size();) {
      ssize_t wrote = ::write(STDERR_FILENO, text.data() + done, text.size() - done);
      if (wrote <= 0) return;  // nowhere to report a failing stderr
      done += static_cast<size_t>(wrote);
    }
  }

 private:
  std::string program_;
};

class SyslogLogger : public Logger {
 public:
  explicit SyslogLogger(std::string program) : program_(std::move(program)) {
    openlog(program_.c_str(), LOG_PID | LOG_NDELAY, LOG_MAIL);
  }
  ~SyslogLogger() override { closelog(); }
  void Log(LogLevel level, std::string_view line) override {
    int priority = LOG_INFO;
    if (level == LogLevel::kDebug) priority = LOG_DEBUG;
    if (level == LogLevel::kWarning) priority = LOG_WARNING;
    if (level == LogLevel::kError) priority = LOG_ERR;
    syslog(priority, "%s%.*s", LevelPrefix(level).data(), static_cast<int>(line.size()),
           line.data());
  }

 private:
  std::string program_;  // openlog keeps the pointer
};

}  // namespace

std::unique_ptr<Logger> MakeStderrLogger(std::string program) {
  return std::make_unique<StderrLogger>(std::move(program));
}

std::unique_ptr<Logger> MakeSyslogLogger(std::string program) {
  return std::make_unique<SyslogLogger>(std::move(program));
}

}  // namespace pigeon::sys
