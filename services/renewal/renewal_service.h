// The gRPC face of the renewal service: each RPC is one verified call
// (identity and role checked, then run on the executor) into the store.
#ifndef JIANGAN_SERVICES_RENEWAL_RENEWAL_SERVICE_H_
#define JIANGAN_SERVICES_RENEWAL_RENEWAL_SERVICE_H_

#include <memory>

#include "common/identity/identity.h"
#include "common/runtime/executor.h"
#include "common/runtime/verified_call.h"
#include "jiangan/renewal/v1/renewal.grpc.pb.h"
#include "services/renewal/project_store.h"

namespace jiangan::renewal {

class RenewalService final : public v1::RenewalService::CallbackService {
 public:
  // `executor` must outlive the service.
  RenewalService(std::unique_ptr<ProjectStore> store, IdentityVerifier verifier,
                 Executor* executor)
      : store_(std::move(store)), verifier_(std::move(verifier)), calls_(&verifier_, executor) {}

  grpc::ServerUnaryReactor* GetProject(grpc::CallbackServerContext* context,
                                       const v1::GetProjectRequest* request,
                                       v1::Project* response) override;
  grpc::ServerUnaryReactor* ListProjects(grpc::CallbackServerContext* context,
                                         const v1::ListProjectsRequest* request,
                                         v1::ListProjectsResponse* response) override;
  grpc::ServerUnaryReactor* CreateProject(grpc::CallbackServerContext* context,
                                          const v1::CreateProjectRequest* request,
                                          v1::Project* response) override;
  grpc::ServerUnaryReactor* BatchCreateProjects(grpc::CallbackServerContext* context,
                                                const v1::BatchCreateProjectsRequest* request,
                                                v1::BatchCreateProjectsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateProject(grpc::CallbackServerContext* context,
                                          const v1::UpdateProjectRequest* request,
                                          v1::Project* response) override;
  grpc::ServerUnaryReactor* DeleteProject(grpc::CallbackServerContext* context,
                                          const v1::DeleteProjectRequest* request,
                                          v1::Project* response) override;
  grpc::ServerUnaryReactor* UndeleteProject(grpc::CallbackServerContext* context,
                                            const v1::UndeleteProjectRequest* request,
                                            v1::Project* response) override;
  grpc::ServerUnaryReactor* ReportProgress(grpc::CallbackServerContext* context,
                                           const v1::ReportProgressRequest* request,
                                           v1::ProgressReport* response) override;
  grpc::ServerUnaryReactor* ListProgressReports(
      grpc::CallbackServerContext* context, const v1::ListProgressReportsRequest* request,
      v1::ListProgressReportsResponse* response) override;
  grpc::ServerUnaryReactor* ListProjectHistory(
      grpc::CallbackServerContext* context, const v1::ListProjectHistoryRequest* request,
      v1::ListProjectHistoryResponse* response) override;
  grpc::ServerUnaryReactor* SummarizeProjects(
      grpc::CallbackServerContext* context, const v1::SummarizeProjectsRequest* request,
      v1::SummarizeProjectsResponse* response) override;

 private:
  const std::unique_ptr<ProjectStore> store_;
  const IdentityVerifier verifier_;
  const VerifiedCalls calls_;
};

}  // namespace jiangan::renewal

#endif  // JIANGAN_SERVICES_RENEWAL_RENEWAL_SERVICE_H_
