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
#include "common/store/summary.h"
#include "common/sys/file.h"
#include "mua/cli/import_batcher.h"
#include "mua/cli/mbox_hints.h"
#include "mua/cli/progress.h"
#include "mua/cli/read_ahead.h"

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

// The reading half of an import, on ReadAhead's thread: walks the paths and hands over each
// message, prepared for the store, and each warning. It touches neither store nor terminal.
class MailboxReader {
 public:
  // `clock`, `stop` and `out` must outlive the reader.
  MailboxReader(const sys::Clock& clock, const std::atomic<bool>& stop, ReadAhead& out)
      : clock_(clock), stop_(stop), out_(out) {}

  void ReadPaths(const std::vector<std::string>& paths, MboxVariant variant);

 private:
  void ReadPath(const std::string& path, MboxVariant variant);
  void ReadMaildir(const std::string& path);
  void ReadMbox(const std::string& path, MboxVariant variant);
  void Message(std::string raw, store::InsertOptions options, std::string where, int64_t done,
               std::optional<int64_t> total);
  void Put(ImportItem::Kind kind, std::string text);
  void Put(ImportItem item);
  bool Stopping() const { return stopped_ || stop_.load(); }

  const sys::Clock& clock_;
  const std::atomic<bool>& stop_;
  ReadAhead& out_;
  bool stopped_ = false;  // the importing side cancelled
};

void MailboxReader::Put(ImportItem item) {
  if (!out_.Put(std::move(item))) stopped_ = true;
}

void MailboxReader::Put(ImportItem::Kind kind, std::string text) {
  ImportItem item;
  item.kind = kind;
  item.text = std::move(text);
  Put(std::move(item));
}

// Parsing happens here, on the reading thread: that is the point of reading ahead.
void MailboxReader::Message(std::string raw, store::InsertOptions options, std::string where,
                            int64_t done, std::optional<int64_t> total) {
  ImportItem item;
  item.done = done;
  item.total = total;
  if (raw.empty()) {
    item.kind = ImportItem::Kind::kUnreadable;
    item.text = where + ": empty message; skipped";
  } else {
    item.kind = ImportItem::Kind::kMessage;
    item.text = std::move(where);
    item.message = store::PrepareMessage(std::move(raw));
    item.options = std::move(options);
  }
  Put(std::move(item));
}

void MailboxReader::ReadPaths(const std::vector<std::string>& paths, MboxVariant variant) {
  for (const std::string& path : paths) {
    if (Stopping()) return;
    ReadPath(path, variant);
  }
}

void MailboxReader::ReadPath(const std::string& path, MboxVariant variant) {
  if (path != "-" && IsDirectory(path)) {
    if (IsDirectory(path + "/cur") || IsDirectory(path + "/new")) return ReadMaildir(path);
    return Put(ImportItem::Kind::kError,
               path + ": a directory but not a Maildir (no cur/ or new/)");
  }
  ReadMbox(path, ChooseVariant(path, variant));
}

// Streams the Maildir (a first pass only counts, for the progress bar): memory stays flat
// however many messages it holds. Rows follow directory order; listings sort by Date anyway.
void MailboxReader::ReadMaildir(const std::string& path) {
  Result<int64_t> total = mailbox::CountMaildir(path);
  if (!total) return Put(ImportItem::Kind::kError, total.error().message);
  Result<mailbox::MaildirScanner> scanner = mailbox::MaildirScanner::Open(path);
  if (!scanner) return Put(ImportItem::Kind::kError, scanner.error().message);
  for (int64_t i = 0; !Stopping(); ++i) {
    Result<std::optional<mailbox::MaildirEntry>> next = scanner->Next();
    if (!next) return Put(ImportItem::Kind::kError, next.error().message);
    if (!*next) return;
    const mailbox::MaildirEntry& entry = **next;
    const int64_t shown_total = std::max(*total, i + 1);
    Result<std::string> raw = sys::ReadWholeFile(entry.path);
    if (!raw) {
      ImportItem unreadable;
      unreadable.kind = ImportItem::Kind::kUnreadable;
      unreadable.text = raw.error().message;
      unreadable.done = i + 1;
      unreadable.total = shown_total;
      Put(std::move(unreadable));
      continue;
    }
    store::InsertOptions options;
    options.flags = StoreFlags(entry.flags);
    options.arrived = MaildirArrival(entry);
    Message(std::move(*raw), std::move(options), entry.path, i + 1, shown_total);
  }
}

