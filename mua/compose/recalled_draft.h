// A message kept in Drafts back into the editor's form, to be edited and sent again (mutt's
// recall-message): header fields decoded to UTF-8, the first text/plain part as the body, every
// other part as an attachment with its decoded bytes. The stored message may be any mail a user
// put in Drafts, so it is read with the lenient parsers of common/message; odd input never
// crashes and gives what could be read.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "common/message/message.h"
#include "common/store/store.h"
#include "common/util/result.h"
#include "mua/compose/draft.h"

namespace pigeon::mua::compose {

// The editable draft of `stored` (as MailSender::SaveDraft wrote it with message::BuildMessage,
// or any message a user put in Drafts):
// - from, to, cc, bcc, subject: decoded, addresses as EditorAddressList writes them;
// - other_fields: the user's own fields (Reply-To, X-…), first of each name, without the ones
//   pigeon writes (IsWrittenBySending) or transport and mailbox fields (Received, Return-Path,
//   Delivered-To, X-Original-To, Status, …);
// - body: the first text/plain part that is not an attachment, in UTF-8 with LF line ends
//   (the "-- " signature stays); without one, the first HTML part as text; else empty;
// - in_reply_to, references: "<id>" each;
// - attachments: every other leaf part with its decoded content, a message/rfc822 part whole;
//   the other renderings of a multipart/alternative body are dropped (editing makes them stale).
// Errors (kParse): the bytes have no header field at all, so they are no message.
Result<EditableDraft> RecalledDraft(const message::Message& stored);

// Of the stored copies of a recalled reply's original (Store::WithMessageId of its
// In-Reply-To, oldest first), the one flagged answered once the reply is sent: the oldest
// outside Drafts and Sent, else the oldest outside Drafts (a reply to one's own message);
// nullopt when none is left (the original was deleted meanwhile).
std::optional<int64_t> RepliedOriginal(std::span<const store::MessageSummary> copies,
                                       int64_t drafts_folder_id, int64_t sent_folder_id);

}  // namespace pigeon::mua::compose
