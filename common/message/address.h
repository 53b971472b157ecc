// RFC 5322 §3.4 addresses: mailbox lists and address lists with display names, quoted strings,
// comments, groups, and the obsolete forms of §4.4 (obs-route, obs-local-part, missing commas,
// empty list elements). Display names are decoded (RFC 2047) to UTF-8; addr-specs keep their
// octets (an SMTPUTF8 local part or a U-label domain stays UTF-8). Formatting quotes only what
// must be quoted. IDN conversion uses libidn2 (IDNA 2008 with UTS #46 mapping).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/message/defect.h"
#include "common/util/result.h"

namespace pigeon::message {

struct Mailbox {
  std::string name;        // display name decoded to UTF-8, "" when absent
  std::string local_part;  // unquoted form: `"a b"@x` gives `a b`
  std::string domain;      // as written (no IDN conversion), "" when missing

  // local@domain with the local part quoted only when it is not a dot-atom (RFC 5322 §3.4.1).
  std::string AddrSpec() const;
  bool operator==(const Mailbox&) const = default;
};

struct Group {
  std::string name;
  std::vector<Mailbox> members;
  bool operator==(const Group&) const = default;
};

using Address = std::variant<Mailbox, Group>;

struct AddressList {
  std::vector<Address> items;
  // Every mailbox in order, group members in place of their groups.
  std::vector<Mailbox> Mailboxes() const;
};

// Bounds for hostile input: at most this many addresses are returned (kLimitExceeded after).
inline constexpr size_t kMaxAddresses = 10000;

// Parses an address-list (To, Cc, From, Reply-To, …) from an unfolded or folded field value.
// Never fails: unparseable stretches are skipped up to the next comma, with a defect.
AddressList ParseAddressList(std::string_view value, Defects* defects);

// Parses a single addr-spec or angle-addr as given on an SMTP command line or a command line
// ("user@example.org", "<user@example.org>"); fails when it is not exactly one mailbox.
Result<Mailbox> ParseMailbox(std::string_view value);
// One mailbox as a From field holds it, a display name allowed ("Ada <ada@example.org>");
// fails unless it is exactly one full address.
Result<Mailbox> ParseNamedMailbox(std::string_view value);

// "Name <local@domain>", "local@domain" when there is no name; the name is quoted when it is
// not a phrase of atoms and encoded (RFC 2047) when not ASCII.
std::string FormatMailbox(const Mailbox& mailbox);
// Mailboxes and groups joined with ", ".
std::string FormatAddressList(const AddressList& list);

// IDNA: U-labels to A-labels ("bücher.example" → "xn--bcher-kva.example") and back. ASCII
// input is returned lower-cased and unchanged otherwise. Fails for a domain IDNA refuses.
Result<std::string> DomainToAscii(std::string_view domain);
Result<std::string> DomainToUnicode(std::string_view domain);

}  // namespace pigeon::message
