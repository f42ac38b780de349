#include "services/targets/targets_service.h"

namespace jiangan::targets {

namespace v1 = portfolio::v1;

grpc::ServerUnaryReactor* PortfolioService::GetTarget(grpc::CallbackServerContext* context,
                                                      const v1::GetTargetRequest* request,
                                                      v1::Target* response) {
  return Answer(context, "GetTarget", [=, this](const ServiceCaller& caller) {
    return answers_.Get(caller, *request, response);
  });
}

grpc::ServerUnaryReactor* PortfolioService::ListTargets(grpc::CallbackServerContext* context,
                                                        const v1::ListTargetsRequest* request,
                                                        v1::ListTargetsResponse* response) {
  return Answer(context, "ListTargets", [=, this](const ServiceCaller& caller) {
    return answers_.List(caller, *request, response);
  });
}

grpc::ServerUnaryReactor* PortfolioService::ListTargetContributions(
    grpc::CallbackServerContext* context, const v1::ListTargetContributionsRequest* request,
    v1::ListTargetContributionsResponse* response) {
  return Answer(context, "ListTargetContributions", [=, this](const ServiceCaller& caller) {
    return answers_.ListContributions(caller, *request, response);
  });
}

grpc::ServerUnaryReactor* PortfolioService::ExportTargets(grpc::CallbackServerContext* context,
                                                          const v1::ExportTargetsRequest* request,
                                                          type::v1::File* response) {
  return Answer(context, "ExportTargets", [=, this](const ServiceCaller& caller) {
    return answers_.Export(caller, *request, response);
  });
}

grpc::ServerUnaryReactor* PortfolioService::CreateTarget(grpc::CallbackServerContext* context,
                                                         const v1::CreateTargetRequest* request,
                                                         v1::Target* response) {
  // The catalog is the district's words: only ADMINs change it.
  return calls_.Serve(context, Access{Role::kAdmin, "CreateTarget"},
                      [=, this](const Identity& caller) {
                        return FillResponse(values_->CreateTarget(caller, *request), response);
                      });
}

grpc::ServerUnaryReactor* PortfolioService::UpdateTarget(grpc::CallbackServerContext* context,
                                                         const v1::UpdateTargetRequest* request,
                                                         v1::Target* response) {
  return calls_.Serve(context, Access{Role::kAdmin, "UpdateTarget"},
                      [=, this](const Identity& caller) {
                        return FillResponse(values_->UpdateTarget(caller, *request), response);
                      });
}

grpc::ServerUnaryReactor* PortfolioService::ListTargetHistory(
    grpc::CallbackServerContext* context, const v1::ListTargetHistoryRequest* request,
    v1::ListTargetHistoryResponse* response) {
  return calls_.Serve(context, ReadAccess("ListTargetHistory"), [=, this](const Identity&) {
    return values_->ListHistory(*request, response);
  });
}

grpc::ServerUnaryReactor* PortfolioService::AssignTargetDepartment(
    grpc::CallbackServerContext* context, const v1::AssignTargetDepartmentRequest* request,
    v1::DepartmentAssignment* response) {
  // Who answers for a target is the district's call, not a department's.
  return calls_.Serve(context, Access{Role::kAdmin, "AssignTargetDepartment"},
                      [=, this](const Identity& caller) {
                        return FillResponse(values_->Assign(caller, *request), response);
                      });
}

grpc::ServerUnaryReactor* PortfolioService::ListDepartmentAssignments(
    grpc::CallbackServerContext* context, const v1::ListDepartmentAssignmentsRequest* request,
    v1::ListDepartmentAssignmentsResponse* response) {
  return calls_.Serve(context, ReadAccess("ListDepartmentAssignments"),
                      [=, this](const Identity&) {
                        return values_->ListAssignments(*request, response);
                      });
}

grpc::ServerUnaryReactor* TargetValuesService::RecordTargetValue(
    grpc::CallbackServerContext* context,
    const target_values::v1::RecordTargetValueRequest* request,
    target_values::v1::TargetValue* response) {
  return calls_.Serve(context, WriteAccess("RecordTargetValue"), [=, this](const Identity& caller) {
    return FillResponse(store_->Record(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* TargetValuesService::ListTargetValues(
    grpc::CallbackServerContext* context, const target_values::v1::ListTargetValuesRequest* request,
    target_values::v1::ListTargetValuesResponse* response) {
  return calls_.Serve(context, ReadAccess("ListTargetValues"), [=, this](const Identity&) {
    return store_->List(*request, response);
  });
}

}  // namespace jiangan::targets
