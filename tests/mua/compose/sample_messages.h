// What the compose tests share: the sample original they reply to, forward and bounce (mail
// from Ada to the owner me@example.org and others, on a mailing list, quoted-printable UTF-8),
// a parser shorthand, and a draft built from its address fields.
#pragma once

#include <string>

#include "common/message/message.h"
#include "mua/compose/draft.h"

namespace pigeon::mua::compose {

// The owner of the sample: "me", in To and twice in Cc (once with the domain in capitals);
// "ME@example.org" is someone else (local parts are case-sensitive).
inline const message::Mailbox kSampleOwner{"Me", "me", "example.org"};

inline std::string SampleOriginalText() {
  return "Date: Tue, 2 Jan 2024 10:00:00 +0000\n"
         "From: Ada Lovelace <ada@example.org>\n"
         "To: Me <me@example.org>, Bob <bob@example.org>\n"
         "Cc: carol@example.org, me@EXAMPLE.ORG, Bob <bob@example.org>, ME@example.org\n"
         "Subject: =?UTF-8?Q?Caf=C3=A9?= plans\n"
         "Message-ID: <p2@example.org>\n"
         "References: <p1@example.org>\n"
         "List-Post: <mailto:dev@lists.example.org>\n"
         "MIME-Version: 1.0\n"
         "Content-Type: text/plain; charset=utf-8\n"
         "Content-Transfer-Encoding: quoted-printable\n"
         "\n"
         "Caf=C3=A9 at noon?\n"
         "\n"
         "Ada\n";
}

// As the store keeps it.
inline std::string SampleOriginalCrlf() {
  std::string out;
  for (char c : SampleOriginalText()) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return out;
}

inline message::Message Parse(std::string text) { return message::Message(std::move(text)); }

inline message::Message SampleOriginal() { return Parse(SampleOriginalText()); }

inline EditableDraft Fields(std::string from, std::string to, std::string cc = "",
                            std::string bcc = "") {
  EditableDraft draft;
  draft.from = std::move(from);
  draft.to = std::move(to);
  draft.cc = std::move(cc);
  draft.bcc = std::move(bcc);
  return draft;
}

}  // namespace pigeon::mua::compose
