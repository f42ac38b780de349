// What the gateway's own API needs to ask a service something as its
// caller: a client context that asserts the caller's identity and keeps the
// caller's deadline, and the service's answer as an absl::Status.
#ifndef JIANGAN_GATEWAY_SERVICE_CALL_H_
#define JIANGAN_GATEWAY_SERVICE_CALL_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/identity/identity.h"

namespace jiangan::gateway {

// A context for a call made as `caller` that must end by `deadline`.
std::unique_ptr<grpc::ClientContext> ContextFor(const IdentitySigner& signer,
                                                const Identity& caller, absl::Time deadline);

// `status` with its message prefixed by `service`, e.g. "renewal: ...".
absl::Status FromGrpc(const grpc::Status& status, absl::string_view service);

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_SERVICE_CALL_H_
