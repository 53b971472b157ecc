// Composing RFC 5322 + MIME messages (RFC 2045 §6, RFC 2046 §5.1, RFC 2231); see builder.h.
// The Draft comes from the user and is trusted for meaning but not for form: control
// characters that could inject header fields are removed, over-long items are bounded, and
// every field is checked (CRLF only, lines ≤ 998 octets) before it is written. Encoding of
// words, parameters, addresses and bodies is delegated to codec/encoded_word/address/mime.
#include "common/message/builder.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <random>

#include <fmt/format.h>

#include "common/message/address.h"
#include "common/message/charset.h"
#include "common/message/codec.h"
#include "common/message/date.h"
#include "common/message/encoded_word.h"
#include "common/message/field_fold.h"
#include "common/message/header.h"
#include "common/message/mime.h"

namespace pigeon::message {
namespace {

constexpr size_t kMaxLine = 998;         // RFC 5322 §2.1.1 MUST, without the CRLF
constexpr size_t kRecommendedLine = 78;  // RFC 5322 §2.1.1 SHOULD
constexpr size_t kMaxFilename = 255;     // what file systems store; keeps parameters short
constexpr std::string_view kBoundaryPrefix = "=_pigeon_";  // "=_" never occurs in QP or base64
constexpr std::string_view kOctetStream = "application/octet-stream";

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

// Draws from the caller's generator; a default-constructed BuildContext has none, and then
// a locally seeded generator keeps Message-IDs unique rather than failing.
class RandomSource {
 public:
  explicit RandomSource(const std::function<uint64_t()>& random) : random_(random) {}
  uint64_t Next() {
    if (random_) return random_();
    if (!fallback_) {
      std::random_device device;
      fallback_.emplace((uint64_t{device()} << 32) | device());
    }
    return (*fallback_)();
  }

 private:
  const std::function<uint64_t()>& random_;
  std::optional<std::mt19937_64> fallback_;
};

// ---- Header fields -------------------------------------------------------------------------

// Appends "Name: value" CRLF, folded; a field that still cannot be made well formed is left
// out rather than sent broken (see IsWellFormedField).
void AppendField(std::string& out, std::string_view name, std::string_view value) {
  std::string field = FoldField(fmt::format("{}: {}", name, value));
  if (IsWellFormedField(field)) out.append(field).append("\r\n");
}

// Line breaks in one-line texts (subject, display names) would end the field: they become
// spaces, which is what unfolding would have made of them.
std::string OneLine(std::string_view utf8) {
  std::string in = SanitizeUtf8(utf8);
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    bool crlf = in[i] == '\r' && i + 1 < in.size() && in[i + 1] == '\n';
    out.push_back(in[i] == '\r' || in[i] == '\n' ? ' ' : in[i]);
    if (crlf) ++i;
  }
  return out;
}

std::string WithoutControls(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (!IsControl(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out;
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c & 0x80) == 0; });
}

// The addr-spec as it can go on the wire: a U-label domain becomes its A-label so no
// SMTPUTF8 is needed for it; a UTF-8 local part has no ASCII form and stays (RFC 6532), the
// one place 8-bit octets reach the header. nullopt for a local part that is not UTF-8 or a
// non-ASCII domain IDNA refuses.
std::optional<Mailbox> WireAddrSpec(const Mailbox& mailbox) {
  Mailbox clean{OneLine(mailbox.name), WithoutControls(mailbox.local_part),
                WithoutControls(mailbox.domain)};
  if (clean.local_part.empty() || !IsValidUtf8(clean.local_part)) return std::nullopt;
  if (!IsAscii(clean.domain)) {
    Result<std::string> ascii = DomainToAscii(clean.domain);
    if (!ascii) return std::nullopt;  // not a host name any MTA could resolve
    clean.domain = *ascii;
  }
  return clean;
}

// A mailbox as it can go on the wire, or "" for none. A display name that no fold brings
// under 998 octets (one enormous ASCII word) is dropped rather than losing the whole field.
std::string WireMailbox(std::string_view field_name, const Mailbox& mailbox) {
  std::optional<Mailbox> clean = WireAddrSpec(mailbox);
  if (!clean) return {};
  auto fits = [field_name](const std::string& text) {
    return IsWellFormedField(FoldField(fmt::format("{}: {}", field_name, text)));
  };
  std::string text = FormatMailbox(*clean);
  if (fits(text)) return text;
  clean->name.clear();
  text = FormatMailbox(*clean);
  return fits(text) ? text : std::string();
}

