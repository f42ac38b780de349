#include "services/targets/target_rule.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "common/base/status_macros.h"
#include "jiangan/facilities/v1/facilities.pb.h"
#include "jiangan/investment/v1/investment.pb.h"
#include "jiangan/renewal/v1/renewal.pb.h"

namespace jiangan::targets {
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

}  // namespace

absl::StatusOr<TargetRule> ParseTargetRule(absl::string_view rule) {
  TargetRule parsed;
  // A condition on the records, after '?'.
  const std::pair<absl::string_view, absl::string_view> condition =
      absl::StrSplit(rule, absl::MaxSplits('?', 1));
  if (absl::StrContains(rule, '?')) {
    const std::pair<std::string, std::string> field_value =
        absl::StrSplit(condition.second, absl::MaxSplits('=', 1));
    renewal_v1::PipeKind pipe;
    renewal_v1::RoadKind road;
    if (condition.second == "public" && absl::StartsWith(rule, "facilities.")) {
      parsed.public_only = true;
    } else if (absl::StartsWith(rule, "renewal.reported:") && field_value.first == "pipe_kind" &&
               renewal_v1::PipeKind_Parse(field_value.second, &pipe) && pipe != 0) {
      parsed.pipe_kind = pipe;
    } else if (absl::StartsWith(rule, "renewal.reported:") && field_value.first == "road_kind" &&
               renewal_v1::RoadKind_Parse(field_value.second, &road) && road != 0) {
      parsed.road_kind = road;
    } else {
      return BadRule(rule, "has a condition this service does not know: \"?public\" on a "
                           "facilities rule, \"?pipe_kind=K\" or \"?road_kind=K\" on "
                           "renewal.reported");
    }
  }
  const std::vector<std::string> parts = absl::StrSplit(condition.first, ':');
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
  if ((what == "facilities.added" || what == "facilities.opened" || what == "facilities.built") &&
      parts.size() == 2) {
    parsed.source = what == "facilities.added"    ? TargetRule::Source::kFacilitiesAdded
                    : what == "facilities.opened" ? TargetRule::Source::kFacilitiesOpened
                                                  : TargetRule::Source::kFacilitiesBuilt;
    ASSIGN_OR_RETURN(parsed.kinds, ParseKinds<facilities_v1::FacilityKind>(
                                       rule, parts[1], facilities_v1::FacilityKind_Parse));
    return parsed;
  }
  return BadRule(rule, "is not a rule the targets service knows; see target_rule.h");
}

}  // namespace jiangan::targets
