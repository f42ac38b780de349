// The gRPC face of the investment service: each RPC is one verified call
// (identity and role checked, then run on the executor) into the lead store.
#ifndef JIANGAN_SERVICES_INVESTMENT_INVESTMENT_SERVICE_H_
#define JIANGAN_SERVICES_INVESTMENT_INVESTMENT_SERVICE_H_

#include <memory>

#include "common/identity/identity.h"
#include "common/runtime/executor.h"
#include "common/runtime/verified_call.h"
#include "jiangan/investment/v1/investment.grpc.pb.h"
#include "services/investment/lead_store.h"

namespace jiangan::investment {

class InvestmentService final : public v1::InvestmentService::CallbackService {
 public:
  // `executor` must outlive the service.
  InvestmentService(std::unique_ptr<LeadStore> store, IdentityVerifier verifier,
                    Executor* executor)
      : store_(std::move(store)), verifier_(std::move(verifier)), calls_(&verifier_, executor) {}

  grpc::ServerUnaryReactor* GetLead(grpc::CallbackServerContext* context,
      const v1::GetLeadRequest* request, v1::Lead* response) override;
  grpc::ServerUnaryReactor* ListLeads(grpc::CallbackServerContext* context,
      const v1::ListLeadsRequest* request, v1::ListLeadsResponse* response) override;
  grpc::ServerUnaryReactor* CreateLead(grpc::CallbackServerContext* context,
      const v1::CreateLeadRequest* request, v1::Lead* response) override;
  grpc::ServerUnaryReactor* BatchCreateLeads(grpc::CallbackServerContext* context,
      const v1::BatchCreateLeadsRequest* request, v1::BatchCreateLeadsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateLead(grpc::CallbackServerContext* context,
      const v1::UpdateLeadRequest* request, v1::Lead* response) override;
  grpc::ServerUnaryReactor* DeleteLead(grpc::CallbackServerContext* context,
      const v1::DeleteLeadRequest* request, v1::Lead* response) override;
  grpc::ServerUnaryReactor* UndeleteLead(grpc::CallbackServerContext* context,
      const v1::UndeleteLeadRequest* request, v1::Lead* response) override;
  grpc::ServerUnaryReactor* RecordFunds(grpc::CallbackServerContext* context,
      const v1::RecordFundsRequest* request, v1::FundsEntry* response) override;
  grpc::ServerUnaryReactor* ListFundsEntries(grpc::CallbackServerContext* context,
      const v1::ListFundsEntriesRequest* request, v1::ListFundsEntriesResponse* response) override;
  grpc::ServerUnaryReactor* LogActivity(grpc::CallbackServerContext* context,
      const v1::LogActivityRequest* request, v1::Activity* response) override;
  grpc::ServerUnaryReactor* ListActivities(grpc::CallbackServerContext* context,
      const v1::ListActivitiesRequest* request, v1::ListActivitiesResponse* response) override;
  grpc::ServerUnaryReactor* ListLeadHistory(grpc::CallbackServerContext* context,
      const v1::ListLeadHistoryRequest* request, v1::ListLeadHistoryResponse* response) override;
  grpc::ServerUnaryReactor* FindSimilarLeads(grpc::CallbackServerContext* context,
      const v1::FindSimilarLeadsRequest* request, v1::FindSimilarLeadsResponse* response) override;
  grpc::ServerUnaryReactor* SummarizeLeads(grpc::CallbackServerContext* context,
      const v1::SummarizeLeadsRequest* request, v1::SummarizeLeadsResponse* response) override;

 private:
  const std::unique_ptr<LeadStore> store_;
  const IdentityVerifier verifier_;
  const VerifiedCalls calls_;
};

}  // namespace jiangan::investment

#endif  // JIANGAN_SERVICES_INVESTMENT_INVESTMENT_SERVICE_H_
