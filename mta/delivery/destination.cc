#include "mta/delivery/destination.h"

#include <fmt/format.h>

#include <map>
#include <optional>

namespace pigeon::mta::delivery {
namespace {

using client::Fate;

// A recipient still waiting for a host that takes it, with the latest reason it did not.
struct Pending {
  const JobMessage* message = nullptr;
  const JobRecipient* recipient = nullptr;
  std::string status = "4.4.1";
  std::string reply = "no host could be reached";
  std::string diagnostic, remote_mta;
};

RecipientResult Decide(const Pending& pending, Fate fate) {
  return RecipientResult{pending.recipient->id,
                         pending.recipient->address,
                         pending.message->queue_id,
                         fate,
                         pending.status,
                         pending.reply,
                         pending.diagnostic,
                         pending.remote_mta};
}

// "host mx.example.org[192.0.2.1] said: 550 5.1.1 …", as Postfix words it.
std::string Described(const client::ServerReply& reply, bool remote, const std::string& host) {
  if (remote) return fmt::format("host {} said: {}", host, reply.ToString());
  return fmt::format("{} ({})", reply.Text(), host);
}

class SessionRun {
 public:
  SessionRun(Transport& transport, const client::ClientOptions& options, std::string tls_name,
             std::vector<Pending>& pending, const ResultSink& sink)
      : transport_(transport),
        client_(options),
        host_(options.peer_name),
        tls_name_(std::move(tls_name)),
        pending_(pending),
        sink_(sink) {}

  // Runs the session to its end; returns the client's failure, if the connection failed.
  std::optional<client::SessionFailure> Run() {
    // The messages with recipients waiting, each with its recipients' places in pending_.
    std::map<const JobMessage*, std::vector<size_t>> by_message;
    std::vector<const JobMessage*> order;
    for (size_t i = 0; i < pending_.size(); ++i) {
      auto [it, inserted] = by_message.try_emplace(pending_[i].message);
      if (inserted) order.push_back(pending_[i].message);
      it->second.push_back(i);
    }
    size_t next = 0;
    const std::vector<size_t>* current = nullptr;
    std::string input;
    client_.Start();
    for (;;) {
      const std::string output = client_.TakeOutput();
      if (!output.empty() && !transport_.Write(output, client_.timeout())) {
        client_.OnConnectionLost();
      }
      if (std::optional<client::MessageOutcome> outcome = client_.TakeOutcome()) {
        if (current != nullptr) Apply(*outcome, *current);
        current = nullptr;
      }
      switch (client_.want()) {
        case client::SmtpClient::Want::kWrite:
          continue;
        case client::SmtpClient::Want::kRead: {
          input.clear();
          const ReadStatus status = transport_.Read(input, client_.timeout());
          if (status == ReadStatus::kData) {
            client_.Feed(input);
          } else if (status == ReadStatus::kTimeout) {
            client_.OnTimeout();
          } else {
            client_.OnConnectionLost();
          }
          continue;
        }
        case client::SmtpClient::Want::kStartTls: {
          const TlsOutcome tls = transport_.StartTls(tls_name_, client_.timeout());
          client_.TlsDone(tls.ok, tls.verified);
          continue;
        }
        case client::SmtpClient::Want::kMessage: {
          if (next == order.size()) {
            client_.Quit();
            continue;
          }
          const JobMessage* message = order[next++];
          current = &by_message[message];
          client::OutgoingMessage outgoing;
          outgoing.sender = message->sender;
          for (size_t index : *current)
            outgoing.recipients.push_back(pending_[index].recipient->address);
          outgoing.eight_bit = message->eight_bit;
          outgoing.smtputf8 = message->smtputf8;
          outgoing.body = *message->body;
          client_.SendMessage(outgoing);
          continue;
        }
        case client::SmtpClient::Want::kClose:
          break;
      }
      break;
    }
    return client_.failure();
  }

