#include "mta/dns/resolver.h"

namespace pigeon::mta::dns {

std::string_view LookupStatusName(LookupStatus status) {
  switch (status) {
    case LookupStatus::kOk:
      return "ok";
    case LookupStatus::kNoData:
      return "no data";
    case LookupStatus::kNxDomain:
      return "no such domain";
    case LookupStatus::kTempFail:
      return "temporary failure";
    case LookupStatus::kNullMx:
      return "null MX";
  }
  return "?";
}

}  // namespace pigeon::mta::dns
