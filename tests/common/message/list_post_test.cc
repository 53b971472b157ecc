#include "common/message/list_post.h"

#include <gtest/gtest.h>

namespace pigeon::message {
namespace {

TEST(ListPostAddress, TheFirstMailtoUrl) {
  struct Case {
    const char* value;
    const char* want;  // nullptr: none
  } cases[] = {
      {"<mailto:dev@lists.example.org>", "dev@lists.example.org"},
      {"  <MAILTO:dev@lists.example.org>  ", "dev@lists.example.org"},
      {"<mailto:dev@lists.example.org?subject=list%20post>", "dev@lists.example.org"},
      {"<http://www.example.org/post.cgi>,\r\n <mailto:dev@example.org>", "dev@example.org"},
      {"<mailto:moderator@example.org> (Postings are moderated)", "moderator@example.org"},
      {"(comment <mailto:no@example.org>) <mailto:yes@example.org>", "yes@example.org"},
      {"<mailto:dev%40example.org>", "dev@example.org"},
      {"<mailto:dev>, <mailto:list@example.org>", "list@example.org"},
      {"NO", nullptr},
      {"NO (posting not allowed on this list)", nullptr},
      {"", nullptr},
      {"mailto:dev@example.org", nullptr},  // not in angle brackets
      {"<mailto:dev@example.org", nullptr},
      {"<mailto:a@example.org,b@example.org>", nullptr},
      {"<mailto:dev%4@example.org>", nullptr},
      {"<mailto:>", nullptr},
      {"<ftp://example.org/>", nullptr},
  };
  for (const Case& c : cases) {
    std::optional<Mailbox> got = ListPostAddress(c.value);
    if (c.want == nullptr) {
      EXPECT_FALSE(got.has_value()) << c.value << " gave " << got->AddrSpec();
    } else {
      ASSERT_TRUE(got.has_value()) << c.value;
      EXPECT_EQ(got->AddrSpec(), c.want) << c.value;
      EXPECT_EQ(got->name, "") << c.value;
    }
  }
}

}  // namespace
}  // namespace pigeon::message
