#include "services/targets/target_actuals.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/base/civil_date.h"
#include "common/base/status.h"
#include "common/base/status_macros.h"

namespace jiangan::targets {
namespace {

namespace renewal_v1 = renewal::v1;
namespace investment_v1 = investment::v1;
namespace facilities_v1 = facilities::v1;

// The window from the start of `year` through `through`, at most its end.
void SetWindow(int year, absl::CivilDay through, type::v1::Date* start, type::v1::Date* end) {
  *start = FromCivilDay(absl::CivilDay(year, 1, 1));
  *end = FromCivilDay(std::min(through, absl::CivilDay(year, 12, 31)));
}

absl::Status NotConfigured(absl::string_view service) {
  return absl::UnavailableError(
      absl::StrCat(service, ": this targets service has no --", service, "_address"));
}

// The rule's figure of a renewal group or month.
int64_t RenewalFigure(const TargetRule& rule, const renewal_v1::Quantities& achieved,
                      const google::protobuf::RepeatedPtrField<renewal_v1::PhaseEntries>& entered) {
  if (rule.source == TargetRule::Source::kRenewalReported) {
    const auto* field = renewal_v1::Quantities::descriptor()->FindFieldByName(rule.field);
    return achieved.GetReflection()->GetInt64(achieved, field);
  }
  int64_t value = 0;
  for (const renewal_v1::PhaseEntries& entries : entered) {
    if (entries.phase() == rule.entered) value += entries.count();
  }
  return value;
}

// The rule's figure of an investment group or month.
int64_t InvestmentFigure(
    const TargetRule& rule, int64_t arrived_yuan,
    const google::protobuf::RepeatedPtrField<investment_v1::StageEntries>& entered) {
  if (rule.source == TargetRule::Source::kInvestmentArrived) return arrived_yuan;
  int64_t value = 0;
  for (const investment_v1::StageEntries& entries : entered) {
    if (entries.stage() == rule.entered) value += entries.count();
  }
  return value;
}

// The rule's figure of a facilities group or month.
int64_t FacilitiesFigure(const TargetRule& rule, int64_t opened, int64_t built,
                         const google::protobuf::RepeatedPtrField<facilities_v1::CapacityTotal>&
                             capacities) {
  if (rule.source == TargetRule::Source::kFacilitiesOpened) return opened;
  if (rule.source == TargetRule::Source::kFacilitiesBuilt) return built;
  int64_t value = 0;
  for (const facilities_v1::CapacityTotal& capacity : capacities) value += capacity.added();
  return value;
}

// The answer to `request` from `asked`, or got by `fill` and kept there.
template <typename Response, typename Fill>
absl::StatusOr<const Response*> AskOnce(const google::protobuf::Message& request,
                                        absl::flat_hash_map<std::string, Response>* asked,
                                        const Fill& fill) {
  std::string key;
  request.SerializeToString(&key);
  if (auto it = asked->find(key); it != asked->end()) return &it->second;
  Response response;
  RETURN_IF_ERROR(fill(&response));
  return &asked->emplace(std::move(key), std::move(response)).first->second;
}

// A sum of integers as a decimal, divided exactly when asked.
std::string Decimal(int64_t value, int64_t divisor) {
  if (divisor == 1) return absl::StrCat(value);
  return absl::StrFormat("%.2f", static_cast<double>(value) / static_cast<double>(divisor));
}

}  // namespace

TargetActuals::TargetActuals(std::shared_ptr<grpc::Channel> renewal,
                             std::shared_ptr<grpc::Channel> investment,
                             std::shared_ptr<grpc::Channel> facilities)
    : renewal_(renewal == nullptr ? nullptr : renewal_v1::RenewalService::NewStub(renewal)),
      investment_(investment == nullptr ? nullptr
                                        : investment_v1::InvestmentService::NewStub(investment)),
      facilities_(facilities == nullptr ? nullptr
                                        : facilities_v1::FacilitiesService::NewStub(facilities)) {}

absl::StatusOr<TargetActuals::Parts> TargetActuals::Measure(const portfolio::v1::Target& target,
                                                            const ServiceCaller& caller,
                                                            absl::CivilDay through,
                                                            Breakdown breakdown, bool by_month,
                                                            Questions* questions) const {
  Parts parts;
  Questions own;
  if (questions == nullptr) questions = &own;
  // Months of the window only: of the target's year.
  auto add_month = [&](int year, int month, int64_t value) {
    if (year == target.year()) parts.months[month] += value;
  };
  ASSIGN_OR_RETURN(parts.rule, ParseTargetRule(target.rule()));
  const TargetRule& rule = parts.rule;
  const bool by_record = breakdown == Breakdown::kRecord;
  // By sub-district, a service is asked for every kind at once, grouped by
  // kind, and each target takes its kinds' groups: the targets of one
  // answer that differ only in kinds share one question.
  auto counts_kind = [&](int kind) {
    return by_record || rule.kinds.empty() ||
           std::find(rule.kinds.begin(), rule.kinds.end(), kind) != rule.kinds.end();
  };
  absl::btree_map<std::string, int64_t> groups;
  const std::string what = absl::StrCat("measuring ", target.name());
  switch (rule.source) {
    case TargetRule::Source::kRenewalReported:
    case TargetRule::Source::kRenewalEntered: {
      renewal_v1::SummarizeProjectsRequest request;
      SetWindow(target.year(), through, request.mutable_window_start(), request.mutable_window_end());
      if (by_record) {
        request.add_group_by(renewal_v1::BY_PROJECT);
        for (int kind : rule.kinds) {
          request.mutable_filter()->add_kinds(static_cast<renewal_v1::ProjectKind>(kind));
        }
      } else {
        request.add_group_by(renewal_v1::BY_SUB_DISTRICT);
        request.add_group_by(renewal_v1::BY_KIND);
      }
      if (rule.pipe_kind != 0) {
        request.mutable_filter()->add_pipe_kinds(static_cast<renewal_v1::PipeKind>(rule.pipe_kind));
      }
      if (rule.road_kind != 0) {
        request.mutable_filter()->add_road_kinds(static_cast<renewal_v1::RoadKind>(rule.road_kind));
      }
      request.set_window_by_month(by_month);
      if (renewal_ == nullptr) return NotConfigured("renewal");
      ASSIGN_OR_RETURN(const renewal_v1::SummarizeProjectsResponse* response,
                       AskOnce(request, &questions->renewal,
                           [&](renewal_v1::SummarizeProjectsResponse* out) {
                             return caller.Read("renewal", what,
                                                [&](grpc::ClientContext* context) {
                                                  return renewal_->SummarizeProjects(
                                                      context, request, out);
                                                });
                           }));
      for (const renewal_v1::ProjectGroup& group : response->groups()) {
        if (!counts_kind(group.kind())) continue;
        groups[by_record ? group.project() : group.sub_district()] +=
            RenewalFigure(rule, group.window_achieved(), group.window_phase_entries());
        for (const renewal_v1::ProjectWindowMonth& month : group.window_months()) {
          add_month(month.year(), month.month(),
                    RenewalFigure(rule, month.achieved(), month.phase_entries()));
        }
      }
      break;
    }
    case TargetRule::Source::kInvestmentArrived:
    case TargetRule::Source::kInvestmentEntered: {
      investment_v1::SummarizeLeadsRequest request;
      SetWindow(target.year(), through, request.mutable_window_start(), request.mutable_window_end());
      // Leads carry no sub-district: one group, or one per lead; the flags
      // a rule counts are groups of one question.
      if (by_record) {
        request.add_group_by(investment_v1::BY_LEAD);
        if (rule.field == "key_enterprise") request.mutable_filter()->set_key_enterprise(true);
        if (rule.field == "head_enterprise") request.mutable_filter()->set_head_enterprise(true);
      } else {
        request.add_group_by(investment_v1::BY_KEY_ENTERPRISE);
        request.add_group_by(investment_v1::BY_HEAD_ENTERPRISE);
      }
      request.set_window_by_month(by_month);
      if (investment_ == nullptr) return NotConfigured("investment");
      ASSIGN_OR_RETURN(const investment_v1::SummarizeLeadsResponse* response,
                       AskOnce(request, &questions->investment,
                           [&](investment_v1::SummarizeLeadsResponse* out) {
                             return caller.Read("investment", what,
                                                [&](grpc::ClientContext* context) {
                                                  return investment_->SummarizeLeads(
                                                      context, request, out);
                                                });
                           }));
      for (const investment_v1::LeadGroup& group : response->groups()) {
        if (!by_record && ((rule.field == "key_enterprise" && !group.key_enterprise()) ||
                           (rule.field == "head_enterprise" && !group.head_enterprise()))) {
          continue;
        }
        groups[group.lead()] +=
            InvestmentFigure(rule, group.window_arrived_yuan(), group.window_stage_entries());
        for (const investment_v1::LeadWindowMonth& month : group.window_months()) {
          add_month(month.year(), month.month(),
                    InvestmentFigure(rule, month.arrived_yuan(), month.stage_entries()));
        }
      }
      break;
    }
    case TargetRule::Source::kFacilitiesAdded:
    case TargetRule::Source::kFacilitiesOpened:
    case TargetRule::Source::kFacilitiesBuilt: {
      facilities_v1::SummarizeFacilitiesRequest request;
      SetWindow(target.year(), through, request.mutable_period_start(), request.mutable_period_end());
      if (by_record) {
        request.add_group_by(facilities_v1::BY_FACILITY);
        for (int kind : rule.kinds) {
          request.mutable_filter()->add_kinds(static_cast<facilities_v1::FacilityKind>(kind));
        }
      } else {
        request.add_group_by(facilities_v1::BY_SUB_DISTRICT);
        request.add_group_by(facilities_v1::BY_KIND);
      }
      // Built is counted facility by facility: asked only when a rule needs it.
      request.set_count_built(rule.source == TargetRule::Source::kFacilitiesBuilt);
      if (rule.public_only) request.mutable_filter()->set_publicly_owned(true);
      request.set_period_by_month(by_month);
      if (facilities_ == nullptr) return NotConfigured("facilities");
      ASSIGN_OR_RETURN(const facilities_v1::SummarizeFacilitiesResponse* response,
                       AskOnce(request, &questions->facilities,
                           [&](facilities_v1::SummarizeFacilitiesResponse* out) {
                             return caller.Read("facilities", what,
                                                [&](grpc::ClientContext* context) {
                                                  return facilities_->SummarizeFacilities(
                                                      context, request, out);
                                                });
                           }));
      for (const facilities_v1::FacilityGroup& group : response->groups()) {
        if (!counts_kind(group.kind())) continue;
        groups[by_record ? group.facility() : group.sub_district()] += FacilitiesFigure(
            rule, group.opened_count(), group.built_count(), group.capacities());
        for (const facilities_v1::FacilityPeriodMonth& month : group.period_months()) {
          add_month(month.year(), month.month(),
                    FacilitiesFigure(rule, month.opened_count(), month.built_count(),
                                     month.capacities()));
        }
      }
      break;
    }
  }
  parts.groups.assign(groups.begin(), groups.end());
  return parts;
}

absl::StatusOr<TargetActual> TargetActuals::Compute(const portfolio::v1::Target& target,
                                                    const ServiceCaller& caller,
                                                    absl::CivilDay through, bool month_ends,
                                                    Questions* questions) const {
  ASSIGN_OR_RETURN(const Parts parts, Measure(target, caller, through, Breakdown::kSubDistrict,
                                              month_ends, questions));
  TargetActual actual;
  int64_t total = 0;
  for (const auto& [sub_district, value] : parts.groups) {
    total += value;
    // Investment's one group has no sub-district to show.
    if (target.measured_by() != "investment") {
      actual.by_sub_district.emplace_back(sub_district, Decimal(value, parts.rule.divisor));
    }
  }
  actual.total = Decimal(total, parts.rule.divisor);
  if (month_ends && through.year() == target.year()) {
    int64_t running = 0;
    for (int month = 1; month <= through.month(); ++month) {
      if (auto it = parts.months.find(month); it != parts.months.end()) running += it->second;
      actual.month_ends.emplace_back(month, Decimal(running, parts.rule.divisor));
    }
  }
  return actual;
}

absl::StatusOr<std::vector<Contribution>> TargetActuals::Contributions(
    const portfolio::v1::Target& target, const ServiceCaller& caller,
    absl::CivilDay through) const {
  ASSIGN_OR_RETURN(Parts parts, Measure(target, caller, through, Breakdown::kRecord,
                                        /*by_month=*/false, /*questions=*/nullptr));
  // Largest first, then by name: what a leader looks at first.
  std::sort(parts.groups.begin(), parts.groups.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::vector<Contribution> contributions;
  for (const auto& [record, value] : parts.groups) {
    if (value == 0) continue;
    contributions.push_back({record, Decimal(value, parts.rule.divisor)});
  }
  return contributions;
}

}  // namespace jiangan::targets
