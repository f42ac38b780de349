#include "services/renewal/renewal_service.h"

#include "common/standard_methods.h"
#include "services/renewal/project_policy.h"

namespace jiangan::renewal {

absl::StatusOr<std::unique_ptr<RenewalService>> RenewalService::Create(
    SqliteDb* db, Executor* executor) {
  auto table = ResourceTable::Open(db, "projects");
  if (!table.ok()) return table.status();
  return std::unique_ptr<RenewalService>(
      new RenewalService(*std::move(table), executor));
}

RenewalService::RenewalService(std::unique_ptr<ResourceTable> table, Executor* executor)
    : table_(std::move(table)),
      projects_(table_.get(), "project", ProjectPolicy()),
      executor_(executor) {}

grpc::ServerUnaryReactor* RenewalService::GetProject(grpc::CallbackServerContext* context,
                                                     const v1::GetProjectRequest* request,
                                                     v1::Project* response) {
  return ServeGet(projects_, executor_, context, request->name(), response);
}

grpc::ServerUnaryReactor* RenewalService::ListProjects(
    grpc::CallbackServerContext* context, const v1::ListProjectsRequest* request,
    v1::ListProjectsResponse* response) {
  return ServeList(projects_, executor_, context, request, response->mutable_projects(),
                   response->mutable_next_page_token());
}

grpc::ServerUnaryReactor* RenewalService::CreateProject(
    grpc::CallbackServerContext* context, const v1::CreateProjectRequest* request,
    v1::Project* response) {
  return ServeCreate(projects_, executor_, context, request->project(), "project_id",
                     request->project_id(), request->request_id(), response);
}

grpc::ServerUnaryReactor* RenewalService::UpdateProject(
    grpc::CallbackServerContext* context, const v1::UpdateProjectRequest* request,
    v1::Project* response) {
  return ServeUpdate(projects_, executor_, context, request->project(),
                     request->update_mask(), response);
}

}  // namespace jiangan::renewal
