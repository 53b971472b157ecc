// A parsed message: owns its raw bytes, exposes the header and the usual decoded fields, and
// parses the MIME tree on first use. Copying is disabled because the header and the tree view
// into the owned bytes; move it, or hold it by unique_ptr.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/message/address.h"
#include "common/message/date.h"
#include "common/message/defect.h"
#include "common/message/header.h"
#include "common/message/mime.h"

namespace pigeon::message {

class Message {
 public:
  explicit Message(std::string raw);
  Message(Message&&) = default;
  Message& operator=(Message&&) = default;
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;

  std::string_view raw() const { return *raw_; }
  const Header& header() const { return header_; }
  std::string_view body() const { return body_; }

  // Decoded Subject (RFC 2047) of the first Subject field.
  std::optional<std::string> Subject() const;
  // The first From field's mailboxes.
  std::vector<Mailbox> From() const;
  // Mailboxes of every field named `name` (To, Cc, …), groups flattened, in order.
  std::vector<Mailbox> AddressesOf(std::string_view name) const;
  std::optional<DateTime> Date() const;
  // The first Message-ID without whitespace (angle brackets kept as written).
  std::optional<std::string> MessageId() const;

  // The MIME tree, parsed on first call.
  const Part& Mime() const;
  // The first text/plain leaf in pre-order, decoded to UTF-8, or nullopt.
  std::optional<std::string> FirstTextPlain() const;

  // Defects found so far (header parsing at construction; MIME after Mime()).
  const Defects& defects() const { return *defects_; }

 private:
  std::unique_ptr<std::string> raw_;  // stable address: header_ and the tree view into it
  Header header_;
  std::string_view body_;
  std::unique_ptr<Defects> defects_;
  mutable std::unique_ptr<Part> mime_;
};

}  // namespace pigeon::message