void MailboxReader::ReadMbox(const std::string& path, MboxVariant variant) {
  Result<std::unique_ptr<mailbox::FileSource>> source = mailbox::FileSource::Open(path);
  if (!source) return Put(ImportItem::Kind::kError, source.error().message);
  const std::optional<int64_t> size = RegularFileSize(path);
  mailbox::MboxReader reader(**source, mailbox::MboxOptions{.variant = variant});
  while (!Stopping()) {
    Result<std::optional<mailbox::MboxMessage>> next = reader.Next();
    for (const mailbox::MboxWarning& warning : reader.TakeWarnings()) {
      const bool skipped = warning.text.find("skipped") != std::string::npos;
      Put(skipped ? ImportItem::Kind::kError : ImportItem::Kind::kWarning,
          fmt::format("{}: {}", path, warning.text));
    }
    if (!next) {
      return Put(ImportItem::Kind::kError,
                 fmt::format("{} (reading stopped)", next.error().message));
    }
    if (!*next) return;
    mailbox::MboxMessage& message = **next;
    store::InsertOptions options;
    options.flags = MboxStatusFlags(message.data);
    options.arrived = message.envelope.date.value_or(clock_.NowUtcSeconds());
    Message(std::move(message.data), std::move(options),
            fmt::format("{}: message {} at byte {}", path, message.index + 1, message.offset),
            static_cast<int64_t>(message.offset), size);
  }
}

// The writing half, on the calling thread: stores what the reader hands over and reports.
class Importer {
 public:
  // Puts `store` in bulk-load mode (Store::BeginBulkLoad) until Finish().
  Importer(store::Store& store, int64_t folder_id, const std::atomic<bool>& stop, std::FILE* err)
      : store_(store),
        stop_(stop),
        err_(err),
        batcher_(store, folder_id),
        progress_(err, ProgressBar::StderrIsTerminal(), "importing") {
    // Best effort: without it the store writes as it always does, only slower.
    (void)store_.BeginBulkLoad();
  }

  // Until the reader is done, Ctrl-C, or the store fails; then cancels the reader.
  void Run(ReadAhead& reader);
  int Finish(const std::string& folder);

 private:
  void Handle(ImportItem& item);
  void Warn(const std::string& text, bool is_error);

  store::Store& store_;
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

void Importer::Run(ReadAhead& reader) {
  while (!fatal_) {
    if (stop_.load()) break;
    std::optional<ImportItem> item = reader.Take();
    if (!item) break;
    Handle(*item);
  }
  interrupted_ = !fatal_ && stop_.load();
  reader.Cancel();
}

void Importer::Handle(ImportItem& item) {
  switch (item.kind) {
    case ImportItem::Kind::kWarning:
    case ImportItem::Kind::kError:
      return Warn(item.text, item.kind == ImportItem::Kind::kError);
    case ImportItem::Kind::kUnreadable:
      ++handled_;
      Warn(item.text, true);
      break;
    case ImportItem::Kind::kMessage: {
      ++handled_;
      std::optional<Error> refused;
      Result<void> added = batcher_.Add(std::move(*item.message), item.options, &refused);
      if (refused) Warn(fmt::format("{}: not imported: {}", item.text, refused->message), true);
      if (!added) {
        Warn(fmt::format("store: {}; stopping (the open batch was rolled back)",
                         added.error().message),
             true);
        fatal_ = true;
      }
      break;
    }
  }
  progress_.Update(handled_, item.done, item.total);
}

int Importer::Finish(const std::string& folder) {
  if (!fatal_) {
    if (Result<void> committed = batcher_.Commit(); !committed) {
      Warn(fmt::format("store: {}; the last batch was rolled back", committed.error().message),
           true);
    }
  }
  // What was imported is committed whatever this says: a merge left undone is done by later
  // writes, and a store that fails here failed above too.
  (void)store_.EndBulkLoad();
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
  Importer importer(store, folder->id, stop, err);
  ReadAhead reader(
      [&](ReadAhead& out) { MailboxReader(clock, stop, out).ReadPaths(options.paths, *variant); });
  importer.Run(reader);
  return importer.Finish(folder->name);
}

}  // namespace pigeon::mua
