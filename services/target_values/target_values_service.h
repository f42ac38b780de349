// The gRPC face of the target values service: each RPC is one verified call
// (identity and role checked, then run on the executor) into the store.
#ifndef JIANGAN_SERVICES_TARGET_VALUES_TARGET_VALUES_SERVICE_H_
#define JIANGAN_SERVICES_TARGET_VALUES_TARGET_VALUES_SERVICE_H_

#include <memory>

#include "common/identity/identity.h"
#include "common/runtime/executor.h"
#include "common/runtime/verified_call.h"
#include "jiangan/target_values/v1/target_values.grpc.pb.h"
#include "services/target_values/value_store.h"

namespace jiangan::target_values {

class TargetValuesService final : public v1::TargetValuesService::CallbackService {
 public:
  // `executor` must outlive the service.
  TargetValuesService(std::unique_ptr<ValueStore> store, IdentityVerifier verifier,
                      Executor* executor)
      : store_(std::move(store)), verifier_(std::move(verifier)), calls_(&verifier_, executor) {}

  grpc::ServerUnaryReactor* RecordTargetValue(grpc::CallbackServerContext* context,
                                              const v1::RecordTargetValueRequest* request,
                                              v1::TargetValue* response) override;
  grpc::ServerUnaryReactor* ListTargetValues(grpc::CallbackServerContext* context,
                                             const v1::ListTargetValuesRequest* request,
                                             v1::ListTargetValuesResponse* response) override;

 private:
  const std::unique_ptr<ValueStore> store_;
  const IdentityVerifier verifier_;
  const VerifiedCalls calls_;
};

}  // namespace jiangan::target_values

#endif  // JIANGAN_SERVICES_TARGET_VALUES_TARGET_VALUES_SERVICE_H_
