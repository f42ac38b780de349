#include "gateway/portfolio_service.h"

#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/pagination.h"
#include "common/resource_name.h"
#include "common/status.h"
#include "google/protobuf/util/json_util.h"

namespace jiangan::gateway {

namespace v1 = portfolio::v1;

absl::StatusOr<std::unique_ptr<PortfolioService>> PortfolioService::FromFile(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read targets file ", path));
  std::stringstream text;
  text << in.rdbuf();
  v1::ListTargetsResponse targets;
  auto parsed = google::protobuf::util::JsonStringToMessage(text.str(), &targets);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a ListTargetsResponse: ", parsed.ToString()));
  }
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
