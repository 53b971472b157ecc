// See received.h.
#include "mta/smtp/received.h"

#include <vector>

#include "common/message/field_fold.h"
#include "common/message/header.h"

namespace pigeon::mta::smtp {
namespace {

bool IsTraceNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_' || c == ':' || c == '[' || c == ']';
}

// RFC 5321 §4.1.3 address-literal, from the transport's numeric address.
std::string AddressLiteral(std::string_view address) {
  const std::string clean = SanitizeTraceName(address);
  if (clean.find(':') != std::string::npos) return "[IPv6:" + clean + "]";
  return "[" + clean + "]";
}

// Joins the clauses with a space while the line stays within kReceivedWidth, else starts a
// folded line; FoldField then breaks any clause still too long at its own spaces.
std::string JoinClauses(const std::vector<std::string>& clauses) {
  std::string field = "Received:";
  size_t line_length = field.size();
  for (const std::string& clause : clauses) {
    if (line_length + 1 + clause.size() > kReceivedWidth && line_length > 9) {
      field += "\r\n\t";
      line_length = 1;
    } else {
      field += ' ';
      ++line_length;
    }
    field += clause;
    line_length += clause.size();
  }
  return message::FoldField(field, kReceivedWidth);
}

}  // namespace

std::string_view WithProtocol(bool esmtp, bool smtputf8, bool tls, bool authenticated) {
  if (!esmtp) return "SMTP";
  static constexpr std::string_view kEsmtp[] = {"ESMTP", "ESMTPA", "ESMTPS", "ESMTPSA"};
  static constexpr std::string_view kUtf8[] = {"UTF8SMTP", "UTF8SMTPA", "UTF8SMTPS", "UTF8SMTPSA"};
  const int index = (tls ? 2 : 0) + (authenticated ? 1 : 0);
  return smtputf8 ? kUtf8[index] : kEsmtp[index];
}

std::string SanitizeTraceName(std::string_view text) {
  std::string clean(text.substr(0, kMaxTraceName));
  for (char& c : clean) {
    if (!IsTraceNameChar(c)) c = '?';
  }
  return clean;
}

std::string FormatReceived(const ReceivedStamp& stamp) {
  const std::string peer_name =
      stamp.peer_name.empty() ? "unknown" : SanitizeTraceName(stamp.peer_name);
  std::vector<std::string> clauses = {
      "from " + SanitizeTraceName(stamp.helo),
      "(" + peer_name + " " + AddressLiteral(stamp.peer_address) + ")",
      "by " + SanitizeTraceName(stamp.hostname) + " (pigeond)",
      "with " + std::string(stamp.protocol),
  };
  if (!stamp.tls_version.empty()) {
    clauses.push_back("(" + SanitizeTraceName(stamp.tls_version) + " " +
                      SanitizeTraceName(stamp.tls_cipher) + ")");
  }
  clauses.push_back("id " + SanitizeTraceName(stamp.queue_id));
  // The parser let only a valid path through: no CR, LF or control byte can be in it.
  if (!stamp.recipient.empty()) clauses.push_back("for <" + std::string(stamp.recipient) + ">");
  clauses.back() += ";";
  clauses.push_back(std::string(stamp.date));
  return JoinClauses(clauses) + "\r\n";
}

size_t CountReceivedFields(std::string_view message) {
  const message::HeaderBodySplit split = message::SplitHeaderBody(message);
  return message::Header::Parse(split.header, nullptr).FindAll("Received").size();
}

}  // namespace pigeon::mta::smtp
