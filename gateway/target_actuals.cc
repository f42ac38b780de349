#include "gateway/target_actuals.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/base/civil_date.h"
#include "common/base/status.h"
#include "common/base/status_macros.h"
#include "common/runtime/api_catalog.h"
#include "jiangan/facilities/v1/facilities.grpc.pb.h"
#include "jiangan/investment/v1/investment.grpc.pb.h"
#include "jiangan/renewal/v1/renewal.grpc.pb.h"

namespace jiangan::gateway {
namespace {

namespace renewal_v1 = renewal::v1;
namespace investment_v1 = investment::v1;
namespace facilities_v1 = facilities::v1;

absl::Status BadRule(absl::string_view rule, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("rule: \"", rule, "\" ", why));
}

// Parses enum value names of `Enum` separated by commas.
template <typename Enum, typename Parse>
absl::StatusOr<std::vector<int>> ParseKinds(absl::string_view rule, absl::string_view list,
                                            Parse parse) {
  std::vector<int> kinds;
  for (absl::string_view name : absl::StrSplit(list, ',')) {
    Enum value;
    if (!parse(std::string(name), &value) || static_cast<int>(value) == 0) {
      return BadRule(rule, absl::StrCat("names \"", name, "\", not a kind"));
    }
    kinds.push_back(static_cast<int>(value));
  }
  return kinds;
}

// What a call to a service needs: the caller's signed identity, the deadline.
std::unique_ptr<grpc::ClientContext> ContextFor(const IdentitySigner& signer,
                                                const Identity& caller, absl::Time deadline) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(deadline));
  for (const auto& [key, value] : signer.SignReusing(caller, absl::Now())) {
    context->AddMetadata(key, value);
  }
  return context;
}

void SetYear(int year, type::v1::Date* start, type::v1::Date* end) {
  *start = FromCivilDay(absl::CivilDay(year, 1, 1));
  *end = FromCivilDay(absl::CivilDay(year, 12, 31));
}

absl::Status FromGrpc(const grpc::Status& status, absl::string_view service) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(service, ": ", status.error_message()));
}

// A sum of integers as a decimal, divided exactly when asked.
std::string Decimal(int64_t value, int64_t divisor) {
  if (divisor == 1) return absl::StrCat(value);
  return absl::StrFormat("%.2f", static_cast<double>(value) / static_cast<double>(divisor));
}

}  // namespace

absl::StatusOr<TargetRule> ParseTargetRule(absl::string_view rule) {
  const std::vector<std::string> parts = absl::StrSplit(rule, ':');
  TargetRule parsed;
  const std::string& what = parts[0];
  if (what == "renewal.reported" && parts.size() == 2) {
    parsed.source = TargetRule::Source::kRenewalReported;
    std::vector<std::string> field = absl::StrSplit(parts[1], '/');
    if (renewal_v1::Quantities::descriptor()->FindFieldByName(field[0]) == nullptr) {
      return BadRule(rule, absl::StrCat("names \"", field[0], "\", not a Quantities field"));
    }
    parsed.field = field[0];
    if (field.size() == 2 && (!absl::SimpleAtoi(field[1], &parsed.divisor) || parsed.divisor < 1)) {
      return BadRule(rule, "divides by something other than a positive integer");
    }
    if (field.size() > 2) return BadRule(rule, "divides twice");
    return parsed;
  }
  if (what == "renewal.entered" && parts.size() == 3) {
    parsed.source = TargetRule::Source::kRenewalEntered;
    renewal_v1::ProjectPhase phase;
    if (!renewal_v1::ProjectPhase_Parse(parts[1], &phase) || phase == 0) {
      return BadRule(rule, absl::StrCat("names \"", parts[1], "\", not a ProjectPhase"));
    }
    parsed.entered = phase;
    ASSIGN_OR_RETURN(parsed.kinds, ParseKinds<renewal_v1::ProjectKind>(
                                       rule, parts[2], renewal_v1::ProjectKind_Parse));
    return parsed;
  }
  if (what == "investment.arrived" && parts.size() == 1) {
    parsed.source = TargetRule::Source::kInvestmentArrived;
    return parsed;
  }
  if (what == "investment.entered" && parts.size() == 3) {
    parsed.source = TargetRule::Source::kInvestmentEntered;
    investment_v1::Stage stage;
    if (!investment_v1::Stage_Parse(parts[1], &stage) || stage == 0) {
      return BadRule(rule, absl::StrCat("names \"", parts[1], "\", not a Stage"));
    }
    parsed.entered = stage;
    if (parts[2] != "key_enterprise" && parts[2] != "head_enterprise") {
      return BadRule(rule, "counts leads flagged key_enterprise or head_enterprise only");
    }
    parsed.field = parts[2];
    return parsed;
  }
  if ((what == "facilities.added" || what == "facilities.opened") && parts.size() == 2) {
    parsed.source = what == "facilities.added" ? TargetRule::Source::kFacilitiesAdded
                                               : TargetRule::Source::kFacilitiesOpened;
    ASSIGN_OR_RETURN(parsed.kinds, ParseKinds<facilities_v1::FacilityKind>(
                                       rule, parts[1], facilities_v1::FacilityKind_Parse));
    return parsed;
  }
  return BadRule(rule, "is not a rule this gateway knows; see target_actuals.h");
}

