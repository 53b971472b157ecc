#include "mua/fetch/imap_mailbox_name.h"

#include <gtest/gtest.h>

namespace pigeon::mua::fetch {
namespace {

std::string Encoded(std::string_view name) {
  Result<std::string> encoded = EncodeMailboxName(name);
  EXPECT_TRUE(encoded) << encoded.error().message;
  return encoded ? *encoded : "";
}

TEST(ImapMailboxNameTest, PrintableAsciiStaysAsItIsExceptTheAmpersand) {
  EXPECT_EQ(Encoded("INBOX"), "INBOX");
  EXPECT_EQ(Encoded("Lists/dev ops"), "Lists/dev ops");
  EXPECT_EQ(Encoded("Tom & Jerry"), "Tom &- Jerry");
  EXPECT_EQ(Encoded(""), "");
}

TEST(ImapMailboxNameTest, OtherCharactersAreUtf16InModifiedBase64) {
  // RFC 3501 §5.1.3's own example: "~peter/mail/台北/日本語".
  EXPECT_EQ(Encoded("~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e"),
            "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
  EXPECT_EQ(Encoded("Entw\u00fcrfe"), "Entw&APw-rfe");
  EXPECT_EQ(Encoded("Gel\u00f6schte Elemente"), "Gel&APY-schte Elemente");
  // A character outside the BMP becomes a surrogate pair.
  EXPECT_EQ(Encoded("\U0001F600"), "&2D3eAA-");
  // Control characters are shifted too.
  EXPECT_EQ(Encoded("a\tb"), "a&AAk-b");
}

TEST(ImapMailboxNameTest, InvalidUtf8IsRefused) {
  EXPECT_FALSE(EncodeMailboxName("caf\xe9"));
  EXPECT_FALSE(EncodeMailboxName("\xed\xa0\x80"));  // an encoded surrogate
}

}  // namespace
}  // namespace pigeon::mua::fetch
