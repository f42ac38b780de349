// The gateway's own district-level API. For now: the 2024 targets of the
// work report, read from a JSON file at start-up and served from memory.
#ifndef JIANGAN_GATEWAY_PORTFOLIO_SERVICE_H_
#define JIANGAN_GATEWAY_PORTFOLIO_SERVICE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/identity/identity.h"
#include "common/base/pagination.h"
#include "common/runtime/verified_call.h"
#include "jiangan/portfolio/v1/portfolio.grpc.pb.h"

namespace jiangan::gateway {

class PortfolioService final : public portfolio::v1::PortfolioService::CallbackService {
 public:
  // Reads targets from `path`: a ListTargetsResponse in proto3 JSON. Every
  // target must have a unique `targets/{id}` name.
  // Callers are identified by `authority`, which must outlive the service.
  // `page_token_key` signs page tokens.
  static absl::StatusOr<std::unique_ptr<PortfolioService>> FromFile(
      const std::string& path, const CallerAuthority* authority, std::string page_token_key);

  grpc::ServerUnaryReactor* GetTarget(grpc::CallbackServerContext* context,
                                      const portfolio::v1::GetTargetRequest* request,
                                      portfolio::v1::Target* response) override;
  grpc::ServerUnaryReactor* ListTargets(grpc::CallbackServerContext* context,
                                        const portfolio::v1::ListTargetsRequest* request,
                                        portfolio::v1::ListTargetsResponse* response) override;

 private:
  PortfolioService(portfolio::v1::ListTargetsResponse targets, const CallerAuthority* authority,
                   std::string page_token_key)
      : targets_(std::move(targets)),
        page_tokens_(std::move(page_token_key)),
        calls_(authority, /*executor=*/nullptr) {}

  absl::Status Get(const portfolio::v1::GetTargetRequest& request,
                   portfolio::v1::Target* response) const;
  absl::Status List(const portfolio::v1::ListTargetsRequest& request,
                    portfolio::v1::ListTargetsResponse* response) const;

  // Immutable after construction, so handlers read it without locks; the
  // work is in memory, so calls run inline.
  const portfolio::v1::ListTargetsResponse targets_;
  const SignedPageTokens page_tokens_;
  const VerifiedCalls calls_;
};

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_PORTFOLIO_SERVICE_H_
