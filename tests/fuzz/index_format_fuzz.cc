// The reader's index format (mua/ui/index_layout.h): any bytes as a format and, after the
// first newline, a date format. When they parse, every line rendered from them, with the
// input itself as the mail's subject and sender, must be printable and exactly as wide as
// asked, however wide, combining or hostile the text and however narrow the screen.
#include <clocale>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/sys/clock.h"
#include "mua/ui/display_width.h"
#include "mua/ui/index_layout.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::setlocale(LC_ALL, "C.UTF-8");  // the widths the reader measures in
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view format = input.substr(0, newline);
  const std::string_view date_format =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  const pigeon::Result<pigeon::mua::ui::IndexFormat> parsed =
      pigeon::mua::ui::IndexFormat::Parse(format, date_format);
  if (!parsed) {
    if (parsed.error().message.find('\n') != std::string::npos) std::abort();
    return 0;
  }
  pigeon::store::MessageSummary summary;
  summary.date = size > 0 ? static_cast<int64_t>(data[0]) * 86400 * 97 : 0;
  summary.size = static_cast<int64_t>(size) * 4099;
  summary.subject = std::string(input);
  summary.from_name = std::string(date_format);
  summary.from_addr = std::string(format);
  summary.to_text = std::string(input);
  const pigeon::sys::FixedClock clock(1700000000, size > 1 ? (data[1] - 128) * 7 : 0);
  for (const int columns : {0, 1, 7, 40, 80, 211}) {
    for (const bool sent : {false, true}) {
      const pigeon::mua::ui::IndexRow row{.summary = summary, .show_recipient = sent};
      const std::string line = parsed->Render(row, columns, clock);
      if (pigeon::mua::ui::DisplayWidth(line) != columns) std::abort();
      if (pigeon::mua::ui::Printable(line) != line) std::abort();
    }
  }
  return 0;
}
