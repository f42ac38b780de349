#include "services/renewal/renewal_service.h"

namespace jiangan::renewal {

grpc::ServerUnaryReactor* RenewalService::GetProject(grpc::CallbackServerContext* context,
                                                     const v1::GetProjectRequest* request,
                                                     v1::Project* response) {
  return calls_.Serve(context, ReadAccess("GetProject"), [this, request, response](const Identity&) {
    return FillResponse(store_->Get(*request), response);
  });
}

grpc::ServerUnaryReactor* RenewalService::ListProjects(grpc::CallbackServerContext* context,
                                                       const v1::ListProjectsRequest* request,
                                                       v1::ListProjectsResponse* response) {
  return calls_.Serve(context, ReadAccess("ListProjects"), [this, request, response](const Identity&) {
    return store_->List(*request, response);
  });
}

grpc::ServerUnaryReactor* RenewalService::CreateProject(grpc::CallbackServerContext* context,
                                                        const v1::CreateProjectRequest* request,
                                                        v1::Project* response) {
  return calls_.Serve(context, WriteAccess("CreateProject"), [this, request, response](const Identity& caller) {
    return FillResponse(store_->Create(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* RenewalService::BatchCreateProjects(
    grpc::CallbackServerContext* context, const v1::BatchCreateProjectsRequest* request,
    v1::BatchCreateProjectsResponse* response) {
  return calls_.Serve(context, WriteAccess("BatchCreateProjects"),
                      [this, request, response](const Identity& caller) {
                        return store_->BatchCreate(caller, *request, response);
                      });
}

grpc::ServerUnaryReactor* RenewalService::UpdateProject(grpc::CallbackServerContext* context,
                                                        const v1::UpdateProjectRequest* request,
                                                        v1::Project* response) {
  return calls_.Serve(context, WriteAccess("UpdateProject"), [this, request, response](const Identity& caller) {
    return FillResponse(store_->Update(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* RenewalService::DeleteProject(grpc::CallbackServerContext* context,
                                                        const v1::DeleteProjectRequest* request,
                                                        v1::Project* response) {
  return calls_.Serve(context, WriteAccess("DeleteProject"), [this, request, response](const Identity& caller) {
    return FillResponse(store_->Delete(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* RenewalService::UndeleteProject(
    grpc::CallbackServerContext* context, const v1::UndeleteProjectRequest* request,
    v1::Project* response) {
  return calls_.Serve(context, WriteAccess("UndeleteProject"), [this, request, response](const Identity& caller) {
    return FillResponse(store_->Undelete(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* RenewalService::ReportProgress(grpc::CallbackServerContext* context,
                                                         const v1::ReportProgressRequest* request,
                                                         v1::ProgressReport* response) {
  return calls_.Serve(context, WriteAccess("ReportProgress"), [this, request, response](const Identity& caller) {
    return FillResponse(store_->ReportProgress(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* RenewalService::ListProgressReports(
    grpc::CallbackServerContext* context, const v1::ListProgressReportsRequest* request,
    v1::ListProgressReportsResponse* response) {
  return calls_.Serve(context, ReadAccess("ListProgressReports"), [this, request, response](const Identity&) {
    return store_->ListProgressReports(*request, response);
  });
}

grpc::ServerUnaryReactor* RenewalService::ListProjectHistory(
    grpc::CallbackServerContext* context, const v1::ListProjectHistoryRequest* request,
    v1::ListProjectHistoryResponse* response) {
  return calls_.Serve(context, ReadAccess("ListProjectHistory"), [this, request, response](const Identity&) {
    return store_->ListHistory(*request, response);
  });
}

grpc::ServerUnaryReactor* RenewalService::SummarizeProjects(
    grpc::CallbackServerContext* context, const v1::SummarizeProjectsRequest* request,
    v1::SummarizeProjectsResponse* response) {
  return calls_.Serve(context, ReadAccess("SummarizeProjects"), [this, request, response](const Identity&) {
    return store_->Summarize(*request, response);
  });
}

}  // namespace jiangan::renewal
