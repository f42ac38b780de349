#include "services/investment/investment_service.h"

namespace jiangan::investment {

grpc::ServerUnaryReactor* InvestmentService::GetLead(grpc::CallbackServerContext* context,
                                                const v1::GetLeadRequest* request,
                                                v1::Lead* response) {
  return calls_.Serve(context, ReadAccess("GetLead"), [=, this](const Identity& caller) {
    return FillResponse(store_->Get(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* InvestmentService::ListLeads(grpc::CallbackServerContext* context,
                                                const v1::ListLeadsRequest* request,
                                                v1::ListLeadsResponse* response) {
  return calls_.Serve(context, ReadAccess("ListLeads"), [=, this](const Identity& caller) {
    return store_->List(caller, *request, response);
  });
}

grpc::ServerUnaryReactor* InvestmentService::CreateLead(grpc::CallbackServerContext* context,
                                                const v1::CreateLeadRequest* request,
                                                v1::Lead* response) {
  return calls_.Serve(context, WriteAccess("CreateLead"), [=, this](const Identity& caller) {
    return FillResponse(store_->Create(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* InvestmentService::BatchCreateLeads(
    grpc::CallbackServerContext* context, const v1::BatchCreateLeadsRequest* request,
    v1::BatchCreateLeadsResponse* response) {
  return calls_.Serve(context, WriteAccess("BatchCreateLeads"),
                      [=, this](const Identity& caller) {
                        return store_->BatchCreate(caller, *request, response);
                      });
}

grpc::ServerUnaryReactor* InvestmentService::UpdateLead(grpc::CallbackServerContext* context,
                                                const v1::UpdateLeadRequest* request,
                                                v1::Lead* response) {
  return calls_.Serve(context, WriteAccess("UpdateLead"), [=, this](const Identity& caller) {
    return FillResponse(store_->Update(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* InvestmentService::DeleteLead(grpc::CallbackServerContext* context,
                                                const v1::DeleteLeadRequest* request,
                                                v1::Lead* response) {
  return calls_.Serve(context, WriteAccess("DeleteLead"), [=, this](const Identity& caller) {
    return FillResponse(store_->Delete(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* InvestmentService::UndeleteLead(grpc::CallbackServerContext* context,
                                                const v1::UndeleteLeadRequest* request,
                                                v1::Lead* response) {
  return calls_.Serve(context, WriteAccess("UndeleteLead"), [=, this](const Identity& caller) {
    return FillResponse(store_->Undelete(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* InvestmentService::RecordFunds(grpc::CallbackServerContext* context,
                                                const v1::RecordFundsRequest* request,
                                                v1::FundsEntry* response) {
  return calls_.Serve(context, WriteAccess("RecordFunds"), [=, this](const Identity& caller) {
    return FillResponse(store_->RecordFunds(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* InvestmentService::ListFundsEntries(grpc::CallbackServerContext* context,
                                                const v1::ListFundsEntriesRequest* request,
                                                v1::ListFundsEntriesResponse* response) {
  return calls_.Serve(context, ReadAccess("ListFundsEntries"), [=, this](const Identity& caller) {
    return store_->ListFundsEntries(*request, response);
  });
}

grpc::ServerUnaryReactor* InvestmentService::LogActivity(grpc::CallbackServerContext* context,
                                                const v1::LogActivityRequest* request,
                                                v1::Activity* response) {
  return calls_.Serve(context, WriteAccess("LogActivity"), [=, this](const Identity& caller) {
    return FillResponse(store_->LogActivity(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* InvestmentService::ListActivities(grpc::CallbackServerContext* context,
                                                const v1::ListActivitiesRequest* request,
                                                v1::ListActivitiesResponse* response) {
  return calls_.Serve(context, ReadAccess("ListActivities"), [=, this](const Identity& caller) {
    return store_->ListActivities(*request, response);
  });
}

grpc::ServerUnaryReactor* InvestmentService::ListLeadHistory(grpc::CallbackServerContext* context,
                                                const v1::ListLeadHistoryRequest* request,
                                                v1::ListLeadHistoryResponse* response) {
  return calls_.Serve(context, ReadAccess("ListLeadHistory"), [=, this](const Identity& caller) {
    return store_->ListHistory(*request, response);
  });
}

grpc::ServerUnaryReactor* InvestmentService::FindSimilarLeads(grpc::CallbackServerContext* context,
                                                const v1::FindSimilarLeadsRequest* request,
                                                v1::FindSimilarLeadsResponse* response) {
  return calls_.Serve(context, ReadAccess("FindSimilarLeads"), [=, this](const Identity& caller) {
    return store_->FindSimilar(*request, response);
  });
}

grpc::ServerUnaryReactor* InvestmentService::SummarizeLeads(grpc::CallbackServerContext* context,
                                                const v1::SummarizeLeadsRequest* request,
                                                v1::SummarizeLeadsResponse* response) {
  return calls_.Serve(context, ReadAccess("SummarizeLeads"), [=, this](const Identity& caller) {
    return store_->Summarize(*request, response);
  });
}

}  // namespace jiangan::investment
