// The gRPC face of the facilities service: each RPC is one verified call
// (identity and role checked, then run on the executor) into the facility
// store.
#ifndef JIANGAN_SERVICES_FACILITIES_FACILITIES_SERVICE_H_
#define JIANGAN_SERVICES_FACILITIES_FACILITIES_SERVICE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "common/identity/identity.h"
#include "common/runtime/service_main.h"
#include "common/runtime/verified_call.h"
#include "jiangan/facilities/v1/facilities.grpc.pb.h"
#include "services/facilities/resource_store.h"

namespace jiangan::facilities {

class FacilitiesService final : public v1::FacilitiesService::CallbackService {
 public:
  // Creates the facilities table in the environment's database if missing.
  static absl::StatusOr<std::unique_ptr<FacilitiesService>> Create(
      const ServiceEnvironment& environment);

  grpc::ServerUnaryReactor* GetFacility(grpc::CallbackServerContext* context,
                                        const v1::GetFacilityRequest* request,
                                        v1::Facility* response) override;
  grpc::ServerUnaryReactor* ListFacilities(grpc::CallbackServerContext* context,
                                           const v1::ListFacilitiesRequest* request,
                                           v1::ListFacilitiesResponse* response) override;
  grpc::ServerUnaryReactor* CreateFacility(grpc::CallbackServerContext* context,
                                           const v1::CreateFacilityRequest* request,
                                           v1::Facility* response) override;
  grpc::ServerUnaryReactor* UpdateFacility(grpc::CallbackServerContext* context,
                                           const v1::UpdateFacilityRequest* request,
                                           v1::Facility* response) override;

 private:
  FacilitiesService(std::unique_ptr<ResourceTable> table, const ServiceEnvironment& environment);

  const std::unique_ptr<ResourceTable> table_;
  const ResourceStore<v1::Facility> facilities_;
  const IdentityVerifier verifier_;
  const VerifiedCalls calls_;
};

}  // namespace jiangan::facilities

#endif  // JIANGAN_SERVICES_FACILITIES_FACILITIES_SERVICE_H_
