// See password.h.
#include "mta/auth/password.h"

#include <crypt.h>
#include <openssl/crypto.h>

#include <cstring>
#include <memory>

namespace pigeon::mta::auth {

Result<std::string> HashPassword(std::string_view password) {
  if (password.find('\0') != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument, "a password cannot contain a NUL byte");
  }
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  // nullptr random bytes: libcrypt reads the kernel's random source.
  if (crypt_gensalt_rn("$y$", 0, nullptr, 0, salt, sizeof salt) == nullptr) {
    return MakeError(ErrorCode::kInternal, "crypt_gensalt: cannot make a yescrypt salt");
  }
  auto data = std::make_unique<crypt_data>();
  std::string phrase(password);
  const char* hashed = crypt_rn(phrase.c_str(), salt, data.get(), sizeof *data);
  if (hashed == nullptr || hashed[0] == '*') {
    return MakeError(ErrorCode::kInternal, "crypt: yescrypt hashing failed");
  }
  return std::string(hashed);
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  if (hash.empty() || password.find('\0') != std::string_view::npos) return false;
  auto data = std::make_unique<crypt_data>();
  std::string phrase(password);
  const char* hashed = crypt_rn(phrase.c_str(), hash.c_str(), data.get(), sizeof *data);
  if (hashed == nullptr || hashed[0] == '*') return false;
  const size_t length = std::strlen(hashed);
  return length == hash.size() && CRYPTO_memcmp(hashed, hash.data(), length) == 0;
}

}  // namespace pigeon::mta::auth
