#include "services/renewal/health.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/base/civil_date.h"

namespace jiangan::renewal {
namespace {

std::optional<int64_t> DayOf(const type::v1::Date& date) {
  auto day = ToCivilDay(date);
  if (!day.has_value()) return std::nullopt;
  return DayNumber(*day);
}

}  // namespace

HealthInputs HealthInputsOf(const v1::Project& project) {
  HealthInputs inputs;
  inputs.phase = project.phase();
  inputs.start_day = DayOf(project.start_date());
  inputs.planned_completion_day = DayOf(project.planned_completion_date());
  inputs.percent_complete = project.percent_complete();
  inputs.at_risk = project.at_risk();
  for (const v1::Milestone& milestone : project.milestones()) {
    if (!IsEmptyDate(milestone.actual_date())) continue;
    std::optional<int64_t> planned = DayOf(milestone.planned_date());
    if (!planned.has_value()) continue;
    if (!inputs.earliest_open_milestone_day.has_value() ||
        *planned < *inputs.earliest_open_milestone_day) {
      inputs.earliest_open_milestone_day = planned;
    }
  }
  return inputs;
}

HealthAssessment AssessHealth(const HealthInputs& inputs, int64_t today,
                              const HealthThresholds& thresholds) {
  HealthAssessment result;
  switch (inputs.phase) {
    case v1::CANCELLED:
      result.reasons.push_back("cancelled: not assessed");
      return result;
    case v1::COMPLETED:
      result.health = v1::GREEN;
      result.reasons.push_back("completed");
      return result;
    case v1::SUSPENDED:
      result.health = v1::RED;
      result.reasons.push_back("suspended: work has stopped");
      return result;
    default:
      break;
  }
  v1::Health worst = v1::GREEN;
  auto raise = [&worst](v1::Health level) { worst = std::max(worst, level); };

  const bool scheduled = inputs.phase == v1::APPROVED || inputs.phase == v1::UNDER_CONSTRUCTION;
  if (scheduled && inputs.start_day.has_value() && inputs.planned_completion_day.has_value()) {
    const int64_t start = *inputs.start_day;
    const int64_t end = *inputs.planned_completion_day;
    // Everything is scaled by the plan's length so the edges compare as
    // exact integers: lag * span = expected * span - percent * span.
    const int64_t span = std::max<int64_t>(end - start, 1);
    const int64_t elapsed = std::clamp<int64_t>(today - start, 0, span);
    const int64_t expected_scaled = end <= start ? (today >= end ? 100 * span : 0)
                                                 : 100 * elapsed;
    const int64_t lag_scaled = expected_scaled - int64_t{inputs.percent_complete} * span;
    const std::string lag_text = absl::StrFormat(
        "%.1f points behind the straight-line plan (expected %.1f%%, reported %d%%)",
        static_cast<double>(lag_scaled) / span, static_cast<double>(expected_scaled) / span,
        inputs.percent_complete);
    if (lag_scaled > int64_t{thresholds.red_lag_points} * span) {
      raise(v1::RED);
      result.reasons.push_back(absl::StrCat("schedule: ", lag_text));
    } else if (lag_scaled >= int64_t{thresholds.amber_lag_points} * span) {
      raise(v1::AMBER);
      result.reasons.push_back(absl::StrCat("schedule: ", lag_text));
    }
  }
  if (inputs.earliest_open_milestone_day.has_value() &&
      *inputs.earliest_open_milestone_day < today) {
    const int64_t overdue = today - *inputs.earliest_open_milestone_day;
    raise(overdue > thresholds.red_milestone_overdue_days ? v1::RED : v1::AMBER);
    result.reasons.push_back(
        absl::StrCat("milestones: one is ", overdue, " days overdue"));
  }
  if (inputs.at_risk) {
    raise(v1::AMBER);
    result.reasons.push_back("risk: flagged at risk by the department");
  }
  result.health = worst;
  return result;
}

}  // namespace jiangan::renewal
