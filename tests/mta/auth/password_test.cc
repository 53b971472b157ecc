#include "mta/auth/password.h"

#include <gtest/gtest.h>

namespace pigeon::mta::auth {
namespace {

TEST(PasswordTest, HashesWithYescryptAndVerifies) {
  Result<std::string> hash = HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash) << hash.error().message;
  EXPECT_EQ(hash->rfind("$y$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse battery stapl", *hash));
  EXPECT_FALSE(VerifyPassword("", *hash));
  EXPECT_NE(*HashPassword("correct horse battery staple"), *hash) << "salts must differ";
}

TEST(PasswordTest, AcceptsOtherCryptMethodsAndRejectsJunk) {
  // SHA-512 crypt of "secret" with salt "saltsalt" (openssl passwd -6 -salt saltsalt secret).
  const std::string sha512 =
      "$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq."
      "H91p5hVO1";
  EXPECT_TRUE(VerifyPassword("secret", sha512));
  EXPECT_FALSE(VerifyPassword("Secret", sha512));
  for (const char* junk : {"", "*", "!", "$y$", "plaintext", "$6$saltsalt$"}) {
    EXPECT_FALSE(VerifyPassword("secret", junk)) << junk;
    EXPECT_FALSE(VerifyPassword("", junk)) << junk;
  }
  EXPECT_FALSE(VerifyPassword(std::string_view("sec\0ret", 7), sha512));
  EXPECT_FALSE(HashPassword(std::string_view("a\0b", 3)));
}

}  // namespace
}  // namespace pigeon::mta::auth
