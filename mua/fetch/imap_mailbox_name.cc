// See imap_mailbox_name.h.
#include "mua/fetch/imap_mailbox_name.h"

#include <unistr.h>

#include <cstdlib>
#include <memory>

namespace pigeon::mua::fetch {
namespace {

constexpr std::string_view kModifiedBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

bool PrintableAscii(unsigned char c) { return c >= 0x20 && c <= 0x7e; }

// UTF-16BE bytes of `units`, base64 without padding (RFC 3501 §5.1.3 drops the "=").
void AppendShifted(const uint16_t* units, size_t count, std::string& out) {
  std::string bytes;
  for (size_t i = 0; i < count; ++i) {
    bytes.push_back(static_cast<char>(units[i] >> 8));
    bytes.push_back(static_cast<char>(units[i] & 0xff));
  }
  out.push_back('&');
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kModifiedBase64[(buffer >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kModifiedBase64[(buffer << (6 - bits)) & 0x3f]);
  out.push_back('-');
}

}  // namespace

Result<std::string> EncodeMailboxName(std::string_view utf8) {
  const auto* data = reinterpret_cast<const uint8_t*>(utf8.data());
  if (u8_check(data, utf8.size()) != nullptr) {
    return MakeError(ErrorCode::kParse, "the folder name is not valid UTF-8");
  }
  std::string out;
  size_t i = 0;
  while (i < utf8.size()) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (PrintableAscii(c)) {
      out += c == '&' ? "&-" : std::string(1, static_cast<char>(c));
      ++i;
      continue;
    }
    size_t end = i;
    while (end < utf8.size() && !PrintableAscii(static_cast<unsigned char>(utf8[end]))) ++end;
    size_t count = 0;
    std::unique_ptr<uint16_t, decltype(&std::free)> units(
        u8_to_u16(data + i, end - i, nullptr, &count), &std::free);
    if (!units) return MakeError(ErrorCode::kParse, "the folder name is not valid UTF-8");
    AppendShifted(units.get(), count, out);
    i = end;
  }
  return out;
}

}  // namespace pigeon::mua::fetch
