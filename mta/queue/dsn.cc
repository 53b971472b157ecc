#include "mta/queue/dsn.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>

#include "common/message/charset.h"
#include "common/message/date.h"
#include "common/message/field_fold.h"
#include "common/message/header.h"

namespace pigeon::mta::queue {
namespace {

constexpr size_t kMaxLine = 998;        // RFC 5322 §2.1.1
constexpr size_t kMaxAddress = 512;     // twice RFC 5321's path limit: room for quoting
constexpr size_t kMaxName = 255;        // host names, ids
constexpr size_t kMaxDiagnostic = 900;  // keeps "Diagnostic-Code: …" one line even unfolded
constexpr size_t kTextWidth = 76;
constexpr size_t kMaxBoundaryBase = 60;  // RFC 2046 §5.1.1 allows 70

enum class Kind { kBounce, kDelay, kSuccess };

bool HasNonAscii(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

Result<void> CheckValue(std::string_view what, std::string_view value, size_t max) {
  if (HasControl(value)) {
    return MakeError(ErrorCode::kInvalidArgument, fmt::format("{} holds control bytes", what));
  }
  if (value.size() > max) {
    return MakeError(ErrorCode::kInvalidArgument, fmt::format("{} is too long", what));
  }
  if (HasNonAscii(value) && !message::IsValidUtf8(value)) {
    return MakeError(ErrorCode::kInvalidArgument, fmt::format("{} is not UTF-8", what));
  }
  return {};
}

// RFC 3463 §2: class "." subject "." detail, classes 2, 4 and 5, at most three digits each.
bool IsStatusCode(std::string_view s) {
  if (s.size() < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.') return false;
  size_t pos = 2;
  for (int number = 0; number < 2; ++number) {
    const size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start || pos - start > 3) return false;
    if (number == 0 && (pos >= s.size() || s[pos++] != '.')) return false;
  }
  return pos == s.size();
}

Result<void> CheckRequest(const DsnRequest& request) {
  if (request.envelope_sender.empty() || request.envelope_sender == "<>") {
    return MakeError(ErrorCode::kInvalidArgument,
                     "no delivery status notification goes to the null sender");
  }
  if (request.recipients.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "a notification needs at least one recipient");
  }
  if (request.reporting_host.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "the reporting host name is empty");
  }
  if (request.message_id.empty() || request.message_id.find(' ') != std::string::npos) {
    return MakeError(ErrorCode::kInvalidArgument, "the Message-ID is empty or has spaces");
  }
  const std::string envelope_id = request.envelope_id.value_or("");
  const std::tuple<const char*, std::string_view, size_t> values[] = {
      {"the reporting host", request.reporting_host, kMaxName},
      {"the envelope sender", request.envelope_sender, kMaxAddress},
      {"the queue id", request.queue_id, kMaxName},
      {"the Message-ID", request.message_id, kMaxName},
      {"the envelope id", envelope_id, kMaxName}};
  for (const auto& [what, value, max] : values) {
    if (Result<void> ok = CheckValue(what, value, max); !ok) return ok;
  }
  if (HasNonAscii(request.reporting_host) || HasNonAscii(request.queue_id) ||
      HasNonAscii(request.message_id) || HasNonAscii(envelope_id)) {
    return MakeError(ErrorCode::kInvalidArgument, "host names and ids must be ASCII");
  }
  for (const RecipientReport& report : request.recipients) {
    if (report.address.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "a recipient address is empty");
    }
    if (!IsStatusCode(report.status)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("bad status code \"{}\" for a recipient", report.status));
    }
    const std::string original = report.original_recipient.value_or("");
    const std::string remote = report.remote_mta.value_or("");
    const std::tuple<const char*, std::string_view, size_t> fields[] = {
        {"a recipient address", report.address, kMaxAddress},
        {"an original recipient", original, kMaxAddress},
        {"a remote MTA name", remote, kMaxName},
        {"a diagnostic type", report.diagnostic_type, kMaxName}};
    for (const auto& [what, value, max] : fields) {
      if (Result<void> ok = CheckValue(what, value, max); !ok) return ok;
    }
    if (HasNonAscii(remote) || HasNonAscii(report.diagnostic_type) ||
        report.diagnostic_type.empty() ||
        report.diagnostic_type.find_first_of(" ;") != std::string::npos) {
      return MakeError(ErrorCode::kInvalidArgument, "bad remote MTA name or diagnostic type");
    }
  }
  return {};
}

