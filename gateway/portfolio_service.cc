#include "gateway/portfolio_service.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/file_util.h"
#include "common/pagination.h"
#include "common/resource_name.h"
#include "common/status.h"

namespace jiangan::gateway {

namespace v1 = portfolio::v1;

absl::StatusOr<std::unique_ptr<PortfolioService>> PortfolioService::FromFile(
    const std::string& path) {
  v1::ListTargetsResponse targets;
  if (absl::Status read = ReadJsonFile(path, &targets); !read.ok()) return read;
  absl::flat_hash_set<std::string> seen;
  for (const v1::Target& target : targets.targets()) {
    auto id = ParseResourceName(target.name(), "targets", "targets.name");
    if (!id.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": ", id.status().message()));
    if (!seen.insert(target.name()).second) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", target.name(), " twice"));
    }
  }
  return std::unique_ptr<PortfolioService>(new PortfolioService(std::move(targets)));
}

grpc::ServerUnaryReactor* PortfolioService::GetTarget(
    grpc::CallbackServerContext* context, const v1::GetTargetRequest* request,
    v1::Target* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto id = ParseResourceName(request->name(), "targets", "name");
  if (!id.ok()) {
    reactor->Finish(ToGrpcStatus(id.status()));
    return reactor;
  }
  for (const v1::Target& target : targets_.targets()) {
    if (target.name() == request->name()) {
      *response = target;
      reactor->Finish(grpc::Status::OK);
      return reactor;
    }
  }
  reactor->Finish(grpc::Status(grpc::NOT_FOUND,
                               absl::StrCat(request->name(), " does not exist")));
  return reactor;
}

grpc::ServerUnaryReactor* PortfolioService::ListTargets(
    grpc::CallbackServerContext* context, const v1::ListTargetsRequest* request,
    v1::ListTargetsResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto size = ResolvePageSize(request->page_size());
  const uint64_t query = QueryFingerprint(*request);
  auto after = size.ok() ? DecodePageToken(request->page_token(), query)
                         : absl::StatusOr<int64_t>(size.status());
  if (!after.ok()) {
    reactor->Finish(ToGrpcStatus(after.status()));
    return reactor;
  }
  // Positions are 1-based so that token 0 means "from the start".
  const int64_t total = targets_.targets_size();
  int64_t position = *after;
  for (; position < total && response->targets_size() < *size; ++position) {
    *response->add_targets() = targets_.targets(static_cast<int>(position));
  }
  if (position < total) response->set_next_page_token(EncodePageToken(position, query));
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace jiangan::gateway
