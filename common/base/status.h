// Conversion between Abseil and gRPC statuses. Both use the google.rpc codes,
// so the conversion keeps the code and the message.
#ifndef JIANGAN_COMMON_BASE_STATUS_H_
#define JIANGAN_COMMON_BASE_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace jiangan {

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_BASE_STATUS_H_
