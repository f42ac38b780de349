// How a COMPUTED district target is measured: its rule (Target.rule),
// parsed. TargetActuals computes actuals by it; the catalog checks every rule
// at start-up with it.
//
// Rules:
//   renewal.reported:FIELD[/DIVISOR]   Σ window_achieved.FIELD (÷ DIVISOR)
//   renewal.entered:PHASE:KIND         projects of KIND that entered PHASE
//   investment.arrived                 funds arrived in the year (yuan)
//   investment.entered:STAGE:FLAG      leads with FLAG (key_enterprise,
//                                      head_enterprise) that entered STAGE
//   facilities.added:KIND[,KIND...]    capacity added to facilities of KINDs
//   facilities.opened:KIND[,KIND...]   facilities of KINDs first in service
//   facilities.built:KIND[,KIND...]    facilities of KINDs built in the year
//                                      (新改扩建: opened, or capacity added)
//   a facilities rule ending ?public   counts facilities of the public sector
//                                      only (公办: FacilityFilter.publicly_owned)
//   renewal.reported:FIELD?pipe_kind=K counts projects laying pipes of kind K
//   renewal.reported:FIELD?road_kind=K counts projects building roads of kind K
#ifndef JIANGAN_SERVICES_TARGETS_TARGET_RULE_H_
#define JIANGAN_SERVICES_TARGETS_TARGET_RULE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jiangan::targets {

struct TargetRule {
  enum class Source {
    kRenewalReported,
    kRenewalEntered,
    kInvestmentArrived,
    kInvestmentEntered,
    kFacilitiesAdded,
    kFacilitiesOpened,
    kFacilitiesBuilt,
  };
  Source source = Source::kRenewalReported;
  std::string field;    // a Quantities field, or a lead flag
  int64_t divisor = 1;  // renewal.reported only
  int entered = 0;      // the ProjectPhase or Stage entered
  std::vector<int> kinds;  // ProjectKind or FacilityKind values
  bool public_only = false;  // facilities rules with "?public"
  int pipe_kind = 0;         // renewal.reported with "?pipe_kind=K": a PipeKind
  int road_kind = 0;         // renewal.reported with "?road_kind=K": a RoadKind
};

// INVALID_ARGUMENT naming `rule` and what is wrong with it.
absl::StatusOr<TargetRule> ParseTargetRule(absl::string_view rule);

}  // namespace jiangan::targets

#endif  // JIANGAN_SERVICES_TARGETS_TARGET_RULE_H_
