// The gRPC face of the facilities service: each RPC runs on the executor against
// the facility store.
#ifndef JIANGAN_SERVICES_FACILITIES_FACILITIES_SERVICE_H_
#define JIANGAN_SERVICES_FACILITIES_FACILITIES_SERVICE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "common/executor.h"
#include "common/resource_store.h"
#include "common/sqlite_db.h"
#include "jiangan/facilities/v1/facilities.grpc.pb.h"

namespace jiangan::facilities {

class FacilitiesService final : public v1::FacilitiesService::CallbackService {
 public:
  // Creates the facilities table in `db` if missing. `db` and `executor` must
  // outlive the service.
  static absl::StatusOr<std::unique_ptr<FacilitiesService>> Create(SqliteDb* db,
                                                               Executor* executor);

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
  FacilitiesService(std::unique_ptr<ResourceTable> table, Executor* executor);

  std::unique_ptr<ResourceTable> table_;
  ResourceStore<v1::Facility> facilities_;
  Executor* const executor_;
};

}  // namespace jiangan::facilities

#endif  // JIANGAN_SERVICES_FACILITIES_FACILITIES_SERVICE_H_
