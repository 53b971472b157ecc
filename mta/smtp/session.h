// The ESMTP server side of one connection as a pure state machine (RFC 5321 with PIPELINING,
// SIZE, 8BITMIME, SMTPUTF8, ENHANCEDSTATUSCODES, STARTTLS, AUTH PLAIN/LOGIN): bytes in,
// reply bytes and requests to the transport out. No sockets, no clock reads, no store: the
// transport (mta/server) shuttles bytes and performs what the session asks for, so every
// behaviour is testable by feeding strings.
//
// Connection state (greeting, EHLO, TLS, AUTH) is kept apart from transaction state (MAIL,
// RCPT, DATA), which is born at MAIL and dies at RSET, HELO/EHLO, STARTTLS or end of DATA.
//
// The pieces: command_parser.h (verbs, MAIL/RCPT arguments, path.h), data_reader.h (the DATA
// phase), sasl.h (AUTH PLAIN/LOGIN), received.h (the trace field), reply.h (the wire format).
// Choices where RFC 5321 leaves room follow Postfix: bare LF ends command and text lines but
// never the data; the submission listener wants AUTH before MAIL (530 5.7.0, RFC 6409 §4.3);
// HTTP verbs close the connection; protocol errors are counted and end it past a limit.
//
// SECURITY: every byte comes from an untrusted peer. Command lines are bounded (512 octets,
// 12,288 for AUTH and its responses, RFC 4954 §4), text lines (1,000), recipients, message
// size, errors and AUTH attempts too. The data ends only at CRLF "." CRLF (no smuggling, see
// data_reader.h). After STARTTLS the transport must discard whatever plaintext it had buffered
// beyond the STARTTLS line: the session never consumes past it (STARTTLS injection,
// CVE-2011-0411 and kin), and it forgets the EHLO and AUTH state (RFC 3207 §4.2). Hooks'
// reply lines are checked and cleaned before they are sent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mta/smtp/command_parser.h"
#include "mta/smtp/data_reader.h"
#include "mta/smtp/reply.h"
#include "mta/smtp/sasl.h"

namespace pigeon::mta::smtp {

// What the session needs to know about its listener and limits.
struct SessionSettings {
  std::string hostname;           // ours, for the greeting, EHLO reply and Received
  bool submission = false;        // port 587: AUTH offered (after TLS), relay when authenticated
  bool tls_available = false;     // a certificate is configured: STARTTLS advertised
  bool auth_requires_tls = true;  // AUTH offered only on a TLS connection
  uint64_t max_message_size = 50ull << 20;
  size_t max_recipients = 100;    // RFC 5321 §4.5.3.1.8: at least 100
  int max_received_headers = 50;  // more: a mail loop, 554 5.4.6
  int max_auth_failures = 3;      // then 421 and close
  int max_bad_commands = 20;      // unknown/invalid commands before 421 and close
};

// Facts about the peer, from the transport.
struct PeerInfo {
  std::string address;  // "192.0.2.1" or "2001:db8::1"
  uint16_t port = 0;
  std::string reverse_name;  // "" when unknown (no lookup is required)
};

struct TlsInfo {
  std::string version;  // "TLSv1.3"
  std::string cipher;   // "TLS_AES_256_GCM_SHA384"
};

// A recipient decision, from the RecipientPolicy the transport owns.
struct RecipientVerdict {
  bool accepted = false;
  std::string reply;  // full reply line without CRLF when refused, e.g. "550 5.1.1 <x@y>: ..."
};

// The envelope and content of one accepted DATA, ready for delivery.
struct Envelope {
  std::string queue_id;                 // from the IdSource, also in the Received header
  std::string sender;                   // reverse-path without brackets; "" for the null sender
  std::vector<std::string> recipients;  // forward-paths as given (source routes dropped)
  bool eight_bit = false;               // BODY=8BITMIME
  bool smtputf8 = false;
  std::optional<std::string> authenticated_user;
  std::string helo;  // the EHLO/HELO argument
  PeerInfo peer;
  std::optional<TlsInfo> tls;
};

// Callbacks into the daemon, implemented by the transport (and by fakes in tests). Called
// synchronously from Consume().
class SessionHooks {
 public:
  virtual ~SessionHooks() = default;
  // RCPT TO: decide for one recipient (local user, alias, relay permission…).
  virtual RecipientVerdict CheckRecipient(std::string_view address,
                                          const std::optional<std::string>& authenticated_user) = 0;
  // AUTH: true when the user name and password match an account.
  virtual bool CheckPassword(std::string_view user, std::string_view password) = 0;
  // A new, unique queue id (for the Received header and the log).
  virtual std::string NewQueueId() = 0;
  // "Tue, 14 Nov 2023 22:13:20 +0000" for the Received header.
  virtual std::string Now() = 0;
  // A notable protocol event for the log: refused relay, failed AUTH, line too long, …
  virtual void Note(std::string_view event) = 0;
};

class Session {
 public:
  // What the transport must do after Consume() returns.
  enum class Want {
    kInput,     // read more bytes (after sending TakeOutput())
    kStartTls,  // send TakeOutput(), drop unconsumed input, do the TLS handshake, TlsStarted()
    kDeliver,   // deliver TakeMessage() durably, then Delivered(); read nothing meanwhile
    kClose,     // send TakeOutput(), then close the connection
  };

