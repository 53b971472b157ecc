// pigeon: the mail user agent's command line. Thin: parses argv, reads files, calls the library.
#include <clocale>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "common/message/message.h"
#include "common/sys/file.h"
#include "mua/cli/show_command.h"

namespace {

// `pigeon show [--json] FILE…`. Exit status 0, or 1 when a file could not be read.
int RunShow(const std::vector<std::string>& files, bool as_json) {
  int status = 0;
  nlohmann::json all = nlohmann::json::object();
  for (const std::string& path : files) {
    pigeon::Result<std::string> raw = pigeon::sys::ReadWholeFile(path);
    if (!raw) {
      fmt::print(stderr, "pigeon: {}\n", raw.error().message);
      status = 1;
      continue;
    }
    pigeon::message::Message message(std::move(*raw));
    if (as_json) {
      all[path] = pigeon::mua::ShowJson(message);
    } else {
      if (files.size() > 1) fmt::print("==> {} <==\n", path);
      fmt::print("{}", pigeon::mua::ShowText(message));
    }
  }
  if (as_json) {
    fmt::print("{}\n", all.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  std::setlocale(LC_ALL, "");
  CLI::App app{"pigeon: a mail user agent on the pigeon store"};
  app.require_subcommand(1);

  std::vector<std::string> show_files;
  bool show_json = false;
  CLI::App* show = app.add_subcommand("show", "Show how pigeon reads a message file");
  show->add_option("files", show_files, "Message files (RFC 5322; '-' for standard input)")
      ->required();
  show->add_flag("--json", show_json, "One JSON object keyed by file path");

  CLI11_PARSE(app, argc, argv);
  if (show->parsed()) return RunShow(show_files, show_json);
  return 0;
}