Kind KindOf(const std::vector<RecipientReport>& recipients) {
  auto any = [&](DsnAction action) {
    return std::any_of(recipients.begin(), recipients.end(),
                       [action](const RecipientReport& r) { return r.action == action; });
  };
  if (any(DsnAction::kFailed)) return Kind::kBounce;
  if (any(DsnAction::kDelayed)) return Kind::kDelay;
  return Kind::kSuccess;
}

// A remote reply as one line of text: line breaks and other control bytes become single
// spaces, non-ASCII becomes "?" unless the part may carry UTF-8, and it is cut to
// kMaxDiagnostic octets (at a character boundary).
std::string CleanDiagnostic(std::string_view text, bool utf8) {
  std::string in = utf8 ? message::SanitizeUtf8(text) : std::string(text);
  std::string out;
  bool space = false;
  for (char c : in) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += (byte >= 0x80 && !utf8) ? '?' : c;
  }
  if (out.size() > kMaxDiagnostic) {
    size_t cut = kMaxDiagnostic - 3;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xc0) == 0x80) --cut;
    out.resize(cut);
    out += "...";
  }
  return out;
}

std::string Date(const DsnRequest& request, int64_t utc_seconds) {
  return message::FormatRfc5322Date(utc_seconds, request.zone_offset_minutes);
}

// RFC 3464 §2.1.2 address-type; RFC 6533 §3 "utf-8" with the plain utf-8-address form, which
// only message/global-delivery-status carries.
std::string TypedAddress(std::string_view address) {
  return fmt::format("{}; {}", HasNonAscii(address) ? "utf-8" : "rfc822", address);
}

// Untrusted line ends (LF, CR, CRLF) as CRLF.
std::string ToCrlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' || text[i] == '\n') {
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\r\n";
    } else {
      out += text[i];
    }
  }
  return out;
}

// Whether CRLF text can go into a message as it is: no NUL, no line over kMaxLine.
bool CarriesAsIs(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) return false;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find("\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    if (end - start > kMaxLine) return false;
    start = end + 2;
  }
  return true;
}

// The original's header section, made safe to carry: CRLF, NUL as space, long lines cut.
std::string SafeHeaderSection(std::string_view original) {
  std::string crlf = ToCrlf(message::SplitHeaderBody(original).header);
  std::replace(crlf.begin(), crlf.end(), '\0', ' ');
  std::string out;
  size_t start = 0;
  while (start < crlf.size()) {
    size_t end = crlf.find("\r\n", start);
    if (end == std::string::npos) end = crlf.size();
    out.append(crlf, start, std::min(end - start, kMaxLine)).append("\r\n");
    start = end + 2;
  }
  return out;
}

struct Entity {
  std::string header;  // fields, each ending in CRLF
  std::string body;
  bool eight_bit = false;
};

// Part (c): the original, in full when asked and possible, else its header section.
Entity ReturnedPart(const DsnRequest& request, bool* returned_full) {
  Entity part;
  *returned_full = false;
  const bool eight_bit_header = HasNonAscii(message::SplitHeaderBody(request.original).header);
  if (request.return_content == ReturnContent::kFull &&
      request.original.size() <= request.full_return_limit) {
    std::string full = ToCrlf(request.original);
    if (CarriesAsIs(full)) {
      // RFC 6533 §6.1 (message/global) for UTF-8 headers; RFC 2046 §5.2.1 allows 8bit.
      part.eight_bit = HasNonAscii(full);
      part.header = fmt::format("Content-Type: {}\r\nContent-Transfer-Encoding: {}\r\n",
                                eight_bit_header ? "message/global" : "message/rfc822",
                                part.eight_bit ? "8bit" : "7bit");
      if (!full.ends_with("\r\n")) full += "\r\n";
      part.body = std::move(full);
      *returned_full = true;
      return part;
    }
  }
  // RFC 6522 §4 text/rfc822-headers; RFC 6533 §6.3 message/global-headers when 8-bit.
  part.body = SafeHeaderSection(request.original);
  part.eight_bit = eight_bit_header;
  part.header = eight_bit_header
                    ? "Content-Type: message/global-headers\r\nContent-Transfer-Encoding: 8bit\r\n"
                    : "Content-Type: text/rfc822-headers\r\nContent-Transfer-Encoding: 7bit\r\n";
  return part;
}

// One field, folded at its spaces when long.
std::string Field(std::string_view name, std::string_view value) {
  return message::FoldField(fmt::format("{}: {}", name, value)) + "\r\n";
}

