// Test helper: a real DNS server for .test names on loopback — dnsmasq with dnsmasq.conf.in,
// plus servfail.py behind servfail.test and a socket that never answers behind timeout.test
// (and for direct timeout tests). Ports are picked free at start, so tests can run in
// parallel; everything is stopped and the temporary directory removed by the destructor.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "common/util/result.h"
#include "tests/support/subprocess.h"

namespace pigeon::testing {

class TestDns {
 public:
  // Tries a few port choices, since a free port may be taken before dnsmasq binds it.
  static Result<std::unique_ptr<TestDns>> Start() {
    std::string why;
    for (int attempt = 0; attempt < 5; ++attempt) {
      std::unique_ptr<TestDns> dns(new TestDns());
      auto started = dns->TryStart();
      if (started) return dns;
      why = started.error().message;
    }
    return MakeError(ErrorCode::kIo, "test DNS did not start: " + why);
  }

  ~TestDns() {
    dnsmasq_.reset();
    servfail_.reset();
    if (silent_fd_ >= 0) ::close(silent_fd_);
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }
  TestDns(const TestDns&) = delete;
  TestDns& operator=(const TestDns&) = delete;

  std::string nameserver() const { return "127.0.0.1:" + std::to_string(port_); }
  // A loopback UDP port that receives queries and never answers.
  std::string silent_nameserver() const { return "127.0.0.1:" + std::to_string(silent_port_); }
  std::string log() const { return Slurp(dir_ / "dnsmasq.log"); }

 private:
  TestDns() = default;

  static std::string Slurp(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // A UDP socket bound to 127.0.0.1 on `port` (0: any), or -1.
  static int BindUdp(uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
      return fd;
    }
    if (fd >= 0) ::close(fd);
    return -1;
  }

  static uint16_t PortOf(int fd) {
    sockaddr_in address{};
    socklen_t size = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    return ntohs(address.sin_port);
  }

  // A port free for both UDP and TCP on 127.0.0.1 (dnsmasq takes both), or 0.
  static uint16_t FreePort() {
    const int udp = BindUdp(0);
    if (udp < 0) return 0;
    uint16_t port = PortOf(udp);
    const int tcp = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (tcp < 0 || ::bind(tcp, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      port = 0;
    }
    if (tcp >= 0) ::close(tcp);
    ::close(udp);
    return port;
  }

  // True once something on `port` answers a DNS query over UDP.
  static bool Answers(uint16_t port) {
    const int fd = BindUdp(0);
    if (fd < 0) return false;
    // Query id 0x7e57, RD, one question: "test" type A class IN.
    const unsigned char query[] = {0x7e, 0x57, 1,   0,   0,   1,   0, 0, 0, 0, 0,
                                   0,    4,    't', 'e', 's', 't', 0, 0, 1, 0, 1};
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool answered = false;
    if (::sendto(fd, query, sizeof query, 0, reinterpret_cast<sockaddr*>(&address),
                 sizeof address) == sizeof query) {
      pollfd wait{fd, POLLIN, 0};
      unsigned char reply[512];
      answered = ::poll(&wait, 1, 100) == 1 && ::recv(fd, reply, sizeof reply, 0) >= 12 &&
                 reply[0] == 0x7e && reply[1] == 0x57;
    }
    ::close(fd);
    return answered;
  }

  // Polls until both servers answer, for up to 10 s; fails early when one exits.
  Result<void> WaitUntilReady(uint16_t servfail_port) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    bool dnsmasq_up = false, servfail_up = false;
    while (std::chrono::steady_clock::now() < deadline) {
      if (!dnsmasq_->Running()) return MakeError(ErrorCode::kIo, "dnsmasq exited: " + log());
      if (!servfail_->Running()) return MakeError(ErrorCode::kIo, "servfail.py exited");
      dnsmasq_up = dnsmasq_up || Answers(port_);
      servfail_up = servfail_up || Answers(servfail_port);
      if (dnsmasq_up && servfail_up) return {};
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return MakeError(ErrorCode::kIo, "no answer within 10 s: " + log());
  }

  Result<void> TryStart() {
    char dir_template[] = "/tmp/pigeon-dns.XXXXXX";
    if (::mkdtemp(dir_template) == nullptr) return MakeError(ErrorCode::kIo, "mkdtemp failed");
    dir_ = dir_template;
    silent_fd_ = BindUdp(0);
    port_ = FreePort();
    const uint16_t servfail_port = FreePort();
    if (silent_fd_ < 0 || port_ == 0 || servfail_port == 0 || port_ == servfail_port) {
      return MakeError(ErrorCode::kIo, "no free loopback ports");
    }
    silent_port_ = PortOf(silent_fd_);

    const std::filesystem::path support = std::filesystem::path(__FILE__).parent_path();
    std::string conf = Slurp(support / "dnsmasq.conf.in");
    if (conf.empty()) return MakeError(ErrorCode::kNotFound, "cannot read dnsmasq.conf.in");
    auto fill = [&conf](const std::string& name, uint16_t value) {
      for (size_t at; (at = conf.find(name)) != std::string::npos;) {
        conf.replace(at, name.size(), std::to_string(value));
      }
    };
    fill("@SERVFAIL_PORT@", servfail_port);
    fill("@SILENT_PORT@", silent_port_);
    const std::filesystem::path conf_path = dir_ / "dnsmasq.conf";
    std::ofstream(conf_path) << conf;

    servfail_ = Subprocess::Start(
        {"/usr/bin/python3", (support / "servfail.py").string(), std::to_string(servfail_port)},
        (dir_ / "servfail.log").string());
    dnsmasq_ = Subprocess::Start(
        {"/usr/sbin/dnsmasq", "--keep-in-foreground", "--conf-file=" + conf_path.string(),
         "--port=" + std::to_string(port_), "--listen-address=127.0.0.1", "--bind-interfaces"},
        (dir_ / "dnsmasq.log").string());
    if (!servfail_ || !dnsmasq_) return MakeError(ErrorCode::kIo, "fork failed");
    return WaitUntilReady(servfail_port);
  }

  std::filesystem::path dir_;
  uint16_t port_ = 0;
  uint16_t silent_port_ = 0;
  int silent_fd_ = -1;
  std::unique_ptr<Subprocess> servfail_;
  std::unique_ptr<Subprocess> dnsmasq_;
};

}  // namespace pigeon::testing
