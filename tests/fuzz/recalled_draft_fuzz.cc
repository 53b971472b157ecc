// Fuzzes RecalledDraft (a message in Drafts back into the editor's form) on arbitrary bytes.
// Must hold for any input: no crash, no hang; a recalled draft's header fields are single lines
// of valid UTF-8, and its editor text reads back (ParseDraftText) to the same fields, so a
// recalled draft can always be opened in the editor; building it never crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/message/builder.h"
#include "common/message/charset.h"
#include "common/message/message.h"
#include "mua/compose/draft.h"
#include "mua/compose/recalled_draft.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

void CheckField(const std::string& value) {
  Check(pigeon::message::IsValidUtf8(value));
  Check(value.find('\n') == std::string::npos && value.find('\r') == std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using pigeon::mua::compose::EditableDraft;
  pigeon::message::Message stored(std::string(reinterpret_cast<const char*>(data), size));
  pigeon::Result<EditableDraft> draft = pigeon::mua::compose::RecalledDraft(stored);
  if (!draft) return 0;
  for (const std::string* field :
       {&draft->from, &draft->to, &draft->cc, &draft->bcc, &draft->subject}) {
    CheckField(*field);
  }
  for (const auto& [name, value] : draft->other_fields) CheckField(value);
  Check(pigeon::message::IsValidUtf8(draft->body));
  Check(draft->body.find('\r') == std::string::npos);

  pigeon::Result<EditableDraft> reread =
      pigeon::mua::compose::ParseDraftText(pigeon::mua::compose::DraftText(*draft), *draft);
  Check(reread.has_value());
  Check(reread->from == draft->from && reread->to == draft->to && reread->cc == draft->cc &&
        reread->bcc == draft->bcc && reread->subject == draft->subject);
  Check(reread->other_fields == draft->other_fields);
  Check(reread->body == draft->body);

  pigeon::Result<pigeon::message::Draft> built = pigeon::mua::compose::ToMessageDraft(*draft);
  if (built) {
    pigeon::message::BuildContext context;
    context.random = [] { return uint64_t{42}; };
    (void)pigeon::message::BuildMessage(*built, context);
  }
  return 0;
}