// Part (b): RFC 3464 §2.2 per-message fields, then §2.3 per-recipient blocks.
Entity StatusPart(const DsnRequest& request, bool global) {
  Entity part;
  part.eight_bit = global;
  part.header = global ? "Content-Type: message/global-delivery-status\r\n"
                         "Content-Transfer-Encoding: 8bit\r\n"
                       : "Content-Type: message/delivery-status\r\n";
  std::string& body = part.body;
  if (request.envelope_id && !request.envelope_id->empty()) {
    body += Field("Original-Envelope-Id", *request.envelope_id);
  }
  body += Field("Reporting-MTA", "dns; " + request.reporting_host);
  if (!request.queue_id.empty()) body += Field("X-Queue-ID", request.queue_id);
  body += Field("Arrival-Date", Date(request, request.arrival));
  for (const RecipientReport& report : request.recipients) {
    body += "\r\n";
    if (report.original_recipient) {
      body += Field("Original-Recipient", TypedAddress(*report.original_recipient));
    }
    body += Field("Final-Recipient", TypedAddress(report.address));
    body += Field("Action", DsnActionName(report.action));
    body += Field("Status", report.status);
    if (report.remote_mta) body += Field("Remote-MTA", "dns; " + *report.remote_mta);
    if (report.diagnostic) {
      const std::string text = CleanDiagnostic(*report.diagnostic, global);
      if (!text.empty()) {
        body += Field("Diagnostic-Code", fmt::format("{}; {}", report.diagnostic_type, text));
      }
    }
    body += Field("Last-Attempt-Date", Date(request, report.last_attempt.value_or(request.now)));
    if (report.action == DsnAction::kDelayed && report.will_retry_until) {
      body += Field("Will-Retry-Until", Date(request, *report.will_retry_until));
    }
  }
  return part;
}

// Greedy word wrap; continuation lines indented. Words longer than the width stay whole.
std::string Wrap(std::string_view text, std::string_view indent) {
  std::string out, line;
  bool has_word = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(pos, end - pos);
    pos = end + 1;
    if (word.empty()) continue;
    if (has_word && line.size() + 1 + word.size() > kTextWidth) {
      out += line + "\r\n";
      line = indent;
      has_word = false;
    }
    if (has_word) line += ' ';
    line += word;
    has_word = true;
  }
  if (has_word) out += line + "\r\n";
  return out;
}

std::string RecipientLine(const RecipientReport& report, bool utf8) {
  std::string text = fmt::format("<{}>", report.address);
  if (report.original_recipient && *report.original_recipient != report.address) {
    text += fmt::format(" (expanded from <{}>)", *report.original_recipient);
  }
  text += ":";
  const std::string diagnostic = report.diagnostic ? CleanDiagnostic(*report.diagnostic, utf8) : "";
  if (report.remote_mta) text += fmt::format(" host {} said:", *report.remote_mta);
  if (!diagnostic.empty()) {
    text += " " + diagnostic;
  } else {
    text += fmt::format(" {} (status {})", DsnActionName(report.action), report.status);
  }
  return Wrap(text, "    ");
}

// Part (a): what happened, for a person.
Entity TextPart(const DsnRequest& request, Kind kind, bool utf8, bool returned_full) {
  Entity part;
  std::string& body = part.body;
  body += fmt::format("This is the mail system at host {}.\r\n\r\n", request.reporting_host);
  const std::string_view attached =
      returned_full ? "Your message is attached." : "The header of your message is attached.";
  switch (kind) {
    case Kind::kBounce:
      body += Wrap(
          "Your message could not be delivered to one or more recipients, and the "
          "mail system has given up on them. The reasons are listed below.",
          "");
      break;
    case Kind::kDelay:
      body += "This is a warning only: you do not need to send your message again.\r\n\r\n";
      body += Wrap(fmt::format("Your message has not yet been delivered to the recipients "
                               "below; it has waited {} hours so far. Delivery will be tried "
                               "again until it succeeds or the message is too old.",
                               std::max<int64_t>(0, (request.now - request.arrival) / 3600)),
                   "");
      break;
    case Kind::kSuccess:
      body += Wrap(
          "Your message was delivered to the recipients below, as you asked to be "
          "told.",
          "");
      break;
  }
  body += "\r\n";
  body += Wrap(std::string(attached) +
                   " If you ask the postmaster for help, include this report; you may remove "
                   "the text of your message from it.",
               "");
  body += "\r\n                   The mail system\r\n\r\n";
  for (const RecipientReport& report : request.recipients) {
    body += RecipientLine(report, utf8);
    body += "\r\n";
  }
  part.eight_bit = HasNonAscii(body);
  part.header = fmt::format(
      "Content-Description: Notification\r\n"
      "Content-Type: text/plain; charset={}\r\nContent-Transfer-Encoding: {}\r\n",
      part.eight_bit ? "utf-8" : "us-ascii", part.eight_bit ? "8bit" : "7bit");
  return part;
}

