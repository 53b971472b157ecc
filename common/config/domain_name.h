// Domain names as pigeon compares them: lower-case ASCII, IDN U-labels converted to A-labels
// (libidn2, through common/message), and checked to be a host name. Shared by the configuration
// (local domains, hostname, owner) and the recipient policy, so both spell a domain the same way.
#pragma once

#include <string>
#include <string_view>

#include "common/util/result.h"

namespace pigeon::config {

// "Bücher.Example" → "xn--bcher-kva.example". Fails for an empty name, an empty label (leading,
// doubled or trailing dot), a label over 63 octets or a name over 253, a character other than
// letters, digits and '-' (or '-' at either end of a label), an all-numeric last label (an IP
// address is written as an address literal, never as a domain), and what IDNA refuses.
Result<std::string> NormalizeDomainName(std::string_view name);

}  // namespace pigeon::config
