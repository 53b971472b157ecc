// The client side of one outgoing SMTP connection as a pure state machine (RFC 5321 with
// PIPELINING RFC 2920, SIZE RFC 1870, 8BITMIME RFC 6152, SMTPUTF8 RFC 6531, STARTTLS RFC 3207,
// AUTH PLAIN/LOGIN RFC 4954, enhanced status codes RFC 3463): server bytes in, command bytes
// and requests to the driver out. No sockets, no clock, no DNS: the driver (pigeond's
// delivery) connects, shuttles bytes, does the TLS handshake, enforces timeout(), and records
// the outcomes. One connection carries any number of messages, one after the other.
//
// The driver's loop:
//   SmtpClient client(options);
//   client.Start();
//   for (;;) {
//     write(client.TakeOutput());                  // whenever it is not empty
//     if (auto done = client.TakeOutcome()) record(*done);
//     switch (client.want()) {
//       kWrite:    continue;                       // more of the message body to write
//       kRead:     read with client.timeout(): Feed(bytes), OnTimeout() or OnConnectionLost()
//       kStartTls: discard unread input, handshake, TlsDone(ok, verified)
//       kMessage:  SendMessage(next) or Quit()
//       kClose:    close; failure() tells why when the connection failed
//     }
//   }
//
// Outcomes are per recipient: delivered (2xx RCPT and 2xx at the end of data), deferred (4xx
// anywhere that concerns it, or a lost connection before its final 2xx was seen: at least
// once, never at most once), bounced (5xx). Each carries the reply that decided it and the host.
//
// SECURITY: the server is untrusted: replies are bounded and parsed strictly (reply_reader.h),
// a protocol error ends the connection, and after STARTTLS everything read before the
// handshake is dropped (the driver must drop its own buffer too), so nothing a man in the
// middle injected in the clear is taken as a reply over TLS. Credentials go out only over TLS
// unless the options allow otherwise. Addresses with control bytes are never sent.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mta/client/capabilities.h"
#include "mta/client/data_writer.h"
#include "mta/client/reply_reader.h"

namespace pigeon::mta::client {

enum class TlsPolicy {
  kNone,             // never STARTTLS
  kOpportunistic,    // STARTTLS when offered; a refusal goes on in the clear, a failed
                     // handshake asks for a new connection without TLS
  kRequired,         // no TLS, no mail: defer
  kRequiredVerified  // and the certificate must verify
};

struct Credentials {
  std::string user;
  std::string password;
};

struct ClientOptions {
  std::string helo_name;  // ours, for EHLO/HELO
  std::string peer_name;  // the server, for outcomes and bounces: "mx.example.org[192.0.2.1]"
  TlsPolicy tls = TlsPolicy::kOpportunistic;
  std::optional<Credentials> auth;      // AUTH PLAIN or LOGIN, for a smarthost
  bool allow_auth_without_tls = false;  // send credentials in the clear
  bool implicit_tls = false;            // the connection is TLS from the start (port 465), verified
};

// One message for this connection. The body is the stored message (header and body, LF or
// CRLF line ends, not dot-stuffed); it is viewed, not copied, and must stay alive until the
// message's outcome has been taken.
struct OutgoingMessage {
  std::string sender;                   // reverse-path without brackets; "" is the null sender
  std::vector<std::string> recipients;  // forward-paths without brackets
  bool eight_bit = false;               // the body has 8-bit bytes
  bool smtputf8 = false;                // addresses or header fields need SMTPUTF8
  uint64_t size = 0;                    // for SIZE=; 0: the body's, counted with CRLFs
  std::string_view body;
};

enum class Fate { kDelivered, kDeferred, kBounced };

struct RecipientOutcome {
  std::string recipient;
  Fate fate = Fate::kDeferred;
  ServerReply reply;           // the server's, or a local one (remote false) such as 5.3.4
  bool remote = false;         // whether `reply` came from the server
  std::string host;            // ClientOptions::peer_name
  bool try_next_host = false;  // deferred because of the connection or the host as a whole
};

struct MessageOutcome {
  std::vector<RecipientOutcome> recipients;  // in the order of OutgoingMessage::recipients
};

// Why a connection ended badly. It concerns every message not yet handed over too: the driver
// defers them (or tries the next MX when try_next_host says so).
struct SessionFailure {
  enum class Kind {
    kGreeting,        // no 220 (4xx, 5xx greeting): the host refuses mail now
    kHello,           // EHLO and HELO both refused
    kTlsRequired,     // the policy wants TLS and the host does not offer it, or refused it
    kTlsFailed,       // the handshake failed, or the certificate did not verify
    kAuth,            // AUTH refused (535: bad credentials), impossible, or not offered
    kServiceClosing,  // 421
    kProtocolError,   // a malformed or unexpected reply
    kConnectionLost,
    kTimeout,
  };
  Kind kind = Kind::kProtocolError;
  ServerReply reply;  // the server's, or a local one describing the problem
  bool remote = false;
  bool try_next_host = false;
  bool retry_without_tls = false;  // opportunistic TLS failed: reconnect without STARTTLS
};

// RFC 5321 §4.5.3.2 timeouts, and a short wait for QUIT's reply.
inline constexpr std::chrono::seconds kGreetingTimeout{300};
inline constexpr std::chrono::seconds kCommandTimeout{300};  // EHLO, STARTTLS, AUTH, RSET
inline constexpr std::chrono::seconds kMailTimeout{300};
inline constexpr std::chrono::seconds kRcptTimeout{300};
inline constexpr std::chrono::seconds kDataInitiationTimeout{120};
inline constexpr std::chrono::seconds kDataBlockTimeout{180};
inline constexpr std::chrono::seconds kDataTerminationTimeout{600};
inline constexpr std::chrono::seconds kQuitTimeout{10};

class SmtpClient {
 public:
  enum class Want {
    kRead,      // read within timeout(), then Feed(), OnTimeout() or OnConnectionLost()
    kWrite,     // write TakeOutput() again: the message body is going out in chunks
    kStartTls,  // drop unread input, do the TLS handshake, then TlsDone()
    kMessage,   // ready for SendMessage() or Quit()
    kClose,     // close the connection
  };

