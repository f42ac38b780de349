#include "gateway/portfolio_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/pagination.h"
#include "common/base/resource_name.h"
#include "common/base/status.h"
#include "common/base/status_macros.h"
#include "gateway/target_catalog.h"

namespace jiangan::gateway {

namespace v1 = portfolio::v1;

absl::StatusOr<std::unique_ptr<PortfolioService>> PortfolioService::FromFile(
    const std::string& path, const CallerAuthority* authority, std::string page_token_key) {
  ASSIGN_OR_RETURN(v1::ListTargetsResponse targets, LoadTargetCatalog(path));
  return std::unique_ptr<PortfolioService>(new PortfolioService(std::move(targets), authority, std::move(page_token_key)));
}

grpc::ServerUnaryReactor* PortfolioService::GetTarget(
    grpc::CallbackServerContext* context, const v1::GetTargetRequest* request,
    v1::Target* response) {
  return calls_.Serve(context, ReadAccess("GetTarget"),
                      [=, this](const Identity&) { return Get(*request, response); });
}

grpc::ServerUnaryReactor* PortfolioService::ListTargets(
    grpc::CallbackServerContext* context, const v1::ListTargetsRequest* request,
    v1::ListTargetsResponse* response) {
  return calls_.Serve(context, ReadAccess("ListTargets"),
                      [=, this](const Identity&) { return List(*request, response); });
}

absl::Status PortfolioService::Get(const v1::GetTargetRequest& request,
                                   v1::Target* response) const {
  RETURN_IF_ERROR(ParseResourceName(request.name(), "targets", "name").status());
  for (const v1::Target& target : targets_.targets()) {
    if (target.name() == request.name()) {
      *response = target;
      return absl::OkStatus();
    }
  }
  return absl::NotFoundError(absl::StrCat(request.name(), " does not exist"));
}

absl::Status PortfolioService::List(const v1::ListTargetsRequest& request,
                                    v1::ListTargetsResponse* response) const {
  ASSIGN_OR_RETURN(const int size, ResolvePageSize(request.page_size()));
  const uint64_t query = QueryFingerprint(request);
  ASSIGN_OR_RETURN(const std::string cursor, page_tokens_.Decode(request.page_token(), query));
  // The cursor is the position the page starts at; signed, so it parses.
  int64_t position = 0;
  if (!cursor.empty() && !absl::SimpleAtoi(cursor, &position)) position = 0;
  const int64_t total = targets_.targets_size();
  for (; position < total && response->targets_size() < size; ++position) {
    *response->add_targets() = targets_.targets(static_cast<int>(position));
  }
  if (position < total) {
    response->set_next_page_token(page_tokens_.Encode(absl::StrCat(position), query));
  }
  return absl::OkStatus();
}

}  // namespace jiangan::gateway
