#include "mta/sendmail/sendmail.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/config/config.h"
#include "common/mailbox/byte_stream.h"
#include "common/store/outgoing_queue.h"
#include "common/store/store.h"
#include "common/sys/clock.h"
#include "common/sys/file.h"
#include "mta/policy/aliases.h"
#include "mta/queue/queue_id.h"
#include "mta/queue/queue_listing.h"
#include "mta/queue/wakeup.h"
#include "mta/sendmail/sendmail_options.h"
#include "mta/sendmail/stdio_smtp.h"
#include "mta/server/runtime.h"
#include "mta/submit/handoff.h"
#include "mta/submit/submitter.h"

namespace pigeon::mta::sendmail {
namespace {

std::string ProgramName(const char* argv0) {
  std::string_view name = argv0 != nullptr ? argv0 : "sendmail";
  const size_t slash = name.rfind('/');
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  return std::string(name);
}

int Fail(std::string_view program, ExitCode code, std::string_view message) {
  std::cerr << program << ": " << message << "\n";
  return static_cast<int>(code);
}

// The exit status that tells the caller what to do about a failed store operation.
ExitCode StatusFor(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kParse:
      return ExitCode::kDataErr;
    case ErrorCode::kNotFound:
      return ExitCode::kNoUser;
    case ErrorCode::kBusy:
    case ErrorCode::kNoSpace:
      return ExitCode::kTempFail;
    case ErrorCode::kIo:
      return ExitCode::kIoErr;
    default:
      return ExitCode::kSoftware;
  }
}

std::string NotifyText(const DsnNotify& notify) {
  std::vector<std::string_view> parts;
  if (notify.success) parts.push_back("SUCCESS");
  if (notify.delay) parts.push_back("DELAY");
  if (notify.failure) parts.push_back("FAILURE");
  return parts.empty() ? "NEVER" : fmt::format("{}", fmt::join(parts, ","));
}

class Program {
 public:
  Program(std::string name, SendmailOptions options)
      : name_(std::move(name)), options_(std::move(options)) {}

  int Run() {
    const std::string path = options_.config_path.value_or(config::DefaultConfigPath());
    Result<config::Config> loaded = config::LoadConfig(path, options_.config_path.has_value());
    if (!loaded) return Fail(ExitCode::kConfig, loaded.error().message);
    config_ = std::move(*loaded);
    switch (options_.mode) {
      case SendmailMode::kRebuildAliases:
        return RebuildAliases();
      case SendmailMode::kListQueue:
        return ListQueue();
      case SendmailMode::kRunQueue:
        return RunQueue();
      case SendmailMode::kVerify:
        return Verify();
      case SendmailMode::kSmtpOnStdio:
      case SendmailMode::kDeliver:
        return Deliver();
    }
    return static_cast<int>(ExitCode::kSoftware);
  }

 private:
  int Fail(ExitCode code, std::string_view message) const {
    return sendmail::Fail(name_, code, message);
  }

  Result<std::unique_ptr<store::Store>> OpenStore() {
    const std::string folder = sys::DirectoryOf(config_.store_path);
    if (Result<void> made = sys::MakeDirectories(folder); !made) {
      return tl::unexpected(made.error());
    }
    Result<std::unique_ptr<store::Store>> store = store::Store::Open(config_.store_path, clock_);
    // SQLite says only "unable to open database file": name the usual cause.
    if (!store && access(folder.c_str(), W_OK) != 0) {
      store.error().message += fmt::format(" ({}: {})", folder, std::strerror(errno));
    }
    return store;
  }

  // A store that cannot be opened or created needs the owner, not a retry: EX_CANTCREAT, as
  // pigeond exits; a busy or full one is EX_TEMPFAIL.
  int StoreFailure(const Error& error) const {
    const bool transient = error.code == ErrorCode::kBusy || error.code == ErrorCode::kNoSpace;
    return Fail(transient ? ExitCode::kTempFail : ExitCode::kCantCreat,
                fmt::format("cannot open the store: {}", error.message));
  }

