// See import_command.h.
#include "mua/cli/import_command.h"

#include <sys/stat.h>

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "common/mailbox/byte_stream.h"
#include "common/mailbox/maildir.h"
#include "common/mailbox/mbox_reader.h"
#include "common/store/schema.h"
#include "common/sys/file.h"
#include "mua/cli/import_batcher.h"
#include "mua/cli/mbox_hints.h"
#include "mua/cli/progress.h"

namespace pigeon::mua {
namespace {

using mailbox::MboxVariant;

constexpr int kExitInterrupted = 130;

std::optional<MboxVariant> ParseVariant(std::string_view name) {
  if (name == "auto") return MboxVariant::kAuto;
  if (name == "mboxrd") return MboxVariant::kMboxrd;
  if (name == "mboxo") return MboxVariant::kMboxo;
  if (name == "mboxcl") return MboxVariant::kMboxcl;
  if (name == "mboxcl2") return MboxVariant::kMboxcl2;
  return std::nullopt;
}

bool IsDirectory(const std::string& path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

// A regular file's size, for the progress percentage (nullopt for pipes and stdin).
std::optional<int64_t> RegularFileSize(const std::string& path) {
  struct stat info;
  if (path == "-" || ::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return {};
  return static_cast<int64_t>(info.st_size);
}

int StoreFlags(const mailbox::MaildirFlags& flags) {
  return (flags.seen ? store::kFlagSeen : 0) | (flags.replied ? store::kFlagAnswered : 0) |
         (flags.flagged ? store::kFlagFlagged : 0) | (flags.trashed ? store::kFlagDeleted : 0) |
         (flags.draft ? store::kFlagDraft : 0) | (flags.passed ? store::kFlagForwarded : 0);
}

// Delivery time of a Maildir file: the leading seconds of its name, else its mtime.
std::optional<int64_t> MaildirArrival(const mailbox::MaildirEntry& entry) {
  int64_t seconds = 0;
  size_t digits = 0;
  for (char c : entry.name) {
    if (c < '0' || c > '9' || digits >= 12) break;
    seconds = seconds * 10 + (c - '0');
    ++digits;
  }
  if (digits > 0 && digits < 12 && digits < entry.name.size() && entry.name[digits] == '.') {
    return seconds;
  }
  struct stat info;
  if (::stat(entry.path.c_str(), &info) == 0) return static_cast<int64_t>(info.st_mtime);
  return std::nullopt;
}

// The variant for `path`: the one asked for, else sniffed from the file's first megabytes.
MboxVariant ChooseVariant(const std::string& path, MboxVariant asked) {
  if (asked != MboxVariant::kAuto || path == "-") return asked;
  Result<std::unique_ptr<mailbox::FileSource>> source = mailbox::FileSource::Open(path);
  if (!source) return asked;  // reported when the file is read for real
  std::string sample(kMboxSniffBytes, '\0');
  size_t filled = 0;
  while (filled < sample.size()) {
    Result<size_t> got = (*source)->Read(sample.data() + filled, sample.size() - filled);
    if (!got || *got == 0) break;
    filled += *got;
  }
  sample.resize(filled);
  return SniffMboxVariant(sample, filled < kMboxSniffBytes);
}

class Importer {
 public:
  Importer(store::Store& store, const sys::Clock& clock, int64_t folder_id,
           const std::atomic<bool>& stop, std::FILE* err)
      : clock_(clock),
        stop_(stop),
        err_(err),
        batcher_(store, folder_id),
        progress_(err, ProgressBar::StderrIsTerminal(), "importing") {}

  void ImportPath(const std::string& path, MboxVariant variant);
  int Finish(const std::string& folder);
  bool done() const { return interrupted_ || fatal_; }

 private:
  void ImportMaildir(const std::string& path);
  void ImportMbox(const std::string& path, MboxVariant variant);
  void Add(std::string raw, store::InsertOptions options, const std::string& where);
  bool Stopping();
  void Warn(const std::string& text, bool is_error);

  const sys::Clock& clock_;
  const std::atomic<bool>& stop_;
  std::FILE* err_;
  ImportBatcher batcher_;
  ProgressBar progress_;
  int64_t handled_ = 0;  // messages read so far, committed or not
  int64_t errors_ = 0;
  bool interrupted_ = false;
  bool fatal_ = false;
};

void Importer::Warn(const std::string& text, bool is_error) {
  progress_.Clear();
  fmt::print(err_, "pigeon: import: {}\n", text);
  if (is_error) ++errors_;
}

bool Importer::Stopping() {
  if (stop_.load()) interrupted_ = true;
  return done();
}

void Importer::Add(std::string raw, store::InsertOptions options, const std::string& where) {
  ++handled_;
  if (raw.empty()) return Warn(where + ": empty message; skipped", true);
  std::optional<Error> refused;
  Result<void> added = batcher_.Add(std::move(raw), std::move(options), &refused);
  if (refused) Warn(fmt::format("{}: not imported: {}", where, refused->message), true);
  if (!added) {
    Warn(fmt::format("store: {}; stopping (the open batch was rolled back)", added.error().message),
         true);
    fatal_ = true;
  }
}

void Importer::ImportPath(const std::string& path, MboxVariant variant) {
  if (path != "-" && IsDirectory(path)) {
    if (IsDirectory(path + "/cur") || IsDirectory(path + "/new")) return ImportMaildir(path);
    return Warn(path + ": a directory but not a Maildir (no cur/ or new/)", true);
  }
  ImportMbox(path, ChooseVariant(path, variant));
}

// Streams the Maildir (a first pass only counts, for the progress bar): memory stays flat
// however many messages it holds. Rows follow directory order; listings sort by Date anyway.
void Importer::ImportMaildir(const std::string& path) {
  Result<int64_t> total = mailbox::CountMaildir(path);
  if (!total) return Warn(total.error().message, true);
  Result<mailbox::MaildirScanner> scanner = mailbox::MaildirScanner::Open(path);
  if (!scanner) return Warn(scanner.error().message, true);
  for (int64_t i = 0; !Stopping(); ++i) {
    Result<std::optional<mailbox::MaildirEntry>> next = scanner->Next();
    if (!next) return Warn(next.error().message, true);
    if (!*next) return;
    const mailbox::MaildirEntry& entry = **next;
    Result<std::string> raw = sys::ReadWholeFile(entry.path);
    if (!raw) {
      ++handled_;
      Warn(raw.error().message, true);
      continue;
    }
    store::InsertOptions options;
    options.flags = StoreFlags(entry.flags);
    options.arrived = MaildirArrival(entry);
    Add(std::move(*raw), std::move(options), entry.path);
    progress_.Update(handled_, i + 1, std::max(*total, i + 1));
  }
}

void Importer::ImportMbox(const std::string& path, MboxVariant variant) {
  Result<std::unique_ptr<mailbox::FileSource>> source = mailbox::FileSource::Open(path);
  if (!source) return Warn(source.error().message, true);
  const std::optional<int64_t> size = RegularFileSize(path);
  mailbox::MboxReader reader(**source, mailbox::MboxOptions{.variant = variant});
  while (!Stopping()) {
    Result<std::optional<mailbox::MboxMessage>> next = reader.Next();
    for (const mailbox::MboxWarning& warning : reader.TakeWarnings()) {
      Warn(fmt::format("{}: {}", path, warning.text),
           warning.text.find("skipped") != std::string::npos);
    }
    if (!next) return Warn(fmt::format("{} (reading stopped)", next.error().message), true);
    if (!*next) return;
    mailbox::MboxMessage& message = **next;
    store::InsertOptions options;
    options.flags = MboxStatusFlags(message.data);
    options.arrived = message.envelope.date.value_or(clock_.NowUtcSeconds());
    Add(std::move(message.data), std::move(options),
        fmt::format("{}: message {} at byte {}", path, message.index + 1, message.offset));
    progress_.Update(handled_, static_cast<int64_t>(message.offset), size);
  }
}

int Importer::Finish(const std::string& folder) {
  if (!fatal_) {
    if (Result<void> committed = batcher_.Commit(); !committed) {
      Warn(fmt::format("store: {}; the last batch was rolled back", committed.error().message),
           true);
    }
  }
  progress_.Clear();
  const double seconds = progress_.ElapsedSeconds();
  fmt::print(err_,
             "{}imported {} messages into {} ({} duplicates skipped, {} errors) in {} ({}/s)\n",
             interrupted_ ? "interrupted: " : "", GroupDigits(batcher_.imported()), folder,
             GroupDigits(batcher_.duplicates()), GroupDigits(errors_), FormatElapsed(seconds),
             GroupDigits(Rate(batcher_.imported() + batcher_.duplicates(), seconds)));
  if (interrupted_) return kExitInterrupted;
  return errors_ > 0 ? 1 : 0;
}

}  // namespace

int RunImport(store::Store& store, const sys::Clock& clock, const ImportOptions& options,
              const std::atomic<bool>& stop, std::FILE* err) {
  const std::optional<MboxVariant> variant = ParseVariant(options.mbox_format);
  if (!variant) {
    fmt::print(err, "pigeon: import: unknown mbox format '{}'\n", options.mbox_format);
    return 2;
  }
  Result<store::FolderInfo> folder = store.FindFolder(options.folder);
  if (!folder && folder.error().code == ErrorCode::kNotFound) {
    folder = store.CreateFolder(options.folder);
  }
  if (!folder) {
    fmt::print(err, "pigeon: import: {}\n", folder.error().message);
    return 1;
  }
  Importer importer(store, clock, folder->id, stop, err);
  for (const std::string& path : options.paths) {
    if (importer.done()) break;
    importer.ImportPath(path, *variant);
  }
  return importer.Finish(folder->name);
}

}  // namespace pigeon::mua
