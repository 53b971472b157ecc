// Whole-file reads for command-line tools. Errors name the path and the system's reason.
#pragma once

#include <string>

#include "common/util/result.h"

namespace pigeon::sys {

// Reads the file at `path` ("-" means standard input) completely.
Result<std::string> ReadWholeFile(const std::string& path);

}  // namespace pigeon::sys
