#include "mta/submit/message_input.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace pigeon::mta::submit {
namespace {

// Hands out its text `step` bytes at a time.
class StringSource : public mailbox::ByteSource {
 public:
  StringSource(std::string text, size_t step) : text_(std::move(text)), step_(step) {}
  Result<size_t> Read(char* buffer, size_t size) override {
    const size_t n = std::min({size, step_, text_.size() - at_});
    std::copy_n(text_.data() + at_, n, buffer);
    at_ += n;
    return n;
  }

 private:
  std::string text_;
  size_t step_;
  size_t at_ = 0;
};

Result<MessageInput> Read(std::string text, InputOptions options = {}, size_t step = 1 << 20) {
  StringSource source(std::move(text), step);
  return ReadMessage(source, options);
}

TEST(MessageInputTest, LineEndsBecomeCrlf) {
  for (size_t step : {1, 2, 3, 7, 1 << 20}) {
    Result<MessageInput> read = Read("Subject: a\nX: b\r\n\nbody\r\nmore", {}, step);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->raw, "Subject: a\r\nX: b\r\n\r\nbody\r\nmore\r\n") << step;
    EXPECT_FALSE(read->eight_bit);
  }
}

TEST(MessageInputTest, ALoneDotEndsInputUnlessTurnedOff) {
  const std::string text = "Subject: a\n\nline\n.\nafter\n";
  EXPECT_EQ(Read(text)->raw, "Subject: a\r\n\r\nline\r\n");
  EXPECT_EQ(Read("a\n.\r\nb\n")->raw, "a\r\n");
  EXPECT_EQ(Read("a\n.")->raw, "a\r\n");
  InputOptions keep;
  keep.dot_ends_input = false;
  EXPECT_EQ(Read(text, keep)->raw, "Subject: a\r\n\r\nline\r\n.\r\nafter\r\n");
  // Only a lone dot counts, and dots are never unstuffed.
  EXPECT_EQ(Read("..\n.x\n . \n")->raw, "..\r\n.x\r\n . \r\n");
}

TEST(MessageInputTest, EightBitAndBinaryBytesStay) {
  using namespace std::string_literals;
  const std::string text = "Subject: caf\xc3\xa9\n\n\x01\x02\xff\0tail\n\0"s;
  Result<MessageInput> read = Read(text);
  ASSERT_TRUE(read);
  EXPECT_TRUE(read->eight_bit);
  EXPECT_EQ(read->raw, "Subject: caf\xc3\xa9\r\n\r\n\x01\x02\xff\0tail\r\n\0\r\n"s);
  // A bare CR inside a line is kept.
  EXPECT_EQ(Read("a\rb\n")->raw, "a\rb\r\n");
}

TEST(MessageInputTest, TheSizeLimitStopsReading) {
  InputOptions options;
  options.max_size = 100;
  EXPECT_TRUE(Read(std::string(97, 'x') + "\n", options));
  Result<MessageInput> big = Read(std::string(99, 'x') + "\n", options);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().message, "message too large (limit 100 bytes)");
  EXPECT_FALSE(Read(std::string(1000, 'x'), options, 7));  // one long line, no line end
}

}  // namespace
}  // namespace pigeon::mta::submit
