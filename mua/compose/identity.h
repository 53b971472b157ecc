// The owner's identities ([[identity]] in pigeon.conf, plus the owner's own): which From a
// message goes out with, the signature its draft gets and the folder its sent copy goes to.
// A reply takes the identity the original was sent to, as mutt's $reverse_name does: the
// first identity with an address among the original's To, Cc, Delivered-To or X-Original-To.
// Pure but for the signature file, which is read through the function given.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/config.h"
#include "common/message/address.h"
#include "common/message/message.h"
#include "common/util/result.h"

namespace pigeon::mua::compose {

struct Identity {
  std::string from;                    // the From as the editor shows it
  message::Mailbox address;            // its addr-spec, parsed
  std::vector<std::string> addresses;  // more addresses that pick it; "*@domain" for a domain
  std::string signature;
  std::string signature_file;
  std::string fcc;  // "" = the Sent folder
};

class Identities {
 public:
  // `owner_from` is the owner's From ("Ada Lovelace <ada@example.org>"): the identity of new
  // mail and of replies no other identity matches, unless an [[identity]] has its address.
  // Identities whose from does not parse are skipped (the config checked them already).
  Identities(std::string_view owner_from, const std::vector<config::Identity>& configured);

  const Identity& Default() const { return identities_.front(); }
  const Identity& ForReply(const message::Message& original) const;
  // The identity whose address is `from`'s (after the editor: the user may have changed the
  // From); the default when none is.
  const Identity& ForFrom(const message::Mailbox& from) const;
  // Every identity's address, for a group reply to leave out.
  std::vector<message::Mailbox> OwnAddresses() const;

 private:
  std::vector<Identity> identities_;  // never empty: the default first
};

// Whether `identity` answers for `address`: its own address (the local part exactly, the
// domain in any case) or one of its addresses, "*@domain" matching the whole domain.
bool Answers(const Identity& identity, const message::Mailbox& address);

// The identity's signature text: the file's (read through `read_file`, whose errors name
// the path) or the inline one.
using FileReader = std::function<Result<std::string>(const std::string& path)>;
Result<std::string> SignatureOf(const Identity& identity, const FileReader& read_file);

// `body` with the signature after a "-- " line (RFC 3676 §4.3), as mutt appends it to a draft;
// `body` unchanged when the signature is empty.
std::string WithSignature(std::string body, std::string_view signature);

}  // namespace pigeon::mua::compose
