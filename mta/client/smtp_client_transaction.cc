// See smtp_client.h. The mail transactions: checks made before anything is sent (SIZE,
// SMTPUTF8, 8BITMIME with a 7-bit conversion), MAIL/RCPT/DATA one at a time or pipelined
// (RFC 2920 §3.1: replies are matched in order), the data, and the per-recipient outcomes.
#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "common/util/check.h"
#include "mta/client/eight_bit_downgrade.h"
#include "mta/client/smtp_client.h"

namespace pigeon::mta::client {
namespace {

// Addresses come from our own queue, but a CR, LF or angle bracket in one would let it write
// a command of its own: such an address is never sent.
bool IsSendableAddress(std::string_view address) {
  return std::none_of(address.begin(), address.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f || c == '<' || c == '>';
  });
}

Fate FateOf(const ServerReply& reply) {
  return reply.Class() == 2   ? Fate::kDelivered
         : reply.Class() == 4 ? Fate::kDeferred
                              : Fate::kBounced;
}

bool IsFailure(const ServerReply& reply) { return reply.Class() == 4 || reply.Class() == 5; }

// RFC 1870 §3: the size as transmitted, CRLF line ends included, dot-stuffing not.
uint64_t WireSize(std::string_view body) {
  uint64_t size = body.size();
  for (size_t i = 0; i < body.size(); ++i) {
    const bool bare_lf = body[i] == '\n' && (i == 0 || body[i - 1] != '\r');
    const bool bare_cr = body[i] == '\r' && (i + 1 == body.size() || body[i + 1] != '\n');
    if (bare_lf || bare_cr) ++size;
  }
  return size;
}

}  // namespace

void SmtpClient::SendMessage(const OutgoingMessage& message) {
  // Out of turn, or with the last outcome not taken, would lose a result: a driver bug.
  PIGEON_CHECK(state_ == State::kReady && !transaction_ && !outcome_);
  Transaction& t = transaction_.emplace(Transaction{});
  t.sender = message.sender;
  t.recipients = message.recipients;
  t.body = message.body;
  t.decided.resize(t.recipients.size());
  t.accepted.resize(t.recipients.size(), false);
  if (!CheckMessage(message)) return MakeOutcome();

  std::string mail = fmt::format("MAIL FROM:<{}>", t.sender);
  if (caps_.size) mail += fmt::format(" SIZE={}", t.size);
  if (t.eight_bit_mime) mail += " BODY=8BITMIME";
  if (t.smtputf8) mail += " SMTPUTF8";
  Send(mail);
  t.pending.push_back(Pending::kMail);
  if (caps_.pipelining) {
    // RFC 2920 §3.1: MAIL, every RCPT and DATA in one go; DATA is the last of the group.
    while (t.rcpt_sent < t.rcpt_order.size()) {
      Send(fmt::format("RCPT TO:<{}>", t.recipients[t.rcpt_order[t.rcpt_sent++]]));
      t.pending.push_back(Pending::kRcpt);
    }
    Send("DATA");
    t.pending.push_back(Pending::kData);
  }
  EnterState(State::kTransaction);
}

// Decides, without a word to the server, what cannot go to this host. False when nothing is
// left to send.
bool SmtpClient::CheckMessage(const OutgoingMessage& message) {
  Transaction& t = *transaction_;
  const auto refuse_all = [&](int code, std::string status, std::string text) {
    for (size_t i = 0; i < t.recipients.size(); ++i) {
      Decide(i, code / 100 == 4 ? Fate::kDeferred : Fate::kBounced, LocalReply(code, status, text),
             false, false);
    }
    return false;
  };
  if (!IsSendableAddress(t.sender)) {
    return refuse_all(553, "5.1.7", "Bad sender address syntax");
  }
  for (size_t i = 0; i < t.recipients.size(); ++i) {
    if (IsSendableAddress(t.recipients[i])) {
      t.rcpt_order.push_back(i);
    } else {
      Decide(i, Fate::kBounced, LocalReply(553, "5.1.3", "Bad recipient address syntax"), false,
             false);
    }
  }
  if (t.rcpt_order.empty()) return false;

  const auto eight_bit_address = [](std::string_view a) { return HasEightBit(a); };
  t.smtputf8 = message.smtputf8 || eight_bit_address(t.sender) ||
               std::any_of(t.recipients.begin(), t.recipients.end(), eight_bit_address);
  if (t.smtputf8 && !caps_.smtputf8) {
    // RFC 6531 §3.2: no downgrade of addresses or header fields; bounce.
    return refuse_all(
        550, "5.6.7",
        fmt::format("SMTPUTF8 is required, but was not offered by host {}", options_.peer_name));
  }
  uint64_t size = message.size != 0 ? message.size : WireSize(message.body);
  if (message.eight_bit && !caps_.eight_bit_mime) {
    Result<std::string> converted = DowngradeTo7Bit(message.body);
    if (!converted) {
      const bool header = converted.error().code == ErrorCode::kUnsupported;
      return refuse_all(550, header ? "5.6.7" : "5.6.3",
                        fmt::format("Cannot convert 8-bit message for host {}: {}",
                                    options_.peer_name, converted.error().message));
    }
    t.converted = std::move(*converted);
    t.body = t.converted;
    size = WireSize(t.converted);
  } else {
    t.eight_bit_mime = message.eight_bit && caps_.eight_bit_mime;
  }
  t.size = size;
  if (caps_.size_limit != 0 && size > caps_.size_limit) {
    // RFC 1870 §6.1: do not send what the server said it will refuse.
    return refuse_all(552, "5.3.4",
                      fmt::format("Message size exceeds fixed limit of host {} ({} bytes)",
                                  options_.peer_name, caps_.size_limit));
  }
  return true;
}

