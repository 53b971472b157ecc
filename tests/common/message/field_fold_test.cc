#include "common/message/field_fold.h"

#include <gtest/gtest.h>

#include <string>

namespace pigeon::message {
namespace {

struct FoldCase {
  const char* name;
  std::string field;
  size_t width;
  std::string want;
};

TEST(FoldField, CaseTable) {
  const FoldCase cases[] = {
      {"short unchanged", "To: a@b", 78, "To: a@b"},
      {"greedy", "S: aa bb cc dd", 8, "S: aa bb\r\n cc dd"},
      {"never before the first word", "S:    aaaaaaaaaa b", 5, "S:    aaaaaaaaaa\r\n b"},
      {"long word kept whole", "S: " + std::string(20, 'x') + " y", 10,
       "S: " + std::string(20, 'x') + "\r\n y"},
      {"no whitespace at all", "S: " + std::string(20, 'x'), 10, "S: " + std::string(20, 'x')},
      {"no whitespace-only line", "S: aaaa bbbb      ", 8, "S: aaaa\r\n bbbb      "},
      {"quoted-pair kept", "S: \"a\\ b\" c", 7, "S: \"a\\ b\"\r\n c"},
      {"existing folds respected", "S: a\r\n bbbb cccc", 6, "S: a\r\n bbbb\r\n cccc"},
      {"tab is whitespace", "S: aaaa\tbbbb", 8, "S: aaaa\r\n\tbbbb"},
  };
  for (const FoldCase& c : cases) EXPECT_EQ(FoldField(c.field, c.width), c.want) << c.name;
}

struct WellFormedCase {
  const char* name;
  std::string field;
  bool want;
};

TEST(IsWellFormedField, CaseTable) {
  const WellFormedCase cases[] = {
      {"plain", "Subject: hi", true},
      {"folded", "Subject: hi\r\n there", true},
      {"998 octets", std::string(998, 'x'), true},
      {"999 octets", std::string(999, 'x'), false},
      {"999 on a continuation", "S: a\r\n" + std::string(999, ' ') + "x", false},
      {"bare lf", "Subject: a\nBcc: x", false},
      {"bare cr", "Subject: a\rb", false},
      {"crlf without wsp", "Subject: a\r\nBcc: x", false},
      {"whitespace-only line", "Subject: a\r\n  \r\n b", false},
      {"final crlf", "Subject: a\r\n", false},
      {"nul", std::string("S: a\0b", 6), false},
  };
  for (const WellFormedCase& c : cases) EXPECT_EQ(IsWellFormedField(c.field), c.want) << c.name;
}

}  // namespace
}  // namespace pigeon::message
