// The built-in local profile and the file's location, from the environment; reading the file.
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <string>

#include "common/config/config.h"
#include "common/config/config_values.h"
#include "common/config/domain_name.h"
#include "common/store/store.h"
#include "common/sys/file.h"

namespace pigeon::config {
namespace {

// $XDG_CONFIG_HOME/pigeon (only an absolute one counts, as the XDG spec says), else
// ~/.config/pigeon.
std::string ConfigDirectory() {
  const char* config_home = std::getenv("XDG_CONFIG_HOME");
  if (config_home != nullptr && config_home[0] == '/') return std::string(config_home) + "/pigeon";
  return HomeDirectory() + "/.config/pigeon";
}

std::string PasswordDatabaseName() {
  struct passwd entry {};
  struct passwd* found = nullptr;
  std::array<char, 4096> buffer{};
  if (getpwuid_r(getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_name != nullptr) {
    return found->pw_name;
  }
  return "";
}

// $USER, else $LOGNAME, else the password database; the first that is a usable local part.
std::string LoginName() {
  for (const char* variable : {"USER", "LOGNAME"}) {
    const char* value = std::getenv(variable);
    if (value != nullptr && CheckLocalUser(value)) return value;
  }
  if (std::string name = PasswordDatabaseName(); CheckLocalUser(name)) return name;
  return "user";
}

// gethostname(), as a normalized domain; "localhost" when it is not one.
std::string MachineHostName() {
  std::array<char, 256> buffer{};
  if (gethostname(buffer.data(), buffer.size() - 1) != 0) return "localhost";
  Result<std::string> name = NormalizeDomainName(buffer.data());
  return name ? *name : "localhost";
}

bool IsRegularFile(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

}  // namespace

std::string DefaultConfigPath() { return ConfigDirectory() + "/pigeon.conf"; }

Config DefaultConfig() {
  Config config;
  const std::string user = LoginName();
  config.owner = message::Mailbox{"", user, "localhost"}.AddrSpec();
  config.store_path = store::DefaultStorePath();
  SmtpdConfig& smtpd = config.smtpd;
  smtpd.hostname = MachineHostName();
  smtpd.local_domains = {"localhost"};
  smtpd.local_users = {user};
  if (const std::string aliases = ConfigDirectory() + "/aliases"; IsRegularFile(aliases)) {
    smtpd.aliases_file = aliases;
  }
  return config;
}

Result<Config> LoadConfig(const std::string& path, bool explicitly_named) {
  Result<std::string> text = sys::ReadWholeFile(path);
  if (!text) {
    if (text.error().code == ErrorCode::kNotFound && !explicitly_named) return DefaultConfig();
    return tl::unexpected(text.error());
  }
  return ParseConfig(*text, path);
}

}  // namespace pigeon::config
