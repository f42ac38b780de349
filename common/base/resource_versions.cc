#include "common/base/resource_versions.h"

#include "absl/strings/str_cat.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"

namespace jiangan {

absl::Status CheckBatchSize(int size, absl::string_view items) {
  if (size >= 1 && size <= kMaxBatchCreate) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("requests: must hold 1 to ", kMaxBatchCreate, " ", items, ", holds ", size));
}

absl::Status AboutBatchRequest(int index, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat("requests[", index, "].", status.message()));
}

absl::StatusOr<std::string> ResolveNewId(absl::string_view requested, absl::string_view field,
                                         absl::string_view request_id) {
  RETURN_IF_ERROR(CheckRequestId(request_id));
  std::string id = requested.empty() ? GenerateResourceId() : std::string(requested);
  RETURN_IF_ERROR(ValidateResourceId(id, field));
  return id;
}

absl::Status CheckEtag(absl::string_view field, absl::string_view sent,
                       absl::string_view current) {
  if (sent.empty() || sent == current) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat(field, ": \"", sent, "\" is not the current etag \"",
                                         current, "\"; read it again and retry"));
}

}  // namespace jiangan
