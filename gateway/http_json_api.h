// The gateway's HTTP/JSON face for internal tools: a request is routed by
// the google.api.http annotations on the APIs' methods (HttpRoutes; the
// document at /openapi.json lists them), transcoded to the method's request
// (proto3 JSON mapping: the query sets fields, "filter.kinds=A,B" nests and
// repeats; the body sets the field the rule names; path variables set
// resource names) and sent to the gateway's own gRPC services in process,
// so HTTP callers get exactly the routing, caching, limits and errors of
// gRPC callers. Errors are JSON {"error":{"code","status","message"}} with
// the HTTP status google.rpc maps each code to; a jiangan.type.v1.File
// response is served as the file.
#ifndef JIANGAN_GATEWAY_HTTP_JSON_API_H_
#define JIANGAN_GATEWAY_HTTP_JSON_API_H_

#include <grpcpp/generic/generic_stub.h>

#include <memory>
#include <string>
#include <vector>

#include "common/http/http_message.h"
#include "gateway/http_routes.h"
#include "google/protobuf/descriptor.h"

namespace jiangan::gateway {

class HttpJsonApi {
 public:
  // `channel` reaches the gateway's own gRPC services.
  HttpJsonApi(std::shared_ptr<grpc::Channel> channel, HttpRoutes routes);

  // Answers through `reply`, later, from a gRPC thread (or at once for a
  // request that does not route or transcode). Does not block.
  void Handle(const HttpRequest& request, HttpReply reply);

 private:
  void Call(const google::protobuf::MethodDescriptor* method,
            const google::protobuf::Message& request, const HttpRequest& http, HttpReply reply);

  grpc::GenericStub stub_;
  const HttpRoutes routes_;
};

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_HTTP_JSON_API_H_
