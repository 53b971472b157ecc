// See secret_command.h.
#include "common/sys/secret_command.h"

#include <sys/wait.h>

#include <cstdio>

#include <fmt/format.h>

namespace pigeon::sys {

Result<std::string> SecretFromCommand(const std::string& command) {
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return MakeError(ErrorCode::kIo, "cannot run it");
  std::string line;
  char buffer[512];
  while (std::fgets(buffer, sizeof(buffer), pipe) != nullptr) {
    line += buffer;
    if (!line.empty() && line.back() == '\n') break;
  }
  while (std::fgets(buffer, sizeof(buffer), pipe) != nullptr) {
  }
  const int status = ::pclose(pipe);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return MakeError(ErrorCode::kIo, fmt::format("failed (exit status {})",
                                                 WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  }
  return line;
}

Result<std::string> NamingSetting(std::string_view setting, Result<std::string> secret) {
  if (secret) return secret;
  return MakeError(secret.error().code, fmt::format("{}: {}", setting, secret.error().message));
}

}  // namespace pigeon::sys
