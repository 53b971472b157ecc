// See fetch_program.h.
#include "mua/cli/fetch_program.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#ifndef PIGEON_LIBEXECDIR
#define PIGEON_LIBEXECDIR "/usr/local/libexec/pigeon"
#endif

namespace pigeon::mua {

std::string FetchProgramPath() {
  char self[4096];
  const ssize_t length = ::readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (length > 0) {
    std::string sibling(self, static_cast<size_t>(length));
    sibling = sibling.substr(0, sibling.rfind('/') + 1) + "pigeon-fetch";
    if (::access(sibling.c_str(), X_OK) == 0) return sibling;
  }
  return std::string(PIGEON_LIBEXECDIR) + "/pigeon-fetch";
}

int ExecFetchProgram(const std::optional<std::string>& config_path,
                     const std::optional<std::string>& store_path,
                     const FetchArguments& arguments) {
  const std::string program = FetchProgramPath();
  std::vector<std::string> words = {"pigeon-fetch"};
  if (config_path) words.insert(words.end(), {"--config", *config_path});
  if (store_path) words.insert(words.end(), {"--store", *store_path});
  words.insert(words.end(), {"--timeout", std::to_string(arguments.timeout_seconds)});
  if (arguments.quiet) words.push_back("--quiet");
  words.push_back("--");
  words.insert(words.end(), arguments.accounts.begin(), arguments.accounts.end());
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  std::fflush(nullptr);
  ::execv(program.c_str(), argv.data());
  fmt::print(stderr, "pigeon: cannot run {}: {}\n", program, std::strerror(errno));
  return 1;
}

}  // namespace pigeon::mua
