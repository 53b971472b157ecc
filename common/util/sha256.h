// SHA-256 of a byte string as lower-case hex (OpenSSL EVP).
#pragma once

#include <string>
#include <string_view>

namespace pigeon {

std::string Sha256Hex(std::string_view bytes);

}  // namespace pigeon
