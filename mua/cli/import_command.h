// `pigeon import PATH… [--folder F] [--mbox-format V]`: copies mbox files and Maildir folders
// into one store folder, idempotently (bytes already in the folder are counted as duplicates,
// not added again). Mailboxes are untrusted: a bad entry is skipped or imported best-effort
// with one warning naming the file and position; the import goes on. Batching and rollback
// are ImportBatcher's; this file reads the sources (on a thread of their own, ReadAhead, which
// also parses each message) and reports.
#pragma once

#include <atomic>
#include <cstdio>
#include <string>
#include <vector>

#include "common/store/store.h"
#include "common/sys/clock.h"

namespace pigeon::mua {

struct ImportOptions {
  std::vector<std::string> paths;    // Maildir directories, mbox files, "-" (an mbox on stdin)
  std::string folder = "INBOX";      // created when missing
  std::string mbox_format = "auto";  // auto, mboxrd, mboxo, mboxcl, mboxcl2
};

// The exit status of `pigeon import`: 0; 1 when a file or message failed (the rest is
// imported); 130 when `stop` was set (after the current message; what was read is
// committed). Progress goes to `err` when it is a terminal, warnings and a summary line always.
// `clock` gives the arrival time of messages that carry none.
int RunImport(store::Store& store, const sys::Clock& clock, const ImportOptions& options,
              const std::atomic<bool>& stop, std::FILE* err);

}  // namespace pigeon::mua
