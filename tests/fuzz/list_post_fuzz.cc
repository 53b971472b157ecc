// Fuzzes ListPostAddress on arbitrary bytes. Must hold for any input: no crash, and an address
// found is a full one (local part and domain) without a display name or a line break.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/message/list_post.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::optional<pigeon::message::Mailbox> address = pigeon::message::ListPostAddress(input);
  if (!address) return 0;
  if (address->local_part.empty() || address->domain.empty() || !address->name.empty()) {
    std::abort();
  }
  if (address->AddrSpec().find_first_of("\r\n") != std::string::npos) std::abort();
  return 0;
}
