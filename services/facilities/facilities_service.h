// The gRPC face of the facilities service: each RPC is one verified call
// (identity and role checked, then run on the executor) into the facility
// store; a write that names a renewal project first has it checked with the
// renewal service.
#ifndef JIANGAN_SERVICES_FACILITIES_FACILITIES_SERVICE_H_
#define JIANGAN_SERVICES_FACILITIES_FACILITIES_SERVICE_H_

#include <memory>

#include "common/identity/identity.h"
#include "common/runtime/executor.h"
#include "common/runtime/verified_call.h"
#include "jiangan/facilities/v1/facilities.grpc.pb.h"
#include "services/facilities/facility_store.h"
#include "services/facilities/renewal_projects.h"

namespace jiangan::facilities {

class FacilitiesService final : public v1::FacilitiesService::CallbackService {
 public:
  // `executor` must outlive the service.
  FacilitiesService(std::unique_ptr<FacilityStore> store, std::unique_ptr<RenewalProjects> projects,
                    IdentityVerifier verifier, Executor* executor)
      : store_(std::move(store)),
        projects_(std::move(projects)),
        verifier_(std::move(verifier)),
        calls_(&verifier_, executor) {}

  grpc::ServerUnaryReactor* GetFacility(grpc::CallbackServerContext* context,
      const v1::GetFacilityRequest* request, v1::Facility* response) override;
  grpc::ServerUnaryReactor* ListFacilities(grpc::CallbackServerContext* context,
      const v1::ListFacilitiesRequest* request, v1::ListFacilitiesResponse* response) override;
  grpc::ServerUnaryReactor* CreateFacility(grpc::CallbackServerContext* context,
      const v1::CreateFacilityRequest* request, v1::Facility* response) override;
  grpc::ServerUnaryReactor* BatchCreateFacilities(grpc::CallbackServerContext* context,
      const v1::BatchCreateFacilitiesRequest* request,
      v1::BatchCreateFacilitiesResponse* response) override;
  grpc::ServerUnaryReactor* UpdateFacility(grpc::CallbackServerContext* context,
      const v1::UpdateFacilityRequest* request, v1::Facility* response) override;
  grpc::ServerUnaryReactor* DeleteFacility(grpc::CallbackServerContext* context,
      const v1::DeleteFacilityRequest* request, v1::Facility* response) override;
  grpc::ServerUnaryReactor* UndeleteFacility(grpc::CallbackServerContext* context,
      const v1::UndeleteFacilityRequest* request, v1::Facility* response) override;
  grpc::ServerUnaryReactor* RecordCapacity(grpc::CallbackServerContext* context,
      const v1::RecordCapacityRequest* request, v1::CapacityReading* response) override;
  grpc::ServerUnaryReactor* ListCapacityReadings(grpc::CallbackServerContext* context,
      const v1::ListCapacityReadingsRequest* request, v1::ListCapacityReadingsResponse* response) override;
  grpc::ServerUnaryReactor* ListFacilityHistory(grpc::CallbackServerContext* context,
      const v1::ListFacilityHistoryRequest* request, v1::ListFacilityHistoryResponse* response) override;
  grpc::ServerUnaryReactor* SearchNearby(grpc::CallbackServerContext* context,
      const v1::SearchNearbyRequest* request, v1::SearchNearbyResponse* response) override;
  grpc::ServerUnaryReactor* AssessCoverage(grpc::CallbackServerContext* context,
      const v1::AssessCoverageRequest* request, v1::AssessCoverageResponse* response) override;
  grpc::ServerUnaryReactor* ReportCoverage(grpc::CallbackServerContext* context,
      const v1::ReportCoverageRequest* request, v1::ReportCoverageResponse* response) override;
  grpc::ServerUnaryReactor* SummarizeFacilities(grpc::CallbackServerContext* context,
      const v1::SummarizeFacilitiesRequest* request, v1::SummarizeFacilitiesResponse* response) override;

 private:
  const std::unique_ptr<FacilityStore> store_;
  const std::unique_ptr<RenewalProjects> projects_;
  const IdentityVerifier verifier_;
  const VerifiedCalls calls_;
};

}  // namespace jiangan::facilities

#endif  // JIANGAN_SERVICES_FACILITIES_FACILITIES_SERVICE_H_
