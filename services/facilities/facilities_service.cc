#include "services/facilities/facilities_service.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/base/field_masks.h"
#include "common/base/resource_versions.h"

namespace jiangan::facilities {
namespace {

// The renewal project an update sets, or "" when it leaves the link alone.
std::string ChangedProject(const v1::UpdateFacilityRequest& request) {
  return MaskNames(request.update_mask(), "renewal_project") ? request.facility().renewal_project()
                                                             : std::string();
}

}  // namespace

grpc::ServerUnaryReactor* FacilitiesService::GetFacility(grpc::CallbackServerContext* context,
                                                const v1::GetFacilityRequest* request,
                                                v1::Facility* response) {
  return calls_.Serve(context, ReadAccess("GetFacility"), [=, this](const Identity&) {
    return FillResponse(store_->Get(*request), response);
  });
}

grpc::ServerUnaryReactor* FacilitiesService::ListFacilities(grpc::CallbackServerContext* context,
                                                const v1::ListFacilitiesRequest* request,
                                                v1::ListFacilitiesResponse* response) {
  return calls_.Serve(context, ReadAccess("ListFacilities"), [=, this](const Identity&) {
    return store_->List(*request, response);
  });
}

grpc::ServerUnaryReactor* FacilitiesService::CreateFacility(grpc::CallbackServerContext* context,
                                                const v1::CreateFacilityRequest* request,
                                                v1::Facility* response) {
  return calls_.Serve(context, WriteAccess("CreateFacility"), [=, this](const Identity& caller) {
    RETURN_IF_ERROR(projects_->CheckExists(*context, caller, "facility.renewal_project",
                                          request->facility().renewal_project()));
    return FillResponse(store_->Create(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* FacilitiesService::BatchCreateFacilities(
    grpc::CallbackServerContext* context, const v1::BatchCreateFacilitiesRequest* request,
    v1::BatchCreateFacilitiesResponse* response) {
  return calls_.Serve(context, WriteAccess("BatchCreateFacilities"),
                      [=, this](const Identity& caller) -> absl::Status {
                        // Sized before asking renewal about each project once.
                        RETURN_IF_ERROR(CheckBatchSize(request->requests_size(), "facilities"));
                        absl::flat_hash_set<std::string> checked;
                        for (int i = 0; i < request->requests_size(); ++i) {
                          const std::string& project =
                              request->requests(i).facility().renewal_project();
                          if (!checked.insert(project).second) continue;
                          RETURN_IF_ERROR(projects_->CheckExists(
                              *context, caller,
                              absl::StrCat("requests[", i, "].facility.renewal_project"),
                              project));
                        }
                        return store_->BatchCreate(caller, *request, response);
                      });
}

grpc::ServerUnaryReactor* FacilitiesService::UpdateFacility(grpc::CallbackServerContext* context,
                                                const v1::UpdateFacilityRequest* request,
                                                v1::Facility* response) {
  return calls_.Serve(context, WriteAccess("UpdateFacility"), [=, this](const Identity& caller) {
    RETURN_IF_ERROR(projects_->CheckExists(*context, caller, "facility.renewal_project",
                                          ChangedProject(*request)));
    return FillResponse(store_->Update(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* FacilitiesService::DeleteFacility(grpc::CallbackServerContext* context,
                                                const v1::DeleteFacilityRequest* request,
                                                v1::Facility* response) {
  return calls_.Serve(context, WriteAccess("DeleteFacility"), [=, this](const Identity& caller) {
    return FillResponse(store_->Delete(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* FacilitiesService::UndeleteFacility(grpc::CallbackServerContext* context,
                                                const v1::UndeleteFacilityRequest* request,
                                                v1::Facility* response) {
  return calls_.Serve(context, WriteAccess("UndeleteFacility"), [=, this](const Identity& caller) {
    return FillResponse(store_->Undelete(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* FacilitiesService::RecordCapacity(grpc::CallbackServerContext* context,
                                                const v1::RecordCapacityRequest* request,
                                                v1::CapacityReading* response) {
  return calls_.Serve(context, WriteAccess("RecordCapacity"), [=, this](const Identity& caller) {
    return FillResponse(store_->RecordCapacity(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* FacilitiesService::ListCapacityReadings(grpc::CallbackServerContext* context,
                                                const v1::ListCapacityReadingsRequest* request,
                                                v1::ListCapacityReadingsResponse* response) {
  return calls_.Serve(context, ReadAccess("ListCapacityReadings"), [=, this](const Identity&) {
    return store_->ListCapacityReadings(*request, response);
  });
}

grpc::ServerUnaryReactor* FacilitiesService::ListFacilityHistory(grpc::CallbackServerContext* context,
                                                const v1::ListFacilityHistoryRequest* request,
                                                v1::ListFacilityHistoryResponse* response) {
  return calls_.Serve(context, ReadAccess("ListFacilityHistory"), [=, this](const Identity&) {
    return store_->ListHistory(*request, response);
  });
}

grpc::ServerUnaryReactor* FacilitiesService::SearchNearby(grpc::CallbackServerContext* context,
                                                const v1::SearchNearbyRequest* request,
                                                v1::SearchNearbyResponse* response) {
  return calls_.Serve(context, ReadAccess("SearchNearby"), [=, this](const Identity&) {
    return store_->SearchNearby(*request, response);
  });
}

grpc::ServerUnaryReactor* FacilitiesService::AssessCoverage(grpc::CallbackServerContext* context,
                                                const v1::AssessCoverageRequest* request,
                                                v1::AssessCoverageResponse* response) {
  return calls_.Serve(context, ReadAccess("AssessCoverage"), [=, this](const Identity&) {
    return store_->AssessCoverage(*request, response);
  });
}

grpc::ServerUnaryReactor* FacilitiesService::ReportCoverage(grpc::CallbackServerContext* context,
                                                const v1::ReportCoverageRequest* request,
                                                v1::ReportCoverageResponse* response) {
  return calls_.Serve(context, ReadAccess("ReportCoverage"), [=, this](const Identity&) {
    return FillResponse(store_->ReportCoverage(*request), response);
  });
}

grpc::ServerUnaryReactor* FacilitiesService::SummarizeFacilities(grpc::CallbackServerContext* context,
                                                const v1::SummarizeFacilitiesRequest* request,
                                                v1::SummarizeFacilitiesResponse* response) {
  return calls_.Serve(context, ReadAccess("SummarizeFacilities"), [=, this](const Identity&) {
    return store_->Summarize(*request, response);
  });
}

}  // namespace jiangan::facilities
