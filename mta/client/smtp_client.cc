// See smtp_client.h. This file holds the connection: greeting, EHLO/HELO, STARTTLS, AUTH,
// failures and QUIT; smtp_client_transaction.cc holds the messages. Choices where the RFCs
// leave room follow Postfix: a refused STARTTLS under the opportunistic policy goes on in the
// clear, QUIT's reply is waited for briefly.
#include "mta/client/smtp_client.h"

#include <fmt/format.h>

#include <utility>

#include "common/message/codec.h"

namespace pigeon::mta::client {
namespace {

bool RequiresTls(TlsPolicy policy) {
  return policy == TlsPolicy::kRequired || policy == TlsPolicy::kRequiredVerified;
}

std::string Base64(std::string_view bytes) { return message::EncodeBase64(bytes, 0); }

}  // namespace

SmtpClient::SmtpClient(ClientOptions options)
    : options_(std::move(options)), tls_active_(options_.implicit_tls) {}

void SmtpClient::Start() {
  if (state_ == State::kIdle) EnterState(State::kGreeting);
}

void SmtpClient::EnterState(State state) { state_ = state; }

void SmtpClient::Send(std::string_view line) {
  output_.append(line);
  output_.append("\r\n");
}

SmtpClient::Want SmtpClient::want() const {
  switch (state_) {
    case State::kTlsHandshake:
      return Want::kStartTls;
    case State::kReady:
      return Want::kMessage;
    case State::kBody:
      return Want::kWrite;
    case State::kClosed:
      return Want::kClose;
    default:
      return Want::kRead;
  }
}

std::chrono::seconds SmtpClient::timeout() const {
  switch (state_) {
    case State::kGreeting:
      return kGreetingTimeout;
    case State::kTransaction:
      if (transaction_ && !transaction_->pending.empty()) {
        switch (transaction_->pending.front()) {
          case Pending::kMail:
            return kMailTimeout;
          case Pending::kRcpt:
            return kRcptTimeout;
          case Pending::kData:
            return kDataInitiationTimeout;
        }
      }
      return kCommandTimeout;
    case State::kBody:
      return kDataBlockTimeout;
    case State::kDataEnd:
    case State::kDotAfterRefusal:
      return kDataTerminationTimeout;
    case State::kQuit:
      return kQuitTimeout;
    default:
      return kCommandTimeout;
  }
}

std::string_view SmtpClient::state_name() const {
  switch (state_) {
    case State::kIdle:
      return "idle";
    case State::kGreeting:
      return "greeting";
    case State::kEhlo:
      return "EHLO";
    case State::kHelo:
      return "HELO";
    case State::kStartTls:
      return "STARTTLS";
    case State::kTlsHandshake:
      return "TLS handshake";
    case State::kAuthPlain:
    case State::kAuthLoginUser:
    case State::kAuthLoginPassword:
    case State::kAuthLoginDone:
      return "AUTH";
    case State::kReady:
      return "ready";
    case State::kTransaction:
      return "MAIL/RCPT/DATA";
    case State::kBody:
      return "sending message";
    case State::kDataEnd:
      return "end of data";
    case State::kDotAfterRefusal:
    case State::kRset:
      return "RSET";
    case State::kQuit:
      return "QUIT";
    case State::kClosed:
      return "closed";
  }
  return "?";
}

// ---- Input ----

void SmtpClient::Feed(std::string_view bytes) {
  // In the handshake nothing in the clear may be read: it could be a man in the middle's.
  if (state_ == State::kIdle || state_ == State::kClosed || state_ == State::kTlsHandshake) {
    return;
  }
  reader_.Feed(bytes);
  ProcessReplies();
}

bool SmtpClient::AwaitingReply() const {
  switch (state_) {
    case State::kIdle:
    case State::kTlsHandshake:
    case State::kReady:
    case State::kBody:
    case State::kClosed:
      return false;
    case State::kTransaction:
      return transaction_ && !transaction_->pending.empty();
    default:
      return true;
  }
}

void SmtpClient::ProcessReplies() {
  while (state_ != State::kClosed && state_ != State::kTlsHandshake) {
    Result<std::optional<ServerReply>> next = reader_.Next();
    if (!next) {
      if (state_ == State::kQuit) {
        EnterState(State::kClosed);  // we were leaving anyway
      } else {
        ProtocolError(next.error().message);
      }
      return;
    }
    if (!next->has_value()) return;
    if (AwaitingReply()) {
      HandleReply(**next);
    } else {
      OnUnsolicited(**next);
    }
  }
}

void SmtpClient::HandleReply(const ServerReply& reply) {
  // RFC 5321 §3.8: 421 may come at any time and means the server is closing.
  if (reply.code == 421 && state_ != State::kQuit && state_ != State::kGreeting) {
    Fail({.kind = SessionFailure::Kind::kServiceClosing,
          .reply = reply,
          .remote = true,
          .try_next_host = true},
         false);
    return;
  }
  switch (state_) {
    case State::kGreeting:
      return OnGreeting(reply);
    case State::kEhlo:
      return OnEhlo(reply);
    case State::kHelo:
      return OnHelo(reply);
    case State::kStartTls:
      return OnStartTls(reply);
    case State::kAuthPlain:
    case State::kAuthLoginUser:
    case State::kAuthLoginPassword:
    case State::kAuthLoginDone:
      return OnAuth(reply);
    case State::kTransaction:
      return OnTransactionReply(reply);
    case State::kDataEnd:
      return OnDataEnd(reply);
    case State::kDotAfterRefusal:
      return FinishTransaction(true);
    case State::kRset:
      if (reply.Class() == 2) return EnterState(State::kReady);
      // The server will not reset: start no other transaction on this connection.
      return Fail({.kind = SessionFailure::Kind::kProtocolError, .reply = reply, .remote = true},
                  true);
    case State::kQuit:
      return EnterState(State::kClosed);
    default:
      return OnUnsolicited(reply);
  }
}

void SmtpClient::OnUnsolicited(const ServerReply& reply) {
  if (reply.code == 421) {
    Fail({.kind = SessionFailure::Kind::kServiceClosing,
          .reply = reply,
          .remote = true,
          .try_next_host = true},
         false);
    return;
  }
  ProtocolError(fmt::format("unexpected reply {}", reply.ToString().substr(0, 60)));
}

// ---- Greeting and hello ----

void SmtpClient::OnGreeting(const ServerReply& reply) {
  if (reply.code == 220) return SendEhlo();
  if (reply.Class() == 4 || reply.Class() == 5) {
    // RFC 5321 §3.1: after a 554 greeting the client should still say QUIT; 421 has closed.
    Fail({.kind = SessionFailure::Kind::kGreeting,
          .reply = reply,
          .remote = true,
          .try_next_host = true},
         reply.code != 421);
    return;
  }
  ProtocolError(fmt::format("greeting {}", reply.code));
}

void SmtpClient::SendEhlo() {
  Send("EHLO " + options_.helo_name);
  EnterState(State::kEhlo);
}

void SmtpClient::OnEhlo(const ServerReply& reply) {
  if (reply.Class() == 2) {
    caps_ = ParseEhloReply(reply);
    esmtp_ = true;
    return AfterHello();
  }
  if (reply.Class() == 5) {  // an old server: RFC 5321 §3.2 falls back to HELO
    Send("HELO " + options_.helo_name);
    return EnterState(State::kHelo);
  }
  if (reply.Class() == 4) {
    Fail({.kind = SessionFailure::Kind::kHello,
          .reply = reply,
          .remote = true,
          .try_next_host = true},
         true);
    return;
  }
  ProtocolError(fmt::format("reply {} to EHLO", reply.code));
}

void SmtpClient::OnHelo(const ServerReply& reply) {
  if (reply.Class() == 2) {
    caps_ = Capabilities();
    esmtp_ = false;
    return AfterHello();
  }
  if (reply.Class() == 4 || reply.Class() == 5) {
    Fail({.kind = SessionFailure::Kind::kHello,
          .reply = reply,
          .remote = true,
          .try_next_host = true},
         true);
    return;
  }
  ProtocolError(fmt::format("reply {} to HELO", reply.code));
}

void SmtpClient::AfterHello() {
  if (!tls_active_ && !tls_tried_ && options_.tls != TlsPolicy::kNone) {
    if (caps_.starttls) {
      tls_tried_ = true;
      Send("STARTTLS");
      return EnterState(State::kStartTls);
    }
    if (RequiresTls(options_.tls)) {
      Fail({.kind = SessionFailure::Kind::kTlsRequired,
            .reply = LocalReply(
                451, "4.7.4",
                fmt::format("TLS is required, but was not offered by host {}", options_.peer_name)),
            .try_next_host = true},
           true);
      return;
    }
  }
  if (options_.auth && !authenticated_) return StartAuth();
  EnterState(State::kReady);
}

// ---- STARTTLS ----

void SmtpClient::OnStartTls(const ServerReply& reply) {
  if (reply.code == 220) {
    // RFC 3207 §4.2 and CVE-2011-0411: whatever followed the 220 in the clear is dropped.
    reader_.Clear();
    return EnterState(State::kTlsHandshake);
  }
  if (reply.Class() != 4 && reply.Class() != 5) {
    return ProtocolError(fmt::format("reply {} to STARTTLS", reply.code));
  }
  if (RequiresTls(options_.tls)) {
    Fail({.kind = SessionFailure::Kind::kTlsRequired,
          .reply = reply,
          .remote = true,
          .try_next_host = true},
         true);
    return;
  }
  AfterHello();  // opportunistic: on in the clear
}

void SmtpClient::TlsDone(bool ok, bool verified) {
  if (state_ != State::kTlsHandshake) return;
  reader_.Clear();
  if (!ok) {
    // Opportunistic TLS should not stop mail: the driver retries this host in the clear.
    const bool required = RequiresTls(options_.tls);
    Fail({.kind = SessionFailure::Kind::kTlsFailed,
          .reply = LocalReply(451, "4.7.5",
                              fmt::format("TLS handshake with {} failed", options_.peer_name)),
          .try_next_host = required,
          .retry_without_tls = !required},
         false);
    return;
  }
  tls_active_ = true;
  if (options_.tls == TlsPolicy::kRequiredVerified && !verified) {
    Fail({.kind = SessionFailure::Kind::kTlsFailed,
          .reply =
              LocalReply(451, "4.7.5",
                         fmt::format("Server certificate of {} not verified", options_.peer_name)),
          .try_next_host = true},
         true);
    return;
  }
  // RFC 3207 §4.2: what the server said before TLS is forgotten; ask again.
  caps_ = Capabilities();
  SendEhlo();
}

// ---- AUTH ----

void SmtpClient::StartAuth() {
  const auto fail = [this](std::string text) {
    Fail({.kind = SessionFailure::Kind::kAuth, .reply = LocalReply(451, "4.7.0", std::move(text))},
         true);
  };
  if (!tls_active_ && !options_.allow_auth_without_tls) {
    return fail(fmt::format("Not sending credentials to {} without TLS", options_.peer_name));
  }
  const Credentials& credentials = *options_.auth;
  if (caps_.OffersAuth("PLAIN")) {
    // RFC 4616: authzid NUL authcid NUL passwd, as the initial response (RFC 4954 §4).
    std::string message;
    message.push_back('\0');
    message += credentials.user;
    message.push_back('\0');
    message += credentials.password;
    Send("AUTH PLAIN " + Base64(message));
    return EnterState(State::kAuthPlain);
  }
  if (caps_.OffersAuth("LOGIN")) {
    Send("AUTH LOGIN");
    return EnterState(State::kAuthLoginUser);
  }
  fail(caps_.auth.empty()
           ? fmt::format("Host {} offers no AUTH", options_.peer_name)
           : fmt::format("Host {} offers no AUTH mechanism we support", options_.peer_name));
}

void SmtpClient::OnAuth(const ServerReply& reply) {
  if (reply.Class() == 4 || reply.Class() == 5) {
    // 535 (bad credentials) will not heal by itself, but the mail is not at fault: defer.
    Fail({.kind = SessionFailure::Kind::kAuth, .reply = reply, .remote = true}, true);
    return;
  }
  const bool login_challenge =
      reply.code == 334 && (state_ == State::kAuthLoginUser || state_ == State::kAuthLoginPassword);
  if (login_challenge) {
    const Credentials& credentials = *options_.auth;
    const bool user = state_ == State::kAuthLoginUser;
    Send(Base64(user ? credentials.user : credentials.password));
    return EnterState(user ? State::kAuthLoginPassword : State::kAuthLoginDone);
  }
  if (reply.code == 235 && (state_ == State::kAuthPlain || state_ == State::kAuthLoginDone)) {
    authenticated_ = true;
    return EnterState(State::kReady);
  }
  ProtocolError(fmt::format("reply {} in AUTH", reply.code));
}

// ---- The end ----

void SmtpClient::Quit() {
  if (state_ != State::kReady) return;
  Send("QUIT");
  EnterState(State::kQuit);
}

void SmtpClient::OnConnectionLost() {
  if (state_ == State::kClosed) return;
  if (state_ == State::kQuit) return EnterState(State::kClosed);
  Fail({.kind = SessionFailure::Kind::kConnectionLost,
        .reply = LocalReply(
            451, "4.4.2",
            fmt::format("lost connection with {} in {}", options_.peer_name, state_name())),
        .try_next_host = true},
       false);
}

void SmtpClient::OnTimeout() {
  if (state_ == State::kClosed) return;
  if (state_ == State::kQuit) return EnterState(State::kClosed);
  Fail({.kind = SessionFailure::Kind::kTimeout,
        .reply = LocalReply(
            451, "4.4.2",
            fmt::format("conversation with {} timed out in {}", options_.peer_name, state_name())),
        .try_next_host = true},
       false);
}

void SmtpClient::ProtocolError(std::string_view why) {
  Fail({.kind = SessionFailure::Kind::kProtocolError,
        .reply = LocalReply(
            451, "4.5.0",
            fmt::format("protocol error with {} in {}: {}", options_.peer_name, state_name(), why)),
        .try_next_host = true},
       false);
}

void SmtpClient::Fail(SessionFailure failure, bool send_quit) {
  if (transaction_) {
    for (size_t i = 0; i < transaction_->decided.size(); ++i) {
      Decide(i, Fate::kDeferred, failure.reply, failure.remote, failure.try_next_host);
    }
    MakeOutcome();
  }
  if (!failure_) failure_ = std::move(failure);
  if (send_quit) {
    Send("QUIT");
    return EnterState(State::kQuit);
  }
  EnterState(State::kClosed);
}

}  // namespace pigeon::mta::client
