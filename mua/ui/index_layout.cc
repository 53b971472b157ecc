// See index_layout.h. Parsing walks the format once and keeps literal text and conversions as
// pieces; rendering only looks fields up and pads them, so a redraw does no parsing.
#include "mua/ui/index_layout.h"

#include <algorithm>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "mua/ui/display_width.h"

namespace pigeon::mua::ui {
namespace {

using Field = IndexFormat::Field;
using Piece = IndexFormat::Piece;

constexpr size_t kMaxDateFormatBytes = 64;  // as config.h bounds [reader] date_format
constexpr size_t kMaxNumberDigits = 3;      // widths and precisions up to 999 columns

tl::unexpected<Error> FormatError(size_t offset, std::string_view what) {
  return MakeError(ErrorCode::kInvalidArgument,
                   fmt::format("reader.index_format: {} (at byte {})", what, offset + 1));
}

void AppendLiteral(std::vector<Piece>& pieces, std::string_view text) {
  if (text.empty()) return;
  if (!pieces.empty() && pieces.back().field == Field::kLiteral) {
    pieces.back().text += text;
    return;
  }
  pieces.push_back(Piece{Field::kLiteral, std::string(text)});
}

// Digits at `i` (advanced past them) as a number; nullopt when there are none, an error when
// there are more than kMaxNumberDigits.
Result<std::optional<int>> ReadNumber(std::string_view format, size_t& i, size_t percent) {
  const size_t start = i;
  while (i < format.size() && format[i] >= '0' && format[i] <= '9') ++i;
  if (i == start) return std::nullopt;
  if (i - start > kMaxNumberDigits) return FormatError(percent, "a width of more than 999");
  return std::stoi(std::string(format.substr(start, i - start)));
}

// %{fmt} or %[fmt] at `i` (the brace): the piece's strftime format and the end.
Result<size_t> ReadTimeFormat(std::string_view format, size_t i, size_t percent, Piece& piece) {
  const char close = format[i] == '{' ? '}' : ']';
  const size_t end = format.find(close, i + 1);
  if (end == std::string_view::npos) {
    return FormatError(percent, fmt::format("unterminated %{} (no '{}')", format[i], close));
  }
  std::string_view time_format = format.substr(i + 1, end - i - 1);
  if (!time_format.empty() && time_format[0] == '!') time_format.remove_prefix(1);
  if (time_format.size() > kMaxDateFormatBytes) {
    return FormatError(percent, "a time format of more than 64 bytes");
  }
  if (Result<void> checked = CheckTimeFormat(time_format); !checked) {
    return FormatError(percent, checked.error().message);
  }
  piece.field = Field::kTime;
  piece.text = std::string(time_format);
  return end + 1;
}

// The conversion's letter at `i`, which exists: its field, or why there is none.
Result<Field> ConversionField(std::string_view format, size_t i, size_t percent) {
  switch (format[i]) {
    case 'Z':
      return Field::kFlags;
    case 'd':
    case 'D':
      return Field::kDate;
    case 'L':
    case 'F':
      return Field::kParty;
    case 'n':
      return Field::kName;
    case 'a':
      return Field::kAddress;
    case 's':
      return Field::kSubject;
    case 'c':
      return Field::kSize;
    case 'C':
    case 'e':
    case 'E':
      return FormatError(percent, "message numbers are not shown: the index pages by key");
    case '?':
      return FormatError(percent, "conditionals (%?) are not supported");
    default:
      break;
  }
  size_t after = i;
  DecodeUtf8(format, after);
  return FormatError(
      percent, fmt::format("unknown conversion \"%{}\"", Printable(format.substr(i, after - i))));
}

// The conversion whose '%' is at `percent`: appended to `pieces`; the end is returned.
Result<size_t> ReadConversion(std::string_view format, size_t percent, std::vector<Piece>& pieces) {
  size_t i = percent + 1;
  Piece piece;
  if (i < format.size() && format[i] == '-') piece.left = true, ++i;
  Result<std::optional<int>> width = ReadNumber(format, i, percent);
  if (!width) return tl::unexpected(width.error());
  piece.width = width->value_or(0);
  if (i < format.size() && format[i] == '.') {
    ++i;
    Result<std::optional<int>> precision = ReadNumber(format, i, percent);
    if (!precision) return tl::unexpected(precision.error());
    piece.precision = precision->value_or(0);
  }
  if (i >= format.size()) return FormatError(percent, "an unfinished conversion at the end");
  size_t end = i + 1;
  if (format[i] == '{' || format[i] == '[') {
    Result<size_t> after = ReadTimeFormat(format, i, percent, piece);
    if (!after) return tl::unexpected(after.error());
    end = *after;
  } else {
    Result<Field> field = ConversionField(format, i, percent);
    if (!field) return tl::unexpected(field.error());
    piece.field = *field;
  }
  pieces.push_back(std::move(piece));
  return end;
}

// %>'s fill character after the '>' at `i`: one printable column.
Result<std::string> ReadFill(std::string_view format, size_t i, size_t percent) {
  size_t end = i + 1;
  if (end >= format.size()) return FormatError(percent, "%> needs a fill character");
  DecodeUtf8(format, end);
  std::string fill(format.substr(i + 1, end - i - 1));
  if (Printable(fill) != fill || DisplayWidth(fill) != 1) {
    return FormatError(percent, "%>'s fill character must be one printable column");
  }
  return fill;
}

// `text` cut to the piece's precision and padded to its width, in display columns.
std::string Pad(std::string_view text, const Piece& piece, int columns) {
  const int automatic = std::clamp(columns / 5, 8, 20);
  const int width = piece.width == IndexFormat::kAutoWidth ? automatic : piece.width;
  const int precision = piece.precision == IndexFormat::kAutoWidth ? automatic : piece.precision;
  std::string out = precision >= 0 ? TruncateToWidth(text, precision) : Printable(text);
  const int shown = DisplayWidth(out);
  if (shown >= width) return out;
  const std::string padding(static_cast<size_t>(width - shown), ' ');
  return piece.left ? out + padding : padding + out;
}

}  // namespace

IndexFormat IndexFormat::Default(std::string_view date_format) {
  IndexFormat format;
  format.date_format_ = std::string(date_format);
  format.left_ = {
      Piece{Field::kFlags},
      Piece{Field::kLiteral, " "},
      Piece{Field::kDate, "", false, 10},
      Piece{Field::kLiteral, "  "},
      Piece{Field::kParty, "", true, kAutoWidth, kAutoWidth},
      Piece{Field::kLiteral, " ("},
      Piece{Field::kSize, "", false, 4},
      Piece{Field::kLiteral, ") "},
      Piece{Field::kSubject},
  };
  return format;
}

Result<IndexFormat> IndexFormat::Parse(std::string_view format, std::string_view date_format) {
  if (date_format.size() > kMaxDateFormatBytes) {
    return MakeError(ErrorCode::kInvalidArgument, "reader.date_format: more than 64 bytes");
  }
  std::string_view date = date_format;
  if (!date.empty() && date[0] == '!') date.remove_prefix(1);
  if (Result<void> checked = CheckTimeFormat(date); !checked) {
    return MakeError(ErrorCode::kInvalidArgument, "reader.date_format: " + checked.error().message);
  }
  if (format.empty()) return Default(date_format);
  if (format.size() > kMaxFormatBytes) return FormatError(kMaxFormatBytes, "more than 256 bytes");
  IndexFormat result;
  result.date_format_ = std::string(date_format);
  std::vector<Piece>* pieces = &result.left_;
  size_t i = 0;
  while (i < format.size()) {
    const size_t percent = format.find('%', i);
    AppendLiteral(*pieces, format.substr(i, percent - i));
    if (percent == std::string_view::npos) break;
    if (percent + 1 >= format.size()) return FormatError(percent, "a lone % at the end");
    const char next = format[percent + 1];
    if (next == '%') {
      AppendLiteral(*pieces, "%");
      i = percent + 2;
    } else if (next == '>') {
      if (!result.fill_.empty()) return FormatError(percent, "more than one %>");
      Result<std::string> fill = ReadFill(format, percent + 1, percent);
      if (!fill) return tl::unexpected(fill.error());
      result.fill_ = std::move(*fill);
      i = percent + 2 + result.fill_.size();
      pieces = &result.right_;
    } else {
      Result<size_t> end = ReadConversion(format, percent, *pieces);
      if (!end) return tl::unexpected(end.error());
      i = *end;
    }
  }
  return result;
}

std::string IndexFormat::FieldText(const Piece& piece, const IndexRow& row,
                                   const sys::Clock& clock) const {
  const store::MessageSummary& summary = row.summary;
  switch (piece.field) {
    case Field::kLiteral:
      return piece.text;
    case Field::kFlags:
      return FormatFlags(summary, row.tagged);
    case Field::kDate:
      return FormatMessageDate(summary.date, clock, date_format_);
    case Field::kTime:
      return FormatLocalTime(summary.date, clock, piece.text);
    case Field::kParty:
      return IndexParty(summary, row.show_recipient);
    case Field::kName:
      return summary.from_name.empty() ? summary.from_addr : summary.from_name;
    case Field::kAddress:
      return summary.from_addr;
    case Field::kSubject:
      return std::string(row.subject.value_or(summary.subject));
    case Field::kSize:
      return FormatSize(summary.size);
  }
  return "";
}

std::string IndexFormat::RenderPieces(const std::vector<Piece>& pieces, const IndexRow& row,
                                      int columns, const sys::Clock& clock) const {
  std::string out;
  for (const Piece& piece : pieces) {
    if (piece.field == Field::kLiteral) {
      out += piece.text;
    } else {
      out += Pad(FieldText(piece, row, clock), piece, columns);
    }
  }
  return out;
}

std::string IndexFormat::Render(const IndexRow& row, int columns, const sys::Clock& clock) const {
  if (columns <= 0) return "";
  std::string line = RenderPieces(left_, row, columns, clock);
  if (fill_.empty()) return FitToWidth(line, columns);
  // mutt's %>: the right part keeps its place at the right edge; the left part gives way.
  const std::string right = TruncateToWidth(RenderPieces(right_, row, columns, clock), columns);
  const int right_width = DisplayWidth(right);
  line = TruncateToWidth(line, columns - right_width);
  for (int gap = columns - right_width - DisplayWidth(line); gap > 0; --gap) line += fill_;
  line += right;
  return FitToWidth(line, columns);
}

std::string FormatIndexLine(const IndexRow& row, int columns, const sys::Clock& clock) {
  return IndexFormat::Default().Render(row, columns, clock);
}

}  // namespace pigeon::mua::ui
