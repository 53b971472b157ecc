// STUB: replaced by the real implementation.
#include "common/message/address.h"

namespace pigeon::message {
std::string Mailbox::AddrSpec() const { return local_part + "@" + domain; }
std::vector<Mailbox> AddressList::Mailboxes() const { return {}; }
AddressList ParseAddressList(std::string_view, Defects*) { return {}; }
Result<Mailbox> ParseMailbox(std::string_view) { return Mailbox{}; }
std::string FormatMailbox(const Mailbox& m) { return m.AddrSpec(); }
std::string FormatAddressList(const AddressList&) { return {}; }
Result<std::string> DomainToAscii(std::string_view d) { return std::string(d); }
Result<std::string> DomainToUnicode(std::string_view d) { return std::string(d); }
}  // namespace pigeon::message