  // Bad alias lines are newaliases' business (and pigeond's log's); a cron job's mail should
  // not print them every time, unless asked with -v.
  Result<std::shared_ptr<const server::Runtime>> MakePolicy() {
    return server::MakeRuntime(config_, [this](std::string_view warning) {
      if (options_.verbosity > 0) std::cerr << name_ << ": warning: " << warning << "\n";
    });
  }

  submit::Submission MakeSubmission() const {
    submit::Submission submission;
    submission.envelope_sender = options_.sender;
    submission.full_name = options_.full_name.value_or("");
    submission.recipients = options_.recipients;
    submission.recipients_from_headers = options_.recipients_from_headers;
    submission.origin = "sendmail";
    if (options_.notify) submission.notify = NotifyText(*options_.notify);
    if (options_.dsn_return) {
      submission.dsn_ret = *options_.dsn_return == DsnReturn::kFull ? "FULL" : "HDRS";
    }
    submission.envid = options_.envelope_id.value_or("");
    submission.submitted_by = fmt::format("userid {}", getuid());
    return submission;
  }

  int Deliver() {
    const submit::Submission submission = MakeSubmission();
    if (options_.mode == SendmailMode::kSmtpOnStdio) {
      return WithSubmitter([&](submit::Submitter& submitter, const server::Runtime& runtime) {
        return RunSmtpOnStdio(runtime.config, runtime.policy, submitter, submission);
      });
    }
    Result<std::unique_ptr<mailbox::FileSource>> input = mailbox::FileSource::Open("-");
    if (!input) return Fail(ExitCode::kIoErr, input.error().message);
    submit::InputOptions input_options;
    input_options.dot_ends_input = !options_.ignore_dots;
    input_options.max_size = config_.smtpd.max_message_size;
    Result<submit::MessageInput> message = submit::ReadMessage(**input, input_options);
    if (!message) {
      const bool too_large = message.error().code == ErrorCode::kInvalidArgument;
      return Fail(too_large ? ExitCode::kDataErr : ExitCode::kIoErr, message.error().message);
    }
    // A running pigeond writes it with its open store (see handoff.h); else this process does.
    if (std::optional<Result<submit::SubmitOutcome>> handed =
            submit::HandToPigeond(config_.store_path, submission, *message)) {
      return Submitted(*handed, " by pigeond");
    }
    return WithSubmitter([&](submit::Submitter& submitter, const server::Runtime&) {
      return Submitted(submitter.Submit(std::move(*message), submission), "");
    });
  }

  // Runs `use` with a Submitter on this process's own store connection.
  int WithSubmitter(const std::function<int(submit::Submitter&, const server::Runtime&)>& use) {
    Result<std::shared_ptr<const server::Runtime>> runtime = MakePolicy();
    if (!runtime) return Fail(ExitCode::kConfig, runtime.error().message);
    Result<std::unique_ptr<store::Store>> store = OpenStore();
    if (!store) return StoreFailure(store.error());
    queue::QueueIdSource queue_ids;
    const std::string store_path = config_.store_path;
    submit::Submitter submitter((*runtime)->config, (*runtime)->policy, **store, clock_, queue_ids,
                                [store_path] { queue::SendWakeup(store_path); });
    return use(submitter, **runtime);
  }

  int Submitted(const Result<submit::SubmitOutcome>& done, std::string_view how) const {
    if (!done) return Fail(StatusFor(done.error()), done.error().message);
    if (options_.verbosity > 0) {
      std::cerr << name_ << ": queued as " << done->queue_id << how << " (" << done->local_copies
                << " local, " << done->queued.size() << " remote)\n";
    }
    return 0;
  }

  int ListQueue() {
    Result<std::unique_ptr<store::Store>> store = OpenStore();
    if (!store) return StoreFailure(store.error());
    store::OutgoingQueue queue(**store);
    Result<std::vector<store::QueuedMessage>> messages = queue.List();
    if (!messages) return Fail(StatusFor(messages.error()), messages.error().message);
    const int64_t now = clock_.NowUtcSeconds();
    std::cout << queue::FormatQueueListing(*messages, clock_.LocalOffsetMinutes(now));
    return 0;
  }