 private:
  void Apply(const client::MessageOutcome& outcome, const std::vector<size_t>& places) {
    std::vector<RecipientResult> decided;
    for (size_t i = 0; i < outcome.recipients.size() && i < places.size(); ++i) {
      const client::RecipientOutcome& got = outcome.recipients[i];
      Pending& waiting = pending_[places[i]];
      waiting.status = got.reply.EnhancedStatus();
      waiting.reply = Described(got.reply, got.remote, host_);
      waiting.diagnostic = got.remote ? got.reply.ToString() : "";
      waiting.remote_mta = got.remote ? got.host : "";
      if (got.fate == Fate::kDeferred && got.try_next_host) continue;  // the next host may
      decided.push_back(Decide(waiting, got.fate));
      waiting.recipient = nullptr;  // decided
    }
    if (!decided.empty()) sink_(std::move(decided));
  }

  Transport& transport_;
  client::SmtpClient client_;
  std::string host_;
  std::string tls_name_;
  std::vector<Pending>& pending_;
  const ResultSink& sink_;
};

// Drops the decided entries.
void Compact(std::vector<Pending>& pending) {
  std::erase_if(pending, [](const Pending& p) { return p.recipient == nullptr; });
}

}  // namespace

void DeliverDestination(const DestinationJob& job, const DestinationOptions& options,
                        dns::Resolver& resolver, Connector& connector,
                        const dns::RandomSource& random, const ResultSink& sink) {
  std::vector<RecipientResult> results;
  std::vector<Pending> pending;
  for (const JobMessage& message : job.messages) {
    for (const JobRecipient& recipient : message.recipients) {
      pending.push_back(Pending{&message, &recipient});
    }
  }
  const dns::DeliveryPlan plan =
      job.relay ? dns::PlanSmarthost(resolver, job.destination, options.plan)
                : dns::PlanDelivery(resolver, job.destination, options.plan, random);
  if (!plan) {
    for (Pending& waiting : pending) {
      waiting.status = plan.error().status;
      waiting.reply = plan.error().text;
      results.push_back(Decide(waiting, plan.error().permanent ? Fate::kBounced : Fate::kDeferred));
    }
    sink(std::move(results));
    return;
  }
  for (const dns::DeliveryTarget& target : *plan) {
    if (pending.empty()) break;
    client::ClientOptions client_options = options.client;
    const std::string tls_name = target.host.starts_with("[") ? target.address : target.host;
    client_options.peer_name = fmt::format("{}[{}]", target.host, target.address);
    // Opportunistic TLS that fails mid-handshake gets one more try in the clear.
    for (int round = 0; round < 2 && !pending.empty(); ++round) {
      ConnectRequest request{tls_name,
                             target.address,
                             target.port,
                             options.implicit_tls,
                             client_options.tls == client::TlsPolicy::kRequiredVerified,
                             options.connect_timeout};
      request.host = target.host;
      Result<std::unique_ptr<Transport>> transport = connector.Connect(request);
      if (!transport) {
        for (Pending& waiting : pending) {
          waiting.status = "4.4.1";
          waiting.reply = transport.error().message;
          waiting.diagnostic.clear();
          waiting.remote_mta.clear();
        }
        break;
      }
      SessionRun run(**transport, client_options, tls_name, pending, sink);
      const std::optional<client::SessionFailure> failure = run.Run();
      Compact(pending);
      if (!failure) break;
      // Recipients never handed over share the connection's fate.
      for (Pending& waiting : pending) {
        waiting.status = failure->reply.EnhancedStatus();
        waiting.reply = Described(failure->reply, failure->remote, client_options.peer_name);
        waiting.diagnostic = failure->remote ? failure->reply.ToString() : "";
        waiting.remote_mta = failure->remote ? client_options.peer_name : "";
      }
      if (!failure->try_next_host) {
        for (Pending& waiting : pending) results.push_back(Decide(waiting, Fate::kDeferred));
        pending.clear();
        break;
      }
      if (!failure->retry_without_tls) break;
      client_options.tls = client::TlsPolicy::kNone;
    }
  }
  for (Pending& waiting : pending) results.push_back(Decide(waiting, Fate::kDeferred));
  if (!results.empty()) sink(std::move(results));
}

}  // namespace pigeon::mta::delivery
