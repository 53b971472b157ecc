// `pigeon show`: how pigeon reads a message, as JSON (a stable contract for scripts and tests)
// or as a human-readable view. Pure over parsed messages; reading files is the caller's job.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/message/message.h"

namespace pigeon::mua {

// The object documented in pigeon(1) under "show --json": subject, from, to, cc, date_utc,
// message_id, mime (pre-order nodes), text_plain.
nlohmann::json ShowJson(const message::Message& message);

// A header field as a reader shows it: name and decoded, printable-safe UTF-8 value.
struct DisplayField {
  std::string name;
  std::string value;
};

// Date, From, To, Cc and Subject, decoded (RFC 2047, addresses formatted); absent or empty
// ones left out. What `pigeon show` prints first and what the pager shows by default.
std::vector<DisplayField> DisplayFields(const message::Message& message);

// Headers, the MIME tree and the first text part, for a terminal.
std::string ShowText(const message::Message& message);

}  // namespace pigeon::mua
