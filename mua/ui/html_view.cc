// See html_view.h.
#include "mua/ui/html_view.h"

#include "common/message/charset.h"
#include "common/message/text_extract.h"

namespace pigeon::mua::ui {

std::string HtmlViewText(const message::Part& html, const MailcapViewer* viewer) {
  if (viewer != nullptr) {
    if (std::optional<MailcapEntry> entry = viewer->Find(html, /*copious_only=*/true)) {
      Result<CommandOutput> rendered = viewer->Capture(*entry, html);
      // A renderer that failed or printed nothing falls back: the message is still readable.
      if (rendered && rendered->status == 0 &&
          rendered->output.find_first_not_of(" \t\r\n") != std::string::npos) {
        return message::BytesToUtf8(rendered->output);
      }
    }
  }
  return message::HtmlToText(html.TextUtf8(nullptr));
}

}  // namespace pigeon::mua::ui
