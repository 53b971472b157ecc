#include "mta/client/data_writer.h"

#include <gtest/gtest.h>

#include <string>

namespace pigeon::mta::client {
namespace {

std::string WriteAll(std::string_view body, size_t chunk = DataWriter::kChunk) {
  DataWriter writer(body);
  std::string out;
  while (!writer.done()) out += writer.Next(chunk);
  EXPECT_EQ(writer.Next(), "");
  return out;
}

TEST(DataWriter, StuffsDotsAndNormalisesLineBreaks) {
  struct Case {
    std::string body;
    std::string wire;
  };
  const std::vector<Case> cases = {
      {"", ".\r\n"},
      {"a\r\n", "a\r\n.\r\n"},
      {"a", "a\r\n.\r\n"},  // an unterminated last line is closed
      {"a\nb\n", "a\r\nb\r\n.\r\n"},
      {".\r\n", "..\r\n.\r\n"},
      {"..\n", "...\r\n.\r\n"},
      {"x\n.\n.x\n..\ny.\n", "x\r\n..\r\n..x\r\n...\r\ny.\r\n.\r\n"},
      {".", "..\r\n.\r\n"},
      {"a\rb\r\n", "a\r\nb\r\n.\r\n"},  // a bare CR is a line break too
      {"a\r.b", "a\r\n..b\r\n.\r\n"},
      {"a\r\n\r\n", "a\r\n\r\n.\r\n"},
      {"\n", "\r\n.\r\n"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(WriteAll(c.body), c.wire) << c.body;
    for (size_t chunk : {1u, 2u, 3u}) EXPECT_EQ(WriteAll(c.body, chunk), c.wire) << c.body;
  }
}

TEST(DataWriter, WritesLargeBodiesInChunks) {
  std::string body;
  for (int i = 0; i < 20000; ++i) body += ".line " + std::to_string(i) + "\n";
  DataWriter writer(body);
  int pieces = 0;
  std::string out;
  while (!writer.done()) {
    std::string piece = writer.Next();
    EXPECT_LE(piece.size(), 2 * DataWriter::kChunk + 5);
    out += piece;
    ++pieces;
  }
  EXPECT_GT(pieces, 1);
  EXPECT_TRUE(out.starts_with("..line 0\r\n..line 1\r\n"));
  EXPECT_TRUE(out.ends_with("..line 19999\r\n.\r\n"));
}

}  // namespace
}  // namespace pigeon::mta::client
