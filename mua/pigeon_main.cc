// pigeon: the mail user agent's command line. Thin: parses argv, reads files, calls the library.
#include <langinfo.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <clocale>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "common/config/config.h"
#include "common/message/message.h"
#include "common/store/store.h"
#include "common/sys/clock.h"
#include "common/sys/file.h"
#include "common/sys/heap_tuning.h"
#include "common/sys/magic_sniffer.h"
#include "mta/queue/queue_id.h"
#include "mta/queue/wakeup.h"
#include "mta/server/runtime.h"
#include "mta/submit/submitter.h"
#include "mua/cli/export_command.h"
#include "mua/cli/fetch_program.h"
#include "mua/cli/import_command.h"
#include "mua/cli/open_store.h"
#include "mua/cli/show_command.h"
#include "mua/cli/stop_request.h"
#include "mua/cli/store_commands.h"
#include "mua/compose/editor.h"
#include "mua/compose/mail_sender.h"
#include "mua/ui/app.h"
#include "mua/ui/curses_terminal.h"
#include "mua/ui/index_layout.h"
#include "mua/ui/key_bindings.h"

namespace {

// The owner with the configured name; the address alone when it cannot be parsed.
pigeon::message::Mailbox OwnerMailbox(const pigeon::config::Config& config) {
  pigeon::Result<pigeon::message::Mailbox> owner = pigeon::message::ParseMailbox(config.owner);
  if (!owner) return pigeon::message::Mailbox{};
  owner->name = config.owner_name;
  return *owner;
}

// The owner as the From of new mail ("Ada Lovelace <ada@example.org>").
std::string OwnerIdentity(const pigeon::config::Config& config) {
  const pigeon::message::Mailbox owner = OwnerMailbox(config);
  if (owner.local_part.empty()) return config.owner;
  return pigeon::mua::compose::EditorAddress(owner);
}

std::string MessageIdDomain(const pigeon::config::Config& config) {
  const size_t at = config.owner.rfind('@');
  if (at != std::string::npos && at + 1 < config.owner.size()) return config.owner.substr(at + 1);
  return config.smtpd.hostname.empty() ? "localhost" : config.smtpd.hostname;
}

// `pigeon` with no command: the full-screen reader on the store. Mail sent from it goes
// through the submitter on this store, as sendmail's does; `store_path` names the store for
// waking pigeond.
int RunUi(pigeon::store::Store& store, const std::string& store_path,
          const pigeon::config::Config& config, const pigeon::sys::Clock& clock) {
  pigeon::sys::TuneHeapForLargeBlocks();  // opening a big message in the pager
  // Bad alias lines are newaliases' and pigeond's to report, not the reader's.
  auto runtime = pigeon::mta::server::MakeRuntime(config, [](std::string_view) {});
  if (!runtime) {
    fmt::print(stderr, "pigeon: {}\n", runtime.error().message);
    return 1;
  }
  pigeon::mta::queue::QueueIdSource queue_ids;
  pigeon::mta::submit::Submitter submitter(
      (*runtime)->config, (*runtime)->policy, store, clock, queue_ids,
      [store_path] { pigeon::mta::queue::SendWakeup(store_path); });
  std::mt19937_64 random(std::random_device{}());
  pigeon::mua::compose::MailSender sender(
      submitter, store, clock, [&random] { return random(); },
      {MessageIdDomain(config), fmt::format("userid {}", getuid())});
  const char* temp_directory = std::getenv("TMPDIR");
  pigeon::mua::compose::ShellEditor editor(
      pigeon::mua::compose::EditorCommand(std::getenv("VISUAL"), std::getenv("EDITOR")),
      temp_directory != nullptr && temp_directory[0] == '/' ? temp_directory : "/tmp");
  pigeon::mua::ui::AppOptions options;
  options.identity = OwnerIdentity(config);
  options.owner = OwnerMailbox(config);
  options.identities = config.identities;
  options.mime_forward = config.reader.mime_forward;
  options.new_mail_bell = config.reader.new_mail_bell;
  options.new_mail_command = config.reader.new_mail_command;
  options.sidebar_visible = config.reader.sidebar;
  options.sidebar_width = config.reader.sidebar_width;
  // The config checked the name.
  options.sort = pigeon::mua::ui::ParseIndexSort(config.reader.sort).value_or(options.sort);
  // The thread tree's line-drawing characters need a UTF-8 locale (else "|->" and "`->").
  options.utf8 = std::string_view(::nl_langinfo(CODESET)) == "UTF-8";
  const char* home = std::getenv("HOME");
  options.home = home != nullptr ? home : "";
  if (const char* shell = std::getenv("SHELL"); shell != nullptr && *shell != '\0') {
    options.shell = shell;
  }
  options.temp_directory = temp_directory != nullptr ? temp_directory : "/tmp";
  options.mailcap = pigeon::mua::ui::LoadMailcap(pigeon::mua::ui::MailcapFiles(
      std::getenv("MAILCAPS"), config.reader.mailcap_path, options.home));
  options.undo_send_delay = config.reader.undo_send_delay;
  // Attachments' types from their content; without libmagic's database, by their extension.
  pigeon::Result<std::unique_ptr<pigeon::sys::MagicSniffer>> sniffer =
      pigeon::sys::MagicSniffer::Create();
  if (sniffer) options.sniffer = sniffer->get();
  options.wake_queue = [store_path] { pigeon::mta::queue::SendWakeup(store_path); };
  if (pigeon::Result<void> bound =
          pigeon::mua::ui::ApplyKeyBindings(config.reader.bindings, options.keys);
      !bound) {
    fmt::print(stderr, "pigeon: {}: {}\n", config.path, bound.error().message);
    return 1;
  }
  if (pigeon::Result<void> colored =
          pigeon::mua::ui::ApplyColorLines(config.reader.colors, options.colors);
      !colored) {
    fmt::print(stderr, "pigeon: {}: {}\n", config.path, colored.error().message);
    return 1;
  }
  pigeon::Result<pigeon::mua::ui::IndexFormat> index_format =
      pigeon::mua::ui::IndexFormat::Parse(config.reader.index_format, config.reader.date_format);
  if (!index_format) {
    fmt::print(stderr, "pigeon: {}: {}\n", config.path, index_format.error().message);
    return 1;
  }
  options.index_format = std::move(*index_format);

  const std::atomic<bool>& stop = pigeon::mua::InstallUiStopHandler();
  pigeon::Result<std::unique_ptr<pigeon::mua::ui::CursesTerminal>> terminal =
      pigeon::mua::ui::CursesTerminal::Open();
  if (!terminal) {
    fmt::print(stderr, "pigeon: {}\n", terminal.error().message);
    return 1;
  }
  pigeon::Result<void> result;
  {
    pigeon::mua::ui::SystemShellCommands shell;
    pigeon::mua::ui::App ui(store, **terminal, clock, stop, editor, sender, shell,
                            std::move(options));
    result = ui.Run();
  }
  terminal->reset();  // the terminal is back to normal before anything is printed
  if (!result) {
    fmt::print(stderr, "pigeon: {}\n", result.error().message);
    return 1;
  }
  return 0;
}

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
  app.require_subcommand(0, 1);  // none: the full-screen reader

