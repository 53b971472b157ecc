#include "mta/sendmail/stdio_smtp.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include <fmt/format.h>

#include "common/message/date.h"
#include "common/message/header.h"
#include "common/sys/clock.h"
#include "mta/queue/queue_id.h"
#include "mta/smtp/session.h"

namespace pigeon::mta::sendmail {
namespace {

class LocalHooks final : public smtp::SessionHooks {
 public:
  explicit LocalHooks(const policy::RecipientPolicy& policy) : policy_(policy) {}
  smtp::RecipientVerdict CheckRecipient(std::string_view address,
                                        const std::optional<std::string>&) override {
    auto route = policy_.Resolve(address, /*authenticated=*/true);
    if (route) return {true, ""};
    return {false, route.error().reply};
  }
  bool CheckPassword(std::string_view, std::string_view) override { return false; }
  std::string NewQueueId() override { return queue_ids_.NextNow(); }
  std::string Now() override {
    const int64_t now = clock_.NowUtcSeconds();
    return message::FormatRfc5322Date(now, clock_.LocalOffsetMinutes(now));
  }
  void Note(std::string_view) override {}

 private:
  const policy::RecipientPolicy& policy_;
  sys::SystemClock clock_;
  queue::QueueIdSource queue_ids_;
};

// The session's own Received field names a network peer; a local submission gets the
// submission path's "Received: by HOST (pigeon, from userid N)" instead.
std::string WithoutFirstField(std::string message) {
  const message::HeaderBodySplit split = message::SplitHeaderBody(message);
  const message::Header header = message::Header::Parse(split.header, nullptr);
  if (header.fields().size() < 2) return message;
  message.erase(0, static_cast<size_t>(header.fields()[1].name.data() - message.data()));
  return message;
}

bool WriteAll(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t wrote = write(STDOUT_FILENO, bytes.data(), bytes.size());
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(wrote));
  }
  return true;
}

// The submission's failure as the session's reply line.
std::string FailureReply(const Error& error) {
  switch (error.code) {
    case ErrorCode::kBusy:
      return "451 4.3.0 Store busy, try again later";
    case ErrorCode::kNoSpace:
      return "452 4.3.1 Insufficient system storage";
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kNotFound:
      return fmt::format("554 5.6.0 {}", error.message);
    default:
      return "451 4.3.0 Local error in processing";
  }
}

}  // namespace

int RunSmtpOnStdio(const config::Config& config, const policy::RecipientPolicy& policy,
                   submit::Submitter& submitter, const submit::Submission& base) {
  LocalHooks hooks(policy);
  smtp::SessionSettings settings;
  settings.hostname = config.smtpd.hostname.empty() ? "localhost" : config.smtpd.hostname;
  settings.max_message_size = config.smtpd.max_message_size;
  settings.max_recipients = config.smtpd.max_recipients;
  smtp::Session session(settings, smtp::PeerInfo{"127.0.0.1", 0, "localhost"}, hooks);
  session.Start();
  std::string input;
  char buffer[16384];
  bool end_of_input = false;
  for (;;) {
    if (!WriteAll(session.TakeOutput())) return 74;
    switch (session.want()) {
      case smtp::Session::Want::kClose:
        return 0;
      case smtp::Session::Want::kStartTls:  // never offered here
        session.TlsFailed();
        continue;
      case smtp::Session::Want::kDeliver: {
        smtp::Envelope& envelope = session.envelope();
        submit::Submission submission = base;
        submission.envelope_sender = envelope.sender;
        submission.recipients = envelope.recipients;
        submission.recipients_from_headers = false;
        submission.queue_id = envelope.queue_id;
        submit::MessageInput message{WithoutFirstField(session.TakeMessage()), envelope.eight_bit};
        Result<submit::SubmitOutcome> done = submitter.Submit(std::move(message), submission);
        session.Delivered(done ? std::nullopt : std::optional(FailureReply(done.error())));
        break;
      }
      case smtp::Session::Want::kInput: {
        const size_t used = session.Consume(input);
        input.erase(0, used);
        // Replies go out before waiting for more input: the client waits for them.
        if (used > 0 || session.want() != smtp::Session::Want::kInput) break;
        if (end_of_input) return 0;  // the caller went away without QUIT
        pollfd ready{STDIN_FILENO, POLLIN, 0};
        const auto timeout =
            session.in_data() ? config.smtpd.data_timeout : config.smtpd.command_timeout;
        const int polled = poll(&ready, 1, static_cast<int>(timeout.count() * 1000));
        if (polled == 0) {
          session.TimedOut();
          break;
        }
        if (polled < 0) break;  // a signal: look again
        const ssize_t got = read(STDIN_FILENO, buffer, sizeof(buffer));
        if (got < 0 && errno == EINTR) break;
        if (got <= 0) {
          end_of_input = true;
          break;
        }
        input.append(buffer, static_cast<size_t>(got));
        break;
      }
    }
  }
}

}  // namespace pigeon::mta::sendmail
