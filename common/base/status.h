// Conversion between Abseil and gRPC statuses. Both use the google.rpc codes,
// so the conversion keeps the code and the message; an absl::Status payload
// keyed by a type URL (e.g. a google.rpc.RetryInfo) travels as a detail of
// the google.rpc.Status in gRPC's `grpc-status-details-bin`, and back.
#ifndef JIANGAN_COMMON_BASE_STATUS_H_
#define JIANGAN_COMMON_BASE_STATUS_H_

#include <grpcpp/support/status.h>

#include <optional>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace jiangan {

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

// RESOURCE_EXHAUSTED with a google.rpc.RetryInfo saying when to try again.
absl::Status ResourceExhaustedRetryAfter(absl::string_view message, absl::Duration delay);

// The RetryInfo delay a status carries, if any.
std::optional<absl::Duration> RetryDelayOf(const grpc::Status& status);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_BASE_STATUS_H_
