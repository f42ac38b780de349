// The health rule at its edges (see Health in renewal.proto).
#include "services/renewal/health.h"

#include "gtest/gtest.h"

namespace jiangan::renewal {
namespace {

// A project planned from day 0 to day `span`, evaluated on `today`.
HealthInputs Scheduled(int64_t span, int32_t percent) {
  HealthInputs inputs;
  inputs.phase = v1::UNDER_CONSTRUCTION;
  inputs.start_day = 0;
  inputs.planned_completion_day = span;
  inputs.percent_complete = percent;
  return inputs;
}

v1::Health HealthOf(const HealthInputs& inputs, int64_t today,
                    const HealthThresholds& thresholds = {}) {
  return AssessHealth(inputs, today, thresholds).health;
}

TEST(HealthTest, ScheduleLagEdges) {
  // Halfway through a 100-day plan, 50% is expected.
  EXPECT_EQ(HealthOf(Scheduled(100, 50), 50), v1::GREEN);
  EXPECT_EQ(HealthOf(Scheduled(100, 41), 50), v1::GREEN);  // 9 points behind
  EXPECT_EQ(HealthOf(Scheduled(100, 40), 50), v1::AMBER);  // exactly 10
  EXPECT_EQ(HealthOf(Scheduled(100, 20), 50), v1::AMBER);  // exactly 30
  EXPECT_EQ(HealthOf(Scheduled(100, 19), 50), v1::RED);    // 31
  // A third of a 300-day plan: 33.33% expected, so 3% is 30.33 behind.
  EXPECT_EQ(HealthOf(Scheduled(300, 4), 100), v1::AMBER);  // 29.33
  EXPECT_EQ(HealthOf(Scheduled(300, 3), 100), v1::RED);    // 30.33
  EXPECT_EQ(HealthOf(Scheduled(300, 24), 100), v1::GREEN);  // 9.33
  EXPECT_EQ(HealthOf(Scheduled(300, 23), 100), v1::AMBER);  // 10.33
}

TEST(HealthTest, ExpectedProgressIsClampedToThePlan) {
  EXPECT_EQ(HealthOf(Scheduled(100, 0), -30), v1::GREEN);  // not started yet
  EXPECT_EQ(HealthOf(Scheduled(100, 95), 500), v1::GREEN);  // 5 behind 100%
  EXPECT_EQ(HealthOf(Scheduled(100, 60), 500), v1::RED);    // 40 behind 100%
  // A plan that starts and ends the same day expects 100% from that day.
  EXPECT_EQ(HealthOf(Scheduled(0, 0), -1), v1::GREEN);
  EXPECT_EQ(HealthOf(Scheduled(0, 0), 0), v1::RED);
}

TEST(HealthTest, ScheduleNeedsBothDatesAndAScheduledPhase) {
  HealthInputs no_end = Scheduled(100, 0);
  no_end.planned_completion_day.reset();
  EXPECT_EQ(HealthOf(no_end, 90), v1::GREEN);
  HealthInputs planning = Scheduled(100, 0);
  planning.phase = v1::PLANNING;
  EXPECT_EQ(HealthOf(planning, 90), v1::GREEN);
  HealthInputs approved = Scheduled(100, 0);
  approved.phase = v1::APPROVED;
  EXPECT_EQ(HealthOf(approved, 90), v1::RED);
}

TEST(HealthTest, PhasesDecideFirst) {
  HealthInputs inputs = Scheduled(100, 0);
  inputs.at_risk = true;
  inputs.phase = v1::COMPLETED;
  EXPECT_EQ(HealthOf(inputs, 1000), v1::GREEN);
  inputs.phase = v1::CANCELLED;
  EXPECT_EQ(HealthOf(inputs, 1000), v1::HEALTH_UNSPECIFIED);
  inputs.phase = v1::SUSPENDED;
  EXPECT_EQ(HealthOf(inputs, 0), v1::RED);
}

TEST(HealthTest, OverdueMilestonesAndTheRiskFlag) {
  HealthInputs inputs;
  inputs.phase = v1::PLANNING;
  inputs.earliest_open_milestone_day = 100;
  EXPECT_EQ(HealthOf(inputs, 100), v1::GREEN);  // due today: not overdue
  EXPECT_EQ(HealthOf(inputs, 101), v1::AMBER);
  EXPECT_EQ(HealthOf(inputs, 160), v1::AMBER);  // exactly 60 days
  EXPECT_EQ(HealthOf(inputs, 161), v1::RED);
  HealthInputs flagged;
  flagged.phase = v1::UNDER_CONSTRUCTION;
  flagged.at_risk = true;
  HealthAssessment assessed = AssessHealth(flagged, 0, {});
  EXPECT_EQ(assessed.health, v1::AMBER);
  ASSERT_EQ(assessed.reasons.size(), 1u);
  EXPECT_EQ(assessed.reasons[0], "risk: flagged at risk by the department");
}

TEST(HealthTest, TheWorstFindingWinsAndEachIsExplained) {
  HealthInputs inputs = Scheduled(100, 40);  // amber on schedule
  inputs.earliest_open_milestone_day = 0;     // 50 days overdue: amber
  inputs.at_risk = true;
  HealthAssessment assessed = AssessHealth(inputs, 50, {});
  EXPECT_EQ(assessed.health, v1::AMBER);
  EXPECT_EQ(assessed.reasons.size(), 3u);
  EXPECT_EQ(assessed.reasons[0],
            "schedule: 10.0 points behind the straight-line plan (expected 50.0%, reported 40%)");
  inputs.percent_complete = 10;  // 40 behind: red
  EXPECT_EQ(HealthOf(inputs, 50), v1::RED);
}

TEST(HealthTest, ThresholdsAreConfigurable) {
  HealthThresholds strict{5, 15, 10};
  EXPECT_EQ(HealthOf(Scheduled(100, 45), 50, strict), v1::AMBER);
  EXPECT_EQ(HealthOf(Scheduled(100, 34), 50, strict), v1::RED);
  HealthInputs milestone;
  milestone.phase = v1::APPROVED;
  milestone.earliest_open_milestone_day = 0;
  EXPECT_EQ(HealthOf(milestone, 11, strict), v1::RED);
  EXPECT_EQ(HealthOf(milestone, 11), v1::AMBER);
}

TEST(HealthTest, InputsAreReadOffTheProject) {
  v1::Project project;
  project.set_phase(v1::APPROVED);
  project.set_percent_complete(12);
  project.set_at_risk(true);
  *project.mutable_start_date() = [] {
    type::v1::Date d;
    d.set_year(1970);
    d.set_month(1);
    d.set_day(11);
    return d;
  }();
  auto* reached = project.add_milestones();
  reached->mutable_planned_date()->set_year(1970);
  reached->mutable_planned_date()->set_month(1);
  reached->mutable_planned_date()->set_day(2);
  *reached->mutable_actual_date() = reached->planned_date();
  auto* open = project.add_milestones();
  open->mutable_planned_date()->set_year(1970);
  open->mutable_planned_date()->set_month(1);
  open->mutable_planned_date()->set_day(6);
  HealthInputs inputs = HealthInputsOf(project);
  EXPECT_EQ(inputs.phase, v1::APPROVED);
  EXPECT_EQ(inputs.start_day, 10);
  EXPECT_FALSE(inputs.planned_completion_day.has_value());
  EXPECT_EQ(inputs.earliest_open_milestone_day, 5);  // the reached one is ignored
  EXPECT_EQ(inputs.percent_complete, 12);
  EXPECT_TRUE(inputs.at_risk);
}

}  // namespace
}  // namespace jiangan::renewal
