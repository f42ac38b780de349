// A project's health (see the Health enum in renewal.proto for the rule):
// computed from its phase, schedule, milestones and risk flag on a given day,
// never typed in. The same function serves Get (with reasons) and the SQL
// filters and groupings of List and Summarize, so they can never disagree.
#ifndef JIANGAN_SERVICES_RENEWAL_HEALTH_H_
#define JIANGAN_SERVICES_RENEWAL_HEALTH_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "jiangan/renewal/v1/renewal.pb.h"

namespace jiangan::renewal {

// Configurable thresholds of the rule (service flags).
struct HealthThresholds {
  // Points behind the straight-line plan from which a project is AMBER.
  int amber_lag_points = 10;
  // Points behind beyond which it is RED.
  int red_lag_points = 30;
  // Days a milestone may be overdue before the project is RED.
  int red_milestone_overdue_days = 60;
};

// What the rule reads of a project; days are day numbers (DayNumber()).
struct HealthInputs {
  v1::ProjectPhase phase = v1::PROJECT_PHASE_UNSPECIFIED;
  std::optional<int64_t> start_day;
  std::optional<int64_t> planned_completion_day;
  int32_t percent_complete = 0;
  // Earliest planned date of the milestones not reached yet.
  std::optional<int64_t> earliest_open_milestone_day;
  bool at_risk = false;
};

struct HealthAssessment {
  v1::Health health = v1::HEALTH_UNSPECIFIED;
  // One line per finding, for Project.health_reasons.
  std::vector<std::string> reasons;
};

HealthInputs HealthInputsOf(const v1::Project& project);

HealthAssessment AssessHealth(const HealthInputs& inputs, int64_t today,
                              const HealthThresholds& thresholds);

}  // namespace jiangan::renewal

#endif  // JIANGAN_SERVICES_RENEWAL_HEALTH_H_
