// Whole-file reads for command-line tools. Errors name the path and the system's reason.
#pragma once

#include <cstdint>
#include <string>

#include "common/util/result.h"

namespace pigeon::sys {

// Reads the file at `path` ("-" means standard input) completely.
Result<std::string> ReadWholeFile(const std::string& path);

// Reads the regular file at `path` completely ("-" is a file name here), refusing with
// kInvalidArgument, before reading, a directory or a file over `max_bytes`.
Result<std::string> ReadFileUpTo(const std::string& path, uintmax_t max_bytes);

// Creates `path` and its missing parents with `mode` (like mkdir -p); existing ones are fine.
Result<void> MakeDirectories(const std::string& path, unsigned mode = 0700);

// The directory part of `path` ("a/b/c" → "a/b", "c" → ".").
std::string DirectoryOf(const std::string& path);

}  // namespace pigeon::sys
