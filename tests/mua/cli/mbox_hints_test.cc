// Tests of mua/cli/mbox_hints.h: mbox variant sniffing and Status / X-Status flags.
#include "mua/cli/mbox_hints.h"

#include <gtest/gtest.h>

#include "common/store/schema.h"

namespace pigeon::mua {
namespace {

using mailbox::MboxVariant;

constexpr std::string_view kFrom = "From a@example.org Mon Jan  1 00:00:00 2024\n";

TEST(SniffMboxVariant, Cases) {
  const struct {
    std::string name;
    std::string sample;
    MboxVariant want;
  } kCases[] = {
      {"plain mboxrd", std::string(kFrom) + "Subject: a\n\n>From x\n\n", MboxVariant::kAuto},
      {"empty", "", MboxVariant::kAuto},
      {"right lengths, raw From", std::string(kFrom) + "Content-Length: 12\n\nhi\n\nFrom me\n\n",
       MboxVariant::kMboxcl2},
      {"right lengths, quoted From", std::string(kFrom) + "Content-Length: 9\n\n>From me\n\n",
       MboxVariant::kMboxcl},
      {"wrong length",
       std::string(kFrom) + "Content-Length: 99\n\nhi\n\n" + std::string(kFrom) +
           "Content-Length: 3\n\nyo\n",
       MboxVariant::kAuto},
      {"one message without length",
       std::string(kFrom) + "Content-Length: 3\n\nhi\n\n" + std::string(kFrom) + "S: b\n\nyo\n",
       MboxVariant::kAuto},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(SniffMboxVariant(c.sample, true), c.want) << c.name;
  }
}

TEST(MboxStatusFlags, Cases) {
  using store::kFlagAnswered, store::kFlagDeleted, store::kFlagDraft, store::kFlagFlagged,
      store::kFlagSeen;
  const struct {
    std::string message;
    int want;
  } kCases[] = {
      {"Subject: x\n\nbody\n", 0},
      {"Status: O\n\n", 0},
      {"Status: RO\nX-Status: AF\n\n", kFlagSeen | kFlagAnswered | kFlagFlagged},
      {"status: R\r\nx-status: DT\r\n\r\n", kFlagSeen | kFlagDeleted | kFlagDraft},
      {"Subject: x\n\nStatus: R\n", 0},  // in the body: not a field
      {"X-Statusbar: AF\nStatuses: R\n\n", 0},
  };
  for (const auto& c : kCases) EXPECT_EQ(MboxStatusFlags(c.message), c.want) << c.message;
}

}  // namespace
}  // namespace pigeon::mua
