// The gateway's own API, jiangan.portfolio.v1: the district's targets from
// the catalog (target_catalog.h), each shown with its actual, computed from
// its service's records as the caller reads it (target_actuals.h), and how
// far it is (target_progress.h).
#ifndef JIANGAN_GATEWAY_PORTFOLIO_SERVICE_H_
#define JIANGAN_GATEWAY_PORTFOLIO_SERVICE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/base/pagination.h"
#include "common/identity/identity.h"
#include "common/runtime/executor.h"
#include "common/runtime/verified_call.h"
#include "gateway/target_actuals.h"
#include "gateway/target_progress.h"
#include "jiangan/portfolio/v1/portfolio.grpc.pb.h"

namespace jiangan::gateway {

struct PortfolioOptions {
  // Signs page tokens.
  std::string page_token_key;
  ProgressThresholds thresholds;
  // How long the services may take for a call without a deadline.
  absl::Duration service_deadline = absl::Seconds(5);
};

class PortfolioService final : public portfolio::v1::PortfolioService::CallbackService {
 public:
  // Reads the catalog at `path`. Callers are identified by `authority`;
  // actuals come from `actuals`; calls run on `executor`, as they wait for
  // the services. All three must outlive the service.
  static absl::StatusOr<std::unique_ptr<PortfolioService>> FromFile(
      const std::string& path, const CallerAuthority* authority, const TargetActuals* actuals,
      Executor* executor, PortfolioOptions options);

  grpc::ServerUnaryReactor* GetTarget(grpc::CallbackServerContext* context,
                                      const portfolio::v1::GetTargetRequest* request,
                                      portfolio::v1::Target* response) override;
  grpc::ServerUnaryReactor* ListTargets(grpc::CallbackServerContext* context,
                                        const portfolio::v1::ListTargetsRequest* request,
                                        portfolio::v1::ListTargetsResponse* response) override;

 private:
  PortfolioService(portfolio::v1::ListTargetsResponse targets, const CallerAuthority* authority,
                   const TargetActuals* actuals, Executor* executor, PortfolioOptions options)
      : targets_(std::move(targets)),
        actuals_(actuals),
        options_(std::move(options)),
        page_tokens_(options_.page_token_key),
        calls_(authority, executor) {}

  absl::Status Get(const Identity& caller, absl::Time deadline,
                   const portfolio::v1::GetTargetRequest& request,
                   portfolio::v1::Target* response) const;
  absl::Status List(const Identity& caller, absl::Time deadline,
                    const portfolio::v1::ListTargetsRequest& request,
                    portfolio::v1::ListTargetsResponse* response) const;
  // When the services must have answered for a call with `context`.
  absl::Time DeadlineOf(const grpc::CallbackServerContext& context) const;
  // Fills the target's actual and progress as of now, asked as `caller` of
  // the services, who must answer by `deadline`.
  void Present(const Identity& caller, absl::Time deadline, portfolio::v1::Target* target) const;

  // Immutable after construction, so handlers read it without locks.
  const portfolio::v1::ListTargetsResponse targets_;
  const TargetActuals* const actuals_;
  const PortfolioOptions options_;
  const SignedPageTokens page_tokens_;
  const VerifiedCalls calls_;
};

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_PORTFOLIO_SERVICE_H_
