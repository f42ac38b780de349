#include "services/facilities/facilities_service.h"

#include "common/standard_methods.h"
#include "services/facilities/facility_policy.h"

namespace jiangan::facilities {

absl::StatusOr<std::unique_ptr<FacilitiesService>> FacilitiesService::Create(
    SqliteDb* db, Executor* executor) {
  auto table = ResourceTable::Open(db, "facilities");
  if (!table.ok()) return table.status();
  return std::unique_ptr<FacilitiesService>(
      new FacilitiesService(*std::move(table), executor));
}

FacilitiesService::FacilitiesService(std::unique_ptr<ResourceTable> table, Executor* executor)
    : table_(std::move(table)),
      facilities_(table_.get(), "facility", FacilityPolicy()),
      executor_(executor) {}

grpc::ServerUnaryReactor* FacilitiesService::GetFacility(grpc::CallbackServerContext* context,
                                                     const v1::GetFacilityRequest* request,
                                                     v1::Facility* response) {
  return ServeGet(facilities_, executor_, context, request->name(), response);
}

grpc::ServerUnaryReactor* FacilitiesService::ListFacilities(
    grpc::CallbackServerContext* context, const v1::ListFacilitiesRequest* request,
    v1::ListFacilitiesResponse* response) {
  return ServeList(facilities_, executor_, context, request, response->mutable_facilities(),
                   response->mutable_next_page_token());
}

grpc::ServerUnaryReactor* FacilitiesService::CreateFacility(
    grpc::CallbackServerContext* context, const v1::CreateFacilityRequest* request,
    v1::Facility* response) {
  return ServeCreate(facilities_, executor_, context, request->facility(), "facility_id",
                     request->facility_id(), request->request_id(), response);
}

grpc::ServerUnaryReactor* FacilitiesService::UpdateFacility(
    grpc::CallbackServerContext* context, const v1::UpdateFacilityRequest* request,
    v1::Facility* response) {
  return ServeUpdate(facilities_, executor_, context, request->facility(),
                     request->update_mask(), response);
}

}  // namespace jiangan::facilities
