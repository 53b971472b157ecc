// See pigeond.h.
#include "mta/daemon/pigeond.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>

#include <fmt/format.h>
#include <asio.hpp>

#include "common/config/config.h"
#include "common/store/store.h"
#include "common/sys/clock.h"
#include "common/sys/log.h"
#include "mta/auth/password.h"
#include "mta/daemon/child_process.h"
#include "mta/daemon/fetch_runner.h"
#include "mta/daemon/privileges.h"
#include "mta/daemon/submission_listener.h"
#include "mta/daemon/wakeup_listener.h"
#include "mta/delivery/queue_runner.h"
#include "mta/dns/system_resolver.h"
#include "mta/queue/wakeup.h"
#include "mta/server/delivery_writer.h"
#include "mta/server/runtime.h"
#include "mta/server/server.h"

extern char** environ;

namespace pigeon::mta::daemon {
namespace {

std::unique_ptr<sys::Logger> MakeLogger(const config::Config& config) {
  if (config.smtpd.log == "syslog") return sys::MakeSyslogLogger("pigeond");
  return sys::MakeStderrLogger("pigeond");
}

Result<config::Config> Load(const DaemonOptions& options) {
  const std::string path =
      options.config_path.empty() ? config::DefaultConfigPath() : options.config_path;
  return config::LoadConfig(path, options.config_named);
}

// Detaching: the parent waits on a pipe until the child serves (or fails), so `pigeond`
// without -f still reports start-up errors and its exit status means something.
class Detacher {
 public:
  // Returns in the child (and in the foreground case); the parent exits here.
  void Fork() {
    if (pipe(fds_) != 0) return;
    pid_t child = fork();
    if (child < 0) return;
    if (child > 0) {
      close(fds_[1]);
      char status = EX_SOFTWARE;
      const bool got = read(fds_[0], &status, 1) == 1;
      std::_Exit(got ? status : EX_SOFTWARE);
    }
    close(fds_[0]);
    setsid();
    active_ = true;
  }
  // Serving: tell the parent, and let go of the terminal.
  void Ready() {
    if (!active_) return;
    Report(0);
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
      dup2(null, STDIN_FILENO);
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
      if (null > STDERR_FILENO) close(null);
    }
  }
  void Report(int status) {
    if (!active_) return;
    const char byte = static_cast<char>(status);
    (void)!write(fds_[1], &byte, 1);
    close(fds_[1]);
    active_ = false;
  }

 private:
  int fds_[2] = {-1, -1};
  bool active_ = false;
};

// The store path of the built-in profile depends on whose home it is: after dropping root,
// it is the served user's.
void AdoptHome(const DroppedTo& dropped, config::Config& config, bool store_defaulted) {
  if (!dropped.changed || dropped.home.empty() || !store_defaulted) return;
  setenv("HOME", dropped.home.c_str(), 1);
  unsetenv("XDG_DATA_HOME");
  config.store_path = store::DefaultStorePath();
}

Result<std::unique_ptr<delivery::QueueRunner>> StartQueueRunner(
    const config::Config& config,
    std::function<std::shared_ptr<const policy::RecipientPolicy>()> policy, const sys::Clock& clock,
    sys::Logger& log) {
  delivery::QueueRunnerSetup setup;
  setup.config = config;
  setup.policy = std::move(policy);
  dns::SystemResolverOptions resolver_options;
  resolver_options.nameservers = config.delivery.dns_servers;
  setup.make_resolver = [resolver_options]() -> Result<std::unique_ptr<dns::Resolver>> {
    Result<std::unique_ptr<dns::SystemResolver>> made =
        dns::SystemResolver::Create(resolver_options);
    if (!made) return tl::unexpected(made.error());
    return std::unique_ptr<dns::Resolver>(std::move(*made));
  };
  Result<std::unique_ptr<delivery::Connector>> connector =
      delivery::MakeSocketConnector({config.delivery.ca_file});
  if (!connector) return tl::unexpected(connector.error());
  setup.connector = std::move(*connector);
  auto runner = std::make_unique<delivery::QueueRunner>(std::move(setup), clock, log);
  if (Result<void> started = runner->Start(); !started) return tl::unexpected(started.error());
  return runner;
}

// The [[fetch]] accounts pigeond fetches on their intervals, or none: without a pigeon program
// beside pigeond, scheduling is off (with a warning) and the rest serves as usual.
struct FetchPlan {
  std::string program;
  std::string config_path;  // absolute: the children need not share pigeond's directory
  std::vector<ScheduledAccount> accounts;
};

FetchPlan PlanFetches(const config::Config& config, sys::Logger& log) {
  FetchPlan plan;
  for (const config::FetchAccount& account : config.fetch) {
    if (account.interval.count() > 0) plan.accounts.push_back({account.name, account.interval});
  }
  if (plan.accounts.empty()) return plan;
  char own[4096];
  const ssize_t length = readlink("/proc/self/exe", own, sizeof(own) - 1);
  const char* override_path = std::getenv("PIGEON_FETCH_PROGRAM");
  Result<std::string> program =
      FindPigeonProgram(override_path == nullptr ? "" : override_path,
                        std::string_view(own, length > 0 ? static_cast<size_t>(length) : 0));
  if (!program) {
    log.Warning(program.error().message + ": the [[fetch]] accounts are not fetched");
    plan.accounts.clear();
    return plan;
  }
  plan.program = *program;
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(config.path, error);
  plan.config_path = error ? config.path : absolute.string();
  return plan;
}

// The fetch children's environment: pigeond's, with the home of the user served once root
// was given up (for password_command, and what a shell command expects).
std::vector<std::string> ChildEnvironment(const DroppedTo& dropped) {
  std::vector<std::string> environment;
  for (char** variable = environ; *variable != nullptr; ++variable) {
    if (dropped.changed && std::string_view(*variable).starts_with("HOME=")) continue;
    environment.emplace_back(*variable);
  }
  if (dropped.changed && !dropped.home.empty()) environment.push_back("HOME=" + dropped.home);
  return environment;
}

}  // namespace

