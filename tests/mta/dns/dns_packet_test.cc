#include "mta/dns/dns_packet.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace pigeon::mta::dns {
namespace {

constexpr uint16_t kMx = 15, kA = 1, kAaaa = 28, kCname = 5, kIn = 1;
constexpr uint16_t kResponse = 0x8180;      // QR, RD, RA, NOERROR
constexpr uint16_t kQuestionName = 0xc00c;  // pointer to the question's name at offset 12

// Builds DNS messages byte by byte, so tests can also build broken ones.
class Packet {
 public:
  Packet& Header(uint16_t flags, uint16_t qd, uint16_t an) {
    return U16(0x1234).U16(flags).U16(qd).U16(an).U16(0).U16(0);
  }
  Packet& U16(uint16_t v) {
    bytes_.push_back(static_cast<uint8_t>(v >> 8));
    bytes_.push_back(static_cast<uint8_t>(v));
    return *this;
  }
  Packet& U32(uint32_t v) {
    return U16(static_cast<uint16_t>(v >> 16)).U16(static_cast<uint16_t>(v));
  }
  Packet& Bytes(std::initializer_list<uint8_t> v) {
    bytes_.insert(bytes_.end(), v);
    return *this;
  }
  // "mx.remote.test" as labels and a root label; `end_with_pointer` replaces the root label.
  Packet& Name(std::string_view name, uint16_t end_with_pointer = 0) {
    while (!name.empty()) {
      const size_t dot = std::min(name.find('.'), name.size());
      bytes_.push_back(static_cast<uint8_t>(dot));
      bytes_.insert(bytes_.end(), name.begin(), name.begin() + dot);
      name.remove_prefix(std::min(dot + 1, name.size()));
    }
    return end_with_pointer ? U16(end_with_pointer) : Bytes({0});
  }
  Packet& Question(std::string_view name, uint16_t type) { return Name(name).U16(type).U16(kIn); }
  // Owner, type, class IN, TTL 300; the caller adds RDLENGTH and RDATA.
  Packet& Record(uint16_t owner_pointer, uint16_t type) {
    return U16(owner_pointer).U16(type).U16(kIn).U32(300);
  }
  size_t size() const { return bytes_.size(); }
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

// remote.test MX: 20 mx2.remote.test, 10 mx1.remote.test (compressed against the question).
Packet RemoteMx() {
  Packet p;
  p.Header(kResponse, 1, 2).Question("remote.test", kMx);
  p.Record(kQuestionName, kMx).U16(8).U16(20).Name("mx2", kQuestionName);
  p.Record(kQuestionName, kMx).U16(8).U16(10).Name("MX1", kQuestionName);
  return p;
}

TEST(DnsPacket, NormalizesNames) {
  EXPECT_EQ(NormalizeDnsName("Mx.Example.ORG."), "mx.example.org");
  EXPECT_EQ(NormalizeDnsName("."), "");
  EXPECT_EQ(NormalizeDnsName(""), "");
  EXPECT_EQ(NormalizeDnsName("a\\."), "a\\.");
  EXPECT_EQ(NormalizeDnsName("a\\\\."), "a\\\\");
}

TEST(DnsPacket, MxWithCompressionInAnswerOrder) {
  const MxAnswer answer = ParseMxAnswer(RemoteMx().bytes(), "Remote.Test.");
  ASSERT_EQ(answer.status, LookupStatus::kOk) << answer.detail;
  EXPECT_EQ(answer.records,
            (std::vector<MxRecord>{{20, "mx2.remote.test"}, {10, "mx1.remote.test"}}));
}

TEST(DnsPacket, NullMx) {
  Packet p;
  p.Header(kResponse, 1, 1).Question("nullmx.test", kMx);
  p.Record(kQuestionName, kMx).U16(3).U16(0).Bytes({0});
  const MxAnswer answer = ParseMxAnswer(p.bytes(), "nullmx.test");
  EXPECT_EQ(answer.status, LookupStatus::kNullMx);
  EXPECT_EQ(answer.records, (std::vector<MxRecord>{{0, ""}}));
}

TEST(DnsPacket, Rcodes) {
  struct Case {
    uint16_t flags;
    LookupStatus want;
    std::string_view detail;
  };
  const Case cases[] = {
      {kResponse, LookupStatus::kNoData, "no records"},
      {kResponse | 3, LookupStatus::kNxDomain, "no such domain"},
      {kResponse | 2, LookupStatus::kTempFail, "SERVFAIL"},
      {kResponse | 5, LookupStatus::kTempFail, "REFUSED"},
      {kResponse | 1, LookupStatus::kTempFail, "FORMERR"},
      {kResponse | 9, LookupStatus::kTempFail, "rcode 9"},
      {0x0100, LookupStatus::kTempFail, "not a DNS answer"},              // a query
      {kResponse | 0x0200, LookupStatus::kTempFail, "truncated"},         // TC
      {kResponse | 0x2800, LookupStatus::kTempFail, "not a DNS answer"},  // opcode 5
  };
  for (const Case& c : cases) {
    Packet p;
    p.Header(c.flags, 1, 0).Question("x.test", kMx);
    const MxAnswer answer = ParseMxAnswer(p.bytes(), "x.test");
    EXPECT_EQ(answer.status, c.want) << c.detail;
    EXPECT_NE(answer.detail.find(c.detail), std::string::npos) << answer.detail;
    EXPECT_TRUE(answer.records.empty());
  }
}

TEST(DnsPacket, FollowsCnameChain) {
  Packet p;
  p.Header(kResponse, 1, 3).Question("alias.test", kMx);          // name at 12
  p.Record(kQuestionName, kCname).U16(9).Name("middle", 0xc012);  // "middle.test" at 40
  p.Record(0xc028, kCname).U16(9).Name("remote", 0xc012);         // "remote.test" at 61
  p.Record(0xc03d, kMx).U16(8).U16(10).Name("mx1", 0xc03d);
  const MxAnswer answer = ParseMxAnswer(p.bytes(), "alias.test");
  ASSERT_EQ(answer.status, LookupStatus::kOk) << answer.detail;
  EXPECT_EQ(answer.records, (std::vector<MxRecord>{{10, "mx1.remote.test"}}));
}

TEST(DnsPacket, IgnoresRecordsOffTheChain) {
  Packet p;
  p.Header(kResponse, 1, 2).Question("alias.test", kMx);
  p.Record(kQuestionName, kCname).U16(9).Name("target", 0xc012);
  p.Record(0xc012, kMx).U16(4).U16(10).Name("", 0xc00c);  // MX of "test": off the chain
  Packet other;
  other.Header(kResponse, 1, 1).Question("asked.test", kMx);
  other.Bytes({5, 'o', 't', 'h', 'e', 'r', 0})
      .U16(kMx)
      .U16(kIn)
      .U32(1)
      .U16(4)
      .U16(1)
      .U16(kQuestionName);
  EXPECT_EQ(ParseMxAnswer(p.bytes(), "alias.test").status, LookupStatus::kNoData);
  EXPECT_EQ(ParseMxAnswer(other.bytes(), "asked.test").status, LookupStatus::kNoData);
}

TEST(DnsPacket, CnameLoopIsTempFail) {
  Packet p;
  p.Header(kResponse, 1, 2).Question("a.test", kMx);         // "a.test" at 12, "test" at 14
  p.Record(kQuestionName, kCname).U16(4).Name("b", 0xc00e);  // "b.test" at 36
  p.Record(0xc024, kCname).U16(2).U16(kQuestionName);        // b → a
  const MxAnswer answer = ParseMxAnswer(p.bytes(), "a.test");
  EXPECT_EQ(answer.status, LookupStatus::kTempFail);
  EXPECT_NE(answer.detail.find("CNAME"), std::string::npos) << answer.detail;
}

TEST(DnsPacket, CompressionPointerLoopsAndOverruns) {
  for (uint16_t pointer : {uint16_t{0xc000 | 41}, uint16_t{0xc000 | 43}, uint16_t{0xffff}}) {
    Packet p;
    p.Header(kResponse, 1, 1).Question("loop.test", kMx);  // answer starts at 27
    // RDATA at 39: preference, then a pointer to itself (41), past the end, or far out.
    p.Record(kQuestionName, kMx).U16(4).U16(10).U16(pointer);
    ASSERT_EQ(p.size(), 43u);
    EXPECT_EQ(ParseMxAnswer(p.bytes(), "loop.test").status, LookupStatus::kTempFail) << pointer;
  }
  Packet owner_loop;
  owner_loop.Header(kResponse, 1, 1).Question("loop.test", kMx);
  owner_loop.Record(0xc000 | 27, kMx).U16(3).U16(1).Bytes({0});
  EXPECT_EQ(ParseMxAnswer(owner_loop.bytes(), "loop.test").status, LookupStatus::kTempFail);
}

TEST(DnsPacket, EveryTruncationIsTempFail) {
  const std::vector<uint8_t> whole = RemoteMx().bytes();
  for (size_t size = 0; size < whole.size(); ++size) {
    const MxAnswer answer =
        ParseMxAnswer(std::span<const uint8_t>(whole.data(), size), "remote.test");
    EXPECT_EQ(answer.status, LookupStatus::kTempFail) << size;
  }
}

TEST(DnsPacket, RejectsBadRdata) {
  Packet junk;  // a name that ends before its RDATA does
  junk.Header(kResponse, 1, 1).Question("x.test", kMx);
  junk.Record(kQuestionName, kMx).U16(6).U16(10).U16(kQuestionName).U16(0);
  Packet short_mx;  // no room for the exchange
  short_mx.Header(kResponse, 1, 1).Question("x.test", kMx);
  short_mx.Record(kQuestionName, kMx).U16(2).U16(10);
  Packet bad_a;
  bad_a.Header(kResponse, 1, 1).Question("x.test", kA);
  bad_a.Record(kQuestionName, kA).U16(5).Bytes({1, 2, 3, 4, 5});
  EXPECT_EQ(ParseMxAnswer(junk.bytes(), "x.test").status, LookupStatus::kTempFail);
  EXPECT_EQ(ParseMxAnswer(short_mx.bytes(), "x.test").status, LookupStatus::kTempFail);
  EXPECT_EQ(ParseAddressAnswer(bad_a.bytes(), "x.test", AddressType::kA).status,
            LookupStatus::kTempFail);
}

TEST(DnsPacket, AnswerMustMatchTheQuestion) {
  EXPECT_EQ(ParseMxAnswer(RemoteMx().bytes(), "other.test").status, LookupStatus::kTempFail);
  EXPECT_EQ(ParseAddressAnswer(RemoteMx().bytes(), "remote.test", AddressType::kA).status,
            LookupStatus::kTempFail);
  Packet two;
  two.Header(kResponse, 2, 0).Question("x.test", kMx).Question("x.test", kMx);
  EXPECT_EQ(ParseMxAnswer(two.bytes(), "x.test").status, LookupStatus::kTempFail);
  Packet none;
  none.Header(kResponse, 0, 0);
  EXPECT_EQ(ParseMxAnswer(none.bytes(), "x.test").status, LookupStatus::kTempFail);
}

TEST(DnsPacket, Addresses) {
  Packet a;
  a.Header(kResponse, 1, 3).Question("host.test", kA);
  a.Record(kQuestionName, kA).U16(4).Bytes({192, 0, 2, 1});
  a.U16(kQuestionName).U16(kA).U16(3).U32(0).U16(4).Bytes({10, 0, 0, 1});  // class CH
  a.Record(kQuestionName, kA).U16(4).Bytes({127, 0, 0, 2});
  const AddressAnswer v4 = ParseAddressAnswer(a.bytes(), "host.test", AddressType::kA);
  ASSERT_EQ(v4.status, LookupStatus::kOk) << v4.detail;
  EXPECT_EQ(v4.ipv4, (std::vector<std::string>{"192.0.2.1", "127.0.0.2"}));
  EXPECT_TRUE(v4.ipv6.empty());

  Packet aaaa;
  aaaa.Header(kResponse, 1, 1).Question("host.test", kAaaa);
  aaaa.Record(kQuestionName, kAaaa)
      .U16(16)
      .Bytes({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  const AddressAnswer v6 = ParseAddressAnswer(aaaa.bytes(), "host.test", AddressType::kAaaa);
  ASSERT_EQ(v6.status, LookupStatus::kOk) << v6.detail;
  EXPECT_EQ(v6.ipv6, (std::vector<std::string>{"2001:db8::1"}));
  EXPECT_TRUE(v6.ipv4.empty());
}

}  // namespace
}  // namespace pigeon::mta::dns
