// A gRPC service the gateway serves on behalf of a backend service: every
// unary method of `descriptor` is registered under its real name and handed,
// as raw bytes, to the Forwarder. Because the methods carry their real names,
// the gateway's server reflection lists and describes the backend's API.
#ifndef JIANGAN_GATEWAY_FORWARDING_SERVICE_H_
#define JIANGAN_GATEWAY_FORWARDING_SERVICE_H_

#include <grpcpp/impl/service_type.h>

#include <deque>

#include "gateway/forwarder.h"
#include "gateway/method_plan.h"
#include "google/protobuf/descriptor.h"

namespace jiangan::gateway {

class ForwardingService final : public grpc::Service {
 public:
  // `forwarder` must outlive the service. Streaming methods are not served.
  ForwardingService(const google::protobuf::ServiceDescriptor* descriptor,
                    Forwarder* forwarder);

 private:
  // Deque: gRPC keeps pointers to each plan's path.
  std::deque<MethodPlan> plans_;
};

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_FORWARDING_SERVICE_H_
