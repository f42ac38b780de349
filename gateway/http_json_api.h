// The gateway's HTTP/JSON face for internal tools. Requests are transcoded to
// the gateway's own gRPC API (proto3 JSON mapping) and sent to its gRPC port
// over loopback, so HTTP callers get exactly the same routing, caching and
// errors as gRPC callers.
//
// Routes are derived from the services' descriptors by AIP convention: a
// List{Xs} method whose response has a repeated field `xs` of resource type X
// makes the collection "xs"; then
//   GET    /v1/xs                  -> List{Xs}   (query: page_size, page_token, ...)
//   GET    /v1/xs/{id}             -> Get{X}
//   POST   /v1/xs                  -> Create{X}  (body: the X; query: x_id, request_id)
//   PATCH  /v1/xs/{id}?update_mask -> Update{X}  (body: the X)
//   DELETE /v1/xs/{id}             -> Delete{X}
// and, for the other methods (AIP-136 custom methods, child collections):
//   GET    /v1/xs:verb             -> {Verb}{Xs} or {Verb}, for reads (List*,
//                                     Summarize*, ...); POST with the request as
//                                     the body also works, for big requests
//   POST   /v1/xs/{id}:verb        -> {Verb}{X} or {Verb}   (body: what it creates,
//                                     else the request), name or parent = xs/{id}
//   GET    /v1/xs/{id}/children    -> List{X}{Children} or List{Children}
// A custom method or child collection is looked up in the collection's own
// API first, then in the others (e.g. POST /v1/targets/{id}:recordTargetValue
// and GET /v1/targets/{id}/values reach the target values service).
// Query parameters set request fields: "filter.kinds=A,B" nests and repeats.
// Errors are JSON {"error":{"code","status","message"}} with the HTTP status
// google.rpc maps each code to.
#ifndef JIANGAN_GATEWAY_HTTP_JSON_API_H_
#define JIANGAN_GATEWAY_HTTP_JSON_API_H_

#include <grpcpp/generic/generic_stub.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/http/http_server.h"
#include "google/protobuf/descriptor.h"

namespace jiangan::gateway {

class HttpJsonApi {
 public:
  // `channel` reaches the gateway's own gRPC port.
  HttpJsonApi(std::shared_ptr<grpc::Channel> channel,
              const std::vector<const google::protobuf::ServiceDescriptor*>& services);

  HttpResponse Handle(const HttpRequest& request);

  // The collections served, e.g. {"facilities", "leads", "projects", "targets"}.
  std::vector<std::string> Collections() const;

 private:
  struct Collection {
    const google::protobuf::MethodDescriptor* list = nullptr;
    const google::protobuf::MethodDescriptor* get = nullptr;
    const google::protobuf::MethodDescriptor* create = nullptr;
    const google::protobuf::MethodDescriptor* update = nullptr;
    const google::protobuf::MethodDescriptor* remove = nullptr;  // soft delete (AIP-164)
    std::string singular;  // "Project", from Get{X}
  };

  // Custom methods (AIP-136) and child collections of `collection`;
  // `segments` is the path without its ":verb".
  HttpResponse HandleCustom(const Collection& collection, const std::vector<std::string>& segments,
                            const std::string& verb, const HttpRequest& http);

  HttpResponse Call(const google::protobuf::MethodDescriptor* method,
                    const google::protobuf::Message& request, const HttpRequest& http);

  grpc::GenericStub stub_;
  const std::vector<const google::protobuf::ServiceDescriptor*> services_;
  absl::flat_hash_map<std::string, Collection> collections_;
};

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_HTTP_JSON_API_H_
