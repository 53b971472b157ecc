#include "mta/queue/queue_listing.h"

#include <gtest/gtest.h>

namespace pigeon::mta::queue {
namespace {

store::QueuedRecipient Recipient(std::string address, store::RecipientState state,
                                 std::string last_reply = "") {
  store::QueuedRecipient recipient;
  recipient.address = std::move(address);
  recipient.state = state;
  recipient.last_reply = std::move(last_reply);
  return recipient;
}

TEST(QueueListingTest, EmptyQueue) {
  EXPECT_EQ(FormatQueueListing({}, 0), "Mail queue is empty\n");
}

TEST(QueueListingTest, PostfixLayoutWithReasonsMarksAndTotals) {
  using State = store::RecipientState;
  store::QueuedMessage deferred;
  deferred.queue_id = "1K1D4A6B1JBYB8";
  deferred.sender = "ada@example.org";
  deferred.arrived = 1795939200;  // Sun Nov 29 08:00:00 2026 UTC
  deferred.size = 528;
  const std::string refused = "connect to mx.remote.test[127.0.0.2]:25: Connection refused";
  deferred.recipients = {Recipient("bob@remote.test", State::kDeferred, refused),
                         Recipient("carol@remote.test", State::kDeferred, refused),
                         Recipient("dave@remote.test", State::kQueued),
                         Recipient("erin@remote.test", State::kDelivered, "250 ok")};
  store::QueuedMessage held;
  held.queue_id = "1K1D4AF4YX65NG";
  held.arrived = 1795939200 + 3600;
  held.size = 1500;
  held.held = true;
  const std::string long_reply(90, 'x');
  held.recipients = {Recipient("zed@remote.test", State::kDeferred, long_reply + "\r\n")};
  store::QueuedMessage active;
  active.queue_id = "1K1D4AF5QKZ8HP";
  active.sender = "ada@example.org";
  active.arrived = 1795939200;
  active.size = 10;
  active.recipients = {Recipient("fay@remote.test", State::kInflight)};

  const std::string listing = FormatQueueListing({deferred, held, active}, 60);  // local = UTC+1
  const std::string column(46, ' ');
  const std::string expected =
      "-Queue ID-     --Size-- ----Arrival Time----  -Sender/Recipient-------\n"
      "1K1D4A6B1JBYB8      528 Sun Nov 29 09:00:00   ada@example.org\n" +
      std::string(76 - refused.size(), ' ') + "(" + refused + ")\n" + column + "bob@remote.test\n" +
      column + "carol@remote.test\n" + column + "dave@remote.test\n" + column +
      "erin@remote.test [delivered]\n\n" +
      "1K1D4AF4YX65NG!    1500 Sun Nov 29 10:00:00   MAILER-DAEMON\n"
      "(" +
      long_reply + "  )\n" + column + "zed@remote.test\n\n" +
      "1K1D4AF5QKZ8HP*      10 Sun Nov 29 09:00:00   ada@example.org\n" + column +
      "fay@remote.test [inflight]\n\n"
      "-- 2 Kbytes in 3 Requests.\n";
  EXPECT_EQ(listing, expected);
}

}  // namespace
}  // namespace pigeon::mta::queue