  int RunQueue() {
    Result<std::unique_ptr<store::Store>> store = OpenStore();
    if (!store) return StoreFailure(store.error());
    // Asked before the queue is touched: without pigeond nothing goes out now, and the
    // retry schedule stays as it was.
    if (!queue::SendWakeup(config_.store_path)) {
      return Fail(ExitCode::kUnavailable,
                  "cannot flush the mail queue: pigeond is not running (the queue goes out "
                  "when it starts)");
    }
    store::OutgoingQueue queue(**store);
    Result<int64_t> requeued =
        queue.Requeue(options_.flush_queue_id.value_or(""), clock_.NowUtcSeconds());
    if (!requeued) return Fail(StatusFor(requeued.error()), requeued.error().message);
    queue::SendWakeup(config_.store_path);
    return 0;
  }

  int Verify() {
    Result<std::shared_ptr<const server::Runtime>> runtime = MakePolicy();
    if (!runtime) return Fail(ExitCode::kConfig, runtime.error().message);
    if (options_.recipients.empty()) return Fail(ExitCode::kUsage, "no recipients to verify");
    int status = 0;
    for (const std::string& recipient : options_.recipients) {
      // A bare name is at the owner's domain, as when the message is sent.
      std::string address = recipient;
      if (address.find('@') == std::string::npos) {
        const size_t at = config_.owner.rfind('@');
        address += at == std::string::npos ? "@localhost" : config_.owner.substr(at);
      }
      auto route = (*runtime)->policy.Resolve(address, true);
      if (!route) {
        std::cout << recipient << ": undeliverable: " << route.error().reply << "\n";
        status = static_cast<int>(ExitCode::kNoUser);
      } else if (!route->local.empty()) {
        std::cout << recipient << ": deliverable: delivered to the store\n";
      } else {
        std::cout << recipient << ": deliverable: queued for delivery over SMTP\n";
      }
    }
    return status;
  }

  int RebuildAliases() {
    const std::string path = options_.alias_file.value_or(config_.smtpd.aliases_file);
    if (path.empty()) {
      return Fail(ExitCode::kConfig,
                  "no aliases file: set aliases_file in [smtpd] of " +
                      (config_.path.empty() ? config::DefaultConfigPath() : config_.path));
    }
    Result<policy::Aliases> aliases = policy::LoadAliases(path);
    if (!aliases) return Fail(ExitCode::kNoInput, aliases.error().message);
    for (const policy::AliasProblem& problem : aliases->problems) {
      std::cerr << name_ << ": " << path << ":" << problem.line << ": " << problem.message << "\n";
    }
    std::cerr << name_ << ": " << path << ": " << aliases->entries.size() << " aliases"
              << (aliases->problems.empty()
                      ? ""
                      : fmt::format(", {} bad lines skipped", aliases->problems.size()))
              << "\n";
    // A running pigeond rereads the file when told.
    queue::SendWakeup(config_.store_path, queue::Wakeup::kReloadAliases);
    return aliases->problems.empty() ? 0 : static_cast<int>(ExitCode::kDataErr);
  }

  std::string name_;
  SendmailOptions options_;
  config::Config config_;
  sys::SystemClock clock_;
};

}  // namespace

int RunSendmail(int argc, char** argv) {
  const std::string name = ProgramName(argc > 0 ? argv[0] : nullptr);
  std::vector<std::string_view> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  Result<SendmailOptions> options = ParseSendmailArgs(args, name);
  if (!options) {
    std::cerr << name << ": " << options.error().message << "\n";
    if (options.error().code != ErrorCode::kUnsupported) std::cerr << Usage(name);
    return static_cast<int>(ExitCode::kUsage);
  }
  return Program(name, std::move(*options)).Run();
}

}  // namespace pigeon::mta::sendmail
