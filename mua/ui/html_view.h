// What the pager shows for an HTML body (a message, or a multipart/alternative, without a
// text/plain part): the output of the mailcap's copiousoutput entry for text/html, as mutt's
// auto_view does (w3m -dump, lynx -dump), else, when there is none or it fails, the built-in
// conversion (text_extract.h HtmlToText). No curses: the pager model takes this as a function.
#pragma once

#include <string>

#include "common/message/mime.h"
#include "mua/ui/mailcap_viewer.h"

namespace pigeon::mua::ui {

// `viewer` may be null (no mailcap): the built-in conversion then.
std::string HtmlViewText(const message::Part& html, const MailcapViewer* viewer);

}  // namespace pigeon::mua::ui
