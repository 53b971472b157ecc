// A reply's draft from the message replied to (mutt's `r`): To from Reply-To or From, the
// subject with one "Re: ", In-Reply-To and References (RFC 5322 §3.6.4), and the original's
// text quoted under an attribution line. Group reply (`g`) adds the original's To and Cc as
// Cc, list reply (`L`) goes to the List-Post address (RFC 2369). Pure; the original is
// untrusted mail, read with the lenient message parsers, and nothing in it can make this fail.
#pragma once

#include <optional>
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

// Whether `address` is one of `own`: the local part compared exactly (RFC 5321 §2.4 leaves
// its case to the receiving host), the domain in any case.
bool IsOwnAddress(const message::Mailbox& address, const std::vector<message::Mailbox>& own);

struct ReplyRecipients {
  std::vector<message::Mailbox> to, cc;
};

// mutt's group reply: To from Reply-To or From, Cc the original's To and Cc; the owner's own
// addresses (`own`) left out of both, each address once, none in Cc that is in To. When that
// leaves To empty, Cc takes its place.
ReplyRecipients GroupReplyRecipients(const message::Message& original,
                                     const std::vector<message::Mailbox>& own);

// ReplyDraft with GroupReplyRecipients' To and Cc.
EditableDraft GroupReplyDraft(const message::Message& original, const std::string& from,
                              const std::vector<message::Mailbox>& own);

// ReplyDraft to the original's List-Post address; nullopt when it names none (no field, "NO",
// or no mailto: URL).
std::optional<EditableDraft> ListReplyDraft(const message::Message& original,
                                            const std::string& from);

}  // namespace pigeon::mua::compose