  explicit SmtpClient(ClientOptions options);

  // The connection is open: wait for the greeting.
  void Start();
  // Bytes read from the server, in any chunking.
  void Feed(std::string_view bytes);
  // After kStartTls. `verified`: the peer's certificate chain and name checked out.
  void TlsDone(bool ok, bool verified);
  // In kMessage, the last outcome taken (else a bug: it aborts): start a transaction. The
  // message may be refused before anything is sent (too big, needs SMTPUTF8, cannot be made
  // 7-bit, a bad address): its outcome is then ready at once.
  void SendMessage(const OutgoingMessage& message);
  // In kMessage: say goodbye.
  void Quit();
  // The driver saw EOF or an error on the connection, or the timer ran out: every recipient
  // not yet decided is deferred (try the next host), and the connection is closed.
  void OnConnectionLost();
  void OnTimeout();

  Want want() const;
  // How long the driver may wait for what the machine waits for now.
  std::chrono::seconds timeout() const;
  // Bytes to write to the server (commands, or the next chunk of the body in kWrite).
  std::string TakeOutput();
  // The result of the last message, once decided (at the latest when want() is kMessage or
  // kClose again).
  std::optional<MessageOutcome> TakeOutcome();

  const std::optional<SessionFailure>& failure() const { return failure_; }
  const Capabilities& capabilities() const { return caps_; }
  bool esmtp() const { return esmtp_; }  // EHLO was accepted, not only HELO
  bool tls_active() const { return tls_active_; }
  bool authenticated() const { return authenticated_; }
  // The state's name, for the driver's log.
  std::string_view state_name() const;

 private:
  enum class State {
    kIdle,  // before Start()
    kGreeting,
    kEhlo,
    kHelo,
    kStartTls,
    kTlsHandshake,
    kAuthPlain,
    kAuthLoginUser,
    kAuthLoginPassword,
    kAuthLoginDone,
    kReady,            // between messages
    kTransaction,      // MAIL, RCPT, DATA replies pending
    kBody,             // writing the data
    kDataEnd,          // waiting for the reply to the final "."
    kDotAfterRefusal,  // a 354 came though nothing is to be sent: "." was sent alone
    kRset,
    kQuit,
    kClosed,
  };
  // A command of the current transaction whose reply is still to come.
  enum class Pending { kMail, kRcpt, kData };

  // Born at SendMessage(), gone when its outcome is made.
  struct Transaction {
    std::string sender;
    std::vector<std::string> recipients;
    std::string converted;        // the 7-bit version, when the body had to be downgraded
    std::string_view body;        // what goes out: the caller's or `converted`
    uint64_t size = 0;            // for SIZE= and the server's limit
    bool eight_bit_mime = false;  // BODY=8BITMIME
    bool smtputf8 = false;
    std::vector<std::optional<RecipientOutcome>> decided;
    std::vector<size_t> rcpt_order;  // the recipients sent, by index, in order
    std::vector<bool> accepted;      // RCPT got 2xx
    bool mail_refused = false;
    bool data_accepted = false;  // 354 seen
    size_t rcpt_sent = 0;        // entries of rcpt_order sent
    size_t rcpt_replied = 0;
    std::deque<Pending> pending;
    std::optional<DataWriter> writer;
  };

  void EnterState(State state);
  void Send(std::string_view line);  // appends CRLF
  void ProcessReplies();
  bool AwaitingReply() const;
  void HandleReply(const ServerReply& reply);
  void OnGreeting(const ServerReply& reply);
  void OnEhlo(const ServerReply& reply);
  void OnHelo(const ServerReply& reply);
  void OnStartTls(const ServerReply& reply);
  void OnAuth(const ServerReply& reply);
  void OnTransactionReply(const ServerReply& reply);
  void OnMailReply(const ServerReply& reply);
  void OnRcptReply(const ServerReply& reply);
  void OnDataReply(const ServerReply& reply);
  void OnDataEnd(const ServerReply& reply);
  void OnUnsolicited(const ServerReply& reply);

  void SendEhlo();
  void AfterHello();  // STARTTLS, AUTH or ready, as the policy and the offer say
  void StartAuth();
  bool CheckMessage(const OutgoingMessage& message);
  void SendNextRcpt();
  void FinishTransaction(bool needs_rset);

  // Ends the session: every undecided recipient deferred with the failure's reply.
  void Fail(SessionFailure failure, bool send_quit);
  void ProtocolError(std::string_view why);
  void Decide(size_t index, Fate fate, const ServerReply& reply, bool remote, bool next_host);
  void DecideAll(Fate fate, const ServerReply& reply, bool remote, bool next_host);
  void MakeOutcome();

  ClientOptions options_;
  State state_ = State::kIdle;
  ReplyReader reader_;
  std::string output_;
  Capabilities caps_;
  bool esmtp_ = false;
  bool tls_active_ = false;
  bool tls_tried_ = false;  // STARTTLS is sent once per connection
  bool authenticated_ = false;
  std::optional<SessionFailure> failure_;
  std::optional<Transaction> transaction_;
  std::optional<MessageOutcome> outcome_;
};

}  // namespace pigeon::mta::client
