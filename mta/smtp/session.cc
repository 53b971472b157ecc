// See session.h. Reply codes per command follow RFC 5321 §4.3.2, texts and the finer choices
// follow Postfix where the RFC leaves room.
#include "mta/smtp/session.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "mta/smtp/received.h"

namespace pigeon::mta::smtp {
namespace {

// RFC 5321 §4.5.3.1.4: a command line is at most 512 octets with its CRLF.
constexpr size_t kMaxCommandLine = 512;
// RFC 4954 §4: AUTH lines and SASL responses may be up to 12,288 octets.
constexpr size_t kMaxAuthLine = 12288;
// How much of a peer-supplied string goes into a Note.
constexpr size_t kMaxNoted = 100;

const Reply kOk{250, "2.0.0", "Ok"};
const Reply kBadSequence{503, "5.5.1", "Bad sequence of commands"};

// For the log: printable ASCII only, bounded.
std::string Printable(std::string_view text) {
  std::string out(text.substr(0, kMaxNoted));
  for (char& c : out) {
    if (c < 0x20 || c > 0x7e) c = '?';
  }
  return out;
}

// An EHLO/HELO argument is kept for the envelope and the log: no control bytes in it.
bool IsAcceptableHelo(std::string_view argument) {
  return std::none_of(argument.begin(), argument.end(),
                      [](char c) { return (c >= 0 && c < 0x20) || c == 0x7f; });
}

}  // namespace

Session::Session(SessionSettings settings, PeerInfo peer, SessionHooks& hooks)
    : settings_(std::move(settings)), peer_(std::move(peer)), hooks_(hooks) {}

void Session::Start(std::optional<std::string> refuse) {
  if (started_) return;
  started_ = true;
  if (!refuse) {
    Send({220, "", settings_.hostname + " ESMTP pigeond"});
    return;
  }
  Emit(CleanFailureReply(*refuse).value_or(
      FormatReply({554, "", settings_.hostname + " Service not available"})));
  want_ = Want::kClose;
}

size_t Session::Consume(std::string_view input) {
  if (!started_ || want_ != Want::kInput) return 0;
  try {
    return ConsumeInput(input);
  } catch (...) {  // a hook or an allocation failed: nothing may escape to the transport
    Close({421, "4.3.0", settings_.hostname + " Error: internal error"});
    return input.size();
  }
}

std::string Session::TakeOutput() { return std::exchange(output_, std::string()); }

Envelope& Session::envelope() { return envelope_; }

std::string Session::TakeMessage() { return std::exchange(message_, std::string()); }

void Session::Delivered(std::optional<std::string> failure_reply) {
  if (want_ != Want::kDeliver) return;
  want_ = Want::kInput;
  message_.clear();
  if (failure_reply) {
    SendHookReply(*failure_reply, {451, "4.3.0", "Error: queue file write error"});
    return;
  }
  ++messages_accepted_;
  Send({250, "2.0.0", "Ok: queued as " + SanitizeTraceName(envelope_.queue_id)});
}

void Session::TlsStarted(TlsInfo tls) {
  if (want_ != Want::kStartTls) return;
  // RFC 3207 §4.2: forget everything the client said before the handshake.
  tls_ = std::move(tls);
  helo_.reset();
  esmtp_ = false;
  authenticated_user_.reset();
  sasl_.reset();
  transaction_.reset();
  phase_ = Phase::kCommand;
  want_ = Want::kInput;
}

void Session::TlsFailed() {
  if (want_ == Want::kClose) return;
  hooks_.Note("TLS handshake failed");
  want_ = Want::kClose;  // the channel is in an unknown state: nothing more is sent
}

void Session::TimedOut() {
  if (want_ == Want::kClose) return;
  hooks_.Note(in_data() ? "timeout in DATA" : "timeout waiting for a command");
  if (want_ == Want::kStartTls) {
    want_ = Want::kClose;
    return;
  }
  Close({421, "4.4.2", settings_.hostname + " Error: timeout exceeded"});
}

void Session::ShuttingDown() {
  if (want_ == Want::kClose) return;
  if (want_ == Want::kStartTls) {
    want_ = Want::kClose;
    return;
  }
  Close({421, "4.3.2", settings_.hostname + " Service shutting down"});
}

bool Session::in_data() const { return phase_ == Phase::kData; }

// ---- Input ----

size_t Session::ConsumeInput(std::string_view input) {
  size_t used = 0;
  while (want_ == Want::kInput && used < input.size()) {
    const std::string_view rest = input.substr(used);
    size_t n = 0;
    if (skipping_long_line_) {
      n = SkipLongLine(rest);
    } else if (phase_ == Phase::kData) {
      n = ConsumeData(rest);
    } else {
      n = ConsumeCommandLine(rest);
    }
    if (n == 0) break;  // a partial line: wait for more
    used += n;
  }
  return used;
}

size_t Session::ConsumeCommandLine(std::string_view input) {
  const size_t lf = input.find('\n');
  if (lf == std::string_view::npos) {
    if (input.size() < kMaxAuthLine) return 0;
    LineTooLong();  // answer now: the transport must not buffer it whole
    skipping_long_line_ = true;
    return input.size();
  }
  std::string_view line = input.substr(0, lf);  // a bare LF ends a command line too
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const bool auth_line = phase_ == Phase::kAuth || SplitCommand(line).verb == Verb::kAuth;
  if (line.size() + 2 > (auth_line ? kMaxAuthLine : kMaxCommandLine)) {
    LineTooLong();
  } else if (phase_ == Phase::kAuth) {
    OnAuthResponse(line);
  } else {
    HandleCommand(line);
  }
  return lf + 1;
}

size_t Session::SkipLongLine(std::string_view input) {
  const size_t lf = input.find('\n');
  if (lf == std::string_view::npos) return input.size();
  skipping_long_line_ = false;
  return lf + 1;
}

void Session::LineTooLong() {
  hooks_.Note("command line too long");
  if (phase_ == Phase::kAuth) {  // a response that long is no answer: the exchange ends
    sasl_.reset();
    phase_ = Phase::kCommand;
  }
  Refuse({500, "5.5.2", "Line too long"});
}

size_t Session::ConsumeData(std::string_view input) {
  const size_t used = data_->Consume(input);
  if (data_->done()) FinishData();
  return used;
}

// ---- Commands ----

void Session::HandleCommand(std::string_view line) {
  const CommandLine command = SplitCommand(line);
  switch (command.verb) {
    case Verb::kEhlo:
    case Verb::kHelo:
      return OnHello(command);
    case Verb::kMail:
      return OnMail(command.argument);
    case Verb::kRcpt:
      return OnRcpt(command.argument);
    case Verb::kData:
      return OnData(command.argument);
    case Verb::kRset:
      return OnRset(command.argument);
    case Verb::kNoop:
      return Send(kOk);  // RFC 5321 §4.1.1.9: any argument is ignored
    case Verb::kQuit:
      return OnQuit(command.argument);
    case Verb::kVrfy:
      return OnVrfy(command.argument);
    case Verb::kExpn:
      return Refuse({502, "5.5.1", "EXPN not supported"});
    case Verb::kHelp:
      return Send({214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP"});
    case Verb::kStartTls:
      return OnStartTls(command.argument);
    case Verb::kAuth:
      return OnAuth(command.argument);
    case Verb::kForbidden:
      hooks_.Note("HTTP command from a non-SMTP client: " + Printable(line));
      return Close({421, "4.7.0", settings_.hostname + " Error: forbidden command"});
    case Verb::kUnknown:
      return Refuse({500, "5.5.1", "Command unrecognized"});
  }
}

void Session::OnHello(const CommandLine& command) {
  const bool ehlo = command.verb == Verb::kEhlo;
  if (command.argument.empty()) {
    return Refuse({501, "5.5.4", ehlo ? "Syntax: EHLO hostname" : "Syntax: HELO hostname"});
  }
  if (!IsAcceptableHelo(command.argument)) return Refuse({501, "5.5.2", "Invalid hostname"});
  transaction_.reset();  // RFC 5321 §4.1.4: EHLO/HELO also resets the transaction
  helo_ = std::string(command.argument);
  esmtp_ = ehlo;
  if (ehlo) {
    Emit(FormatMultilineReply(250, "", EhloLines()));
  } else {
    Send({250, "", settings_.hostname});
  }
}

std::vector<std::string> Session::EhloLines() const {
  std::vector<std::string> lines = {
      settings_.hostname, "PIPELINING",          fmt::format("SIZE {}", settings_.max_message_size),
      "8BITMIME",         "ENHANCEDSTATUSCODES", "SMTPUTF8",
  };
  if (settings_.tls_available && !tls_) lines.push_back("STARTTLS");
  if (AuthOffered()) lines.push_back("AUTH PLAIN LOGIN");
  return lines;
}

bool Session::AuthOffered() const {
  return settings_.submission && (tls_ || !settings_.auth_requires_tls) && !authenticated_user_;
}

void Session::OnMail(std::string_view argument) {
  if (!helo_) return Refuse({503, "5.5.1", "Send EHLO/HELO first"});
  if (transaction_) return Refuse({503, "5.5.1", "Nested MAIL command"});
  // RFC 6409 §4.3: the submission port takes mail from its users only.
  if (settings_.submission && !authenticated_user_) {
    return Refuse({530, "5.7.0", "Authentication required"});
  }
  auto mail = ParseMailFrom(argument);
  if (!mail) return Refuse(mail.error());
  if (mail->declared_size.value_or(0) > settings_.max_message_size) {
    return Send({552, "5.3.4", "Message size exceeds fixed maximum message size"});
  }
  transaction_ = Transaction{.mail = std::move(*mail)};
  Send({250, "2.1.0", "Ok"});
}

void Session::OnRcpt(std::string_view argument) {
  if (!transaction_) return Refuse({503, "5.5.1", "Need MAIL command"});
  auto address = ParseRcptTo(argument, transaction_->mail.smtputf8);
  if (!address) return Refuse(address.error());
  const Reply accepted{250, "2.1.5", "Ok"};
  std::vector<std::string>& recipients = transaction_->recipients;
  if (std::find(recipients.begin(), recipients.end(), *address) != recipients.end()) {
    return Send(accepted);  // one copy is enough
  }
  if (recipients.size() >= settings_.max_recipients) {
    return Send({452, "4.5.3", "Too many recipients"});  // RFC 5321 §4.5.3.1.10
  }
  const RecipientVerdict verdict = hooks_.CheckRecipient(*address, authenticated_user_);
  if (!verdict.accepted) {
    return SendHookReply(verdict.reply, {451, "4.3.0", "Recipient address check failed"});
  }
  recipients.push_back(std::move(*address));
  Send(accepted);
}

void Session::OnData(std::string_view argument) {
  if (!argument.empty()) return Refuse({501, "5.5.4", "Syntax: DATA"});
  if (!transaction_) return Refuse({503, "5.5.1", "Need MAIL command"});
  if (transaction_->recipients.empty()) {
    return Send({554, "5.5.1", "No valid recipients"});  // RFC 5321 §3.3
  }
  // As Postfix does, the trace field is written when the data starts: it then heads the
  // content from the first byte, with no second copy of the message to prepend it.
  transaction_->queue_id = hooks_.NewQueueId();
  data_.emplace(settings_.max_message_size, ReceivedHeader(*transaction_));
  phase_ = Phase::kData;
  Send({354, "", "End data with <CR><LF>.<CR><LF>"});
}

std::string Session::ReceivedHeader(const Transaction& transaction) {
  const std::string date = hooks_.Now();
  const bool one_recipient = transaction.recipients.size() == 1;
  return FormatReceived({
      .helo = *helo_,
      .peer_address = peer_.address,
      .peer_name = peer_.reverse_name,
      .hostname = settings_.hostname,
      .protocol = WithProtocol(esmtp_, transaction.mail.smtputf8, tls_.has_value(),
                               authenticated_user_.has_value()),
      .tls_version = tls_ ? std::string_view(tls_->version) : std::string_view(),
      .tls_cipher = tls_ ? std::string_view(tls_->cipher) : std::string_view(),
      .queue_id = transaction.queue_id,
      .recipient = one_recipient ? std::string_view(transaction.recipients[0]) : "",
      .date = date,
  });
}

void Session::FinishData() {
  phase_ = Phase::kCommand;
  DataReader reader = std::move(*data_);
  data_.reset();
  Transaction transaction = std::move(*transaction_);
  transaction_.reset();
  if (reader.saw_bare_lf()) hooks_.Note("bare LF in DATA, normalised to CRLF");
  if (reader.outcome() == DataReader::Outcome::kTooBig) {
    hooks_.Note(fmt::format("message too big: {} octets", reader.size()));
    return Send({552, "5.3.4", "Message size exceeds fixed maximum message size"});
  }
  if (reader.outcome() == DataReader::Outcome::kLineTooLong) {
    hooks_.Note("line too long in DATA");
    return Send({554, "5.6.0", "Line too long (1000 octets at most)"});
  }
  const size_t prefix = reader.prefix_size();
  std::string content = reader.TakeContent();
  const size_t hops = CountReceivedFields(std::string_view(content).substr(prefix));
  if (hops > static_cast<size_t>(std::max(settings_.max_received_headers, 0))) {
    hooks_.Note(fmt::format("mail loop: {} Received fields", hops));
    return Send({554, "5.4.6", "Too many hops"});
  }
  // A first line that starts with WSP would fold into our Received field and forge it; an
  // empty line makes the malformed header the body instead (as Postfix reads it).
  if (content.size() > prefix && (content[prefix] == ' ' || content[prefix] == '\t')) {
    content.insert(prefix, "\r\n");
  }
  envelope_ = MakeEnvelope(transaction);
  message_ = std::move(content);
  want_ = Want::kDeliver;
}

Envelope Session::MakeEnvelope(const Transaction& transaction) const {
  return {
      .queue_id = transaction.queue_id,
      .sender = transaction.mail.reverse_path,
      .recipients = transaction.recipients,
      .eight_bit = transaction.mail.body == BodyType::k8BitMime,
      .smtputf8 = transaction.mail.smtputf8,
      .authenticated_user = authenticated_user_,
      .helo = *helo_,
      .peer = peer_,
      .tls = tls_,
  };
}

void Session::OnRset(std::string_view argument) {
  if (!argument.empty()) return Refuse({501, "5.5.4", "Syntax: RSET"});
  transaction_.reset();
  Send(kOk);
}

void Session::OnQuit(std::string_view argument) {
  if (!argument.empty()) return Refuse({501, "5.5.4", "Syntax: QUIT"});
  Close({221, "2.0.0", "Bye"});
}

void Session::OnVrfy(std::string_view argument) {
  if (argument.empty()) return Refuse({501, "5.5.4", "Syntax: VRFY address"});
  // RFC 5321 §3.5.3: 252 answers without telling which users exist.
  Send({252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery"});
}

void Session::OnStartTls(std::string_view argument) {
  if (!argument.empty()) return Refuse({501, "5.5.4", "Syntax: STARTTLS"});
  if (tls_) return Refuse({503, "5.5.1", "TLS already active"});
  if (!settings_.tls_available) return Send({454, "4.7.0", "TLS not available"});
  if (transaction_) return Refuse(kBadSequence);
  Send({220, "2.0.0", "Ready to start TLS"});
  want_ = Want::kStartTls;  // Consume() stops here: what follows must be read through TLS
}

// ---- AUTH (RFC 4954) ----

void Session::OnAuth(std::string_view argument) {
  if (!settings_.submission) return Refuse({503, "5.5.1", "Authentication not enabled"});
  if (!helo_ || !esmtp_) return Refuse({503, "5.5.1", "Send EHLO first"});
  if (authenticated_user_) return Refuse({503, "5.5.1", "Already authenticated"});
  if (transaction_) return Refuse({503, "5.5.1", "AUTH not allowed during a mail transaction"});
  if (!tls_ && settings_.auth_requires_tls) {
    return Refuse({538, "5.7.11", "Encryption required for requested authentication mechanism"});
  }
  const size_t space = argument.find(' ');
  const std::string_view name = argument.substr(0, space);
  std::optional<std::string_view> initial_response;
  if (space != std::string_view::npos) initial_response = argument.substr(space + 1);
  if (name.empty() || (initial_response && initial_response->find(' ') != std::string::npos)) {
    return Refuse({501, "5.5.4", "Syntax: AUTH mechanism [initial-response]"});
  }
  const std::optional<SaslExchange::Mechanism> mechanism = SaslExchange::ParseMechanism(name);
  if (!mechanism) return Refuse({504, "5.5.4", "Unrecognized authentication type"});
  sasl_.emplace(*mechanism);
  TakeSaslStep(sasl_->Start(initial_response));
}

void Session::OnAuthResponse(std::string_view line) { TakeSaslStep(sasl_->Respond(line)); }

void Session::TakeSaslStep(const SaslStep& step) {
  using Status = SaslStep::Status;
  if (step.status == Status::kChallenge) {
    phase_ = Phase::kAuth;
    return Send({334, "", step.challenge});
  }
  phase_ = Phase::kCommand;
  sasl_.reset();
  switch (step.status) {
    case Status::kCredentials:
      if (!hooks_.CheckPassword(step.user, step.password)) return AuthFailed(step.user);
      authenticated_user_ = step.user;
      return Send({235, "2.7.0", "Authentication successful"});
    case Status::kBadCredentials:
      return AuthFailed(step.user);
    case Status::kCancelled:
      return Send({501, "5.7.0", "Authentication aborted"});
    case Status::kMalformed:
    case Status::kChallenge:
      return Refuse({501, "5.5.2", "Cannot decode response"});
  }
}

void Session::AuthFailed(std::string_view user) {
  ++auth_failures_;
  hooks_.Note("AUTH failed for user " + Printable(user));
  Send({535, "5.7.8", "Authentication credentials invalid"});
  if (auth_failures_ >= settings_.max_auth_failures) {
    hooks_.Note("too many AUTH failures");
    Close({421, "4.7.0", settings_.hostname + " Error: too many failed authentications"});
  }
}

// ---- Output ----

void Session::Emit(std::string formatted) {
  output_ += formatted;
  formatted.resize(formatted.size() - 2);                     // every reply ends with CRLF
  last_reply_ = formatted.substr(formatted.rfind('\n') + 1);  // npos + 1 == 0
}

void Session::Send(const Reply& reply) { Emit(FormatReply(reply)); }

void Session::SendHookReply(std::string_view line, const Reply& fallback) {
  Emit(CleanFailureReply(line).value_or(FormatReply(fallback)));
}

void Session::Refuse(const Reply& reply) {
  Send(reply);
  if (++bad_commands_ >= settings_.max_bad_commands) {
    hooks_.Note("too many errors");
    Close({421, "4.7.0", settings_.hostname + " Error: too many errors"});
  }
}

void Session::Close(const Reply& reply) {
  Send(reply);
  want_ = Want::kClose;
}

}  // namespace pigeon::mta::smtp
