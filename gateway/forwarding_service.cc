#include "gateway/forwarding_service.h"

#include <grpcpp/impl/codegen/server_callback_handlers.h>
#include <grpcpp/impl/rpc_service_method.h>

#include "common/base/logging.h"

namespace jiangan::gateway {

ForwardingService::ForwardingService(const google::protobuf::ServiceDescriptor* descriptor,
                                     Forwarder* forwarder) {
  for (int i = 0; i < descriptor->method_count(); ++i) {
    const google::protobuf::MethodDescriptor* method = descriptor->method(i);
    if (method->client_streaming() || method->server_streaming()) {
      Log(LogLevel::kWarning, "streaming_method_not_forwarded",
          {{"method", method->full_name()}});
      continue;
    }
    const MethodPlan& plan = plans_.emplace_back(PlanMethod(method));
    AddMethod(new grpc::internal::RpcServiceMethod(
        plan.path.c_str(), grpc::internal::RpcMethod::NORMAL_RPC, nullptr));
    MarkMethodRawCallback(
        static_cast<int>(plans_.size() - 1),
        new grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer, grpc::ByteBuffer>(
            [forwarder, &plan](grpc::CallbackServerContext* context,
                               const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
              return forwarder->Handle(context, plan, request, response);
            }));
  }
}

}  // namespace jiangan::gateway
