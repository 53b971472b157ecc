// pigeon: the mail user agent's command line. Thin: parses argv, reads files, calls the library.
#include <sys/stat.h>

#include <clocale>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "common/message/message.h"
#include "common/store/store.h"
#include "common/sys/clock.h"
#include "common/sys/file.h"
#include "mua/cli/show_command.h"
#include "mua/cli/store_commands.h"

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

// Opens the store at `path`, creating its directory (0700) on first use. Prints the error.
std::unique_ptr<pigeon::store::Store> OpenStore(const std::string& path,
                                                const pigeon::sys::Clock& clock) {
  pigeon::Result<void> made = pigeon::sys::MakeDirectories(pigeon::sys::DirectoryOf(path));
  pigeon::Result<std::unique_ptr<pigeon::store::Store>> store =
      made ? pigeon::store::Store::Open(path, clock)
           : pigeon::Result<std::unique_ptr<pigeon::store::Store>>(tl::unexpected(made.error()));
  if (!store) {
    fmt::print(stderr, "pigeon: {}\n", store.error().message);
    return nullptr;
  }
  return std::move(*store);
}

int Report(const pigeon::Result<void>& result) {
  if (result) return 0;
  fmt::print(stderr, "pigeon: {}\n", result.error().message);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::setlocale(LC_ALL, "");
  ::umask(077);  // mail is private: the store and anything exported are the owner's alone
  CLI::App app{"pigeon: a mail user agent on the pigeon store"};
  app.require_subcommand(1);

  std::vector<std::string> show_files;
  bool show_json = false;
  CLI::App* show = app.add_subcommand("show", "Show how pigeon reads a message file");
  show->add_option("files", show_files, "Message files (RFC 5322; '-' for standard input)")
      ->required();
  show->add_flag("--json", show_json, "One JSON object keyed by file path");

  std::string store_path = pigeon::store::DefaultStorePath();
  app.add_option("--store", store_path, "The store database")->capture_default_str();

  app.add_subcommand("folders", "List folders with total and unread counts");

  pigeon::mua::SearchOptions search_options;
  CLI::App* search = app.add_subcommand("search", "Search messages (see QUERY LANGUAGE)");
  std::vector<std::string> query_words;
  search->add_option("query", query_words, "Query; several words are joined by AND");
  search->add_flag("--json", search_options.json, "A JSON array for scripts");
  search->add_option("--limit", search_options.limit, "At most this many results")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  search->add_option("--folder", search_options.folder, "Only this folder");

  CLI11_PARSE(app, argc, argv);
  if (show->parsed()) return RunShow(show_files, show_json);

  for (const std::string& word : query_words) {
    search_options.query += (search_options.query.empty() ? "" : " ") + word;
  }
  pigeon::sys::SystemClock clock;
  std::unique_ptr<pigeon::store::Store> store = OpenStore(store_path, clock);
  if (!store) return 1;
  if (search->parsed()) return Report(pigeon::mua::RunSearch(*store, search_options, stdout));
  return Report(pigeon::mua::RunFolders(*store, stdout));
}
