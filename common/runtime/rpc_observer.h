// A server interceptor that records every RPC in Metrics and logs failed or
// slow ones, so that no handler has to remember to.
#ifndef JIANGAN_COMMON_RUNTIME_RPC_OBSERVER_H_
#define JIANGAN_COMMON_RUNTIME_RPC_OBSERVER_H_

#include <grpcpp/support/server_interceptor.h>

#include "absl/time/time.h"
#include "common/runtime/metrics.h"

namespace jiangan {

class RpcObserverFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `metrics` must outlive the server. Calls slower than `slow` are logged.
  RpcObserverFactory(Metrics* metrics, absl::Duration slow)
      : metrics_(metrics), slow_(slow) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  Metrics* const metrics_;
  const absl::Duration slow_;
};

// The google.rpc name of a status code, e.g. "NOT_FOUND".
const char* StatusCodeName(grpc::StatusCode code);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_RUNTIME_RPC_OBSERVER_H_
