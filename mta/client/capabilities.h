// What an ESMTP server offers in its EHLO reply (RFC 5321 §4.1.1.1): the extensions the client
// uses (PIPELINING RFC 2920, SIZE RFC 1870, 8BITMIME RFC 6152, SMTPUTF8 RFC 6531, STARTTLS
// RFC 3207, AUTH RFC 4954 and its pre-standard "AUTH=" form, ENHANCEDSTATUSCODES RFC 2034).
// Unknown keywords (CHUNKING among them) are ignored; a malformed parameter reads as absent.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mta/client/reply_reader.h"

namespace pigeon::mta::client {

inline constexpr size_t kMaxAuthMechanisms = 32;

struct Capabilities {
  bool pipelining = false;
  bool size = false;
  uint64_t size_limit = 0;  // 0: none announced
  bool eight_bit_mime = false;
  bool smtputf8 = false;
  bool starttls = false;
  bool enhanced_status_codes = false;
  std::vector<std::string> auth;  // mechanism names, upper-cased, bounded

  bool OffersAuth(std::string_view mechanism) const;
};

// Reads the lines of a 250 reply to EHLO; the first names the server and is skipped.
Capabilities ParseEhloReply(const ServerReply& reply);

}  // namespace pigeon::mta::client
