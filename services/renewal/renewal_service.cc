#include "services/renewal/renewal_service.h"

#include "absl/time/clock.h"
#include "common/unary_call.h"

namespace jiangan::renewal {
namespace {

// Stores a StatusOr's value in the response and returns its status.
template <typename T>
absl::Status Fill(absl::StatusOr<T> result, T* response) {
  if (result.ok()) *response = *std::move(result);
  return result.status();
}

}  // namespace

template <typename Work>
grpc::ServerUnaryReactor* RenewalService::Serve(grpc::CallbackServerContext* context,
                                                Work work) {
  return RunUnary(context, executor_, [this, context, work = std::move(work)]() mutable {
    auto caller = verifier_.Verify(context->client_metadata(), absl::Now());
    if (!caller.ok()) return caller.status();
    return work(*caller);
  });
}

grpc::ServerUnaryReactor* RenewalService::GetProject(grpc::CallbackServerContext* context,
                                                     const v1::GetProjectRequest* request,
                                                     v1::Project* response) {
  return Serve(context, [this, request, response](const Identity&) {
    return Fill(store_->Get(*request), response);
  });
}

grpc::ServerUnaryReactor* RenewalService::ListProjects(grpc::CallbackServerContext* context,
                                                       const v1::ListProjectsRequest* request,
                                                       v1::ListProjectsResponse* response) {
  return Serve(context, [this, request, response](const Identity&) {
    return store_->List(*request, response);
  });
}

grpc::ServerUnaryReactor* RenewalService::CreateProject(grpc::CallbackServerContext* context,
                                                        const v1::CreateProjectRequest* request,
                                                        v1::Project* response) {
  return Serve(context, [this, request, response](const Identity& caller) {
    return Fill(store_->Create(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* RenewalService::UpdateProject(grpc::CallbackServerContext* context,
                                                        const v1::UpdateProjectRequest* request,
                                                        v1::Project* response) {
  return Serve(context, [this, request, response](const Identity& caller) {
    return Fill(store_->Update(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* RenewalService::DeleteProject(grpc::CallbackServerContext* context,
                                                        const v1::DeleteProjectRequest* request,
                                                        v1::Project* response) {
  return Serve(context, [this, request, response](const Identity& caller) {
    return Fill(store_->Delete(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* RenewalService::UndeleteProject(
    grpc::CallbackServerContext* context, const v1::UndeleteProjectRequest* request,
    v1::Project* response) {
  return Serve(context, [this, request, response](const Identity& caller) {
    return Fill(store_->Undelete(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* RenewalService::ReportProgress(grpc::CallbackServerContext* context,
                                                         const v1::ReportProgressRequest* request,
                                                         v1::ProgressReport* response) {
  return Serve(context, [this, request, response](const Identity& caller) {
    return Fill(store_->ReportProgress(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* RenewalService::ListProgressReports(
    grpc::CallbackServerContext* context, const v1::ListProgressReportsRequest* request,
    v1::ListProgressReportsResponse* response) {
  return Serve(context, [this, request, response](const Identity&) {
    return store_->ListProgressReports(*request, response);
  });
}

grpc::ServerUnaryReactor* RenewalService::ListProjectHistory(
    grpc::CallbackServerContext* context, const v1::ListProjectHistoryRequest* request,
    v1::ListProjectHistoryResponse* response) {
  return Serve(context, [this, request, response](const Identity&) {
    return store_->ListHistory(*request, response);
  });
}

grpc::ServerUnaryReactor* RenewalService::SummarizeProjects(
    grpc::CallbackServerContext* context, const v1::SummarizeProjectsRequest* request,
    v1::SummarizeProjectsResponse* response) {
  return Serve(context, [this, request, response](const Identity&) {
    return store_->Summarize(*request, response);
  });
}

}  // namespace jiangan::renewal
