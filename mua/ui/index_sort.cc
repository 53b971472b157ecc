// See index_sort.h.
#include "mua/ui/index_sort.h"

namespace pigeon::mua::ui {

std::optional<IndexSort> ParseIndexSort(std::string_view name) {
  for (IndexSort sort : {IndexSort{false, false}, IndexSort{false, true}, IndexSort{true, false},
                         IndexSort{true, true}}) {
    if (IndexSortName(sort) == name) return sort;
  }
  return std::nullopt;
}

std::string_view IndexSortName(IndexSort sort) {
  if (sort.threads) return sort.reverse ? "reverse-threads" : "threads";
  return sort.reverse ? "reverse-date" : "date";
}

SortAnswer AnswerSortPrompt(Key key, bool reverse) {
  switch (key) {
    case 'd':
    case 'D':
      return {SortAnswer::Kind::kSort, IndexSort{false, reverse}};
    case 't':
    case 'T':
      return {SortAnswer::Kind::kSort, IndexSort{true, reverse}};
    case keys::kControlG:
    case keys::kEscape:
      return {SortAnswer::Kind::kCancel, {}};
    default:
      return {SortAnswer::Kind::kAgain, {}};
  }
}

}  // namespace pigeon::mua::ui
