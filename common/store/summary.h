// What the store extracts from a message once, at insert: the summary columns a listing shows,
// the thread keys, and the text the full-text index holds. Pure: bytes in, values out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pigeon::store {

struct MessageSummaryFields {
  std::optional<int64_t> date;  // UTC seconds of the Date field, when it parses
  std::string from_name;
  std::string from_addr;
  std::string to_text;                    // To then Cc, "Name <addr>, …", for display
  std::string subject;                    // decoded, whitespace collapsed
  std::optional<std::string> message_id;  // without angle brackets
  std::optional<std::string> parent_id;   // In-Reply-To, else the last of References
  std::vector<std::string> references;    // References then In-Reply-To, without brackets
  bool has_attachment = false;
  std::string snippet;  // the first ~200 characters of body text, whitespace collapsed

  // For the full-text index.
  std::string search_sender;      // From and Sender: names and addresses
  std::string search_recipients;  // To
  std::string search_cc;          // Cc
  std::string search_body;        // ExtractSearchText
};

MessageSummaryFields ExtractSummary(std::string_view raw);

// A message made ready for Batch::Add ahead of its insert: an import prepares the next messages
// on another thread while the store writes.
struct PreparedMessage {
  std::string raw;
  std::string sha256;  // of raw, lower-case hex (bodies.sha256)
  MessageSummaryFields fields;
};

// Pure, like ExtractSummary: any thread may call it.
PreparedMessage PrepareMessage(std::string raw);

// The message ids in a References / In-Reply-To / Message-ID value, without angle brackets,
// in order, duplicates removed. Tolerates missing brackets and junk between ids.
std::vector<std::string> ParseMessageIds(std::string_view value);

}  // namespace pigeon::store
