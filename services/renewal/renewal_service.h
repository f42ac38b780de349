// The gRPC face of the renewal service: each RPC runs on the executor against
// the project store.
#ifndef JIANGAN_SERVICES_RENEWAL_RENEWAL_SERVICE_H_
#define JIANGAN_SERVICES_RENEWAL_RENEWAL_SERVICE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "common/executor.h"
#include "common/resource_store.h"
#include "common/sqlite_db.h"
#include "jiangan/renewal/v1/renewal.grpc.pb.h"

namespace jiangan::renewal {

class RenewalService final : public v1::RenewalService::CallbackService {
 public:
  // Creates the projects table in `db` if missing. `db` and `executor` must
  // outlive the service.
  static absl::StatusOr<std::unique_ptr<RenewalService>> Create(SqliteDb* db,
                                                               Executor* executor);

  grpc::ServerUnaryReactor* GetProject(grpc::CallbackServerContext* context,
                                       const v1::GetProjectRequest* request,
                                       v1::Project* response) override;
  grpc::ServerUnaryReactor* ListProjects(grpc::CallbackServerContext* context,
                                         const v1::ListProjectsRequest* request,
                                         v1::ListProjectsResponse* response) override;
  grpc::ServerUnaryReactor* CreateProject(grpc::CallbackServerContext* context,
                                          const v1::CreateProjectRequest* request,
                                          v1::Project* response) override;
  grpc::ServerUnaryReactor* UpdateProject(grpc::CallbackServerContext* context,
                                          const v1::UpdateProjectRequest* request,
                                          v1::Project* response) override;

 private:
  RenewalService(std::unique_ptr<ResourceTable> table, Executor* executor);

  std::unique_ptr<ResourceTable> table_;
  ResourceStore<v1::Project> projects_;
  Executor* const executor_;
};

}  // namespace jiangan::renewal

#endif  // JIANGAN_SERVICES_RENEWAL_RENEWAL_SERVICE_H_
