#include "mua/compose/identity.h"

#include <gtest/gtest.h>

namespace pigeon::mua::compose {
namespace {

std::vector<config::Identity> Configured() {
  config::Identity work;
  work.from = "Ada Lovelace <ada@work.example>";
  work.addresses = {"*@lists.work.example", "ada.lovelace@work.example"};
  work.signature = "Ada, Analytical Engines Ltd";
  work.fcc = "Sent/work";
  config::Identity own;  // the owner's address: her own identity gets the signature
  own.from = "Ada <ada@Example.ORG>";
  own.signature_file = "/home/ada/.signature";
  return {work, own};
}

message::Message Mail(std::string_view header) {
  return message::Message(std::string(header) + "Subject: hi\r\n\r\nbody\r\n");
}

message::Mailbox Address(std::string_view text) { return *message::ParseNamedMailbox(text); }

TEST(Identities, TheOwnersIdentityTakesItsConfiguredSettings) {
  const Identities identities("Ada Lovelace <ada@example.org>", Configured());
  EXPECT_EQ(identities.Default().from, "Ada <ada@Example.ORG>");
  EXPECT_EQ(identities.Default().signature_file, "/home/ada/.signature");
  EXPECT_EQ(identities.Default().fcc, "");
  EXPECT_EQ(identities.OwnAddresses().size(), 2u);
}

TEST(Identities, AReplyTakesTheIdentityTheMailWasSentTo) {
  const Identities identities("Ada Lovelace <ada@example.org>", Configured());
  EXPECT_EQ(identities.ForReply(Mail("To: bob@x.test\r\nCc: ada@WORK.example\r\n")).fcc,
            "Sent/work");
  EXPECT_EQ(identities.ForReply(Mail("To: dev@lists.work.example\r\n")).fcc, "Sent/work");
  EXPECT_EQ(identities
                .ForReply(Mail("To: undisclosed-recipients:;\r\n"
                               "Delivered-To: ada.lovelace@work.example\r\n"))
                .from,
            "Ada Lovelace <ada@work.example>");
  EXPECT_EQ(identities.ForReply(Mail("To: ada@example.org\r\n")).from, "Ada <ada@Example.ORG>");
  // The local part is compared exactly: Ada@work.example is another mailbox.
  EXPECT_EQ(identities.ForReply(Mail("To: Ada@work.example\r\n")).fcc, "");
}

TEST(Identities, TheDraftsFromPicksTheFcc) {
  const Identities identities("Ada Lovelace <ada@example.org>", Configured());
  EXPECT_EQ(identities.ForFrom(Address("A <ada@work.EXAMPLE>")).fcc, "Sent/work");
  EXPECT_EQ(identities.ForFrom(Address("someone@else.test")).from, "Ada <ada@Example.ORG>");
}

TEST(Identities, WithoutConfiguredOnesTheOwnerIsTheOnlyIdentity) {
  const Identities identities("Ada Lovelace <ada@example.org>", {});
  EXPECT_EQ(identities.Default().from, "Ada Lovelace <ada@example.org>");
  EXPECT_EQ(identities.ForReply(Mail("To: ada@work.example\r\n")).from,
            "Ada Lovelace <ada@example.org>");
}

TEST(Signature, FromTheFileOrInline) {
  Identity identity;
  identity.signature = "inline";
  const FileReader never = [](const std::string&) -> Result<std::string> {
    ADD_FAILURE() << "read";
    return std::string();
  };
  EXPECT_EQ(*SignatureOf(identity, never), "inline");
  identity.signature_file = "/sig";
  const FileReader reader = [](const std::string& path) -> Result<std::string> {
    if (path == "/sig") return std::string("from the file\n");
    return MakeError(ErrorCode::kIo, path + ": No such file or directory");
  };
  EXPECT_EQ(*SignatureOf(identity, reader), "from the file\n");
  identity.signature_file = "/missing";
  Result<std::string> missing = SignatureOf(identity, reader);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "signature /missing: No such file or directory");
}

TEST(Signature, AppendedAfterTheSeparatorLine) {
  EXPECT_EQ(WithSignature("", "Ada"), "\n-- \nAda\n");
  EXPECT_EQ(WithSignature("> quoted\n", "Ada\nEngines Ltd\n\n"),
            "> quoted\n\n-- \nAda\nEngines Ltd\n");
  EXPECT_EQ(WithSignature("no newline", "Ada"), "no newline\n\n-- \nAda\n");
  EXPECT_EQ(WithSignature("text\n", "-- \nAda"), "text\n\n-- \nAda\n");  // its own separator
  EXPECT_EQ(WithSignature("text\n", ""), "text\n");
}

}  // namespace
}  // namespace pigeon::mua::compose