// Mailboxes separated by ", ", a fold before a mailbox that would pass column 78.
std::string AddressListValue(std::string_view name, const std::vector<Mailbox>& mailboxes) {
  std::string value;
  size_t column = name.size() + 2;
  for (const Mailbox& mailbox : mailboxes) {
    std::string text = WireMailbox(name, mailbox);
    if (text.empty()) continue;
    if (!value.empty()) {
      bool fold = column + 2 + text.size() > kRecommendedLine;
      value.append(fold ? ",\r\n " : ", ");
      column = fold ? 1 : column + 2;
    }
    value.append(text);
    column += text.size();
  }
  return value;
}

void AppendAddressField(std::string& out, std::string_view name, const std::vector<Mailbox>& list) {
  std::string value = AddressListValue(name, list);
  if (!value.empty()) AppendField(out, name, value);
}

// "<id>" tokens from a user-supplied list: brackets added when missing; malformed, non-ASCII
// and over-long ids (no whitespace may split a msg-id, so they could never fit a line) dropped.
std::vector<std::string> MessageIds(const std::vector<std::string>& texts) {
  std::vector<std::string> ids;
  for (const std::string& text : texts) {
    std::string_view rest = text;
    while (!rest.empty()) {
      size_t start = rest.find_first_not_of(" \t\r\n");
      if (start == std::string_view::npos) break;
      size_t end = rest.find_first_of(" \t\r\n", start);
      std::string core = WithoutControls(rest.substr(start, end - start));
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
      if (core.starts_with('<')) core.erase(0, 1);
      if (core.ends_with('>')) core.pop_back();
      bool bad = core.empty() || core.find_first_of("<>") != std::string::npos || !IsAscii(core) ||
                 core.size() + 2 + std::string_view("In-Reply-To: ").size() > kMaxLine;
      if (!bad) ids.push_back("<" + core + ">");
    }
  }
  return ids;
}

void AppendIdField(std::string& out, std::string_view name, const std::vector<std::string>& ids) {
  if (ids.empty()) return;
  size_t total = name.size() + 2;
  for (const std::string& id : ids) total += id.size() + 1;
  std::string value;
  for (const std::string& id : ids) {
    if (!value.empty()) value.append(total > kRecommendedLine ? "\r\n " : " ");
    value.append(id);
  }
  AppendField(out, name, value);
}

// Fields the builder writes itself; an extra header of the same name would duplicate them
// (and an extra "Bcc" would leak what include_bcc = false hides).
bool IsReservedField(std::string_view name) {
  static constexpr std::array<std::string_view, 11> kReserved = {
      "date",    "from",       "to",          "cc",         "bcc",         "reply-to",
      "subject", "message-id", "in-reply-to", "references", "mime-version"};
  std::string lower = AsciiLower(name);
  if (lower.starts_with("content-")) return true;
  return std::find(kReserved.begin(), kReserved.end(), lower) != kReserved.end();
}

bool IsValidFieldName(std::string_view name) {
  if (name.empty() || name.size() + 2 > kRecommendedLine) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return c >= 33 && c <= 126 && c != ':'; });
}

void AppendUnstructured(std::string& out, std::string_view name, std::string_view utf8) {
  AppendField(out, name, EncodeUnstructured(OneLine(utf8), name.size() + 2));
}

// `utc_seconds` as "YYYYMMDDHHMMSS" in UTC, clamped to the years 1970..9999.
std::string CompactUtc(int64_t utc_seconds) {
  using namespace std::chrono;
  constexpr int64_t kLast = 253402300799;  // 9999-12-31T23:59:59Z
  sys_seconds time{seconds{std::clamp<int64_t>(utc_seconds, 0, kLast)}};
  sys_days day = floor<days>(time);
  year_month_day date{day};
  hh_mm_ss clock{time - day};
  return fmt::format("{:04}{:02}{:02}{:02}{:02}{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     clock.hours().count(), clock.minutes().count(), clock.seconds().count());
}

// The right side of a Message-ID must be a dot-atom in ASCII; anything else becomes
// "localhost" rather than an id a parser would reject.
std::string MessageIdDomain(std::string_view domain) {
  Result<std::string> ascii = DomainToAscii(domain);
  if (!ascii || ascii->empty()) return "localhost";
  for (char c : *ascii) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_';
    if (!ok) return "localhost";
  }
  return *ascii;
}

