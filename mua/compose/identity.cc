// See identity.h.
#include "mua/compose/identity.h"

#include "common/message/header.h"

namespace pigeon::mua::compose {
namespace {

Identity FromConfig(const config::Identity& configured, message::Mailbox address) {
  Identity identity;
  identity.from = configured.from;
  identity.address = std::move(address);
  identity.addresses = configured.addresses;
  identity.signature = configured.signature;
  identity.signature_file = configured.signature_file;
  identity.fcc = configured.fcc;
  return identity;
}

bool SameAddress(const message::Mailbox& a, const message::Mailbox& b) {
  return a.local_part == b.local_part && message::EqualsIgnoreCase(a.domain, b.domain);
}

}  // namespace

Identities::Identities(std::string_view owner_from,
                       const std::vector<config::Identity>& configured) {
  Identity owner;
  owner.from = std::string(owner_from);
  if (Result<message::Mailbox> parsed = message::ParseNamedMailbox(owner_from); parsed) {
    owner.address = *parsed;
  }
  identities_.push_back(std::move(owner));
  for (const config::Identity& entry : configured) {
    Result<message::Mailbox> parsed = message::ParseNamedMailbox(entry.from);
    if (!parsed) continue;
    if (SameAddress(*parsed, identities_.front().address)) {
      identities_.front() = FromConfig(entry, *parsed);  // the owner's own, with a signature
    } else {
      identities_.push_back(FromConfig(entry, *parsed));
    }
  }
}

bool Answers(const Identity& identity, const message::Mailbox& address) {
  if (address.local_part.empty()) return false;
  if (SameAddress(address, identity.address)) return true;
  for (const std::string& pattern : identity.addresses) {
    if (pattern.starts_with("*@")) {
      if (message::EqualsIgnoreCase(std::string_view(pattern).substr(2), address.domain)) {
        return true;
      }
      continue;
    }
    Result<message::Mailbox> parsed = message::ParseMailbox(pattern);
    if (parsed && SameAddress(*parsed, address)) return true;
  }
  return false;
}

const Identity& Identities::ForReply(const message::Message& original) const {
  for (std::string_view field : {"To", "Cc", "Delivered-To", "X-Original-To"}) {
    for (const message::Mailbox& address : original.AddressesOf(field)) {
      // Another identity first: the default answers for the owner's address anyway.
      for (size_t i = 1; i < identities_.size(); ++i) {
        if (Answers(identities_[i], address)) return identities_[i];
      }
    }
  }
  return Default();
}

const Identity& Identities::ForFrom(const message::Mailbox& from) const {
  for (const Identity& identity : identities_) {
    if (SameAddress(identity.address, from)) return identity;
  }
  return Default();
}

std::vector<message::Mailbox> Identities::OwnAddresses() const {
  std::vector<message::Mailbox> own;
  for (const Identity& identity : identities_) {
    if (!identity.address.local_part.empty()) own.push_back(identity.address);
  }
  return own;
}

Result<std::string> SignatureOf(const Identity& identity, const FileReader& read_file) {
  if (identity.signature_file.empty()) return identity.signature;
  Result<std::string> text = read_file(identity.signature_file);
  if (!text) {
    return MakeError(text.error().code, "signature " + text.error().message);
  }
  return text;
}

std::string WithSignature(std::string body, std::string_view signature) {
  while (!signature.empty() && (signature.back() == '\n' || signature.back() == '\r')) {
    signature.remove_suffix(1);
  }
  if (signature.empty()) return body;
  // A file that already starts with the separator keeps its own.
  const bool has_separator = signature.starts_with("-- \n") || signature == "-- ";
  if (!body.empty() && !body.ends_with('\n')) body += '\n';
  body += '\n';
  if (!has_separator) body += "-- \n";
  body += signature;
  body += '\n';
  return body;
}

}  // namespace pigeon::mua::compose
