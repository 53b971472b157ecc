// Maildir (D. J. Bernstein's "maildir" spec, with the info ":2,FLAGS" of the Courier / mutt
// convention): listing new/ and cur/, the flags in file names, unique names, and delivery the
// standard way (tmp/, fsync, link into new/ or cur/, fsync the directory). Names and contents
// found on disk are untrusted. Flag and name handling is pure; disk I/O is in plain functions
// taking paths, returning Result errors that name the path and strerror.
#pragma once

#include <dirent.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.h"

namespace pigeon::mailbox {

// The six flags of the spec. Other letters (lowercase keywords of some clients, unknown
// uppercase) are ignored when reading and never written.
struct MaildirFlags {
  bool draft = false;    // D
  bool flagged = false;  // F
  bool passed = false;   // P (forwarded)
  bool replied = false;  // R
  bool seen = false;     // S
  bool trashed = false;  // T
  bool operator==(const MaildirFlags&) const = default;
  bool Any() const { return draft || flagged || passed || replied || seen || trashed; }
};

// Flags of a file name: the letters after the last ":2,"; none when there is no such suffix
// (":1," experimental info included).
MaildirFlags ParseMaildirFlags(std::string_view file_name);
// ":2," followed by the set flags in ASCII order ("DFPRST"), as the spec requires.
std::string FormatMaildirInfo(const MaildirFlags& flags);
// The file name without its info suffix (everything before the last ':').
std::string_view MaildirUniquePart(std::string_view file_name);

struct UniqueNameParts {
  int64_t seconds = 0;
  int64_t microseconds = 0;
  int64_t pid = 0;
  uint64_t sequence = 0;  // deliveries by this process so far
  std::string host;
};
// "SECONDS.M<usec>P<pid>Q<seq>.HOST", '/' and ':' in the host written as \057 and \072.
std::string FormatUniqueName(const UniqueNameParts& parts);
std::string EscapeMaildirHost(std::string_view host);

struct MaildirEntry {
  std::string path;     // root/new/NAME or root/cur/NAME
  std::string name;     // NAME, info included
  bool in_new = false;  // delivered, never seen by a client
  MaildirFlags flags;   // from the name; `seen` is always false for new/
};

// The messages of the Maildir at `root`: regular files of new/ and cur/ whose names do not
// start with '.', tmp/ ignored, sorted by delivery time (leading seconds) then name. Fails
// when new/ or cur/ cannot be read.
Result<std::vector<MaildirEntry>> ListMaildir(const std::string& root);

// Streams the messages of a Maildir in directory order (new/, then cur/), one entry at a time:
// memory stays flat in the number of messages (importing a million-message Maildir). Same
// selection as ListMaildir, no sorting.
class MaildirScanner {
 public:
  // Fails when new/ cannot be opened; cur/ is checked when the scan reaches it.
  static Result<MaildirScanner> Open(std::string root);
  MaildirScanner(MaildirScanner&& other) noexcept;
  MaildirScanner& operator=(MaildirScanner&&) = delete;
  MaildirScanner(const MaildirScanner&) = delete;
  ~MaildirScanner();

  // The next message, or nullopt after the last one.
  Result<std::optional<MaildirEntry>> Next();

 private:
  explicit MaildirScanner(std::string root) : root_(std::move(root)) {}
  Result<void> OpenSubdir();

  std::string root_;
  int subdir_ = 0;  // 0: new/, 1: cur/, 2: done
  std::string dir_path_;
  DIR* dir_ = nullptr;
};

// How many messages MaildirScanner would give (for a progress bar), without keeping them.
Result<int64_t> CountMaildir(const std::string& root);

// Creates root, root/cur, root/new and root/tmp (mode 0700) where missing.
Result<void> CreateMaildir(const std::string& root);

// Delivers messages into one Maildir. Unread messages without flags go to new/NAME; any other
// goes to cur/NAME:2,FLAGS. Not thread-safe (one sequence counter per writer).
class MaildirWriter {
 public:
  // Creates the directories when missing. `host` defaults to gethostname().
  static Result<MaildirWriter> Open(std::string root, std::string host = "");

  // Writes tmp/NAME, fsyncs it, links it into new/ or cur/, removes tmp/NAME and fsyncs the
  // target directory. Returns the final path.
  Result<std::string> Deliver(std::string_view message, const MaildirFlags& flags);

 private:
  MaildirWriter(std::string root, std::string host, int64_t pid);
  Result<std::string> WriteTemp(std::string_view message, std::string* name);

  std::string root_;
  std::string host_;
  int64_t pid_;
  uint64_t sequence_ = 0;
};

}  // namespace pigeon::mailbox