std::string MessageIdFrom(const BuildContext& context, RandomSource& random) {
  return fmt::format("<{}.{:016x}@{}>", CompactUtc(context.now_utc_seconds), random.Next(),
                     MessageIdDomain(context.message_id_domain));
}

// ---- MIME entities -------------------------------------------------------------------------

// A MIME entity not yet placed: its Content-* fields (CRLF-terminated) and its encoded body.
struct Entity {
  std::string header;
  std::string body;
  bool eight_bit = false;  // the body holds 8-bit octets (its container must say 8bit)
};

// What decides a transfer encoding (RFC 2045 §2.7, §2.8).
struct BodyShape {
  bool ascii = true;        // no octet ≥ 128
  bool clean = true;        // no NUL, CR and LF only as CRLF
  size_t longest_line = 0;  // octets, without the CRLF
};

BodyShape Shape(std::string_view bytes) {
  BodyShape shape;
  size_t line_start = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    bool after_cr = i > 0 && bytes[i - 1] == '\r';
    if (c >= 128) shape.ascii = false;
    if (c == '\0') shape.clean = false;
    if (c == '\r' && (i + 1 == bytes.size() || bytes[i + 1] != '\n')) shape.clean = false;
    if (c != '\n') continue;
    if (!after_cr) shape.clean = false;
    shape.longest_line = std::max(shape.longest_line, i - line_start - (after_cr ? 1 : 0));
    line_start = i + 1;
  }
  shape.longest_line = std::max(shape.longest_line, bytes.size() - line_start);
  return shape;
}

// LF alone becomes CRLF and the text ends with a line break; a CR alone is kept as data
// (quoted-printable carries it as =0D).
std::string NormalizeText(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32 + 2);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out.push_back('\r');
    out.push_back(text[i]);
  }
  if (!out.empty() && !out.ends_with("\r\n")) out.append("\r\n");
  return out;
}

// Appends "; param" to a field value, on a new line when it would pass column 78.
void AppendParameter(std::string& field, std::string_view param) {
  size_t line_start = field.rfind("\r\n");
  size_t column = field.size() - (line_start == std::string::npos ? 0 : line_start + 2);
  size_t first = std::min(param.find("\r\n"), param.size());
  field.append(column + 2 + first > kRecommendedLine ? ";\r\n " : "; ");
  field.append(param);
}

std::string ParameterizedField(std::string_view name, std::string_view value,
                               const std::vector<std::string>& params) {
  std::string field = fmt::format("{}: {}", name, value);
  for (const std::string& param : params) AppendParameter(field, param);
  field = FoldField(field);
  return IsWellFormedField(field) ? field + "\r\n" : fmt::format("{}: {}\r\n", name, value);
}

// text/plain or text/html from UTF-8: 7bit, else 8bit, else quoted-printable (see builder.h).
Entity TextEntity(std::string_view subtype, std::string_view utf8, bool allow_8bit) {
  std::string text = NormalizeText(SanitizeUtf8(utf8));
  BodyShape shape = Shape(text);
  bool short_lines = shape.longest_line <= kMaxLine;
  std::string_view encoding = "quoted-printable";
  if (shape.clean && short_lines && shape.ascii) {
    encoding = "7bit";
  } else if (shape.clean && short_lines && allow_8bit) {
    encoding = "8bit";
  }
  Entity entity;
  entity.header = ParameterizedField("Content-Type", fmt::format("text/{}", subtype),
                                     {shape.ascii ? "charset=us-ascii" : "charset=utf-8"});
  entity.header += fmt::format("Content-Transfer-Encoding: {}\r\n", encoding);
  entity.eight_bit = encoding == "8bit";
  entity.body = encoding == "quoted-printable" ? EncodeQuotedPrintable(text) : std::move(text);
  return entity;
}

