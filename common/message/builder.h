// Composing messages: a Draft (addresses, subject, UTF-8 text, attachments) becomes RFC 5322
// + MIME bytes with CRLF line ends and every line ≤ 998 octets. Text is sent as 7bit when it
// can be, 8bit when lines are short and it is valid UTF-8 (for 8BITMIME peers), else
// quoted-printable; attachments in base64 with RFC 2231 file names. Pure: time, randomness and
// MIME-type sniffing come from the caller through BuildContext.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/message/address.h"

namespace pigeon::message {

// Guesses a MIME type from content and file name (the real one uses libmagic; tests use fakes).
class MimeTypeSniffer {
 public:
  virtual ~MimeTypeSniffer() = default;
  // A lower-case "type/subtype", "application/octet-stream" when nothing better is known.
  virtual std::string Sniff(std::string_view content, std::string_view filename) const = 0;
};

// A sniffer that only looks at the file name's extension (a small built-in table).
class ExtensionSniffer : public MimeTypeSniffer {
 public:
  std::string Sniff(std::string_view content, std::string_view filename) const override;
};

struct Attachment {
  std::string filename;      // UTF-8, without directories
  std::string content;       // raw bytes
  std::string content_type;  // "" = ask the sniffer
  bool inline_disposition = false;
};

struct Draft {
  Mailbox from;
  std::vector<Mailbox> to, cc, bcc, reply_to;
  std::string subject;                  // UTF-8
  std::string text;                     // UTF-8 text/plain body, any line ends
  std::optional<std::string> html;      // when set: multipart/alternative text + html
  std::vector<Attachment> attachments;  // when any: multipart/mixed
  std::optional<std::string> in_reply_to;
  std::vector<std::string> references;
  std::vector<std::pair<std::string, std::string>> extra_headers;  // name, UTF-8 value
  bool include_bcc = false;  // Bcc is kept only in drafts, never on the wire
  bool allow_8bit = true;    // false: 7bit/quoted-printable only
};

struct BuildContext {
  int64_t now_utc_seconds = 0;
  int zone_offset_minutes = 0;
  std::string message_id_domain = "localhost";  // right side of the Message-ID
  std::function<uint64_t()> random;             // boundaries and Message-ID uniqueness
  const MimeTypeSniffer* sniffer = nullptr;     // nullptr: ExtensionSniffer
};

// The complete message, CRLF line ends, starting with Date, From, …, MIME-Version.
std::string BuildMessage(const Draft& draft, const BuildContext& context);

// "<20261129140307.1f2e3d4c5b6a7980@domain>".
std::string MakeMessageId(const BuildContext& context);

}  // namespace pigeon::message
