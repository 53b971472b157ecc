#include "common/util/sha256.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "common/util/check.h"

namespace pigeon {

std::string Sha256Hex(std::string_view bytes) {
  // Hashing needs no openssl.cnf: reading and parsing it cost sendmail 3 ms a run.
  static const bool initialized = OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr) == 1;
  (void)initialized;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  PIGEON_CHECK(EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) == 1);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 15]);
  }
  return hex;
}

}  // namespace pigeon