  Session(SessionSettings settings, PeerInfo peer, SessionHooks& hooks);

  // The 220 greeting (or, when `refuse` is set, that 421/554 reply and the session closes).
  void Start(std::optional<std::string> refuse = std::nullopt);

  // Consumes whole lines (and DATA bytes) from the front of `input`; returns how many bytes
  // it used. Stops early when want() becomes kStartTls, kDeliver or kClose, and uses nothing
  // while it is one of them. Partial lines are left for the next call; a line longer than the
  // limit is answered and skipped (as soon as 12,288 octets without LF are there, so the
  // transport never buffers more). A hook that throws closes the session with 421.
  size_t Consume(std::string_view input);

  Want want() const { return want_; }
  // Reply bytes produced so far (CRLF-terminated lines), and clears them. With PIPELINING the
  // transport may hold them until its input buffer runs dry (RFC 2920 §3.2).
  std::string TakeOutput();

  // kDeliver: the message (Received header prepended, dot-unstuffed, CRLF line ends). As in
  // Postfix, the Received header and the queue id are made when DATA is accepted, so the
  // message is built in place and never copied.
  Envelope& envelope();
  std::string TakeMessage();
  // The outcome of delivery: nullopt = durable, reply "250 2.0.0 Ok: queued as ID";
  // otherwise the reply line to send (e.g. "452 4.3.1 Insufficient system storage").
  void Delivered(std::optional<std::string> failure_reply);

  void TlsStarted(TlsInfo tls);  // after kStartTls: back to the state before EHLO
  void TlsFailed();              // the handshake failed: close
  void TimedOut();               // the transport's timer fired: 421 4.4.2 and kClose
  void ShuttingDown();           // the daemon stops: 421 4.3.2 and kClose

  bool in_data() const;  // for the transport's choice of timeout (DATA vs command)
  // Whole transactions and the last reply, for the connection's log line.
  int messages_accepted() const { return messages_accepted_; }
  const std::string& last_reply() const { return last_reply_; }  // without its CRLF

 private:
  enum class Phase { kCommand, kAuth, kData };
  // Born at MAIL, dead at RSET, EHLO/HELO, STARTTLS and the end of DATA.
  struct Transaction {
    MailFrom mail;
    std::vector<std::string> recipients;
    std::string queue_id;  // given at DATA
  };

  size_t ConsumeInput(std::string_view input);
  size_t ConsumeCommandLine(std::string_view input);
  size_t SkipLongLine(std::string_view input);
  size_t ConsumeData(std::string_view input);
  void LineTooLong();

  void HandleCommand(std::string_view line);
  void OnHello(const CommandLine& command);
  void OnMail(std::string_view argument);
  void OnRcpt(std::string_view argument);
  void OnData(std::string_view argument);
  void OnRset(std::string_view argument);
  void OnQuit(std::string_view argument);
  void OnVrfy(std::string_view argument);
  void OnStartTls(std::string_view argument);
  void OnAuth(std::string_view argument);
  void OnAuthResponse(std::string_view line);
  void TakeSaslStep(const SaslStep& step);
  void AuthFailed(std::string_view user);
  void FinishData();

  std::vector<std::string> EhloLines() const;
  bool AuthOffered() const;
  std::string ReceivedHeader(const Transaction& transaction);
  Envelope MakeEnvelope(const Transaction& transaction) const;

  void Emit(std::string formatted);  // reply lines, CRLF-terminated
  void Send(const Reply& reply);
  // A reply line from the hooks, cleaned; `fallback` when it is not a 4xx/5xx line.
  void SendHookReply(std::string_view line, const Reply& fallback);
  // A protocol error (unknown command, bad syntax or sequence): sent and counted; past
  // max_bad_commands the session says 421 and closes.
  void Refuse(const Reply& reply);
  void Close(const Reply& reply);

  SessionSettings settings_;
  PeerInfo peer_;
  SessionHooks& hooks_;
  Want want_ = Want::kInput;
  Phase phase_ = Phase::kCommand;
  bool started_ = false;
  std::string output_;
  std::string last_reply_;
  int messages_accepted_ = 0;

  // Connection state.
  std::optional<std::string> helo_;  // set by EHLO/HELO, forgotten at STARTTLS
  bool esmtp_ = false;               // EHLO rather than HELO
  std::optional<TlsInfo> tls_;
  std::optional<std::string> authenticated_user_;
  std::optional<SaslExchange> sasl_;  // an AUTH exchange waiting for the client's response
  int auth_failures_ = 0;
  int bad_commands_ = 0;
  bool skipping_long_line_ = false;  // a too-long line was answered; drop bytes up to its LF

  // Transaction state.
  std::optional<Transaction> transaction_;
  std::optional<DataReader> data_;

  // The accepted message, from the end of DATA to Delivered().
  Envelope envelope_;
  std::string message_;
};

}  // namespace pigeon::mta::smtp