bool IsTokenChar(char c) {
  return c > 32 && c < 127 &&
         std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

// "type/subtype" lower-cased when well formed (parameters after ";" ignored), else "".
std::string MediaType(std::string_view text) {
  std::string type = AsciiLower(TrimWhitespace(text.substr(0, text.find(';'))));
  size_t slash = type.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == type.size()) return {};
  for (size_t i = 0; i < type.size(); ++i) {
    if (i != slash && !IsTokenChar(type[i])) return {};
  }
  return type;
}

// The attachment's own type, else the sniffer's; a multipart type is refused because the
// bytes are sent opaque and a reader would look for boundaries in them.
std::string AttachmentType(const Attachment& attachment, std::string_view filename,
                           const MimeTypeSniffer& sniffer) {
  std::string type = MediaType(attachment.content_type);
  if (type.empty()) type = MediaType(sniffer.Sniff(attachment.content, filename));
  if (type.empty() || type.starts_with("multipart/")) return std::string(kOctetStream);
  return type;
}

// Control characters removed (they could end a header line inside a quoted string) and the
// name bounded to kMaxFilename octets, keeping a short extension and whole UTF-8 characters.
std::string CleanFilename(std::string_view filename) {
  std::string name = WithoutControls(SanitizeUtf8(filename));
  if (name.size() <= kMaxFilename) return name;
  size_t dot = name.rfind('.');
  std::string extension =
      dot != std::string::npos && name.size() - dot <= 16 ? name.substr(dot) : "";
  size_t keep = kMaxFilename - extension.size();
  while (keep > 0 && (static_cast<unsigned char>(name[keep]) & 0xc0) == 0x80) --keep;
  return name.substr(0, keep) + extension;
}

// 7bit when the bytes already are canonical 7bit text (text/*, message/*), 8bit for an
// 8-bit message/rfc822 an 8BITMIME peer can carry, else base64. A message/* that is neither
// goes as base64 too: RFC 2046 §5.2.1 forbids it, but readers accept it and the bytes arrive
// intact, which rewriting its line ends would not give.
std::string_view AttachmentEncoding(std::string_view type, const BodyShape& shape,
                                    bool allow_8bit) {
  bool textual = type.starts_with("text/") || type.starts_with("message/");
  if (!textual || !shape.clean || shape.longest_line > kMaxLine) return "base64";
  if (shape.ascii) return "7bit";
  return allow_8bit && type.starts_with("message/") ? "8bit" : "base64";
}

// Content-Type parameters: a charset for text (us-ascii or utf-8 when the bytes are one of
// them, none when unknown), then the name.
std::vector<std::string> AttachmentTypeParams(std::string_view type, std::string_view content,
                                              const BodyShape& shape, std::string_view filename) {
  std::vector<std::string> params;
  if (type.starts_with("text/") && shape.ascii) {
    params.push_back("charset=us-ascii");
  } else if (type.starts_with("text/") && IsValidUtf8(content)) {
    params.push_back("charset=utf-8");
  }
  if (!filename.empty()) params.push_back(FormatParameter("name", filename));
  return params;
}

Entity AttachmentEntity(const Attachment& attachment, const MimeTypeSniffer& sniffer,
                        bool allow_8bit) {
  std::string filename = CleanFilename(attachment.filename);
  std::string type = AttachmentType(attachment, filename, sniffer);
  bool textual = type.starts_with("text/") || type.starts_with("message/");
  // Only text needs the scan; a large binary attachment is not read twice.
  BodyShape shape = textual ? Shape(attachment.content) : BodyShape{false, false, 0};
  std::string_view encoding = AttachmentEncoding(type, shape, allow_8bit);
  std::vector<std::string> disposition_params;
  if (!filename.empty()) disposition_params.push_back(FormatParameter("filename", filename));
  Entity entity;
  entity.header = ParameterizedField(
      "Content-Type", type, AttachmentTypeParams(type, attachment.content, shape, filename));
  entity.header += ParameterizedField("Content-Disposition",
                                      attachment.inline_disposition ? "inline" : "attachment",
                                      disposition_params);
  entity.header += fmt::format("Content-Transfer-Encoding: {}\r\n", encoding);
  entity.eight_bit = encoding == "8bit";
  entity.body =
      encoding == "base64" ? EncodeBase64(attachment.content, 76) : std::string(attachment.content);
  return entity;
}

