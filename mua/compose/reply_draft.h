// A reply's draft from the message replied to (mutt's `r`): To from Reply-To or From, the
// subject with one "Re: ", In-Reply-To and References (RFC 5322 §3.6.4), and the original's
// text quoted under an attribution line. Pure; the original is untrusted mail, read with the
// lenient message parsers, and nothing in it can make this fail.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/message/message.h"
#include "mua/compose/draft.h"

namespace pigeon::mua::compose {

// "Re: " in front, once: "re: x", "RE: Re: x" and "Re:x" all give "Re: x". An empty subject
// gives mutt's "Re: your mail".
std::string ReplySubject(std::string_view subject);

// Each line of `text` behind "> " (an empty line becomes ">"); LF line ends, the last line
// ended too.
std::string QuoteText(std::string_view text);

// "On Tue, 2 Jan 2024 10:00:00 +0000, Ada Lovelace wrote:" with the Date field as written and
// the first From's name (else its address).
std::string Attribution(const message::Message& original);

// The original's References (or, without them, its single In-Reply-To id), then its
// Message-ID: "<id>" each, duplicates dropped.
std::vector<std::string> ReplyReferences(const message::Message& original);

// The draft of a reply from `from` (EditorAddress form).
EditableDraft ReplyDraft(const message::Message& original, const std::string& from);

}  // namespace pigeon::mua::compose
