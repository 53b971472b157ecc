// `pigeon export --folder F --format mbox|maildir [--append] DEST`: writes a store folder out,
// oldest first, byte for byte: an mboxrd file (From_ quoting per mbox(5), sender and date of
// each message on its From_ line) or a Maildir (flags in the file names, each delivery synced).
// Messages are written as stored; an mbox export carries no flags (no Status lines are added).
#pragma once

#include <atomic>
#include <cstdio>
#include <string>

#include "common/store/store.h"

namespace pigeon::mua {

struct ExportOptions {
  std::string folder;
  std::string format = "mbox";  // mbox or maildir
  std::string dest;             // an mbox file ("-": standard output) or a Maildir directory
  bool append = false;          // add to an existing mbox instead of refusing to overwrite it
};

// The exit status of `pigeon export`: 0; 1 when the folder or destination failed, or some
// messages could not be read (the others are exported); 130 when `stop` was set (after the
// current message; what was written is synced). Warnings, progress (on a terminal) and a
// summary line go to `err`.
int RunExport(store::Store& store, const ExportOptions& options, const std::atomic<bool>& stop,
              std::FILE* err);

}  // namespace pigeon::mua