bool AnyContains(const std::vector<Entity>& parts, std::string_view needle) {
  return std::any_of(parts.begin(), parts.end(), [needle](const Entity& part) {
    return part.header.find(needle) != std::string::npos ||
           part.body.find(needle) != std::string::npos;
  });
}

// Postfix's form (queue id, time, host) made of boundary characters, then checked against
// every part (RFC 2046 §5.1.1): the original could hold the same text by chance or design.
std::string PickBoundary(const DsnRequest& request, const std::vector<Entity>& parts) {
  std::string base;
  for (char c : fmt::format("{}.{}/{}", request.queue_id.empty() ? "dsn" : request.queue_id,
                            request.now, request.reporting_host)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '/' || c == '_';
    if (ok) base += c;
  }
  if (base.size() > kMaxBoundaryBase) base.resize(kMaxBoundaryBase);
  for (uint64_t attempt = 0;; ++attempt) {
    const std::string boundary = attempt == 0 ? base : fmt::format("{}={:x}", base, attempt);
    if (!AnyContains(parts, boundary)) return boundary;
  }
}

std::string_view SubjectOf(Kind kind) {
  switch (kind) {
    case Kind::kBounce:
      return "Undelivered Mail Returned to Sender";
    case Kind::kDelay:
      return "Delayed Mail (still being retried)";
    case Kind::kSuccess:
      return "Successful Mail Delivery Report";
  }
  return "";
}

}  // namespace

std::string_view DsnActionName(DsnAction action) {
  switch (action) {
    case DsnAction::kFailed:
      return "failed";
    case DsnAction::kDelayed:
      return "delayed";
    case DsnAction::kDelivered:
      return "delivered";
    case DsnAction::kRelayed:
      return "relayed";
    case DsnAction::kExpanded:
      return "expanded";
  }
  return "failed";
}

Result<std::string> BuildDsn(const DsnRequest& request) {
  if (Result<void> ok = CheckRequest(request); !ok) return tl::unexpected(ok.error());
  const Kind kind = KindOf(request.recipients);
  // RFC 6533 §6.2: UTF-8 recipient addresses need message/global-delivery-status.
  const bool global = std::any_of(
      request.recipients.begin(), request.recipients.end(), [](const RecipientReport& r) {
        return HasNonAscii(r.address) || HasNonAscii(r.original_recipient.value_or(""));
      });

  bool returned_full = false;
  Entity returned = ReturnedPart(request, &returned_full);
  std::vector<Entity> parts;
  parts.push_back(TextPart(request, kind, global, returned_full));
  parts.push_back(StatusPart(request, global));
  parts.push_back(std::move(returned));
  const std::string boundary = PickBoundary(request, parts);
  const bool eight_bit =
      std::any_of(parts.begin(), parts.end(), [](const Entity& part) { return part.eight_bit; });

  std::string out;
  out += Field("Date", Date(request, request.now));
  out += Field("From",
               fmt::format("\"Mail Delivery System\" <MAILER-DAEMON@{}>", request.reporting_host));
  out += Field("To", request.envelope_sender);
  out += Field("Subject", SubjectOf(kind));
  out += Field("Message-ID", request.message_id);
  out += "Auto-Submitted: auto-replied\r\n";  // RFC 3834 §5
  out += "MIME-Version: 1.0\r\n";
  out += fmt::format("Content-Type: multipart/report; report-type={};\r\n\tboundary=\"{}\"\r\n",
                     global ? "global-delivery-status" : "delivery-status", boundary);
  out += fmt::format("Content-Transfer-Encoding: {}\r\n", eight_bit ? "8bit" : "7bit");
  out += "\r\nThis is a MIME-encapsulated delivery status notification.\r\n";
  for (const Entity& part : parts) {
    // The CRLF before each delimiter belongs to the delimiter (RFC 2046 §5.1.1).
    out += fmt::format("\r\n--{}\r\n", boundary);
    out += part.header;
    out += "\r\n";
    out += part.body;
  }
  out += fmt::format("\r\n--{}--\r\n", boundary);
  return out;
}

}  // namespace pigeon::mta::queue
