#include "gateway/reported_values.h"

#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/status_macros.h"
#include "common/runtime/api_catalog.h"
#include "gateway/service_call.h"
#include "jiangan/target_values/v1/target_values.grpc.pb.h"

namespace jiangan::gateway {
namespace {

// Values are few (a target is reported monthly or quarterly); this bounds
// the pages read should that ever stop being so.
constexpr int kMaxPages = 100;

}  // namespace

const TargetValue* StandingValue(absl::Span<const TargetValue> values, absl::CivilDay day) {
  const TargetValue* standing = nullptr;
  absl::CivilDay standing_day;
  for (const TargetValue& value : values) {
    const std::optional<absl::CivilDay> as_of = ToCivilDay(value.as_of());
    if (!as_of.has_value() || *as_of > day) continue;
    // Later records win ties: values come oldest record first.
    if (standing == nullptr || *as_of >= standing_day) {
      standing = &value;
      standing_day = *as_of;
    }
  }
  return standing;
}

std::string TargetOfValue(const TargetValue& value) {
  const size_t children = value.name().find("/values/");
  return children == std::string::npos ? "" : value.name().substr(0, children);
}

absl::StatusOr<std::vector<TargetValue>> ReportedValues::Fetch(const std::string& parent,
                                                               const Identity& caller,
                                                               absl::Time deadline) const {
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel,
                   backends_->ChannelFor(Apis().target_values->full_name()));
  auto stub = target_values::v1::TargetValuesService::NewStub(channel);
  std::vector<TargetValue> values;
  target_values::v1::ListTargetValuesRequest request;
  request.set_parent(parent);
  request.set_page_size(1000);
  for (int page = 0; page < kMaxPages; ++page) {
    target_values::v1::ListTargetValuesResponse response;
    auto context = ContextFor(*signer_, caller, deadline);
    RETURN_IF_ERROR(
        FromGrpc(stub->ListTargetValues(context.get(), request, &response), "target values"));
    for (TargetValue& value : *response.mutable_target_values()) values.push_back(std::move(value));
    if (response.next_page_token().empty()) return values;
    request.set_page_token(response.next_page_token());
  }
  return absl::ResourceExhaustedError(
      absl::StrCat("target values: more than ", kMaxPages, " pages of values for ", parent));
}

}  // namespace jiangan::gateway
