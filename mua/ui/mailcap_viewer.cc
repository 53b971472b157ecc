// See mailcap_viewer.h.
#include "mua/ui/mailcap_viewer.h"

#include "mua/ui/attachment_file.h"

namespace pigeon::mua::ui {

std::optional<MailcapEntry> MailcapViewer::Find(const message::Part& part,
                                                bool copious_only) const {
  message::ParameterizedValue type = part.content_type_field;
  type.value = part.content_type;  // the parser's default when the field is missing or bad
  const auto passes = [this](const std::string& test) {
    Result<CommandOutput> ran = shell_.Capture(test, "", kTestTimeout);
    return ran && !ran->timed_out && ran->status == 0;
  };
  return mailcap_.Find(type, passes, copious_only);
}

Result<std::string> MailcapViewer::Prepare(const MailcapEntry& entry, const message::Part& part,
                                           const std::string& bytes,
                                           std::unique_ptr<TempAttachment>& temp) const {
  message::ParameterizedValue type = part.content_type_field;
  type.value = part.content_type;
  ExpandedCommand expanded = ExpandMailcapCommand(entry.command, "", type);
  if (!expanded.uses_file) return expanded.command;
  Result<std::unique_ptr<TempAttachment>> made =
      TempAttachment::Create(temp_root_, part.filename, entry.nametemplate, bytes);
  if (!made) return tl::unexpected(made.error());
  temp = std::move(*made);
  return ExpandMailcapCommand(entry.command, temp->path(), type).command;
}

Result<CommandOutput> MailcapViewer::Capture(const MailcapEntry& entry,
                                             const message::Part& part) const {
  const std::string bytes = part.DecodedBody(nullptr);
  std::unique_ptr<TempAttachment> temp;
  Result<std::string> command = Prepare(entry, part, bytes, temp);
  if (!command) return tl::unexpected(command.error());
  return shell_.Capture(*command, temp ? std::string_view() : std::string_view(bytes),
                        kCopiousTimeout);
}

Result<int> MailcapViewer::Run(const MailcapEntry& entry, const message::Part& part) const {
  const std::string bytes = part.DecodedBody(nullptr);
  std::unique_ptr<TempAttachment> temp;
  Result<std::string> command = Prepare(entry, part, bytes, temp);
  if (!command) return tl::unexpected(command.error());
  return shell_.Run(*command, temp ? std::string_view() : std::string_view(bytes),
                    entry.needs_terminal ? KeyWait::kAlways : KeyWait::kOnFailure);
}

}  // namespace pigeon::mua::ui
