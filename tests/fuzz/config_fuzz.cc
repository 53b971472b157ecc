// Fuzzes ParseConfig on arbitrary bytes (TOML parsing included: toml++ is compiled into the
// library with the sanitizers). Must hold for any input: no crash and no exception; an error is
// one line that starts with the file name; an accepted file satisfies the documented limits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/config/config.h"
#include "common/config/domain_name.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

void CheckAccepted(const pigeon::config::Config& config) {
  const pigeon::config::SmtpdConfig& smtpd = config.smtpd;
  Require(smtpd.max_recipients >= 100);
  Require(smtpd.max_message_size > 0 && smtpd.max_connections > 0);
  Require(smtpd.command_timeout.count() > 0 && smtpd.data_timeout.count() > 0);
  Require(smtpd.tls_certificate.empty() == smtpd.tls_key.empty());
  Require(smtpd.log == "stderr" || smtpd.log == "syslog");
  for (const auto& listen : smtpd.listen) Require(listen.port != 0);
  for (const auto& listen : smtpd.submission) Require(listen.port != 0);
  for (const std::string& domain : smtpd.local_domains) {
    const auto normalized = pigeon::config::NormalizeDomainName(domain);
    Require(normalized && *normalized == domain);
  }
  for (const std::string& user : smtpd.local_users) {
    Require(!user.empty() && user.find_first_of("@%!+") == std::string::npos);
  }
  Require(!config.store_path.empty() && config.store_path.front() == '/');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto config = pigeon::config::ParseConfig(text, "fuzz.conf");
  if (!config) {
    const std::string& message = config.error().message;
    Require(message.starts_with("fuzz.conf"));
    Require(message.find_first_of("\r\n") == std::string::npos);
    return 0;
  }
  CheckAccepted(*config);
  return 0;
}
