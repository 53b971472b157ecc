#include "mta/delivery/queue_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "common/message/date.h"
#include "common/sys/file.h"
#include "common/sys/secret_command.h"
#include "mta/queue/dsn.h"

namespace pigeon::mta::delivery {
namespace {

// A connection carries at most this many messages, then the next job opens a new one: long
// enough to save handshakes, short enough that one destination's backlog is shared among its
// connections.
constexpr size_t kMessagesPerConnection = 100;
// Recipients claimed per look at the queue, and in flight at most.
constexpr int kClaimPerRound = 500;
constexpr size_t kMaxClaimed = 5000;
constexpr auto kTick = std::chrono::seconds(1);

std::string DomainOf(std::string_view address) {
  const size_t at = address.rfind('@');
  std::string domain(at == std::string_view::npos ? std::string_view() : address.substr(at + 1));
  std::transform(domain.begin(), domain.end(), domain.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return domain;
}

client::TlsPolicy TlsPolicyOf(std::string_view mode, bool relay) {
  if (mode == "none") return client::TlsPolicy::kNone;
  if (mode == "required") return client::TlsPolicy::kRequired;
  if (mode == "verify") return client::TlsPolicy::kRequiredVerified;
  // A relay host gets our password: it must prove who it is.
  return relay ? client::TlsPolicy::kRequiredVerified : client::TlsPolicy::kOpportunistic;
}

queue::BackoffOptions BackoffOf(const config::DeliveryConfig& delivery) {
  queue::BackoffOptions options;
  options.first_retry_seconds = delivery.retry_first.count();
  options.max_retry_seconds = std::max(delivery.retry_max, delivery.retry_first).count();
  options.max_queue_lifetime_seconds = delivery.max_lifetime.count();
  options.delay_warning_seconds = delivery.delay_warning.count();
  if (!queue::CheckBackoffOptions(options)) options = queue::BackoffOptions{};
  return options;
}

// RFC 3461 NOTIFY: "" is the default (failures, and delays at our discretion).
bool Wants(std::string_view notify, std::string_view event) {
  if (notify.empty()) return event != "SUCCESS";
  return notify.find(event) != std::string_view::npos;
}

}  // namespace

QueueRunner::QueueRunner(QueueRunnerSetup setup, const sys::Clock& clock, sys::Logger& log)
    : setup_(std::move(setup)),
      clock_(clock),
      log_(log),
      backoff_(BackoffOf(setup_.config.delivery), [] {
        thread_local std::mt19937_64 random{std::random_device{}()};
        return random();
      }) {}

QueueRunner::~QueueRunner() { Stop(); }

Result<void> QueueRunner::Start() {
  const std::string& path = setup_.config.store_path;
  if (Result<void> made = sys::MakeDirectories(sys::DirectoryOf(path)); !made) return made;
  Result<std::unique_ptr<store::Store>> store = store::Store::Open(path, clock_);
  if (!store) return tl::unexpected(store.error());
  store_ = std::move(*store);
  store::OutgoingQueue queue(*store_);
  Result<int64_t> recovered = queue.RecoverInflight();
  if (!recovered) return tl::unexpected(recovered.error());
  if (*recovered > 0) {
    log_.Info(
        fmt::format("queue: {} recipients of an interrupted run are queued again", *recovered));
  }
  // Resolvers are made here so a broken DNS setting fails the start, not the first delivery.
  std::vector<std::unique_ptr<dns::Resolver>> resolvers;
  const size_t threads = std::max<size_t>(1, setup_.config.delivery.max_connections);
  for (size_t i = 0; i < threads; ++i) {
    Result<std::unique_ptr<dns::Resolver>> resolver = setup_.make_resolver();
    if (!resolver) return tl::unexpected(resolver.error());
    resolvers.push_back(std::move(*resolver));
  }
  if (!setup_.config.delivery.relay_password_command.empty()) {
    Result<std::string> password =
        sys::NamingSetting("relay_password_command",
                           sys::SecretFromCommand(setup_.config.delivery.relay_password_command));
    if (!password) return tl::unexpected(password.error());
    setup_.config.delivery.relay_password = std::move(*password);
  }
  for (size_t i = 0; i < threads; ++i) {
    workers_.emplace_back(
        [this, resolver = std::shared_ptr<dns::Resolver>(std::move(resolvers[i]))]() mutable {
          std::mt19937_64 random{std::random_device{}()};
          const dns::RandomSource source = [&random](uint64_t bound) {
            return std::uniform_int_distribution<uint64_t>(0, bound - 1)(random);
          };
          for (;;) {
            DestinationJob job;
            {
              std::unique_lock lock(mutex_);
              worker_wake_.wait(lock, [this] { return stopping_ || !ready_.empty(); });
              if (ready_.empty()) return;  // stopping
              job = std::move(ready_.front());
              ready_.pop_front();
            }
            DeliverDestination(job, OptionsFor(job.relay), *resolver, *setup_.connector, source,
                               [this, &job](std::vector<RecipientResult> results) {
                                 std::lock_guard lock(mutex_);
                                 finished_.push_back({job.destination, std::move(results)});
                                 manager_wake_.notify_one();
                               });
            std::lock_guard lock(mutex_);
            size_t& active = active_[job.destination];
            --active;
            auto waiting = waiting_.find(job.destination);
            if (waiting != waiting_.end() && !waiting->second.empty()) {
              ready_.push_back(std::move(waiting->second.front()));
              waiting->second.pop_front();
              ++active;
              worker_wake_.notify_one();
            }
            if (active == 0) active_.erase(job.destination);
          }
        });
  }
  manager_ = std::thread([this] { RunManager(); });
  return {};
}

void QueueRunner::Wake() {
  std::lock_guard lock(mutex_);
  woken_ = true;
  manager_wake_.notify_one();
}

void QueueRunner::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  // Sessions waiting on a slow server would hold the stop for up to the RFC timeouts.
  setup_.connector->Cancel();
  manager_wake_.notify_all();
  worker_wake_.notify_all();
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  {
    std::lock_guard lock(mutex_);
    workers_gone_ = true;
  }
  manager_wake_.notify_all();
  if (manager_.joinable()) manager_.join();
}

DestinationOptions QueueRunner::OptionsFor(bool relay) const {
  const config::DeliveryConfig& delivery = setup_.config.delivery;
  DestinationOptions options;
  options.client.helo_name =
      delivery.helo_name.empty() ? setup_.config.smtpd.hostname : delivery.helo_name;
  if (options.client.helo_name.empty()) options.client.helo_name = "localhost";
  options.client.tls = TlsPolicyOf(delivery.tls, relay);
  if (relay && !delivery.relay_user.empty()) {
    options.client.auth = client::Credentials{delivery.relay_user, delivery.relay_password};
  }
  options.plan.port = delivery.port;
  options.plan.prefer_ipv6 = delivery.prefer_ipv6;
  options.plan.local_names = {setup_.config.smtpd.hostname};
  options.implicit_tls = relay && delivery.relayhost.ends_with(":465");
  options.client.implicit_tls = options.implicit_tls;
  options.connect_timeout = delivery.connect_timeout;
  return options;
}

void QueueRunner::RunManager() {
  store::OutgoingQueue queue(*store_);
  bool look = true;
  bool stopping = false;
  for (;;) {
    std::vector<Finished> finished;
    bool workers_gone = false;
    {
      std::unique_lock lock(mutex_);
      if (!look) {
        manager_wake_.wait_for(lock, kTick, [this, stopping] {
          return (stopping_ && !stopping) || woken_ || !finished_.empty() || workers_gone_;
        });
      }
      look = woken_;
      woken_ = false;
      finished.swap(finished_);
      stopping = stopping_;
      workers_gone = workers_gone_;
    }
    if (!finished.empty()) RecordResults(*store_, queue, std::move(finished));
    if (workers_gone) {
      // Every worker has reported (finished_ was emptied above after they left): whatever
      // is still claimed was never attempted, and goes back to the queue as it was.
      std::vector<store::RecipientUpdate> back;
      for (const auto& [id, message] : claimed_) {
        back.push_back({id, store::RecipientState::kQueued, message.recipients.front().last_reply,
                        clock_.NowUtcSeconds()});
      }
      if (!back.empty()) {
        if (Result<std::vector<std::string>> done = queue.Record(back, clock_.NowUtcSeconds());
            !done) {
          log_.Warning("queue: could not put unsent recipients back: " + done.error().message +
                       " (they are queued again at the next start)");
        }
      }
      return;
    }
    if (stopping) {
      look = false;  // no new work; wait for the workers' last results
      continue;
    }
    const int64_t now = clock_.NowUtcSeconds();
    Result<std::optional<int64_t>> due = queue.NextDue();
    if (!due) {
      log_.Warning("queue: " + due.error().message);
      continue;
    }
    if (*due && **due <= now) {
      // Claim again at once while there is room and work: a flush of thousands of messages
      // should not wait for the tick between rounds.
      look = ClaimWork(queue, now);
    }
  }
}

bool QueueRunner::ClaimWork(store::OutgoingQueue& queue, int64_t now) {
  if (claimed_.size() >= kMaxClaimed) return false;
  Result<std::vector<store::QueuedMessage>> claimed = queue.ClaimDue(now, kClaimPerRound);
  if (!claimed) {
    log_.Warning("queue: " + claimed.error().message);
    return false;
  }
  if (claimed->empty()) return false;
  const config::DeliveryConfig& delivery = setup_.config.delivery;
  const bool relay = !delivery.relayhost.empty();
  std::map<std::string, std::vector<JobMessage>> by_destination;
  for (store::QueuedMessage& message : *claimed) {
    InFlightBody& in_flight = bodies_[message.queue_id];
    in_flight.recipients += message.recipients.size();
    std::shared_ptr<const std::string>& body = in_flight.bytes;
    if (!body) {
      Result<std::string> raw = queue.Body(message.body_id);
      if (!raw) {
        log_.Warning(fmt::format("{}: {}", message.queue_id, raw.error().message));
        raw = std::string();
      }
      body = std::make_shared<const std::string>(std::move(*raw));
    }
    std::map<std::string, JobMessage> parts;
    for (const store::QueuedRecipient& recipient : message.recipients) {
      const std::string destination = relay ? delivery.relayhost : DomainOf(recipient.address);
      JobMessage& part = parts[destination];
      if (part.recipients.empty()) {
        part = JobMessage{message.row,
                          message.queue_id,
                          message.sender,
                          message.eight_bit,
                          message.smtputf8,
                          body,
                          {}};
      }
      part.recipients.push_back(JobRecipient{recipient.id, recipient.address});
      store::QueuedMessage snapshot = message;
      snapshot.recipients = {recipient};
      claimed_[recipient.id] = std::move(snapshot);
    }
    for (auto& [destination, part] : parts) {
      by_destination[destination].push_back(std::move(part));
    }
  }
  std::lock_guard lock(mutex_);
  const size_t per_destination = std::max<size_t>(1, delivery.max_connections_per_domain);
  for (auto& [destination, messages] : by_destination) {
    for (size_t start = 0; start < messages.size(); start += kMessagesPerConnection) {
      DestinationJob job{destination, relay, {}};
      const size_t end = std::min(messages.size(), start + kMessagesPerConnection);
      std::move(messages.begin() + static_cast<ptrdiff_t>(start),
                messages.begin() + static_cast<ptrdiff_t>(end), std::back_inserter(job.messages));
      size_t& active = active_[destination];
      if (active < per_destination) {
        ++active;
        ready_.push_back(std::move(job));
      } else {
        waiting_[destination].push_back(std::move(job));
      }
    }
  }
  worker_wake_.notify_all();
  return claimed_.size() < kMaxClaimed;
}

void QueueRunner::RecordResults(store::Store& store, store::OutgoingQueue& queue,
                                std::vector<Finished> finished) {
  const int64_t now = clock_.NowUtcSeconds();
  bool stopping_now = false;
  {
    std::lock_guard lock(mutex_);
    stopping_now = stopping_;
  }
  std::vector<store::RecipientUpdate> updates;
  std::vector<RecipientResult> bounced, delayed;
  std::vector<int64_t> warned_rows;
  for (Finished& batch : finished) {
    for (RecipientResult& result : batch.results) {
      auto claimed = claimed_.find(result.recipient_id);
      if (claimed == claimed_.end()) continue;
      const store::QueuedMessage& message = claimed->second;
      const store::QueuedRecipient& recipient = message.recipients.front();
      std::string_view status_word = "sent";
      if (result.fate == client::Fate::kDelivered) {
        updates.push_back(
            {result.recipient_id, store::RecipientState::kDelivered, result.reply, 0});
      } else if (result.fate == client::Fate::kBounced) {
        status_word = "bounced";
        updates.push_back({result.recipient_id, store::RecipientState::kBounced, result.reply, 0});
        bounced.push_back(result);
      } else if (stopping_now) {
        // Cut off by the stop, not refused: due again as soon as pigeond runs.
        status_word = "interrupted";
        updates.push_back({result.recipient_id, store::RecipientState::kQueued, result.reply, now});
      } else {
        const queue::RetryDecision retry =
            backoff_.NextAttempt(message.arrived, recipient.attempts, now);
        if (retry.give_up) {
          status_word = "expired";
          result.reply += fmt::format(" (gave up after {} days in the queue)",
                                      (now - message.arrived + 43'200) / 86'400);
          if (result.status.starts_with("4")) result.status = "4.4.7";
          updates.push_back(
              {result.recipient_id, store::RecipientState::kBounced, result.reply, 0});
          bounced.push_back(result);
        } else {
          status_word = "deferred";
          updates.push_back({result.recipient_id, store::RecipientState::kDeferred, result.reply,
                             retry.next_attempt});
          if (backoff_.ShouldWarnDelay(message.arrived, now, message.delay_warned) &&
              std::find(warned_rows.begin(), warned_rows.end(), message.row) == warned_rows.end()) {
            warned_rows.push_back(message.row);
            delayed.push_back(result);
          }
        }
      }
      log_.Info(fmt::format("{}: to=<{}>, delay={}, tries={}, status={} ({})", message.queue_id,
                            result.address, now - message.arrived, recipient.attempts, status_word,
                            result.reply));
    }
  }
  std::vector<store::IncomingMessage> notices = Notices(store, bounced, delayed, now);
  for (int attempt = 0;; ++attempt) {
    Result<std::vector<std::string>> done = queue.Record(updates, now, notices);
    if (done) {
      for (const std::string& queue_id : *done) log_.Info(fmt::format("{}: removed", queue_id));
      break;
    }
    log_.Warning("queue: cannot record delivery outcomes: " + done.error().message);
    if (attempt == 2) break;  // they stay inflight and are queued again at the next start
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  for (int64_t row : warned_rows) {
    if (Result<void> marked = queue.MarkDelayWarned(row); !marked) {
      log_.Warning("queue: " + marked.error().message);
    }
  }
  for (const store::RecipientUpdate& update : updates) {
    auto claimed = claimed_.find(update.recipient_id);
    if (claimed == claimed_.end()) continue;
    auto body = bodies_.find(claimed->second.queue_id);
    if (body != bodies_.end() && --body->second.recipients == 0) bodies_.erase(body);
    claimed_.erase(claimed);
  }
}

std::vector<store::IncomingMessage> QueueRunner::Notices(
    store::Store& store, const std::vector<RecipientResult>& bounced,
    const std::vector<RecipientResult>& delayed, int64_t now) {
  notice_texts_.clear();
  std::vector<store::IncomingMessage> notices;
  // Reports by message: one bounce (or warning) per message, listing its recipients.
  std::map<std::string, std::vector<std::pair<const RecipientResult*, queue::DsnAction>>>
      by_message;
  for (const RecipientResult& result : bounced) {
    by_message[result.queue_id].push_back({&result, queue::DsnAction::kFailed});
  }
  for (const RecipientResult& result : delayed) {
    by_message[result.queue_id].push_back({&result, queue::DsnAction::kDelayed});
  }
  const std::shared_ptr<const policy::RecipientPolicy> policy = setup_.policy();
  const std::string& hostname = setup_.config.smtpd.hostname;
  for (const auto& [queue_id, reports] : by_message) {
    const store::QueuedMessage* message = nullptr;
    std::vector<queue::RecipientReport> recipients;
    for (const auto& [result, action] : reports) {
      auto claimed = claimed_.find(result->recipient_id);
      if (claimed == claimed_.end()) continue;
      message = &claimed->second;
      const store::QueuedRecipient& recipient = message->recipients.front();
      const std::string_view event = action == queue::DsnAction::kFailed ? "FAILURE" : "DELAY";
      if (!Wants(recipient.notify, event)) continue;
      queue::RecipientReport report;
      report.address = result->address;
      if (!recipient.original.empty()) report.original_recipient = recipient.original;
      report.action = action;
      report.status = result->status;
      if (!result->remote_mta.empty()) report.remote_mta = result->remote_mta;
      if (!result->diagnostic.empty()) {
        report.diagnostic = result->diagnostic;
      } else {
        report.diagnostic = result->reply;
        report.diagnostic_type = "X-Pigeon";
      }
      if (action == queue::DsnAction::kDelayed) {
        report.will_retry_until = backoff_.ExpiresAt(message->arrived);
      }
      recipients.push_back(std::move(report));
    }
    if (message == nullptr || recipients.empty()) continue;
    if (message->sender.empty()) {
      log_.Info(fmt::format("{}: no notification: the sender is the null sender", queue_id));
      continue;
    }
    const std::string notice_id = queue_ids_.NextNow();
    auto body = bodies_.find(queue_id);
    queue::DsnRequest request;
    request.reporting_host = hostname;
    request.envelope_sender = message->sender;
    request.queue_id = queue_id;
    if (!message->envid.empty()) request.envelope_id = message->envid;
    request.arrival = message->arrived;
    request.now = now;
    request.zone_offset_minutes = clock_.LocalOffsetMinutes(now);
    request.message_id = fmt::format("<{}.{}@{}>", now, notice_id, hostname);
    request.original = body != bodies_.end() ? std::string_view(*body->second.bytes) : "";
    request.recipients = std::move(recipients);
    request.return_content =
        message->dsn_ret == "FULL" ? queue::ReturnContent::kFull : queue::ReturnContent::kHeaders;
    Result<std::string> dsn = queue::BuildDsn(request);
    if (!dsn) {
      log_.Warning(fmt::format("{}: no notification: {}", queue_id, dsn.error().message));
      continue;
    }
    auto route = policy->Resolve(message->sender, /*authenticated=*/true);
    if (!route) {
      log_.Warning(fmt::format("{}: notification to <{}> dropped: {}", queue_id, message->sender,
                               route.error().reply));
      continue;
    }
    store::IncomingMessage notice;
    for (const policy::LocalDelivery& local : route->local) {
      Result<store::FolderInfo> folder =
          local.folder.empty() ? store.FolderByRole("inbox") : store.CreateFolder(local.folder);
      if (!folder) continue;
      notice.copies.push_back({folder->id, local.keywords, 0});
    }
    notice.remote_recipients = route->remote;
    notice_texts_.push_back(std::move(*dsn));
    notice.raw = notice_texts_.back();
    notice.queue_id = notice_id;
    notice.sender = "";
    notice.origin = "bounce";
    notice.arrived = now;
    log_.Info(fmt::format(
        "{}: sender {} notification: {}", queue_id,
        reports.front().second == queue::DsnAction::kFailed ? "non-delivery" : "delay", notice_id));
    notices.push_back(std::move(notice));
  }
  return notices;
}

}  // namespace pigeon::mta::delivery
