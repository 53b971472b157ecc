// See capabilities.h.
#include "mta/client/capabilities.h"

#include <algorithm>
#include <string_view>

namespace pigeon::mta::client {
namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return out;
}

// Words separated by spaces (or tabs, which some servers use).
std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    const size_t start = pos;
    while (pos < line.size() && line[pos] != ' ' && line[pos] != '\t') ++pos;
    if (pos > start) words.push_back(line.substr(start, pos - start));
  }
  return words;
}

// RFC 1870 §4: "SIZE" [SP number]; digits only, and an absurd value is no limit at all.
uint64_t ParseSizeLimit(std::string_view digits) {
  if (digits.empty() || digits.size() > 19) return 0;
  uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return 0;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

void AddMechanism(Capabilities& caps, std::string_view name) {
  std::string upper = Upper(name);
  if (caps.auth.size() >= kMaxAuthMechanisms || caps.OffersAuth(upper)) return;
  caps.auth.push_back(std::move(upper));
}

}  // namespace

bool Capabilities::OffersAuth(std::string_view mechanism) const {
  return std::find(auth.begin(), auth.end(), mechanism) != auth.end();
}

Capabilities ParseEhloReply(const ServerReply& reply) {
  Capabilities caps;
  for (size_t i = 1; i < reply.lines.size(); ++i) {
    const std::vector<std::string_view> words = Words(reply.lines[i]);
    if (words.empty()) continue;
    std::string keyword = Upper(words[0]);
    // The pre-RFC 4954 form: "AUTH=PLAIN LOGIN".
    if (keyword.starts_with("AUTH=")) {
      AddMechanism(caps, std::string_view(words[0]).substr(5));
      for (size_t w = 1; w < words.size(); ++w) AddMechanism(caps, words[w]);
      continue;
    }
    if (keyword == "PIPELINING") {
      caps.pipelining = true;
    } else if (keyword == "SIZE") {
      caps.size = true;
      caps.size_limit = words.size() > 1 ? ParseSizeLimit(words[1]) : 0;
    } else if (keyword == "8BITMIME") {
      caps.eight_bit_mime = true;
    } else if (keyword == "SMTPUTF8") {
      caps.smtputf8 = true;
    } else if (keyword == "STARTTLS") {
      caps.starttls = true;
    } else if (keyword == "ENHANCEDSTATUSCODES") {
      caps.enhanced_status_codes = true;
    } else if (keyword == "AUTH") {
      for (size_t w = 1; w < words.size(); ++w) AddMechanism(caps, words[w]);
    }
  }
  return caps;
}

}  // namespace pigeon::mta::client
