// See imap_reader.h. A response is found complete first (lines joined by their literals), then
// taken apart by a cursor that reads the RFC 3501 grammar rule by rule.
#include "mua/fetch/imap_reader.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace pigeon::mua::fetch {
namespace {

constexpr int kMaxListDepth = 64;  // nested parentheses in a skipped FETCH item

tl::unexpected<Error> Malformed(std::string_view what) {
  return MakeError(ErrorCode::kParse, fmt::format("malformed IMAP response: {}", what));
}

std::optional<uint64_t> ParseNumber(std::string_view digits, uint64_t max) {
  if (digits.empty() || digits.size() > 20) return std::nullopt;
  uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (max - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// If the line [begin, end) (line end removed) ends in a literal's "{N}" or "{N+}", N.
std::optional<uint64_t> TrailingLiteral(std::string_view line) {
  if (line.empty() || line.back() != '}') return std::nullopt;
  const size_t open = line.rfind('{');
  if (open == std::string_view::npos) return std::nullopt;
  std::string_view digits = line.substr(open + 1, line.size() - open - 2);
  if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);  // RFC 7888 LITERAL+
  return ParseNumber(digits, UINT64_MAX);
}

// Reads one complete response, [0, data.size()), which ends with its line end.
class Cursor {
 public:
  Cursor(std::string_view data, const ImapLimits& limits) : data_(data), limits_(limits) {}

  bool AtLineEnd() const { return Rest().starts_with("\r\n") || Rest().starts_with("\n"); }
  Result<void> ExpectLineEnd() {
    if (Rest() == "\r\n" || Rest() == "\n") {
      pos_ = data_.size();
      return {};
    }
    return Malformed("expected the end of the line");
  }
  bool Take(char c) {
    if (pos_ < data_.size() && data_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  Result<void> Expect(char c) {
    if (Take(c)) return {};
    return Malformed(fmt::format("expected '{}'", c));
  }
  char Peek() const { return pos_ < data_.size() ? data_[pos_] : '\0'; }

  // Up to the line end (not taken): resp-text and the rest of untagged data.
  std::string_view TextToLineEnd() {
    const size_t end = data_.find_first_of("\r\n", pos_);
    const std::string_view text = data_.substr(pos_, end - pos_);
    pos_ = end == std::string_view::npos ? data_.size() : end;
    return text;
  }
  // The raw rest of the response without its final line end (may hold literals).
  std::string_view RestWithoutLineEnd() {
    std::string_view rest = Rest();
    if (rest.ends_with("\n")) rest.remove_suffix(1);
    if (rest.ends_with("\r")) rest.remove_suffix(1);
    pos_ += rest.size();
    return rest;
  }

  // atom (RFC 3501 ATOM-CHAR), also tags, and the bare words OK, EXISTS, NIL, numbers.
  Result<std::string_view> Atom() {
    const size_t begin = pos_;
    while (pos_ < data_.size() && IsAtomChar(data_[pos_])) ++pos_;
    if (pos_ == begin) return Malformed("expected an atom");
    return data_.substr(begin, pos_ - begin);
  }

  // A FETCH item name: an atom that may carry a section "[…]" (spaces and parentheses
  // allowed inside) and a partial "<n>".
  Result<std::string_view> ItemName() {
    const size_t begin = pos_;
    while (pos_ < data_.size() && IsAtomChar(data_[pos_]) && data_[pos_] != '[') ++pos_;
    if (Take('[')) {
      const size_t close = data_.find_first_of("]\r\n", pos_);
      if (close == std::string_view::npos || data_[close] != ']') {
        return Malformed("unclosed section [");
      }
      pos_ = close + 1;
      if (Take('<')) {
        while (pos_ < data_.size() && std::isdigit(static_cast<unsigned char>(data_[pos_]))) {
          ++pos_;
        }
        if (!Take('>')) return Malformed("unclosed partial <");
      }
    }
    if (pos_ == begin) return Malformed("expected a FETCH item name");
    return data_.substr(begin, pos_ - begin);
  }

  Result<uint64_t> Number(uint64_t max) {
    const size_t begin = pos_;
    while (pos_ < data_.size() && std::isdigit(static_cast<unsigned char>(data_[pos_]))) ++pos_;
    const std::optional<uint64_t> value = ParseNumber(data_.substr(begin, pos_ - begin), max);
    if (!value) return Malformed("expected a number");
    return *value;
  }

  // nstring: quoted, literal or NIL (nullopt).
  Result<std::optional<std::string>> NString() {
    if (Peek() == '"') return Quoted().map([](std::string s) { return std::optional(s); });
    if (Peek() == '{') return Literal().map([](std::string s) { return std::optional(s); });
    Result<std::string_view> atom = Atom();
    if (!atom) return tl::unexpected(atom.error());
    if (Upper(*atom) != "NIL") return Malformed("expected a string or NIL");
    return std::optional<std::string>();
  }

  // Any value, skipped: atoms, numbers, strings, lists (FLAGS, ENVELOPE, BODYSTRUCTURE…).
  Result<void> SkipValue(int depth = 0) {
    if (depth > kMaxListDepth) return Malformed("lists nested too deep");
    if (Peek() == '"') return Quoted().map([](const std::string&) {});
    if (Peek() == '{') return Literal().map([](const std::string&) {});
    if (Take('(')) {
      bool first = true;
      while (!Take(')')) {
        if (!first) {
          if (Result<void> space = Expect(' '); !space) return space;
        }
        first = false;
        if (Result<void> value = SkipValue(depth + 1); !value) return value;
      }
      return {};
    }
    // Flags such as \Seen and atoms with a section, as in BODY[HEADER] inside lists.
    Take('\\');
    return ItemName().map([](std::string_view) {});
  }

 private:
  static bool IsAtomChar(char c) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return false;
    return c != '(' && c != ')' && c != '{' && c != '"' && c != '\\' && c != ']';
  }
  std::string_view Rest() const { return data_.substr(pos_); }

  Result<std::string> Quoted() {
    if (Result<void> open = Expect('"'); !open) return tl::unexpected(open.error());
    std::string out;
    for (;;) {
      if (pos_ >= data_.size()) return Malformed("unclosed quoted string");
      const char c = data_[pos_++];
      if (c == '"') return out;
      if (c == '\r' || c == '\n') return Malformed("line end in a quoted string");
      if (c == '\\') {
        if (pos_ >= data_.size()) return Malformed("unclosed quoted string");
        out.push_back(data_[pos_++]);
      } else {
        out.push_back(c);
      }
    }
  }

  Result<std::string> Literal() {
    if (Result<void> open = Expect('{'); !open) return tl::unexpected(open.error());
    Result<uint64_t> size = Number(limits_.max_literal);
    if (!size) return Malformed("literal too large or without a size");
    Take('+');
    if (Result<void> close = Expect('}'); !close) return tl::unexpected(close.error());
    Take('\r');
    if (Result<void> line_end = Expect('\n'); !line_end) return tl::unexpected(line_end.error());
    if (data_.size() - pos_ < *size) return Malformed("literal cut short");
    std::string bytes(data_.substr(pos_, *size));
    pos_ += *size;
    return bytes;
  }

  std::string_view data_;
  const ImapLimits& limits_;
  size_t pos_ = 0;
};

Result<void> ReadRespText(Cursor& cursor, ImapResponse& response) {
  // RFC 3501 resp-text = ["[" resp-text-code "]" SP] text; servers also omit the text.
  if (!cursor.Take(' ')) return cursor.ExpectLineEnd();
  if (cursor.Take('[')) {
    const std::string_view code = cursor.TextToLineEnd();
    const size_t close = code.find(']');
    if (close == std::string_view::npos) return Malformed("unclosed response code [");
    response.code = std::string(code.substr(0, close));
    std::string_view text = code.substr(close + 1);
    if (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    response.text = std::string(text);
    return cursor.ExpectLineEnd();
  }
  response.text = std::string(cursor.TextToLineEnd());
  return cursor.ExpectLineEnd();
}

bool IsStatus(std::string_view word) {
  return word == "OK" || word == "NO" || word == "BAD" || word == "BYE" || word == "PREAUTH";
}

Result<void> ReadFetch(Cursor& cursor, ImapFetchData& fetch) {
  if (Result<void> open = cursor.Expect('('); !open) return open;
  bool first = true;
  while (!cursor.Take(')')) {
    if (!first) {
      if (Result<void> space = cursor.Expect(' '); !space) return space;
    }
    first = false;
    Result<std::string_view> item = cursor.ItemName();
    if (!item) return tl::unexpected(item.error());
    const std::string name = Upper(*item);
    if (Result<void> space = cursor.Expect(' '); !space) return space;
    if (name == "UID") {
      Result<uint64_t> uid = cursor.Number(UINT32_MAX);
      if (!uid || *uid == 0) return Malformed("bad UID");
      fetch.uid = static_cast<uint32_t>(*uid);
    } else if (name == "RFC822.SIZE") {
      Result<uint64_t> size = cursor.Number(UINT64_MAX);
      if (!size) return tl::unexpected(size.error());
      fetch.size = *size;
    } else if (name == "BODY[]" || name == "RFC822") {
      Result<std::optional<std::string>> body = cursor.NString();
      if (!body) return tl::unexpected(body.error());
      fetch.body = std::move(*body);
    } else if (Result<void> skipped = cursor.SkipValue(); !skipped) {
      return skipped;
    }
  }
  return cursor.ExpectLineEnd();
}

Result<ImapResponse> ParseResponse(std::string_view data, const ImapLimits& limits) {
  Cursor cursor(data, limits);
  ImapResponse response;
  if (cursor.Take('+')) {
    response.kind = ImapResponse::Kind::kContinuation;
    cursor.Take(' ');
    response.text = std::string(cursor.TextToLineEnd());
    if (Result<void> end = cursor.ExpectLineEnd(); !end) return tl::unexpected(end.error());
    return response;
  }
  if (cursor.Take('*')) {
    response.kind = ImapResponse::Kind::kUntagged;
    if (Result<void> space = cursor.Expect(' '); !space) return tl::unexpected(space.error());
    if (std::isdigit(static_cast<unsigned char>(cursor.Peek()))) {
      Result<uint64_t> number = cursor.Number(UINT32_MAX);
      if (!number) return tl::unexpected(number.error());
      response.number = static_cast<uint32_t>(*number);
      if (Result<void> space = cursor.Expect(' '); !space) return tl::unexpected(space.error());
    }
    Result<std::string_view> name = cursor.Atom();
    if (!name) return tl::unexpected(name.error());
    response.name = Upper(*name);
    if (response.number && response.name == "FETCH") {
      if (Result<void> space = cursor.Expect(' '); !space) return tl::unexpected(space.error());
      if (Result<void> read = ReadFetch(cursor, response.fetch); !read) {
        return tl::unexpected(read.error());
      }
      return response;
    }
    if (!response.number && IsStatus(response.name)) {
      response.status = response.name;
      if (Result<void> text = ReadRespText(cursor, response); !text) {
        return tl::unexpected(text.error());
      }
      return response;
    }
    cursor.Take(' ');
    response.text = std::string(cursor.RestWithoutLineEnd());
    return response;
  }
  response.kind = ImapResponse::Kind::kTagged;
  Result<std::string_view> tag = cursor.Atom();
  if (!tag) return tl::unexpected(tag.error());
  response.tag = std::string(*tag);
  if (Result<void> space = cursor.Expect(' '); !space) return tl::unexpected(space.error());
  Result<std::string_view> status = cursor.Atom();
  if (!status) return tl::unexpected(status.error());
  response.status = Upper(*status);
  if (response.status != "OK" && response.status != "NO" && response.status != "BAD") {
    return Malformed("a tagged response that is not OK, NO or BAD");
  }
  if (Result<void> text = ReadRespText(cursor, response); !text) {
    return tl::unexpected(text.error());
  }
  return response;
}

}  // namespace

std::optional<uint32_t> CodeNumber(std::string_view code, std::string_view key) {
  if (code.size() <= key.size() || code[key.size()] != ' ') return std::nullopt;
  if (Upper(code.substr(0, key.size())) != key) return std::nullopt;
  const std::optional<uint64_t> value = ParseNumber(code.substr(key.size() + 1), UINT32_MAX);
  if (!value) return std::nullopt;
  return static_cast<uint32_t>(*value);
}

Result<size_t> ImapReader::CompleteEnd() {
  size_t pos = start_;
  size_t line_octets = 0;
  for (;;) {
    const size_t newline = buffer_.find('\n', pos);
    if (newline == std::string::npos) {
      if (line_octets + (buffer_.size() - pos) > limits_.max_line) {
        return MakeError(ErrorCode::kParse, "IMAP response line too long");
      }
      return 0;
    }
    line_octets += newline - pos;
    if (line_octets > limits_.max_line) {
      return MakeError(ErrorCode::kParse, "IMAP response line too long");
    }
    std::string_view line(buffer_.data() + pos, newline - pos);
    if (line.ends_with('\r')) line.remove_suffix(1);
    const std::optional<uint64_t> literal = TrailingLiteral(line);
    if (!literal) return newline + 1;
    if (*literal > limits_.max_literal) {
      return MakeError(ErrorCode::kParse,
                       fmt::format("IMAP literal of {} octets is over the limit of {}", *literal,
                                   limits_.max_literal));
    }
    pos = newline + 1 + static_cast<size_t>(*literal);
    if (pos > buffer_.size()) return 0;
  }
}

Result<std::optional<ImapResponse>> ImapReader::Next() {
  Result<size_t> end = CompleteEnd();
  if (!end) return tl::unexpected(end.error());
  if (*end == 0) return std::optional<ImapResponse>();
  Result<ImapResponse> response =
      ParseResponse(std::string_view(buffer_).substr(start_, *end - start_), limits_);
  if (!response) return tl::unexpected(response.error());
  start_ = *end;
  // Drop what was read once it is the bulk of the buffer: a message is copied out once, and
  // the buffer never holds more than the current response and what followed it.
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  } else if (start_ >= (size_t{64} << 10) && start_ * 2 >= buffer_.size()) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  return std::optional<ImapResponse>(std::move(*response));
}

}  // namespace pigeon::mua::fetch