void SmtpClient::OnTransactionReply(const ServerReply& reply) {
  Transaction& t = *transaction_;
  const Pending pending = t.pending.front();
  t.pending.pop_front();
  switch (pending) {
    case Pending::kMail:
      return OnMailReply(reply);
    case Pending::kRcpt:
      return OnRcptReply(reply);
    case Pending::kData:
      return OnDataReply(reply);
  }
}

void SmtpClient::OnMailReply(const ServerReply& reply) {
  Transaction& t = *transaction_;
  if (reply.Class() == 2) {
    if (!caps_.pipelining) SendNextRcpt();
    return;
  }
  if (!IsFailure(reply)) return ProtocolError(fmt::format("reply {} to MAIL", reply.code));
  t.mail_refused = true;
  for (size_t i = 0; i < t.decided.size(); ++i) {
    Decide(i, FateOf(reply), reply, true, false);
  }
  // Pipelined RCPT and DATA replies are still to come; without PIPELINING, reset now.
  if (t.pending.empty()) FinishTransaction(true);
}

void SmtpClient::SendNextRcpt() {
  Transaction& t = *transaction_;
  if (t.rcpt_sent < t.rcpt_order.size()) {
    Send(fmt::format("RCPT TO:<{}>", t.recipients[t.rcpt_order[t.rcpt_sent++]]));
    t.pending.push_back(Pending::kRcpt);
    return;
  }
  if (std::find(t.accepted.begin(), t.accepted.end(), true) == t.accepted.end()) {
    return FinishTransaction(true);  // nobody to send to
  }
  Send("DATA");
  t.pending.push_back(Pending::kData);
}

void SmtpClient::OnRcptReply(const ServerReply& reply) {
  Transaction& t = *transaction_;
  const size_t index = t.rcpt_order[t.rcpt_replied++];
  if (!t.mail_refused) {  // else the RCPT was answered out of a transaction: already decided
    if (reply.Class() == 2) {
      t.accepted[index] = true;
    } else if (IsFailure(reply)) {
      Decide(index, FateOf(reply), reply, true, false);
    } else {
      return ProtocolError(fmt::format("reply {} to RCPT", reply.code));
    }
  }
  if (!caps_.pipelining) SendNextRcpt();
}

void SmtpClient::OnDataReply(const ServerReply& reply) {
  Transaction& t = *transaction_;
  const bool anyone = std::find(t.accepted.begin(), t.accepted.end(), true) != t.accepted.end();
  if (reply.code == 354) {
    t.data_accepted = true;
    if (t.mail_refused || !anyone) {
      // RFC 2920 §3.1: DATA was pipelined and accepted though nobody is left: end it empty.
      Send(".");
      return EnterState(State::kDotAfterRefusal);
    }
    t.writer.emplace(t.body);
    return EnterState(State::kBody);
  }
  if (!IsFailure(reply)) return ProtocolError(fmt::format("reply {} to DATA", reply.code));
  for (size_t i = 0; i < t.decided.size(); ++i) {
    Decide(i, FateOf(reply), reply, true, false);
  }
  FinishTransaction(true);
}

std::string SmtpClient::TakeOutput() {
  if (state_ == State::kBody && output_.empty() && transaction_ && transaction_->writer) {
    output_ = transaction_->writer->Next();
    if (transaction_->writer->done()) EnterState(State::kDataEnd);
  }
  return std::exchange(output_, std::string());
}

void SmtpClient::OnDataEnd(const ServerReply& reply) {
  if (reply.Class() != 2 && !IsFailure(reply)) {
    return ProtocolError(fmt::format("reply {} to end of data", reply.code));
  }
  Transaction& t = *transaction_;
  for (size_t i = 0; i < t.decided.size(); ++i) {
    Decide(i, FateOf(reply), reply, true, false);
  }
  FinishTransaction(false);
}

// Between messages RSET is needed only when a transaction may still be open at the server.
void SmtpClient::FinishTransaction(bool needs_rset) {
  MakeOutcome();
  if (needs_rset) {
    Send("RSET");
    return EnterState(State::kRset);
  }
  EnterState(State::kReady);
}

void SmtpClient::Decide(size_t index, Fate fate, const ServerReply& reply, bool remote,
                        bool next_host) {
  std::optional<RecipientOutcome>& slot = transaction_->decided[index];
  if (slot) return;
  slot = RecipientOutcome{.recipient = transaction_->recipients[index],
                          .fate = fate,
                          .reply = reply,
                          .remote = remote,
                          .host = options_.peer_name,
                          .try_next_host = fate == Fate::kDeferred && next_host};
}

void SmtpClient::MakeOutcome() {
  if (!transaction_) return;
  MessageOutcome outcome;
  for (size_t i = 0; i < transaction_->decided.size(); ++i) {
    // Every path decides everyone; should one not, the safe reading is "not delivered".
    Decide(i, Fate::kDeferred, LocalReply(451, "4.3.0", "No outcome for recipient"), false, false);
    outcome.recipients.push_back(std::move(*transaction_->decided[i]));
  }
  outcome_ = std::move(outcome);
  transaction_.reset();
}

std::optional<MessageOutcome> SmtpClient::TakeOutcome() { return std::exchange(outcome_, {}); }

}  // namespace pigeon::mta::client
