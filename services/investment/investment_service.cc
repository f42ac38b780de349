#include "services/investment/investment_service.h"

#include "common/standard_methods.h"
#include "services/investment/lead_policy.h"

namespace jiangan::investment {

absl::StatusOr<std::unique_ptr<InvestmentService>> InvestmentService::Create(
    SqliteDb* db, Executor* executor) {
  auto table = ResourceTable::Open(db, "leads");
  if (!table.ok()) return table.status();
  return std::unique_ptr<InvestmentService>(
      new InvestmentService(*std::move(table), executor));
}

InvestmentService::InvestmentService(std::unique_ptr<ResourceTable> table, Executor* executor)
    : table_(std::move(table)),
      leads_(table_.get(), "lead", LeadPolicy()),
      executor_(executor) {}

grpc::ServerUnaryReactor* InvestmentService::GetLead(grpc::CallbackServerContext* context,
                                                     const v1::GetLeadRequest* request,
                                                     v1::Lead* response) {
  return ServeGet(leads_, executor_, context, request->name(), response);
}

grpc::ServerUnaryReactor* InvestmentService::ListLeads(
    grpc::CallbackServerContext* context, const v1::ListLeadsRequest* request,
    v1::ListLeadsResponse* response) {
  return ServeList(leads_, executor_, context, request, response->mutable_leads(),
                   response->mutable_next_page_token());
}

grpc::ServerUnaryReactor* InvestmentService::CreateLead(
    grpc::CallbackServerContext* context, const v1::CreateLeadRequest* request,
    v1::Lead* response) {
  return ServeCreate(leads_, executor_, context, request->lead(), "lead_id",
                     request->lead_id(), request->request_id(), response);
}

grpc::ServerUnaryReactor* InvestmentService::UpdateLead(
    grpc::CallbackServerContext* context, const v1::UpdateLeadRequest* request,
    v1::Lead* response) {
  return ServeUpdate(leads_, executor_, context, request->lead(),
                     request->update_mask(), response);
}

}  // namespace jiangan::investment
