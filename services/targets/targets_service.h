// The gRPC faces of the targets service, one per API it serves: each RPC is
// one verified call (identity and role checked, then run on the executor).
// jiangan.portfolio.v1 answers through TargetAnswers, asking the services
// as the caller, and keeps department assignments in the store;
// jiangan.target_values.v1 goes to the store.
#ifndef JIANGAN_SERVICES_TARGETS_TARGETS_SERVICE_H_
#define JIANGAN_SERVICES_TARGETS_TARGETS_SERVICE_H_

#include <memory>

#include "absl/time/time.h"
#include "common/identity/identity.h"
#include "common/runtime/executor.h"
#include "common/runtime/verified_call.h"
#include "jiangan/portfolio/v1/portfolio.grpc.pb.h"
#include "jiangan/target_values/v1/target_values.grpc.pb.h"
#include "services/targets/target_actuals.h"
#include "services/targets/target_answers.h"
#include "services/targets/target_store.h"

namespace jiangan::targets {

class PortfolioService final : public portfolio::v1::PortfolioService::CallbackService {
 public:
  // Answers from the catalog and values in `store` and the records behind
  // `actuals`. Calls to the services made for a call without a deadline end
  // within `service_timeout`. `executor` must outlive the service.
  PortfolioService(std::shared_ptr<TargetStore> store, std::unique_ptr<TargetActuals> actuals,
                   AnswerOptions options, const std::string& identity_key, Executor* executor,
                   absl::Duration service_timeout)
      : values_(std::move(store)),
        actuals_(std::move(actuals)),
        answers_(actuals_.get(), values_.get(), std::move(options)),
        verifier_(identity_key),
        signer_(identity_key),
        calls_(&verifier_, executor),
        service_timeout_(service_timeout) {}

  grpc::ServerUnaryReactor* GetTarget(grpc::CallbackServerContext* context,
                                      const portfolio::v1::GetTargetRequest* request,
                                      portfolio::v1::Target* response) override;
  grpc::ServerUnaryReactor* ListTargets(grpc::CallbackServerContext* context,
                                        const portfolio::v1::ListTargetsRequest* request,
                                        portfolio::v1::ListTargetsResponse* response) override;
  grpc::ServerUnaryReactor* ListTargetContributions(
      grpc::CallbackServerContext* context,
      const portfolio::v1::ListTargetContributionsRequest* request,
      portfolio::v1::ListTargetContributionsResponse* response) override;
  grpc::ServerUnaryReactor* ExportTargets(grpc::CallbackServerContext* context,
                                          const portfolio::v1::ExportTargetsRequest* request,
                                          type::v1::File* response) override;
  grpc::ServerUnaryReactor* CreateTarget(grpc::CallbackServerContext* context,
                                         const portfolio::v1::CreateTargetRequest* request,
                                         portfolio::v1::Target* response) override;
  grpc::ServerUnaryReactor* UpdateTarget(grpc::CallbackServerContext* context,
                                         const portfolio::v1::UpdateTargetRequest* request,
                                         portfolio::v1::Target* response) override;
  grpc::ServerUnaryReactor* ListTargetHistory(
      grpc::CallbackServerContext* context,
      const portfolio::v1::ListTargetHistoryRequest* request,
      portfolio::v1::ListTargetHistoryResponse* response) override;
  grpc::ServerUnaryReactor* AssignTargetDepartment(
      grpc::CallbackServerContext* context,
      const portfolio::v1::AssignTargetDepartmentRequest* request,
      portfolio::v1::DepartmentAssignment* response) override;
  grpc::ServerUnaryReactor* ListDepartmentAssignments(
      grpc::CallbackServerContext* context,
      const portfolio::v1::ListDepartmentAssignmentsRequest* request,
      portfolio::v1::ListDepartmentAssignmentsResponse* response) override;

 private:
  // The one step of every RPC: a verified read whose work asks the
  // services as the caller.
  template <typename Work>
  grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* context, absl::string_view method,
                                   Work work) {
    return calls_.Serve(context, ReadAccess(method), [=, this](const Identity& caller) {
      return work(ServiceCaller(&signer_, context, caller, service_timeout_));
    });
  }

  const std::shared_ptr<TargetStore> values_;
  const std::unique_ptr<TargetActuals> actuals_;
  const TargetAnswers answers_;
  const IdentityVerifier verifier_;
  const IdentitySigner signer_;
  const VerifiedCalls calls_;
  const absl::Duration service_timeout_;
};

class TargetValuesService final : public target_values::v1::TargetValuesService::CallbackService {
 public:
  // `executor` must outlive the service.
  TargetValuesService(std::shared_ptr<TargetStore> store, const std::string& identity_key,
                      Executor* executor)
      : store_(std::move(store)), verifier_(identity_key), calls_(&verifier_, executor) {}

  grpc::ServerUnaryReactor* RecordTargetValue(
      grpc::CallbackServerContext* context,
      const target_values::v1::RecordTargetValueRequest* request,
      target_values::v1::TargetValue* response) override;
  grpc::ServerUnaryReactor* ListTargetValues(
      grpc::CallbackServerContext* context,
      const target_values::v1::ListTargetValuesRequest* request,
      target_values::v1::ListTargetValuesResponse* response) override;

 private:
  const std::shared_ptr<TargetStore> store_;
  const IdentityVerifier verifier_;
  const VerifiedCalls calls_;
};

}  // namespace jiangan::targets

#endif  // JIANGAN_SERVICES_TARGETS_TARGETS_SERVICE_H_
