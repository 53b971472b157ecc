// See export_command.h.
#include "mua/cli/export_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>

#include <fmt/format.h>

#include "common/mailbox/byte_stream.h"
#include "common/mailbox/maildir.h"
#include "common/mailbox/mbox_writer.h"
#include "common/store/schema.h"
#include "mua/cli/progress.h"

namespace pigeon::mua {
namespace {

constexpr int kExitInterrupted = 130;
constexpr int kPageSize = 500;

// Writes one message; Finish makes everything written durable.
struct Destination {
  std::function<Result<void>(const store::MessageSummary&, std::string_view)> write;
  std::function<Result<void>()> finish;
};

mailbox::MaildirFlags MaildirFlagsOf(int flags) {
  return mailbox::MaildirFlags{.draft = (flags & store::kFlagDraft) != 0,
                               .flagged = (flags & store::kFlagFlagged) != 0,
                               .passed = (flags & store::kFlagForwarded) != 0,
                               .replied = (flags & store::kFlagAnswered) != 0,
                               .seen = (flags & store::kFlagSeen) != 0,
                               .trashed = (flags & store::kFlagDeleted) != 0};
}

// What must be written before appending to `path` so that it ends with an empty line, as
// MboxWriter requires: "" for a missing or empty file or one already ending "\n\n".
Result<std::string> AppendPadding(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::string();
    return MakeError(ErrorCode::kIo, fmt::format("{}: {}", path, std::strerror(errno)));
  }
  char tail[2] = {0, 0};
  const off_t size = ::lseek(fd, 0, SEEK_END);
  const off_t from = size >= 2 ? size - 2 : 0;
  const ssize_t got = size > 0 ? ::pread(fd, tail, static_cast<size_t>(size - from), from) : 0;
  ::close(fd);
  if (got < 0) return MakeError(ErrorCode::kIo, fmt::format("{}: {}", path, std::strerror(errno)));
  if (got == 0) return std::string();
  if (tail[got - 1] != '\n') return std::string("\n\n");
  return std::string(got == 2 && tail[0] == '\n' ? "" : "\n");
}

Result<Destination> OpenMbox(const std::string& path, bool append) {
  struct stat info;
  if (path != "-" && !append && ::stat(path.c_str(), &info) == 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{}: already exists (use --append to add to it)", path));
  }
  Result<std::string> padding = path == "-" ? std::string() : AppendPadding(path);
  if (!padding) return tl::unexpected(padding.error());
  Result<std::unique_ptr<mailbox::FileSink>> sink = mailbox::FileSink::Open(path, append);
  if (!sink) return tl::unexpected(sink.error());
  if (Result<void> padded = (*sink)->Write(*padding); !padded) {
    return tl::unexpected(padded.error());
  }
  std::shared_ptr<mailbox::FileSink> file(std::move(*sink));
  auto writer = std::make_shared<mailbox::MboxWriter>(*file);
  return Destination{.write = [file, writer](const store::MessageSummary& summary,
                                             std::string_view raw) -> Result<void> {
                       return writer->Write(summary.from_addr, summary.date, raw);
                     },
                     .finish = [file, writer]() { return writer->Finish(); }};
}

Result<Destination> OpenMaildir(const std::string& path) {
  Result<mailbox::MaildirWriter> opened = mailbox::MaildirWriter::Open(path);
  if (!opened) return tl::unexpected(opened.error());
  auto writer = std::make_shared<mailbox::MaildirWriter>(std::move(*opened));
  return Destination{.write = [writer](const store::MessageSummary& summary,
                                       std::string_view raw) -> Result<void> {
                       Result<std::string> delivered =
                           writer->Deliver(raw, MaildirFlagsOf(summary.flags));
                       if (!delivered) return tl::unexpected(delivered.error());
                       return {};
                     },
                     .finish = []() -> Result<void> { return {}; }};  // each delivery is synced
}

struct Counts {
  int64_t exported = 0;
  int64_t errors = 0;
  bool interrupted = false;
};

// Pages through the folder oldest first (keyset cursor) writing each message. An error
// returned means the destination failed and the export stopped.
Result<void> CopyFolder(store::Store& store, const store::FolderInfo& folder,
                        Destination& destination, const std::atomic<bool>& stop,
                        ProgressBar& progress, Counts& counts, std::FILE* err) {
  store::PageRequest request;
  request.folder_id = folder.id;
  request.order = store::SortOrder::kDateAscending;
  request.limit = kPageSize;
  for (;;) {
    Result<std::vector<store::MessageSummary>> page = store.Page(request);
    if (!page) return tl::unexpected(page.error());
    if (page->empty()) return {};
    for (const store::MessageSummary& summary : *page) {
      if (stop.load()) {
        counts.interrupted = true;
        return {};
      }
      Result<std::string> raw = store.Raw(summary.id);
      if (!raw) {
        progress.Clear();
        fmt::print(err, "pigeon: export: message {}: {}\n", summary.id, raw.error().message);
        ++counts.errors;
        continue;
      }
      if (Result<void> written = destination.write(summary, *raw); !written) return written;
      ++counts.exported;
      progress.Update(counts.exported, counts.exported + counts.errors, folder.total);
    }
    request.after = store::PageCursor{.date = page->back().date, .id = page->back().id};
  }
}

}  // namespace

int RunExport(store::Store& store, const ExportOptions& options, const std::atomic<bool>& stop,
              std::FILE* err) {
  Result<store::FolderInfo> folder = store.FindFolder(options.folder);
  if (!folder) {
    fmt::print(err, "pigeon: export: {}\n", folder.error().message);
    return 1;
  }
  Result<Destination> destination = options.format == "maildir"
                                        ? OpenMaildir(options.dest)
                                        : OpenMbox(options.dest, options.append);
  if (!destination) {
    fmt::print(err, "pigeon: export: {}\n", destination.error().message);
    return 1;
  }
  ProgressBar progress(err, ProgressBar::StderrIsTerminal(), "exporting");
  Counts counts;
  Result<void> copied = CopyFolder(store, *folder, *destination, stop, progress, counts, err);
  Result<void> finished = destination->finish();
  progress.Clear();
  for (const Result<void>* failed : {&copied, &finished}) {
    if (*failed) continue;
    fmt::print(err, "pigeon: export: {}\n", failed->error().message);
    ++counts.errors;
  }
  const double seconds = progress.ElapsedSeconds();
  fmt::print(err, "{}exported {} messages from {} to {} ({}, {} errors) in {} ({}/s)\n",
             counts.interrupted ? "interrupted: " : "", GroupDigits(counts.exported), folder->name,
             options.dest, options.format, GroupDigits(counts.errors), FormatElapsed(seconds),
             GroupDigits(Rate(counts.exported, seconds)));
  if (counts.interrupted) return kExitInterrupted;
  return counts.errors > 0 ? 1 : 0;
}

}  // namespace pigeon::mua
