// The reader's limit, search and pattern queries: the store's search language (query.h), typed
// by the user (untrusted). They are checked and normalized here before they reach the store,
// and combined with AND so that a search or pattern stays within the limited view.
#pragma once

#include <string>
#include <string_view>

#include "common/util/result.h"

namespace pigeon::mua::ui {

// The query in the store's normalized syntax ("" for one that matches everything); the error
// is ParseQuery's ("column 3: unknown field ...").
Result<std::string> NormalizeQuery(std::string_view text);

// mutt's "all": at the limit prompt (as is an empty answer) no limit; at a pattern prompt
// every message shown.
bool MeansEveryMessage(std::string_view text);

// Both normalized queries at once: "(a) (b)", or the one that is not empty.
std::string BothQueries(std::string_view a, std::string_view b);

}  // namespace pigeon::mua::ui