  std::vector<std::string> show_files;
  bool show_json = false;
  CLI::App* show = app.add_subcommand("show", "Show how pigeon reads a message file");
  show->add_option("files", show_files, "Message files (RFC 5322; '-' for standard input)")
      ->required();
  show->add_flag("--json", show_json, "One JSON object keyed by file path");

  std::string store_path = pigeon::store::DefaultStorePath();
  CLI::Option* store_option =
      app.add_option("--store", store_path, "The store database (default: the config's store)");
  std::string config_path;
  CLI::Option* config_option =
      app.add_option("-C,--config", config_path,
                     "Configuration file (default: $XDG_CONFIG_HOME/pigeon/pigeon.conf)");

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

  pigeon::mua::ImportOptions import_options;
  CLI::App* import = app.add_subcommand("import", "Import mbox files and Maildir folders");
  import->add_option("paths", import_options.paths, "Maildirs or mbox files ('-': stdin)")
      ->required();
  import->add_option("--folder", import_options.folder, "Into this folder (created if missing)")
      ->capture_default_str();
  import->add_option("--mbox-format", import_options.mbox_format, "How mbox files were written")
      ->check(CLI::IsMember({"auto", "mboxrd", "mboxo", "mboxcl", "mboxcl2"}))
      ->capture_default_str();

  pigeon::mua::ExportOptions export_options;
  CLI::App* exporter = app.add_subcommand("export", "Export a folder as an mbox or a Maildir");
  exporter->add_option("dest", export_options.dest, "The mbox file ('-': stdout) or Maildir")
      ->required();
  exporter->add_option("--folder", export_options.folder, "The folder to export")->required();
  exporter->add_option("--format", export_options.format, "mbox (mboxrd) or maildir")
      ->check(CLI::IsMember({"mbox", "maildir"}))
      ->capture_default_str();
  exporter->add_flag("--append", export_options.append, "Append to an existing mbox file");

  pigeon::mua::FetchArguments fetch_arguments;
  CLI::App* fetcher =
      app.add_subcommand("fetch", "Fetch mail from the remote accounts ([[fetch]])");
  pigeon::mua::AddFetchArguments(*fetcher, fetch_arguments);

  CLI11_PARSE(app, argc, argv);
  if (show->parsed()) return RunShow(show_files, show_json);
  if (fetcher->parsed()) {
    const auto given = [](const CLI::Option* option, const std::string& value) {
      return option->count() > 0 ? std::optional<std::string>(value) : std::nullopt;
    };
    return pigeon::mua::ExecFetchProgram(given(config_option, config_path),
                                         given(store_option, store_path), fetch_arguments);
  }

  for (const std::string& word : query_words) {
    search_options.query += (search_options.query.empty() ? "" : " ") + word;
  }
  // The configuration names the store (the built-in profile's when there is no file), as
  // pigeond and sendmail find it, and the owner who sends from the reader. With --store a
  // command other than the reader does without it.
  const bool named = config_option->count() > 0;
  pigeon::Result<pigeon::config::Config> config =
      pigeon::config::LoadConfig(named ? config_path : pigeon::config::DefaultConfigPath(), named);
  const bool reader = app.get_subcommands().empty();
  if (!config && (store_option->count() == 0 || reader)) {
    fmt::print(stderr, "pigeon: {}\n", config.error().message);
    return 1;
  }
  if (store_option->count() == 0) store_path = config->store_path;
  pigeon::sys::SystemClock clock;
  std::unique_ptr<pigeon::store::Store> store = pigeon::mua::OpenStore(store_path, clock);
  if (!store) return 1;
  if (import->parsed() || exporter->parsed()) {
    const std::atomic<bool>& stop = pigeon::mua::InstallStopHandler();
    return import->parsed() ? pigeon::mua::RunImport(*store, clock, import_options, stop, stderr)
                            : pigeon::mua::RunExport(*store, export_options, stop, stderr);
  }
  if (search->parsed()) return Report(pigeon::mua::RunSearch(*store, search_options, stdout));
  if (reader) return RunUi(*store, store_path, *config, clock);
  return Report(pigeon::mua::RunFolders(*store, stdout));
}
