// The message being composed, as the editor shows it: an editable header block (From, To, Cc,
// Bcc, Subject, and any other field the user adds), an empty line, then the body, in UTF-8
// with LF line ends. Pure: text in, fields out. The edited text is the user's own input, but
// it is checked as strictly as any: every problem is an error naming its line, never a guess.
// Threading fields of a reply and a forward's attached message are kept here, not in the editor.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/message/address.h"
#include "common/message/builder.h"
#include "common/util/result.h"

namespace pigeon::mua::compose {

struct EditableDraft {
  // Field values as the editor shows them: UTF-8, addresses as "Name <local@domain>".
  std::string from, to, cc, bcc, subject;
  std::vector<std::pair<std::string, std::string>> other_fields;  // Reply-To, X-…: name, value
  std::string body;                                               // LF line ends
  std::optional<std::string> in_reply_to;        // "<id>" of the message replied to
  std::vector<std::string> references;           // "<id>" each, oldest first
  std::vector<message::Attachment> attachments;  // added when the message is built
};

// "Ada Lovelace <ada@example.org>" with the name in UTF-8 (quoted when it holds specials), or
// the bare addr-spec: the form a person types, not the RFC 2047 form of the wire.
std::string EditorAddress(const message::Mailbox& mailbox);
std::string EditorAddressList(const std::vector<message::Mailbox>& mailboxes);

// `raw` with every bare LF made CRLF, the line end of MIME and SMTP: the store keeps mail
// imported from an mbox with the LF line ends it came with.
std::string WithCrlf(std::string_view raw);

// The text the editor opens: the header block, an empty line, the body.
std::string DraftText(const EditableDraft& draft);

// The edited text back into `base` (its threading fields and attachments are kept, the rest
// replaced).
// Errors (kParse) name the line: a line that is not "Name: value" before the empty line, a
// field given twice, or a field pigeon writes itself (Date, Message-ID, MIME and threading
// fields). Folded lines (starting with a space or tab) continue the field above.
Result<EditableDraft> ParseDraftText(std::string_view text, EditableDraft base);

// Whether `name` (any case) is a field the builder and the submitter write themselves (Date,
// Message-ID, MIME-Version, Content-*, In-Reply-To, References): ParseDraftText refuses it.
bool IsWrittenBySending(std::string_view name);

// The addresses of one field as a person types them ("Ada <ada@example.org>, bob@b.example");
// errors (kInvalidArgument) name `field` and the address that is not a full local@domain.
Result<std::vector<message::Mailbox>> ParseEditorAddresses(std::string_view field,
                                                           std::string_view value);

// Whether a message must have a recipient: one to send does, one postponed to Drafts need not.
enum class Recipients { kRequired, kOptional };

// The message to build: addresses parsed, at least one recipient (unless optional), exactly
// one From. Errors (kInvalidArgument) name the field. Bcc is kept (include_bcc) for the
// submitter to read the recipients from, which removes it before the message is stored or sent.
Result<message::Draft> ToMessageDraft(const EditableDraft& draft,
                                      Recipients recipients = Recipients::kRequired);

}  // namespace pigeon::mua::compose
