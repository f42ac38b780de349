// The gRPC face of the investment service: each RPC runs on the executor against
// the lead store.
#ifndef JIANGAN_SERVICES_INVESTMENT_INVESTMENT_SERVICE_H_
#define JIANGAN_SERVICES_INVESTMENT_INVESTMENT_SERVICE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "common/executor.h"
#include "common/resource_store.h"
#include "common/sqlite_db.h"
#include "jiangan/investment/v1/investment.grpc.pb.h"

namespace jiangan::investment {

class InvestmentService final : public v1::InvestmentService::CallbackService {
 public:
  // Creates the leads table in `db` if missing. `db` and `executor` must
  // outlive the service.
  static absl::StatusOr<std::unique_ptr<InvestmentService>> Create(SqliteDb* db,
                                                               Executor* executor);

  grpc::ServerUnaryReactor* GetLead(grpc::CallbackServerContext* context,
                                       const v1::GetLeadRequest* request,
                                       v1::Lead* response) override;
  grpc::ServerUnaryReactor* ListLeads(grpc::CallbackServerContext* context,
                                         const v1::ListLeadsRequest* request,
                                         v1::ListLeadsResponse* response) override;
  grpc::ServerUnaryReactor* CreateLead(grpc::CallbackServerContext* context,
                                          const v1::CreateLeadRequest* request,
                                          v1::Lead* response) override;
  grpc::ServerUnaryReactor* UpdateLead(grpc::CallbackServerContext* context,
                                          const v1::UpdateLeadRequest* request,
                                          v1::Lead* response) override;

 private:
  InvestmentService(std::unique_ptr<ResourceTable> table, Executor* executor);

  std::unique_ptr<ResourceTable> table_;
  ResourceStore<v1::Lead> leads_;
  Executor* const executor_;
};

}  // namespace jiangan::investment

#endif  // JIANGAN_SERVICES_INVESTMENT_INVESTMENT_SERVICE_H_
