#include "services/facilities/facilities_service.h"

#include "services/facilities/facility_policy.h"

namespace jiangan::facilities {

absl::StatusOr<std::unique_ptr<FacilitiesService>> FacilitiesService::Create(
    const ServiceEnvironment& environment) {
  ASSIGN_OR_RETURN(std::unique_ptr<ResourceTable> table,
                   ResourceTable::Open(environment.db, "facilities"));
  return std::unique_ptr<FacilitiesService>(
      new FacilitiesService(std::move(table), environment));
}

FacilitiesService::FacilitiesService(std::unique_ptr<ResourceTable> table,
                                     const ServiceEnvironment& environment)
    : table_(std::move(table)),
      facilities_(table_.get(), "facility", FacilityPolicy()),
      verifier_(environment.identity_key),
      calls_(&verifier_, environment.executor) {}

grpc::ServerUnaryReactor* FacilitiesService::GetFacility(grpc::CallbackServerContext* context,
                                                         const v1::GetFacilityRequest* request,
                                                         v1::Facility* response) {
  return calls_.Serve(context, ReadAccess("GetFacility"), [=, this](const Identity&) {
    return FillResponse(facilities_.Get(request->name()), response);
  });
}

grpc::ServerUnaryReactor* FacilitiesService::ListFacilities(
    grpc::CallbackServerContext* context, const v1::ListFacilitiesRequest* request,
    v1::ListFacilitiesResponse* response) {
  return calls_.Serve(context, ReadAccess("ListFacilities"), [=, this](const Identity&) {
    ASSIGN_OR_RETURN(*response->mutable_next_page_token(),
                     facilities_.List(*request, request->page_size(), request->page_token(),
                                      response->mutable_facilities()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* FacilitiesService::CreateFacility(
    grpc::CallbackServerContext* context, const v1::CreateFacilityRequest* request,
    v1::Facility* response) {
  return calls_.Serve(context, WriteAccess("CreateFacility"), [=, this](const Identity&) {
    return FillResponse(facilities_.Create(request->facility(), "facility_id",
                                           request->facility_id(), request->request_id()),
                        response);
  });
}

grpc::ServerUnaryReactor* FacilitiesService::UpdateFacility(
    grpc::CallbackServerContext* context, const v1::UpdateFacilityRequest* request,
    v1::Facility* response) {
  return calls_.Serve(context, WriteAccess("UpdateFacility"), [=, this](const Identity&) {
    return FillResponse(facilities_.Update(request->facility(), request->update_mask()),
                        response);
  });
}

}  // namespace jiangan::facilities
