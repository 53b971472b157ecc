// Delivering the queued messages for one destination (a recipient domain, or the relay
// host): plan the hosts (MX per RFC 5321 §5.1, or the relay), connect to each in turn, carry
// every message over one connection, and move the recipients the host could not take as a
// whole (connection lost, 421, TLS trouble) to the next host. Blocking; runs on a delivery
// thread with its own Resolver.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mta/client/smtp_client.h"
#include "mta/delivery/transport.h"
#include "mta/dns/mx_plan.h"
#include "mta/dns/resolver.h"

namespace pigeon::mta::delivery {

struct JobRecipient {
  int64_t id = 0;  // queue_recipients row
  std::string address;
};

struct JobMessage {
  int64_t message_row = 0;
  std::string queue_id;
  std::string sender;
  bool eight_bit = false;
  bool smtputf8 = false;
  std::shared_ptr<const std::string> body;
  std::vector<JobRecipient> recipients;
};

struct DestinationJob {
  std::string destination;  // the recipients' domain, or the relay host spec
  bool relay = false;
  std::vector<JobMessage> messages;
};

struct RecipientResult {
  int64_t recipient_id = 0;
  std::string address;
  std::string queue_id;
  client::Fate fate = client::Fate::kDeferred;
  std::string status;      // RFC 3463, "4.4.1"
  std::string reply;       // for mailq and the DSN: "host mx.x[192.0.2.1] said: 550 5.1.1 …"
  std::string diagnostic;  // the server's reply alone ("550 5.1.1 …"), "" for local reasons
  std::string remote_mta;  // the host that replied, "" when none did
};

struct DestinationOptions {
  client::ClientOptions client;  // helo name, TLS policy, credentials
  dns::PlanOptions plan;         // port, IPv6 preference, our own names
  bool implicit_tls = false;     // relay on port 465
  std::chrono::seconds connect_timeout{30};
};

// Receives results as soon as they are known: a message's recipients when its transaction
// ends, so a crash later in the connection does not send it again.
using ResultSink = std::function<void(std::vector<RecipientResult>)>;

// One result per recipient of `job`, each given to `sink` exactly once.
void DeliverDestination(const DestinationJob& job, const DestinationOptions& options,
                        dns::Resolver& resolver, Connector& connector,
                        const dns::RandomSource& random, const ResultSink& sink);

}  // namespace pigeon::mta::delivery
