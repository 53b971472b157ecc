// A forward's draft (mutt's `f`): the subject with one "Fwd: ", and the original either inline
// (its main header fields and decoded text between mutt's "----- Forwarded message from … -----"
// and "----- End forwarded message -----" lines) or, as mutt's $mime_forward does, attached
// whole as message/rfc822 (RFC 2046 §5.2.1; bare LF line ends made CRLF) with the editor's
// body left to the user. Pure; the original is untrusted mail, read with the lenient parsers,
// and nothing in it can make this fail.
#pragma once

#include <string>
#include <string_view>

#include "common/message/message.h"
#include "mua/compose/draft.h"

namespace pigeon::mua::compose {

enum class ForwardMode { kInline, kAttached };

// "Fwd: " in front unless the subject starts with it already (any case); an empty subject
// gives "Fwd: (no subject)".
std::string ForwardSubject(std::string_view subject);

// The inline body: the intro line, Date, From, To, Cc and Subject as the original has them
// (decoded), an empty line, its first text/plain part, then the closing line. LF line ends.
std::string ForwardedText(const message::Message& original);

// The draft of a forward from `from` (EditorAddress form), with no recipients yet.
EditableDraft ForwardDraft(const message::Message& original, const std::string& from,
                           ForwardMode mode);

}  // namespace pigeon::mua::compose
