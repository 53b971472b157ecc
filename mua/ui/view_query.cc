// See view_query.h. Parenthesizing normalized text is safe: DescribeQuery's output parses back
// to the same tree, so "(a)" is exactly a.
#include "mua/ui/view_query.h"

#include "common/store/query.h"

namespace pigeon::mua::ui {
namespace {

std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

Result<std::string> NormalizeQuery(std::string_view text) {
  Result<store::QueryNode> parsed = store::ParseQuery(text);
  if (!parsed) return tl::unexpected(parsed.error());
  return store::DescribeQuery(*parsed);
}

bool MeansEveryMessage(std::string_view text) {
  text = Trimmed(text);
  return text.empty() || text == "all";
}

std::string BothQueries(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  return "(" + std::string(a) + ") (" + std::string(b) + ")";
}

}  // namespace pigeon::mua::ui
