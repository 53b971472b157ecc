// Fuzzes ParseQuery on arbitrary bytes. A parsed query must compile to SQL whose `?` count
// equals its parameter count (for any `now`, taken from the first bytes), and its normalized
// description must parse back to the same description.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "common/store/query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  int64_t now = 1718452800;  // 2024-06-15
  if (size >= sizeof now) std::memcpy(&now, data, sizeof now);
  const pigeon::Result<pigeon::store::QueryNode> node = pigeon::store::ParseQuery(input);
  if (!node) {
    if (node.error().message.empty()) std::abort();
    return 0;
  }
  const pigeon::store::SqlCondition sql = pigeon::store::CompileQuery(*node, now);
  size_t placeholders = 0;
  for (char c : sql.where) placeholders += c == '?';
  if (placeholders != sql.params.size() || sql.where.empty()) std::abort();
  // User text reaches SQL only through parameters: the SQL has no quote characters.
  if (sql.where.find_first_of("'\"") != std::string::npos) std::abort();
  const std::string description = pigeon::store::DescribeQuery(*node);
  if (description.size() <= pigeon::store::kMaxQueryBytes) {
    const pigeon::Result<pigeon::store::QueryNode> again = pigeon::store::ParseQuery(description);
    if (!again || pigeon::store::DescribeQuery(*again) != description) std::abort();
  }
  return 0;
}
