#include "mta/client/capabilities.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pigeon::mta::client {
namespace {

Capabilities Parse(std::vector<std::string> lines) {
  return ParseEhloReply({.code = 250, .lines = std::move(lines)});
}

TEST(ParseEhloReply, ReadsTheExtensionsWeUse) {
  Capabilities caps =
      Parse({"mx.example.org Hello", "PIPELINING", "SIZE 10240000", "8BITMIME", "SMTPUTF8",
             "STARTTLS", "ENHANCEDSTATUSCODES", "CHUNKING", "AUTH PLAIN LOGIN CRAM-MD5", "DSN"});
  EXPECT_TRUE(caps.pipelining);
  EXPECT_TRUE(caps.size);
  EXPECT_EQ(caps.size_limit, 10240000u);
  EXPECT_TRUE(caps.eight_bit_mime);
  EXPECT_TRUE(caps.smtputf8);
  EXPECT_TRUE(caps.starttls);
  EXPECT_TRUE(caps.enhanced_status_codes);
  EXPECT_EQ(caps.auth, (std::vector<std::string>{"PLAIN", "LOGIN", "CRAM-MD5"}));
}

TEST(ParseEhloReply, FirstLineIsTheServerNameOnly) {
  Capabilities caps = Parse({"PIPELINING"});
  EXPECT_FALSE(caps.pipelining);
}

TEST(ParseEhloReply, KeywordsAreCaseInsensitive) {
  Capabilities caps = Parse({"mx", "pipelining", "Size", "8bitmime", "starttls", "auth login"});
  EXPECT_TRUE(caps.pipelining);
  EXPECT_TRUE(caps.size);
  EXPECT_EQ(caps.size_limit, 0u);
  EXPECT_TRUE(caps.eight_bit_mime);
  EXPECT_TRUE(caps.starttls);
  EXPECT_TRUE(caps.OffersAuth("LOGIN"));
}

TEST(ParseEhloReply, OldAuthFormMergesWithTheNewOne) {
  Capabilities caps = Parse({"mx", "AUTH=LOGIN PLAIN", "AUTH LOGIN"});
  EXPECT_EQ(caps.auth, (std::vector<std::string>{"LOGIN", "PLAIN"}));
}

TEST(ParseEhloReply, MalformedSizeMeansNoLimit) {
  for (std::string value : {"SIZE abc", "SIZE -5", "SIZE 99999999999999999999999", "SIZE 12x"}) {
    Capabilities caps = Parse({"mx", value});
    EXPECT_TRUE(caps.size) << value;
    EXPECT_EQ(caps.size_limit, 0u) << value;
  }
}

TEST(ParseEhloReply, MechanismListIsBounded) {
  std::string many = "AUTH";
  for (int i = 0; i < 100; ++i) many += " M" + std::to_string(i);
  EXPECT_EQ(Parse({"mx", many}).auth.size(), kMaxAuthMechanisms);
}

TEST(ParseEhloReply, EmptyLinesAreIgnored) {
  Capabilities caps = Parse({"sink", "PIPELINING", ""});
  EXPECT_TRUE(caps.pipelining);
}

}  // namespace
}  // namespace pigeon::mta::client