int RunDaemon(const DaemonOptions& options) {
  Result<config::Config> config = Load(options);
  if (!config) {
    std::fprintf(stderr, "pigeond: %s\n", config.error().message.c_str());
    return EX_CONFIG;
  }
  std::unique_ptr<sys::Logger> stderr_log = sys::MakeStderrLogger("pigeond");
  auto warn = [&](std::string_view line) { stderr_log->Warning(line); };
  Result<std::shared_ptr<const server::Runtime>> runtime = server::MakeRuntime(*config, warn);
  if (!runtime) {
    stderr_log->Error(runtime.error().message);
    return EX_CONFIG;
  }
  if (options.check_config) {
    sys::SystemClock clock;
    asio::io_context io;
    server::Server server(io, *runtime, clock, *stderr_log);
    if (Result<void> tls = server.LoadTls(); !tls) {
      stderr_log->Error(tls.error().message);
      return EX_CONFIG;
    }
    std::printf("pigeond: configuration OK (%s)\n",
                config->path.empty() ? "built-in local profile" : config->path.c_str());
    return 0;
  }

  Detacher detacher;
  if (!options.foreground) detacher.Fork();
  auto fail = [&](int status, std::string_view message) {
    stderr_log->Error(message);
    detacher.Report(status);
    return status;
  };
  umask(077);
  const bool store_defaulted = config->store_path == store::DefaultStorePath();
  sys::SystemClock clock;
  std::unique_ptr<sys::Logger> log = MakeLogger(*config);
  if (!options.foreground && config->smtpd.log == "stderr") log = sys::MakeSyslogLogger("pigeond");
  asio::io_context io(1);
  server::Server server(io, *runtime, clock, *log);
  if (Result<void> bound = server.Bind(); !bound) return fail(EX_OSERR, bound.error().message);
  if (Result<void> tls = server.LoadTls(); !tls) return fail(EX_CONFIG, tls.error().message);
  const FetchPlan fetch_plan = PlanFetches(*config, *log);
  Result<DroppedTo> dropped = DropPrivileges(config->smtpd.user);
  if (!dropped) return fail(EX_OSERR, dropped.error().message);
  AdoptHome(*dropped, *config, store_defaulted);
  // Opened only now: the store belongs to the user pigeond serves, never to root.
  auto writer = std::make_unique<server::DeliveryWriter>(config->store_path, clock, *log);
  if (Result<void> opened = writer->Start(); !opened) {
    return fail(EX_CANTCREAT, opened.error().message);
  }

  // The runtime in force, for the queue runner's threads (bounces to local senders).
  std::mutex runtime_mutex;
  std::shared_ptr<const server::Runtime> current_runtime = *runtime;
  Result<std::unique_ptr<delivery::QueueRunner>> runner = StartQueueRunner(
      *config,
      [&]() -> std::shared_ptr<const policy::RecipientPolicy> {
        std::lock_guard lock(runtime_mutex);
        return std::shared_ptr<const policy::RecipientPolicy>(current_runtime,
                                                              &current_runtime->policy);
      },
      clock, *log);
  if (!runner) return fail(EX_CONFIG, runner.error().message);
  writer->OnQueued([&runner] { (*runner)->Wake(); });

  auto reload = [&] {
    Result<config::Config> fresh = Load(options);
    Result<std::shared_ptr<const server::Runtime>> next =
        fresh ? server::MakeRuntime(*fresh, [&](std::string_view line) { log->Warning(line); })
              : tl::unexpected(fresh.error());
    if (next) {
      server.Reload(*next);
      {
        std::lock_guard lock(runtime_mutex);
        current_runtime = *next;
      }
      log->Info(
          "configuration and aliases reloaded (listen addresses, TLS files, the store path, "
          "[delivery] and the [[fetch]] schedule take effect at restart)");
    } else {
      log->Error(fmt::format("reload failed, keeping the running configuration: {}",
                             next.error().message));
    }
  };
  WakeupListener wakeups(io, config->store_path, [&](queue::Wakeup what) {
    if (what == queue::Wakeup::kReloadAliases) {
      reload();
    } else {
      (*runner)->Wake();
    }
  });
  if (Result<void> listening = wakeups.Start(); !listening) {
    log->Warning(listening.error().message +
                 " (sendmail cannot wake pigeond; the queue is "
                 "looked at every second anyway)");
  }
  SubmissionListenerSetup submission_setup;
  submission_setup.store_path = config->store_path;
  submission_setup.runtime = [&]() {
    std::lock_guard lock(runtime_mutex);
    return current_runtime;
  };
  submission_setup.writer = writer.get();
  submission_setup.wake_queue = [&runner] { (*runner)->Wake(); };
  SubmissionListener submissions(io, std::move(submission_setup), clock, *log);
  if (Result<void> listening = submissions.Start(); !listening) {
    log->Warning(listening.error().message +
                 " (sendmail writes the store itself, which is slower)");
  }
  std::unique_ptr<ChildSpawner> spawner = MakePosixChildSpawner(io);
  sys::SystemMonotonicClock monotonic_clock;
  FetchRunnerSetup fetch_setup;
  fetch_setup.program = fetch_plan.program;
  fetch_setup.config_path = fetch_plan.config_path;
  fetch_setup.store_path = config->store_path;
  fetch_setup.environment = ChildEnvironment(*dropped);
  fetch_setup.accounts = fetch_plan.accounts;
  FetchRunner fetches(io, std::move(fetch_setup), *spawner, monotonic_clock, *log);
  asio::signal_set signals(io, SIGTERM, SIGINT, SIGHUP);
  std::function<void(const asio::error_code&, int)> on_signal = [&](const asio::error_code& error,
                                                                    int number) {
    if (error) return;
    if (number == SIGHUP) {
      reload();
      signals.async_wait(on_signal);
      return;
    }
    log->Info("stopping: finishing what was accepted");
    server.Stop();
    wakeups.Stop();
    submissions.Stop();
    fetches.Stop();
  };
  signals.async_wait(on_signal);

  server.Start(*writer);
  for (const server::Server::Bound& bound : server.bound()) {
    log->Info(fmt::format("listening on [{}]:{}{}", bound.endpoint.address().to_string(),
                          bound.endpoint.port(), bound.submission ? " (submission)" : ""));
  }
  log->Info(fmt::format("serving as {} with the store {}", dropped->user, config->store_path));
  detacher.Ready();
  fetches.Start();
  io.run();
  (*runner)->Stop();
  writer->Stop();
  log->Info("stopped");
  return 0;
}

int RunHashPassword() {
  const bool terminal = isatty(STDIN_FILENO) == 1;
  struct termios saved = {};
  auto read_line = [&](const char* prompt) {
    if (terminal) {
      std::fprintf(stderr, "%s", prompt);
      tcgetattr(STDIN_FILENO, &saved);
      struct termios quiet = saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (terminal) {
      tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
      std::fprintf(stderr, "\n");
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  };
  const std::string password = read_line("Password: ");
  if (terminal && read_line("Again: ") != password) {
    std::fprintf(stderr, "pigeond: the passwords differ\n");
    return EX_DATAERR;
  }
  if (password.empty()) {
    std::fprintf(stderr, "pigeond: empty password\n");
    return EX_DATAERR;
  }
  Result<std::string> hash = auth::HashPassword(password);
  if (!hash) {
    std::fprintf(stderr, "pigeond: %s\n", hash.error().message.c_str());
    return EX_SOFTWARE;
  }
  std::printf("%s\n", hash->c_str());
  return 0;
}

}  // namespace pigeon::mta::daemon
