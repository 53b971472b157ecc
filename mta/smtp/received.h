// The trace field pigeond adds to each message it accepts (RFC 5321 §4.4), and the count of
// trace fields already there, which detects mail loops.
//
//   Received: from HELO (REVERSE [ADDRESS])
//           by HOSTNAME (pigeond) with ESMTPS (TLSv1.3 CIPHER)
//           id QUEUEID for <RCPT>; DATE
//
// With-protocol keywords per RFC 3848 (ESMTP, ESMTPA, ESMTPS, ESMTPSA, SMTP) and RFC 6531
// (UTF8SMTP, UTF8SMTPA, UTF8SMTPS, UTF8SMTPSA). The HELO argument and the reverse name are
// the peer's words: every byte outside the domain and address-literal alphabet becomes "?"
// and both are bounded, so they can neither break the field nor forge its structure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pigeon::mta::smtp {

// Lines of the field are folded to fewer than 78 columns (RFC 5322 §2.1.1) where the words
// allow it.
inline constexpr size_t kReceivedWidth = 77;
// A DNS name is at most 255 octets: longer HELO arguments and names are cut.
inline constexpr size_t kMaxTraceName = 255;

struct ReceivedStamp {
  std::string_view helo;          // the EHLO/HELO argument, as the peer sent it
  std::string_view peer_address;  // "192.0.2.1" or "2001:db8::1"
  std::string_view peer_name;     // reverse DNS name, "" when unknown
  std::string_view hostname;      // ours
  std::string_view protocol;      // WithProtocol()
  std::string_view tls_version;   // "" without TLS
  std::string_view tls_cipher;
  std::string_view queue_id;
  std::string_view recipient;  // "" for no "for" clause (more than one recipient)
  std::string_view date;       // RFC 5322 date-time
};

// The with-protocol keyword for a session: EHLO or HELO, SMTPUTF8 transaction, TLS, AUTH.
std::string_view WithProtocol(bool esmtp, bool smtputf8, bool tls, bool authenticated);

// "Received: …\r\n", folded.
std::string FormatReceived(const ReceivedStamp& stamp);

// `text` with bytes outside [A-Za-z0-9.-_:[]] replaced by "?", cut to kMaxTraceName octets.
std::string SanitizeTraceName(std::string_view text);

// The Received fields in the header section of `message` (CRLF or LF line ends).
size_t CountReceivedFields(std::string_view message);

}  // namespace pigeon::mta::smtp
