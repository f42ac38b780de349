// Handlers of the AIP standard methods, shared by every service whose
// resources live in a ResourceStore. Each runs on the executor (see
// unary_call.h) and writes the RPC's response.
#ifndef JIANGAN_COMMON_STANDARD_METHODS_H_
#define JIANGAN_COMMON_STANDARD_METHODS_H_

#include <grpcpp/grpcpp.h>

#include "absl/strings/string_view.h"

#include "common/executor.h"
#include "common/resource_store.h"
#include "common/unary_call.h"

namespace jiangan {

template <typename Resource>
grpc::ServerUnaryReactor* ServeGet(const ResourceStore<Resource>& store,
                                   Executor* executor, grpc::CallbackServerContext* context,
                                   absl::string_view name, Resource* response) {
  return RunUnary(context, executor, [&store, name, response] {
    auto resource = store.Get(name);
    if (resource.ok()) *response = *std::move(resource);
    return resource.status();
  });
}

// `request` is the List request; `page` is the response's repeated field and
// `next_page_token` its token field.
template <typename Resource, typename Request>
grpc::ServerUnaryReactor* ServeList(const ResourceStore<Resource>& store,
                                    Executor* executor,
                                    grpc::CallbackServerContext* context,
                                    const Request* request,
                                    google::protobuf::RepeatedPtrField<Resource>* page,
                                    std::string* next_page_token) {
  return RunUnary(context, executor, [&store, request, page, next_page_token] {
    auto next = store.List(*request, request->page_size(), request->page_token(), page);
    if (next.ok()) *next_page_token = *std::move(next);
    return next.status();
  });
}

template <typename Resource>
grpc::ServerUnaryReactor* ServeCreate(const ResourceStore<Resource>& store,
                                      Executor* executor,
                                      grpc::CallbackServerContext* context,
                                      const Resource& resource, absl::string_view id_field,
                                      absl::string_view id, absl::string_view request_id,
                                      Resource* response) {
  return RunUnary(context, executor,
                  [&store, &resource, id_field, id, request_id, response] {
                    auto created = store.Create(resource, id_field, id, request_id);
                    if (created.ok()) *response = *std::move(created);
                    return created.status();
                  });
}

template <typename Resource>
grpc::ServerUnaryReactor* ServeUpdate(const ResourceStore<Resource>& store,
                                      Executor* executor,
                                      grpc::CallbackServerContext* context,
                                      const Resource& patch,
                                      const google::protobuf::FieldMask& mask,
                                      Resource* response) {
  return RunUnary(context, executor, [&store, &patch, &mask, response] {
    auto updated = store.Update(patch, mask);
    if (updated.ok()) *response = *std::move(updated);
    return updated.status();
  });
}

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STANDARD_METHODS_H_
