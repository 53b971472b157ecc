// One SMTP command line (RFC 5321 §4.1) → verb and arguments. Verbs are case-insensitive; the
// arguments of MAIL and RCPT are parsed fully: the path (path.h) and the ESMTP parameters this
// server advertises (SIZE, BODY, SMTPUTF8; AUTH= accepted and ignored, RFC 4954 §5).
// Parameters of extensions it does not advertise (DSN's RET, ENVID, NOTIFY, ORCPT, …) are
// refused with 555 5.5.4 (§4.1.1.11). A refusal carries the exact reply to send.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "mta/smtp/reply.h"

namespace pigeon::mta::smtp {

enum class Verb {
  kEhlo,
  kHelo,
  kMail,
  kRcpt,
  kData,
  kRset,
  kNoop,
  kQuit,
  kVrfy,
  kExpn,
  kHelp,
  kStartTls,
  kAuth,
  kForbidden,  // an HTTP method: a browser or proxy abused to talk to us (Postfix closes too)
  kUnknown,
};

struct CommandLine {
  Verb verb = Verb::kUnknown;
  std::string_view argument;  // after the verb and its SP, trailing whitespace removed
};

// `line` is one command line without its line break.
CommandLine SplitCommand(std::string_view line);

enum class BodyType { kUnspecified, k7Bit, k8BitMime };

struct MailFrom {
  std::string reverse_path;                // "" for the null sender
  std::optional<uint64_t> declared_size;   // SIZE=, saturated at UINT64_MAX
  BodyType body = BodyType::kUnspecified;  // BODY=
  bool smtputf8 = false;                   // SMTPUTF8
  bool operator==(const MailFrom&) const = default;
};

// The argument of MAIL: "FROM:<reverse-path> [params]" ("FROM: <…>" accepted as well).
tl::expected<MailFrom, Reply> ParseMailFrom(std::string_view argument);

// The argument of RCPT: "TO:<forward-path> [params]", or "TO:<Postmaster>". `smtputf8`: the
// transaction's MAIL asked for SMTPUTF8, so UTF-8 addresses are allowed. Returns the address.
tl::expected<std::string, Reply> ParseRcptTo(std::string_view argument, bool smtputf8);

}  // namespace pigeon::mta::smtp