bool Contains(const std::vector<Entity>& parts, std::string_view needle) {
  return std::any_of(parts.begin(), parts.end(), [needle](const Entity& part) {
    return part.header.find(needle) != std::string::npos ||
           part.body.find(needle) != std::string::npos;
  });
}

// A boundary found in no enclosed part (RFC 2046 §5.1.1). Should the caller's generator keep
// repeating itself, distinct counter-derived values take over so the search always ends.
std::string PickBoundary(const std::vector<Entity>& parts, RandomSource& random) {
  for (uint64_t attempt = 0;; ++attempt) {
    uint64_t value = attempt < 64 ? random.Next() : attempt * 0x9e3779b97f4a7c15u;
    std::string boundary = fmt::format("{}{:016x}", kBoundaryPrefix, value);
    if (!Contains(parts, boundary)) return boundary;
  }
}

Entity Multipart(std::string_view subtype, std::vector<Entity> parts, RandomSource& random) {
  std::string boundary = PickBoundary(parts, random);
  Entity entity;
  entity.eight_bit =
      std::any_of(parts.begin(), parts.end(), [](const Entity& p) { return p.eight_bit; });
  entity.header = ParameterizedField("Content-Type", fmt::format("multipart/{}", subtype),
                                     {FormatParameter("boundary", boundary)});
  entity.header +=
      fmt::format("Content-Transfer-Encoding: {}\r\n", entity.eight_bit ? "8bit" : "7bit");
  for (const Entity& part : parts) {
    // The CRLF before each delimiter belongs to the delimiter (§5.1.1), not to the part.
    entity.body.append("--").append(boundary).append("\r\n").append(part.header);
    entity.body.append("\r\n").append(part.body).append("\r\n");
  }
  entity.body.append("--").append(boundary).append("--\r\n");
  return entity;
}

Entity BodyEntity(const Draft& draft, const BuildContext& context, RandomSource& random) {
  Entity text = TextEntity("plain", draft.text, draft.allow_8bit);
  if (draft.html) {
    std::vector<Entity> alternatives;
    alternatives.push_back(std::move(text));
    alternatives.push_back(TextEntity("html", *draft.html, draft.allow_8bit));
    text = Multipart("alternative", std::move(alternatives), random);
  }
  if (draft.attachments.empty()) return text;
  ExtensionSniffer by_extension;
  const MimeTypeSniffer& sniffer = context.sniffer ? *context.sniffer : by_extension;
  std::vector<Entity> parts;
  parts.push_back(std::move(text));
  for (const Attachment& attachment : draft.attachments) {
    parts.push_back(AttachmentEntity(attachment, sniffer, draft.allow_8bit));
  }
  return Multipart("mixed", std::move(parts), random);
}

}  // namespace

// Random values are drawn for the body's boundaries first (innermost first), then for the
// Message-ID; tests with a scripted generator rely on this order.
std::string BuildMessage(const Draft& draft, const BuildContext& context) {
  RandomSource random(context.random);
  Entity body = BodyEntity(draft, context, random);
  std::string out;
  AppendField(out, "Date", FormatRfc5322Date(context.now_utc_seconds, context.zone_offset_minutes));
  AppendAddressField(out, "From", {draft.from});
  AppendAddressField(out, "To", draft.to);
  AppendAddressField(out, "Cc", draft.cc);
  if (draft.include_bcc) AppendAddressField(out, "Bcc", draft.bcc);
  AppendAddressField(out, "Reply-To", draft.reply_to);
  AppendUnstructured(out, "Subject", draft.subject);
  AppendField(out, "Message-ID", MessageIdFrom(context, random));
  if (draft.in_reply_to) AppendIdField(out, "In-Reply-To", MessageIds({*draft.in_reply_to}));
  AppendIdField(out, "References", MessageIds(draft.references));
  for (const auto& [name, value] : draft.extra_headers) {
    if (IsValidFieldName(name) && !IsReservedField(name)) AppendUnstructured(out, name, value);
  }
  out.append("MIME-Version: 1.0\r\n");
  out.append(body.header).append("\r\n").append(body.body);
  if (!body.body.empty() && !body.body.ends_with("\r\n")) out.append("\r\n");
  return out;
}

std::string MakeMessageId(const BuildContext& context) {
  RandomSource random(context.random);
  return MessageIdFrom(context, random);
}

}  // namespace pigeon::message
