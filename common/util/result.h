// Result<T>: the outcome of a call that can fail for an expected reason (bad input, missing
// file, I/O error). Failures carry an Error value; exceptions are not used for them.
#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace pigeon {

enum class ErrorCode {
  kInvalidArgument,  // the caller passed something malformed
  kNotFound,
  kIo,     // the operating system refused (errno in the message)
  kParse,  // input could not be understood at all
  kUnsupported,
  kBusy,     // a shared resource (the store) stayed locked past its timeout
  kNoSpace,  // the disk or quota is full
  kInternal,
  kCancelled,  // the user stopped it (a long query interrupted with ^G)
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // one line, meant for a human: "file:line: what went wrong"
};

template <class T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> MakeError(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace pigeon
