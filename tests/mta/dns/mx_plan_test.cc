#include "mta/dns/mx_plan.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "tests/support/fake_resolver.h"

namespace pigeon::mta::dns {
namespace {

RandomSource Seeded(uint32_t seed) {
  auto engine = std::make_shared<std::mt19937_64>(seed);
  return [engine](uint64_t bound) { return (*engine)() % bound; };
}

const RandomSource kFirst = [](uint64_t) { return uint64_t{0}; };

std::vector<std::string> Hosts(const DeliveryPlan& plan) {
  std::vector<std::string> hosts;
  if (plan) {
    for (const DeliveryTarget& target : *plan) hosts.push_back(target.host);
  }
  return hosts;
}

std::vector<std::string> Addresses(const DeliveryPlan& plan) {
  std::vector<std::string> addresses;
  if (plan) {
    for (const DeliveryTarget& target : *plan) addresses.push_back(target.address);
  }
  return addresses;
}

void ExpectFailure(const DeliveryPlan& plan, bool permanent, const std::string& status) {
  ASSERT_FALSE(plan) << "got targets, want failure " << status;
  EXPECT_EQ(plan.error().permanent, permanent) << plan.error().text;
  EXPECT_EQ(plan.error().status, status) << plan.error().text;
  EXPECT_FALSE(plan.error().text.empty());
}

TEST(MxPlan, SortsByPreference) {
  FakeResolver dns;
  dns.AddMx("example.test", 20, "b.example.test");
  dns.AddMx("example.test", 10, "a.example.test");
  dns.AddMx("example.test", 30, "c.example.test");
  dns.AddAddress("a.example.test", "192.0.2.1");
  dns.AddAddress("b.example.test", "192.0.2.2");
  dns.AddAddress("c.example.test", "192.0.2.3");
  const DeliveryPlan plan = PlanDelivery(dns, "Example.TEST.", {.port = 2525}, kFirst);
  ASSERT_TRUE(plan) << plan.error().text;
  EXPECT_EQ(*plan, (std::vector<DeliveryTarget>{{"a.example.test", "192.0.2.1", 2525},
                                                {"b.example.test", "192.0.2.2", 2525},
                                                {"c.example.test", "192.0.2.3", 2525}}));
  EXPECT_EQ(dns.queries.front(), "MX example.test");
}

TEST(MxPlan, ShufflesEqualPreferencesOnly) {
  const std::vector<MxRecord> records = {{10, "c"}, {5, "first"}, {10, "a"}, {10, "b"}, {20, "z"}};
  std::set<std::vector<std::string>> orders;
  for (uint32_t seed = 0; seed < 64; ++seed) {
    const std::vector<MxRecord> ordered = OrderMxRecords(records, Seeded(seed));
    ASSERT_EQ(ordered.size(), 5u);
    EXPECT_EQ(ordered.front().exchange, "first");
    EXPECT_EQ(ordered.back().exchange, "z");
    orders.insert({ordered[1].exchange, ordered[2].exchange, ordered[3].exchange});
    EXPECT_EQ(ordered, OrderMxRecords(records, Seeded(seed))) << "same seed, same order";
  }
  EXPECT_EQ(orders.size(), 6u) << "every order of a, b, c appears";
}

TEST(MxPlan, ShuffleUsesTheInjectedSource) {
  // Fisher-Yates always picking index 0 rotates the run: [a b c] → [b c a].
  const std::vector<MxRecord> ordered = OrderMxRecords({{1, "a"}, {1, "b"}, {1, "c"}}, kFirst);
  EXPECT_EQ(ordered, (std::vector<MxRecord>{{1, "b"}, {1, "c"}, {1, "a"}}));
}

TEST(MxPlan, ImplicitMxUsesTheDomainsAddresses) {
  FakeResolver dns;
  dns.AddAddress("aonly.test", "192.0.2.7");
  dns.AddAddress("aonly.test", "2001:db8::7");
  const DeliveryPlan plan = PlanDelivery(dns, "aonly.test", {}, kFirst);
  ASSERT_TRUE(plan) << plan.error().text;
  EXPECT_EQ(*plan, (std::vector<DeliveryTarget>{{"aonly.test", "192.0.2.7", 25},
                                                {"aonly.test", "2001:db8::7", 25}}));
}

TEST(MxPlan, ImplicitMxFailures) {
  FakeResolver dns;
  dns.SetMx("empty.test", {.status = LookupStatus::kNoData});
  dns.SetAddresses("empty.test", {.status = LookupStatus::kNoData});
  ExpectFailure(PlanDelivery(dns, "empty.test", {}, kFirst), true, "5.4.4");
  dns.SetMx("flaky.test", {.status = LookupStatus::kNoData});
  dns.SetAddresses("flaky.test", {.status = LookupStatus::kTempFail, .detail = "timeout"});
  ExpectFailure(PlanDelivery(dns, "flaky.test", {}, kFirst), false, "4.4.3");
  dns.SetMx("gone.test", {.status = LookupStatus::kNoData});
  dns.SetAddresses("gone.test", {.status = LookupStatus::kNxDomain});
  ExpectFailure(PlanDelivery(dns, "gone.test", {}, kFirst), true, "5.1.2");
}

TEST(MxPlan, DomainLevelOutcomes) {
  FakeResolver dns;
  dns.SetMx("nullmx.test", {.status = LookupStatus::kNullMx, .records = {{0, ""}}});
  dns.SetMx("servfail.test", {.status = LookupStatus::kTempFail, .detail = "SERVFAIL"});
  ExpectFailure(PlanDelivery(dns, "nullmx.test", {}, kFirst), true, "5.1.10");
  ExpectFailure(PlanDelivery(dns, "nx.test", {}, kFirst), true, "5.1.2");
  ExpectFailure(PlanDelivery(dns, "servfail.test", {}, kFirst), false, "4.4.3");
  EXPECT_EQ(PlanDelivery(dns, "servfail.test", {}, kFirst).error().text, "SERVFAIL");
  ExpectFailure(PlanDelivery(dns, "", {}, kFirst), true, "5.1.2");
}

TEST(MxPlan, NullMxBesideOtherRecordsIsSkipped) {
  FakeResolver dns;
  dns.AddMx("odd.test", 0, "");
  dns.AddMx("odd.test", 10, "mx.odd.test");
  dns.AddAddress("mx.odd.test", "192.0.2.1");
  EXPECT_EQ(Hosts(PlanDelivery(dns, "odd.test", {}, kFirst)),
            (std::vector<std::string>{"mx.odd.test"}));
}

TEST(MxPlan, SkipsMxHostsWithoutAddresses) {
  FakeResolver dns;
  dns.AddMx("multi.test", 10, "nx.multi.test");     // NXDOMAIN
  dns.AddMx("multi.test", 20, "slow.multi.test");   // temporary failure
  dns.AddMx("multi.test", 30, "empty.multi.test");  // no A nor AAAA
  dns.AddMx("multi.test", 40, "ok.multi.test");
  dns.SetAddresses("slow.multi.test", {.status = LookupStatus::kTempFail, .detail = "timeout"});
  dns.SetAddresses("empty.multi.test", {.status = LookupStatus::kNoData});
  dns.AddAddress("ok.multi.test", "192.0.2.4");
  EXPECT_EQ(Hosts(PlanDelivery(dns, "multi.test", {}, kFirst)),
            (std::vector<std::string>{"ok.multi.test"}));
}

TEST(MxPlan, NoMxHostWithAnAddressIsTransient) {
  FakeResolver dns;
  dns.AddMx("dead.test", 10, "a.dead.test");
  dns.AddMx("dead.test", 20, "b.dead.test");
  const DeliveryPlan plan = PlanDelivery(dns, "dead.test", {}, kFirst);
  ExpectFailure(plan, false, "4.4.3");
  EXPECT_NE(plan.error().text.find("a.dead.test"), std::string::npos) << plan.error().text;
}

TEST(MxPlan, DropsOwnHostAndLessPreferredByName) {
  FakeResolver dns;
  dns.AddMx("example.test", 10, "primary.test");
  dns.AddMx("example.test", 20, "backup.test");
  dns.AddMx("example.test", 20, "us.test");
  dns.AddMx("example.test", 30, "last.test");
  for (const char* host : {"primary.test", "backup.test", "us.test", "last.test"}) {
    dns.AddAddress(host, "192.0.2.1" + std::to_string(std::string(host).size()));
  }
  const PlanOptions options{.local_names = {"US.test"}};
  EXPECT_EQ(Hosts(PlanDelivery(dns, "example.test", options, kFirst)),
            (std::vector<std::string>{"primary.test"}));
}

TEST(MxPlan, DropsOwnHostByAddress) {
  FakeResolver dns;
  dns.AddMx("example.test", 10, "primary.test");
  dns.AddMx("example.test", 20, "other.test");
  dns.AddMx("example.test", 20, "alias-of-us.test");
  dns.AddAddress("primary.test", "192.0.2.1");
  dns.AddAddress("other.test", "192.0.2.2");
  dns.AddAddress("alias-of-us.test", "2001:db8::25");
  const PlanOptions options{.local_names = {"[IPv6:2001:DB8:0::25]"}};
  EXPECT_EQ(Hosts(PlanDelivery(dns, "example.test", options, kFirst)),
            (std::vector<std::string>{"primary.test"}));
}

TEST(MxPlan, BestMxIsUsMeansALoop) {
  FakeResolver dns;
  dns.AddMx("example.test", 10, "mx.example.test");
  dns.AddMx("example.test", 20, "backup.test");
  dns.AddAddress("mx.example.test", "192.0.2.25");
  dns.AddAddress("backup.test", "192.0.2.26");
  ExpectFailure(PlanDelivery(dns, "example.test", {.local_names = {"192.0.2.25"}}, kFirst), true,
                "5.4.6");
  ExpectFailure(PlanDelivery(dns, "example.test", {.local_names = {"mx.example.test"}}, kFirst),
                true, "5.4.6");
  dns.AddAddress("aonly.test", "192.0.2.25");
  ExpectFailure(PlanDelivery(dns, "aonly.test", {.local_names = {"192.0.2.25"}}, kFirst), true,
                "5.4.6");
}

TEST(MxPlan, AddressFamilies) {
  FakeResolver dns;
  dns.AddMx("dual.test", 10, "mx.dual.test");
  dns.AddMx("dual.test", 20, "v6only.dual.test");
  dns.AddAddress("mx.dual.test", "2001:db8::1");
  dns.AddAddress("mx.dual.test", "192.0.2.1");
  dns.AddAddress("v6only.dual.test", "2001:db8::2");
  EXPECT_EQ(Addresses(PlanDelivery(dns, "dual.test", {}, kFirst)),
            (std::vector<std::string>{"192.0.2.1", "2001:db8::1", "2001:db8::2"}));
  EXPECT_EQ(Addresses(PlanDelivery(dns, "dual.test", {.prefer_ipv6 = true}, kFirst)),
            (std::vector<std::string>{"2001:db8::1", "192.0.2.1", "2001:db8::2"}));
  EXPECT_EQ(Addresses(PlanDelivery(dns, "dual.test", {.use_ipv6 = false}, kFirst)),
            (std::vector<std::string>{"192.0.2.1"}));
  EXPECT_EQ(Addresses(PlanDelivery(dns, "dual.test", {.use_ipv4 = false}, kFirst)),
            (std::vector<std::string>{"2001:db8::1", "2001:db8::2"}));
  dns.AddAddress("v6.test", "::1");
  ExpectFailure(PlanDelivery(dns, "v6.test", {.use_ipv6 = false}, kFirst), false, "4.4.3");
}

TEST(MxPlan, SameAddressIsTriedOnce) {
  FakeResolver dns;
  dns.AddMx("twice.test", 10, "a.twice.test");
  dns.AddMx("twice.test", 20, "b.twice.test");
  dns.AddAddress("a.twice.test", "192.0.2.1");
  dns.AddAddress("b.twice.test", "192.0.2.1");
  dns.AddAddress("b.twice.test", "192.0.2.2");
  EXPECT_EQ(Addresses(PlanDelivery(dns, "twice.test", {}, kFirst)),
            (std::vector<std::string>{"192.0.2.1", "192.0.2.2"}));
}

TEST(MxPlan, LooksUpAtMostMaxMxHosts) {
  FakeResolver dns;
  for (int i = 0; i < 20; ++i) {
    const std::string host = "mx" + std::to_string(i) + ".test";
    dns.AddMx("many.test", static_cast<uint16_t>(i), host);
    dns.AddAddress(host, "192.0.2." + std::to_string(i + 1));
  }
  EXPECT_EQ(PlanDelivery(dns, "many.test", {.max_mx_hosts = 3}, kFirst)->size(), 3u);
  EXPECT_EQ(dns.queries.size(), 4u);
}

TEST(MxPlan, AddressLiterals) {
  FakeResolver dns;
  EXPECT_EQ(PlanDelivery(dns, "[192.0.2.1]", {.port = 2525}, kFirst).value(),
            (std::vector<DeliveryTarget>{{"[192.0.2.1]", "192.0.2.1", 2525}}));
  EXPECT_EQ(PlanDelivery(dns, "[IPv6:2001:DB8:0:0::1]", {}, kFirst).value(),
            (std::vector<DeliveryTarget>{{"[IPv6:2001:DB8:0:0::1]", "2001:db8::1", 25}}));
  EXPECT_TRUE(dns.queries.empty());
  for (const char* bad : {"[bogus]", "[192.0.2.1", "[", "[]", "[IPv6:192.0.2.1]", "[1.2.3.4.5]"}) {
    ExpectFailure(PlanDelivery(dns, bad, {}, kFirst), true, "5.1.2");
  }
  ExpectFailure(PlanDelivery(dns, "[192.0.2.1]", {.local_names = {"192.0.2.1"}}, kFirst), true,
                "5.4.6");
  ExpectFailure(PlanDelivery(dns, "[IPv6:::1]", {.use_ipv6 = false}, kFirst), false, "4.4.3");
}

TEST(MxPlan, Smarthost) {
  FakeResolver dns;
  dns.AddAddress("relay.test", "192.0.2.9");
  dns.AddAddress("relay.test", "2001:db8::9");
  struct Case {
    const char* spec;
    std::vector<DeliveryTarget> want;
  };
  const Case cases[] = {
      {"relay.test:2525", {{"relay.test", "192.0.2.9", 2525}, {"relay.test", "2001:db8::9", 2525}}},
      {"Relay.Test", {{"relay.test", "192.0.2.9", 587}, {"relay.test", "2001:db8::9", 587}}},
      {"192.0.2.10:26", {{"192.0.2.10", "192.0.2.10", 26}}},
      {"[192.0.2.10]", {{"192.0.2.10", "192.0.2.10", 587}}},
      {"[::1]:2526", {{"::1", "::1", 2526}}},
      {"[IPv6:::1]", {{"IPv6:::1", "::1", 587}}},
  };
  for (const Case& c : cases) {
    const DeliveryPlan plan = PlanSmarthost(dns, c.spec, {.port = 587});
    ASSERT_TRUE(plan) << c.spec << ": " << plan.error().text;
    EXPECT_EQ(*plan, c.want) << c.spec;
  }
  for (const char* bad :
       {"", ":25", "relay.test:", "relay.test:0", "relay.test:65536", "relay.test:x", "::1:25",
        "[::1", "[::1]x", "nx.test", "relay.test:2:3"}) {
    ExpectFailure(PlanSmarthost(dns, bad, {}), false,
                  std::string(bad) == "nx.test" ? "4.4.3" : "4.3.5");
  }
  EXPECT_EQ(std::count(dns.queries.begin(), dns.queries.end(), "MX relay.test"), 0);
}

}  // namespace
}  // namespace pigeon::mta::dns
