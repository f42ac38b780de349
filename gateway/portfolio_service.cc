#include "gateway/portfolio_service.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/resource_name.h"
#include "common/base/status.h"
#include "common/base/status_macros.h"
#include "gateway/target_catalog.h"

namespace jiangan::gateway {

namespace v1 = portfolio::v1;

absl::StatusOr<std::unique_ptr<PortfolioService>> PortfolioService::FromFile(
    const std::string& path, const CallerAuthority* authority, const TargetActuals* actuals,
    Executor* executor, PortfolioOptions options) {
  ASSIGN_OR_RETURN(v1::ListTargetsResponse targets, LoadTargetCatalog(path));
  return std::unique_ptr<PortfolioService>(new PortfolioService(
      std::move(targets), authority, actuals, executor, std::move(options)));
}

grpc::ServerUnaryReactor* PortfolioService::GetTarget(grpc::CallbackServerContext* context,
                                                      const v1::GetTargetRequest* request,
                                                      v1::Target* response) {
  return calls_.Serve(context, ReadAccess("GetTarget"), [=, this](const Identity& caller) {
    return Get(caller, DeadlineOf(*context), *request, response);
  });
}

grpc::ServerUnaryReactor* PortfolioService::ListTargets(grpc::CallbackServerContext* context,
                                                        const v1::ListTargetsRequest* request,
                                                        v1::ListTargetsResponse* response) {
  return calls_.Serve(context, ReadAccess("ListTargets"), [=, this](const Identity& caller) {
    return List(caller, DeadlineOf(*context), *request, response);
  });
}

absl::Time PortfolioService::DeadlineOf(const grpc::CallbackServerContext& context) const {
  // The caller's deadline holds for the services too; a call without one
  // gets the services' own limit.
  return std::min(absl::FromChrono(context.deadline()), absl::Now() + options_.service_deadline);
}

void PortfolioService::Present(const Identity& caller, absl::Time deadline,
                               v1::Target* target) const {
  if (target->measurement() != v1::COMPUTED) {
    target->set_health_reason("reported by hand: no value reported yet");
    return;
  }
  absl::StatusOr<TargetActual> actual = actuals_->Compute(*target, caller, deadline);
  if (!actual.ok()) {
    // One service down leaves the other targets readable.
    target->set_health_reason(absl::StrCat("not known: ", actual.status().message()));
    return;
  }
  target->set_actual_value(actual->total);
  for (const auto& [sub_district, value] : actual->by_sub_district) {
    v1::SubDistrictActual* share = target->add_breakdown();
    share->set_sub_district(sub_district);
    share->set_actual_value(value);
  }
  absl::StatusOr<TargetProgress> progress =
      AssessProgress(*target, actual->total, ChinaDayOf(absl::Now()), options_.thresholds);
  if (!progress.ok()) {
    target->set_health_reason(std::string(progress.status().message()));
    return;
  }
  target->set_percent_of_target(progress->percent_of_target);
  target->set_pace_percent(progress->pace_percent);
  target->set_health(progress->health == TargetHealth::kGreen   ? v1::GREEN
                     : progress->health == TargetHealth::kAmber ? v1::AMBER
                                                                : v1::RED);
  target->set_health_reason(progress->reason);
}

absl::Status PortfolioService::Get(const Identity& caller, absl::Time deadline,
                                   const v1::GetTargetRequest& request,
                                   v1::Target* response) const {
  RETURN_IF_ERROR(ParseResourceName(request.name(), "targets", "name").status());
  for (const v1::Target& target : targets_.targets()) {
    if (target.name() == request.name()) {
      *response = target;
      Present(caller, deadline, response);
      return absl::OkStatus();
    }
  }
  return absl::NotFoundError(absl::StrCat(request.name(), " does not exist"));
}

absl::Status PortfolioService::List(const Identity& caller, absl::Time deadline,
                                    const v1::ListTargetsRequest& request,
                                    v1::ListTargetsResponse* response) const {
  ASSIGN_OR_RETURN(const int size, ResolvePageSize(request.page_size()));
  const uint64_t query = QueryFingerprint(request);
  ASSIGN_OR_RETURN(const std::string cursor, page_tokens_.Decode(request.page_token(), query));
  // The cursor is the position the page starts at; signed, so it parses.
  int64_t position = 0;
  if (!cursor.empty() && !absl::SimpleAtoi(cursor, &position)) position = 0;
  const int64_t total = targets_.targets_size();
  for (; position < total && response->targets_size() < size; ++position) {
    v1::Target* target = response->add_targets();
    *target = targets_.targets(static_cast<int>(position));
    Present(caller, deadline, target);
  }
  if (position < total) {
    response->set_next_page_token(page_tokens_.Encode(absl::StrCat(position), query));
  }
  return absl::OkStatus();
}

}  // namespace jiangan::gateway
