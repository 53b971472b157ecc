// STUB: replaced by the real implementation.
#include "common/message/builder.h"

namespace pigeon::message {
std::string ExtensionSniffer::Sniff(std::string_view, std::string_view) const { return "application/octet-stream"; }
std::string BuildMessage(const Draft&, const BuildContext&) { return {}; }
std::string MakeMessageId(const BuildContext&) { return "<x@localhost>"; }
}  // namespace pigeon::message
