// `pigeon folders` and `pigeon search`: the store from the command line. Output goes to the
// given stream so tests can capture it; errors are returned for the caller to print.
#pragma once

#include <cstdio>
#include <string>

#include "common/store/store.h"
#include "common/util/result.h"

namespace pigeon::mua {

// One line per folder: name, total, unread (aligned), like `mailq`-style plain columns.
Result<void> RunFolders(store::Store& store, std::FILE* out);

struct SearchOptions {
  std::string query;
  bool json = false;
  int limit = 100;
  std::string folder;  // "" = all folders
};

// One line per matching message, newest first: date, sender, subject, folder; or a JSON array.
Result<void> RunSearch(store::Store& store, const SearchOptions& options, std::FILE* out);

}  // namespace pigeon::mua