absl::StatusOr<TargetActual> TargetActuals::Compute(const portfolio::v1::Target& target,
                                                    const Identity& caller,
                                                    absl::Time deadline) const {
  ASSIGN_OR_RETURN(const TargetRule rule, ParseTargetRule(target.rule()));
  const ApiCatalog& apis = Apis();
  const google::protobuf::ServiceDescriptor* service =
      target.measured_by() == "renewal"      ? apis.renewal
      : target.measured_by() == "investment" ? apis.investment
                                             : apis.facilities;
  std::shared_ptr<grpc::Channel> channel = backends_->ChannelFor(service->full_name());
  if (channel == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(service->full_name(), " is not configured"));
  }
  auto context = ContextFor(*signer_, caller, deadline);
  switch (rule.source) {
    case TargetRule::Source::kRenewalReported:
    case TargetRule::Source::kRenewalEntered: {
      renewal_v1::SummarizeProjectsRequest request;
      SetYear(target.year(), request.mutable_window_start(), request.mutable_window_end());
      request.add_group_by(renewal_v1::BY_SUB_DISTRICT);
      for (int kind : rule.kinds) request.mutable_filter()->add_kinds(static_cast<renewal_v1::ProjectKind>(kind));
      renewal_v1::SummarizeProjectsResponse response;
      RETURN_IF_ERROR(FromGrpc(renewal_v1::RenewalService::NewStub(channel)->SummarizeProjects(
                                   context.get(), request, &response),
                               "renewal"));
      int64_t total = 0;
      TargetActual actual;
      for (const renewal_v1::ProjectGroup& group : response.groups()) {
        int64_t value = 0;
        if (rule.source == TargetRule::Source::kRenewalReported) {
          const auto* field = renewal_v1::Quantities::descriptor()->FindFieldByName(rule.field);
          value = group.window_achieved().GetReflection()->GetInt64(group.window_achieved(), field);
        } else {
          for (const renewal_v1::PhaseEntries& entries : group.window_phase_entries()) {
            if (entries.phase() == rule.entered) value += entries.count();
          }
        }
        total += value;
        actual.by_sub_district.emplace_back(group.sub_district(), Decimal(value, rule.divisor));
      }
      actual.total = Decimal(total, rule.divisor);
      return actual;
    }
    case TargetRule::Source::kInvestmentArrived:
    case TargetRule::Source::kInvestmentEntered: {
      investment_v1::SummarizeLeadsRequest request;
      SetYear(target.year(), request.mutable_window_start(), request.mutable_window_end());
      if (rule.field == "key_enterprise") request.mutable_filter()->set_key_enterprise(true);
      if (rule.field == "head_enterprise") request.mutable_filter()->set_head_enterprise(true);
      investment_v1::SummarizeLeadsResponse response;
      RETURN_IF_ERROR(FromGrpc(investment_v1::InvestmentService::NewStub(channel)->SummarizeLeads(
                                   context.get(), request, &response),
                               "investment"));
      int64_t total = 0;
      for (const investment_v1::LeadGroup& group : response.groups()) {
        if (rule.source == TargetRule::Source::kInvestmentArrived) {
          total += group.window_arrived_yuan();
        } else {
          for (const investment_v1::StageEntries& entries : group.window_stage_entries()) {
            if (entries.stage() == rule.entered) total += entries.count();
          }
        }
      }
      return TargetActual{Decimal(total, 1), {}};
    }
    case TargetRule::Source::kFacilitiesAdded:
    case TargetRule::Source::kFacilitiesOpened: {
      facilities_v1::SummarizeFacilitiesRequest request;
      SetYear(target.year(), request.mutable_period_start(), request.mutable_period_end());
      request.add_group_by(facilities_v1::BY_SUB_DISTRICT);
      for (int kind : rule.kinds) {
        request.mutable_filter()->add_kinds(static_cast<facilities_v1::FacilityKind>(kind));
      }
      facilities_v1::SummarizeFacilitiesResponse response;
      RETURN_IF_ERROR(FromGrpc(facilities_v1::FacilitiesService::NewStub(channel)
                                   ->SummarizeFacilities(context.get(), request, &response),
                               "facilities"));
      int64_t total = 0;
      TargetActual actual;
      for (const facilities_v1::FacilityGroup& group : response.groups()) {
        int64_t value = 0;
        if (rule.source == TargetRule::Source::kFacilitiesOpened) {
          value = group.opened_count();
        } else {
          for (const facilities_v1::CapacityTotal& capacity : group.capacities()) {
            value += capacity.added();
          }
        }
        total += value;
        actual.by_sub_district.emplace_back(group.sub_district(), Decimal(value, 1));
      }
      actual.total = Decimal(total, 1);
      return actual;
    }
  }
  return absl::InternalError("unreachable");
}

}  // namespace jiangan::gateway
