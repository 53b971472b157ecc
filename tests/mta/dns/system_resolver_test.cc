// SystemResolver against a real dnsmasq on loopback (tests/support/test_dns.h): the answers
// of tests/support/dnsmasq.conf.in, SERVFAIL, timeouts, and a delivery plan over real DNS.
#include "mta/dns/system_resolver.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "mta/dns/mx_plan.h"
#include "tests/support/test_dns.h"

namespace pigeon::mta::dns {
namespace {

using Clock = std::chrono::steady_clock;

class SystemResolverTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = testing::TestDns::Start();
    ASSERT_TRUE(started) << started.error().message;
    dns_ = started->release();
  }
  static void TearDownTestSuite() {
    delete dns_;
    dns_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(dns_, nullptr) << "test DNS not running";
    resolver_ = Make(dns_->nameserver(), 2);
  }

  static std::unique_ptr<SystemResolver> Make(const std::string& nameserver, int timeout) {
    auto resolver = SystemResolver::Create(
        {.nameservers = {nameserver}, .timeout_seconds = timeout, .attempts = 1});
    EXPECT_TRUE(resolver) << resolver.error().message;
    return resolver ? std::move(*resolver) : nullptr;
  }

  static testing::TestDns* dns_;
  std::unique_ptr<SystemResolver> resolver_;
};

testing::TestDns* SystemResolverTest::dns_ = nullptr;

TEST_F(SystemResolverTest, Mx) {
  const MxAnswer answer = resolver_->LookupMx("remote.test");
  ASSERT_EQ(answer.status, LookupStatus::kOk) << answer.detail;
  EXPECT_EQ(answer.records, (std::vector<MxRecord>{{10, "mx.remote.test"}}));
}

TEST_F(SystemResolverTest, TwoMx) {
  MxAnswer answer = resolver_->LookupMx("Multi.Test.");
  ASSERT_EQ(answer.status, LookupStatus::kOk) << answer.detail;
  std::sort(answer.records.begin(), answer.records.end(),
            [](const MxRecord& a, const MxRecord& b) { return a.preference < b.preference; });
  EXPECT_EQ(answer.records,
            (std::vector<MxRecord>{{10, "mx1.multi.test"}, {20, "mx2.multi.test"}}));
}

TEST_F(SystemResolverTest, NoMxThenAddress) {
  EXPECT_EQ(resolver_->LookupMx("aonly.test").status, LookupStatus::kNoData);
  const AddressAnswer answer = resolver_->LookupAddresses("aonly.test");
  ASSERT_EQ(answer.status, LookupStatus::kOk) << answer.detail;
  EXPECT_EQ(answer.ipv4, (std::vector<std::string>{"127.0.0.2"}));
  EXPECT_TRUE(answer.ipv6.empty());
}

TEST_F(SystemResolverTest, NullMx) {
  const MxAnswer answer = resolver_->LookupMx("nullmx.test");
  EXPECT_EQ(answer.status, LookupStatus::kNullMx) << answer.detail;
  EXPECT_EQ(answer.records, (std::vector<MxRecord>{{0, ""}}));
}

TEST_F(SystemResolverTest, NxDomain) {
  EXPECT_EQ(resolver_->LookupMx("nx.test").status, LookupStatus::kNxDomain);
  EXPECT_EQ(resolver_->LookupAddresses("nx.test").status, LookupStatus::kNxDomain);
}

TEST_F(SystemResolverTest, ServFailIsTempFailWithoutWaiting) {
  const auto start = Clock::now();
  const MxAnswer answer = resolver_->LookupMx("servfail.test");
  EXPECT_EQ(answer.status, LookupStatus::kTempFail);
  EXPECT_NE(answer.detail.find("server failure"), std::string::npos) << answer.detail;
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(1500));
  EXPECT_EQ(resolver_->LookupAddresses("servfail.test").status, LookupStatus::kTempFail);
}

