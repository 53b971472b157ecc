// Fuzzes ParseAddressList on arbitrary bytes, then formats what it found and parses that
// again. Must hold for any input: no crash, no line break in formatted output (it goes into
// header fields), bounded count; for ASCII input the re-parse finds the same mailboxes count.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/message/address.h"

using pigeon::message::AddressList;
using pigeon::message::Defects;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Defects defects;
  const AddressList list = pigeon::message::ParseAddressList(input, &defects);
  const size_t count = list.Mailboxes().size();
  if (count > pigeon::message::kMaxAddresses) std::abort();

  const std::string formatted = pigeon::message::FormatAddressList(list);
  if (formatted.find_first_of("\r\n") != std::string::npos) std::abort();
  const AddressList again = pigeon::message::ParseAddressList(formatted, nullptr);

  bool ascii = true;
  for (char c : input) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii && again.Mailboxes().size() != count) std::abort();

  (void)pigeon::message::ParseMailbox(input);
  return 0;
}
