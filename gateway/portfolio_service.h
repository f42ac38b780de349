// The gateway's own API, jiangan.portfolio.v1: the district's targets from
// the catalog (common/targets/target_catalog.h), each shown with its actual,
// computed from its service's records as the caller reads it
// (target_actuals.h) or reported by hand (reported_values.h), and how far it
// is (target_progress.h).
#ifndef JIANGAN_GATEWAY_PORTFOLIO_SERVICE_H_
#define JIANGAN_GATEWAY_PORTFOLIO_SERVICE_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/base/pagination.h"
#include "common/identity/identity.h"
#include "common/runtime/executor.h"
#include "common/runtime/verified_call.h"
#include "gateway/reported_values.h"
#include "gateway/response_cache.h"
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
  // actuals come from `actuals` and `reported`; answers are kept in `cache`
  // (null: not kept); calls run on `executor`, as they wait for the
  // services. All must outlive the service.
  static absl::StatusOr<std::unique_ptr<PortfolioService>> FromFile(
      const std::string& path, const CallerAuthority* authority, const TargetActuals* actuals,
      const ReportedValues* reported, ResponseCache* cache, Executor* executor,
      PortfolioOptions options);

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

 private:
  PortfolioService(portfolio::v1::ListTargetsResponse targets, const CallerAuthority* authority,
                   const TargetActuals* actuals, const ReportedValues* reported,
                   ResponseCache* cache, Executor* executor, PortfolioOptions options)
      : targets_(std::move(targets)),
        cache_(cache),
        actuals_(actuals),
        reported_(reported),
        options_(std::move(options)),
        page_tokens_(options_.page_token_key),
        calls_(authority, executor) {}

  // Each answer's `complete` is set to false when a service could not
  // answer part of it.
  absl::Status Get(const Identity& caller, absl::Time deadline,
                   const portfolio::v1::GetTargetRequest& request,
                   portfolio::v1::Target* response, bool* complete) const;
  absl::Status List(const Identity& caller, absl::Time deadline,
                    const portfolio::v1::ListTargetsRequest& request,
                    portfolio::v1::ListTargetsResponse* response, bool* complete) const;
  absl::Status ListContributions(const Identity& caller, absl::Time deadline,
                                 const portfolio::v1::ListTargetContributionsRequest& request,
                                 portfolio::v1::ListTargetContributionsResponse* response) const;
  // The catalog's target named `name` (request field `field`):
  // INVALID_ARGUMENT for a malformed name, NOT_FOUND for an unknown one.
  absl::StatusOr<const portfolio::v1::Target*> FindTarget(const std::string& name,
                                                          absl::string_view field) const;
  absl::Status Export(const Identity& caller, absl::Time deadline,
                      const portfolio::v1::ExportTargetsRequest& request,
                      type::v1::File* response, bool* complete) const;
  // Presents the targets from catalog position `*position` on that `filter`
  // selects, until `out` holds `size`; `*position` ends past the last one
  // looked at.
  absl::Status Collect(const Identity& caller, absl::Time deadline,
                       const portfolio::v1::TargetFilter& filter, int size, int64_t* position,
                       google::protobuf::RepeatedPtrField<portfolio::v1::Target>* out,
                       bool* complete) const;
  // The answer to `request` of `method` from the cache of target answers,
  // else `compute(bool* complete)`'s, which is kept when complete. Every
  // answer lives under one cache name (kTargetAnswersName), one field per
  // method, request and China day (the pace moves daily), so the write that
  // the forwarder invalidates it on drops them all before it is
  // acknowledged.
  absl::Status Answer(grpc::CallbackServerContext* context, absl::string_view method,
                      const google::protobuf::Message& request,
                      google::protobuf::Message* response,
                      const std::function<absl::Status(bool* complete)>& compute) const;
  // When the services must have answered for a call with `context`.
  absl::Time DeadlineOf(const grpc::CallbackServerContext& context) const;
  // What a call asks of the services: who asks, by when, and for which day.
  struct Reading {
    const Identity& caller;
    absl::Time deadline;
    absl::CivilDay today;
    // Set to false when a service could not answer: such an answer is not
    // kept in the cache.
    bool* complete;
  };
  // Fills COMPUTED `target`'s actual, progress and (with `trend`) its
  // month-end actuals, asked of its service.
  void PresentComputed(const Reading& reading, bool trend, portfolio::v1::Target* target) const;
  // Fills REPORTED `target`'s standing value, progress and (with `trend`)
  // month-end values from its `values`, oldest record first; `fetched` is
  // the service's error when it could not answer.
  void PresentReported(const Reading& reading, const absl::Status& fetched,
                       absl::Span<const TargetValue> values, bool trend,
                       portfolio::v1::Target* target) const;
  // Sets progress and health of `target` for `actual` as of `as_of`.
  void Assess(const std::string& actual, absl::CivilDay as_of,
              portfolio::v1::Target* target) const;

  // Immutable after construction, so handlers read it without locks.
  const portfolio::v1::ListTargetsResponse targets_;
  ResponseCache* const cache_;  // null: no caching
  const TargetActuals* const actuals_;
  const ReportedValues* const reported_;
  const PortfolioOptions options_;
  const SignedPageTokens page_tokens_;
  const VerifiedCalls calls_;
};

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_PORTFOLIO_SERVICE_H_