TEST_F(SystemResolverTest, TimeoutIsTempFailWithinTheTimeout) {
  auto silent = Make(dns_->silent_nameserver(), 1);
  ASSERT_NE(silent, nullptr);
  auto start = Clock::now();
  const MxAnswer answer = silent->LookupMx("remote.test");
  auto took = Clock::now() - start;
  EXPECT_EQ(answer.status, LookupStatus::kTempFail);
  EXPECT_GE(took, std::chrono::milliseconds(900));
  EXPECT_LT(took, std::chrono::milliseconds(2500));

  // Forwarded by dnsmasq to the silent socket: our timeout, not dnsmasq's, ends it.
  auto through_dnsmasq = Make(dns_->nameserver(), 1);
  start = Clock::now();
  EXPECT_EQ(through_dnsmasq->LookupMx("timeout.test").status, LookupStatus::kTempFail);
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(2500));
}

TEST_F(SystemResolverTest, Ipv6) {
  const AddressAnswer v6 = resolver_->LookupAddresses("v6.test");
  ASSERT_EQ(v6.status, LookupStatus::kOk) << v6.detail;
  EXPECT_EQ(v6.ipv6, (std::vector<std::string>{"::1"}));
  EXPECT_TRUE(v6.ipv4.empty());
  const AddressAnswer dual = resolver_->LookupAddresses("dual.test");
  ASSERT_EQ(dual.status, LookupStatus::kOk) << dual.detail;
  EXPECT_EQ(dual.ipv4, (std::vector<std::string>{"127.0.0.4"}));
  EXPECT_EQ(dual.ipv6, (std::vector<std::string>{"::1"}));
}

TEST_F(SystemResolverTest, FollowsCname) {
  const MxAnswer answer = resolver_->LookupMx("alias.test");
  ASSERT_EQ(answer.status, LookupStatus::kOk) << answer.detail;
  EXPECT_EQ(answer.records, (std::vector<MxRecord>{{10, "mx.remote.test"}}));
}

TEST_F(SystemResolverTest, NotADomainName) {
  EXPECT_EQ(resolver_->LookupMx("").status, LookupStatus::kNxDomain);
  EXPECT_EQ(resolver_->LookupMx(std::string(300, 'a')).status, LookupStatus::kNxDomain);
  EXPECT_EQ(resolver_->LookupMx(std::string("a\0b.test", 8)).status, LookupStatus::kNxDomain);
}

TEST_F(SystemResolverTest, PlansOverRealDns) {
  const RandomSource first = [](uint64_t) { return uint64_t{0}; };
  const PlanOptions options{.port = 2525};
  EXPECT_EQ(PlanDelivery(*resolver_, "multi.test", options, first).value(),
            (std::vector<DeliveryTarget>{{"mx1.multi.test", "127.0.0.3", 2525},
                                         {"mx2.multi.test", "127.0.0.2", 2525}}));
  EXPECT_EQ(PlanDelivery(*resolver_, "noaddr.test", options, first).value(),
            (std::vector<DeliveryTarget>{{"mx.remote.test", "127.0.0.2", 2525}}));
  EXPECT_EQ(PlanDelivery(*resolver_, "aonly.test", options, first).value(),
            (std::vector<DeliveryTarget>{{"aonly.test", "127.0.0.2", 2525}}));
  EXPECT_EQ(PlanDelivery(*resolver_, "nullmx.test", options, first).error().status, "5.1.10");
  EXPECT_EQ(PlanDelivery(*resolver_, "nx.test", options, first).error().status, "5.1.2");
  EXPECT_EQ(PlanDelivery(*resolver_, "servfail.test", options, first).error().status, "4.4.3");
}

TEST(SystemResolverOptions, RejectsBadOptions) {
  const SystemResolverOptions bad[] = {
      {.nameservers = {"::1"}},
      {.nameservers = {"127.0.0.1:0"}},
      {.nameservers = {"127.0.0.1:65536"}},
      {.nameservers = {"127.0.0.1:53x"}},
      {.nameservers = {"resolver.test"}},
      {.nameservers = {"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"}},
      {.timeout_seconds = 0},
      {.attempts = 0},
      {.attempts = 6},
  };
  for (const SystemResolverOptions& options : bad) {
    auto resolver = SystemResolver::Create(options);
    ASSERT_FALSE(resolver);
    EXPECT_EQ(resolver.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_TRUE(SystemResolver::Create({}));  // /etc/resolv.conf
  EXPECT_TRUE(SystemResolver::Create({.nameservers = {"127.0.0.1", "192.0.2.53:5353"}}));
}

}  // namespace
}  // namespace pigeon::mta::dns
