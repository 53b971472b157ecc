// Internal to the query language (query.h): the table of field names (from:, is:, before:, ...)
// and the parsers of their values, shared by the parser and DescribeQuery. Values are untrusted
// user text; every failure is an Error naming the field's column. Not a public API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/store/query.h"
#include "common/util/result.h"

namespace pigeon::store::query_internal {

// Builds the term for `name:value` (name as written, any case). `column` is the 1-based column
// of the field name, used in error messages.
Result<QueryNode> ParseFieldTerm(std::string_view name, std::string_view value, int column);

std::optional<DateSpec> ParseDateSpec(std::string_view text);
// Bytes with an optional k/K, m/M, g/G suffix (1024-based); nullopt on overflow or junk.
std::optional<int64_t> ParseSize(std::string_view text);

// Normalized text forms, as ParseFieldTerm accepts them back.
std::string FormatDateSpec(const DateSpec& spec);
std::string FormatSize(int64_t bytes);
std::string_view FlagTestName(FlagTest test);
std::string_view TextFieldName(TextField field);  // "from", ...; "" for kAny

// Damerau-Levenshtein (optimal string alignment) distance, for "did you mean". Bounded: words
// longer than 32 bytes are reported as far apart.
int EditDistance(std::string_view a, std::string_view b);

}  // namespace pigeon::store::query_internal
