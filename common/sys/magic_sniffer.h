// MagicSniffer: MIME types of attachments from their content, using libmagic (the `file`
// database), refined by the file name where libmagic only knows a generic container or text.
// Content is untrusted: only its first kMaxSniffBytes are shown to libmagic, with
// decompression off. Does not read files itself; the caller passes the bytes.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/message/builder.h"
#include "common/util/result.h"

struct magic_set;  // libmagic's handle (magic_t), kept out of this header

namespace pigeon::sys {

class MagicSniffer : public message::MimeTypeSniffer {
 public:
  // Bytes of content libmagic examines; its own default is about as much, and more only
  // costs time on a hostile attachment.
  static constexpr size_t kMaxSniffBytes = 1 << 20;

  // Opens a libmagic handle and loads the system database; fails when either is refused.
  static Result<std::unique_ptr<MagicSniffer>> Create();

  // Thread-safe: a libmagic handle must not be used by two threads at once, so calls are
  // serialized on an internal mutex (use one sniffer per thread if that ever matters).
  std::string Sniff(std::string_view content, std::string_view filename) const override;

 private:
  struct Closer {
    void operator()(magic_set* handle) const;
  };
  explicit MagicSniffer(std::unique_ptr<magic_set, Closer> handle);

  std::unique_ptr<magic_set, Closer> handle_;
  mutable std::mutex mutex_;  // guards handle_ (libmagic keeps per-handle state)
};

// Chooses between libmagic's answer and the extension table's (see magic_sniffer.cc). Pure,
// exposed for tests.
std::string PreferredType(std::string_view by_content, std::string_view by_extension);

}  // namespace pigeon::sys
