// The renewal office's rules: each field check names its field and rule,
// the phase transitions, update masks, progress reports and the district's
// extent.
#include "services/renewal/project_rules.h"

#include <limits>
#include <set>
#include <utility>

#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace jiangan::renewal {
namespace {

using ::jiangan::testing::StatusIs;

const absl::CivilDay kToday(2024, 6, 15);

type::v1::Date MakeDate(int year, int month, int day) {
  type::v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

v1::Project Valid() {
  v1::Project project;
  project.set_display_name("黑泥湖村城中村改造");
  project.set_kind(v1::URBAN_VILLAGE_REDEVELOPMENT);
  project.set_phase(v1::PLANNING);
  return project;
}

std::string ErrorOf(const v1::Project& project) {
  return std::string(ValidateProject(project, kToday).message());
}

TEST(ProjectRulesTest, EachFieldRuleNamesItsField) {
  EXPECT_TRUE(ValidateProject(Valid(), kToday).ok());
  v1::Project p = Valid();
  p.set_display_name(std::string(201 * 3, 'x'));
  EXPECT_EQ(ErrorOf(p), "project.display_name: must be 1 to 200 characters, got 603");
  p = Valid();
  p.set_display_name(std::string(200, 'x').replace(0, 3, "村"));  // 198 characters
  EXPECT_TRUE(ValidateProject(p, kToday).ok());
  p = Valid();
  p.set_kind(v1::PROJECT_KIND_UNSPECIFIED);
  EXPECT_EQ(ErrorOf(p), "project.kind: is required");
  p = Valid();
  p.set_lead_department(std::string(101, 'd'));
  EXPECT_EQ(ErrorOf(p), "project.lead_department: must be at most 100 characters, got 101");
  p = Valid();
  p.add_supporting_departments("");
  EXPECT_EQ(ErrorOf(p), "project.supporting_departments[0]: must be 1 to 100 characters, got 0");
  p = Valid();
  (*p.mutable_labels())["Program"] = "531";
  EXPECT_EQ(ErrorOf(p),
            "project.labels: key \"Program\" must be 1 to 63 lowercase letters, digits, '_' or "
            "'-', starting with a letter");
  p = Valid();
  p.mutable_location()->set_latitude(91);
  EXPECT_EQ(ErrorOf(p).substr(0, 26), "project.location.latitude:");
  p = Valid();
  p.mutable_planned()->set_households(-1);
  EXPECT_EQ(ErrorOf(p), "project.planned.households: must not be negative, got -1");
  p = Valid();
  p.mutable_planned()->set_investment_yuan(-5);
  EXPECT_EQ(ErrorOf(p), "project.planned.investment_yuan: must not be negative, got -5");
}

TEST(ProjectRulesTest, DatesMustBeRealAndInOrder) {
  v1::Project p = Valid();
  *p.mutable_start_date() = MakeDate(2024, 2, 30);
  EXPECT_EQ(ErrorOf(p), "project.start_date: 2024-02-30 is not a calendar date");
  p = Valid();
  *p.mutable_start_date() = MakeDate(2024, 3, 1);
  *p.mutable_planned_completion_date() = MakeDate(2024, 2, 29);
  EXPECT_EQ(ErrorOf(p),
            "project.planned_completion_date: 2024-02-29 is before project.start_date 2024-03-01");
  p = Valid();
  *p.mutable_start_date() = MakeDate(1800, 1, 1);
  EXPECT_EQ(ErrorOf(p), "project.start_date: year must be 1900 to 2200, got 1800-01-01");
  p = Valid();
  v1::Milestone* milestone = p.add_milestones();
  milestone->set_title("完成整村拆除");
  EXPECT_EQ(ErrorOf(p), "project.milestones[0].planned_date: is required");
  *milestone->mutable_planned_date() = MakeDate(2024, 6, 1);
  *milestone->mutable_actual_date() = MakeDate(2024, 6, 16);
  EXPECT_EQ(ErrorOf(p), "project.milestones[0].actual_date: 2024-06-16 is in the future");
  *milestone->mutable_actual_date() = MakeDate(2024, 6, 15);
  EXPECT_TRUE(ValidateProject(p, kToday).ok());
  milestone->clear_title();
  EXPECT_EQ(ErrorOf(p), "project.milestones[0].title: must be 1 to 200 characters, got 0");
}

TEST(ProjectRulesTest, PhaseTransitions) {
  using P = v1::ProjectPhase;
  const std::vector<P> phases = {v1::PLANNING,  v1::APPROVED,  v1::UNDER_CONSTRUCTION,
                                 v1::COMPLETED, v1::SUSPENDED, v1::CANCELLED};
  const std::set<std::pair<P, P>> allowed = {
      {v1::PLANNING, v1::APPROVED},
      {v1::PLANNING, v1::CANCELLED},
      {v1::APPROVED, v1::UNDER_CONSTRUCTION},
      {v1::APPROVED, v1::SUSPENDED},
      {v1::APPROVED, v1::CANCELLED},
      {v1::UNDER_CONSTRUCTION, v1::COMPLETED},
      {v1::UNDER_CONSTRUCTION, v1::SUSPENDED},
      {v1::UNDER_CONSTRUCTION, v1::CANCELLED},
      {v1::SUSPENDED, v1::APPROVED},
      {v1::SUSPENDED, v1::UNDER_CONSTRUCTION},
      {v1::SUSPENDED, v1::CANCELLED},
  };
  for (P from : phases) {
    for (P to : phases) {
      absl::Status status = CheckPhaseTransition(from, to);
      if (from == to || allowed.contains({from, to})) {
        EXPECT_TRUE(status.ok()) << v1::ProjectPhase_Name(from) << "->" << v1::ProjectPhase_Name(to);
      } else {
        EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
        EXPECT_NE(status.message().find(v1::ProjectPhase_Name(from)), std::string::npos);
        EXPECT_NE(status.message().find(v1::ProjectPhase_Name(to)), std::string::npos);
      }
    }
  }
  EXPECT_EQ(CheckPhaseTransition(v1::COMPLETED, v1::UNDER_CONSTRUCTION).message(),
            "project.phase: cannot go from COMPLETED to UNDER_CONSTRUCTION; see the allowed "
            "transitions of ProjectPhase");
}

TEST(ProjectRulesTest, UpdateMasks) {
  google::protobuf::FieldMask mask;
  EXPECT_EQ(CheckUpdateMask(mask).message(),
            "update_mask: is required and must name at least one field");
  mask.add_paths("achieved");
  EXPECT_EQ(CheckUpdateMask(mask).message(),
            "update_mask: \"achieved\" is output only and cannot be updated");
  mask.set_paths(0, "health");
  EXPECT_EQ(CheckUpdateMask(mask).code(), absl::StatusCode::kInvalidArgument);
  mask.set_paths(0, "nonsense");
  EXPECT_EQ(CheckUpdateMask(mask).message(), "update_mask: \"nonsense\" is not a field of Project");
  mask.set_paths(0, "planned.households");
  EXPECT_TRUE(CheckUpdateMask(mask).ok());
}

TEST(ProjectRulesTest, ProgressReports) {
  v1::Project project = Valid();
  project.set_percent_complete(40);
  project.mutable_achieved()->set_households(100);
  v1::ProgressReport report;
  report.set_period("2024-06");
  report.set_percent_complete(45);
  report.mutable_achieved()->set_households(20);
  EXPECT_TRUE(ValidateProgressReport(report, project, kToday).ok());

  auto error = [&](const v1::ProgressReport& r) {
    return std::string(ValidateProgressReport(r, project, kToday).message());
  };
  v1::ProgressReport bad = report;
  bad.set_period("2024-7");
  EXPECT_EQ(error(bad), "progress_report.period: must be a month as YYYY-MM, got \"2024-7\"");
  bad.set_period("2024-13");
  EXPECT_EQ(error(bad), "progress_report.period: must be a month as YYYY-MM, got \"2024-13\"");
  bad.set_period("2024-07");
  EXPECT_EQ(error(bad), "progress_report.period: 2024-07 has not begun yet");
  bad = report;
  bad.set_percent_complete(101);
  EXPECT_EQ(error(bad), "progress_report.percent_complete: must be 0 to 100, got 101");
  bad.set_percent_complete(39);
  EXPECT_THAT(ValidateProgressReport(bad, project, kToday),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "progress_report.percent_complete: 39 is below the project's current 40; "
                       "set correction to lower it"));
  bad.set_correction(true);
  EXPECT_TRUE(ValidateProgressReport(bad, project, kToday).ok());
  bad = report;
  bad.mutable_achieved()->set_households(-1);
  EXPECT_EQ(error(bad), "progress_report.achieved.households: must not be negative, got -1");
  bad.set_correction(true);
  EXPECT_TRUE(ValidateProgressReport(bad, project, kToday).ok());
  bad.mutable_achieved()->set_households(-101);
  EXPECT_EQ(error(bad),
            "progress_report.achieved.households: a correction may not take the project's "
            "achieved total below zero");
}

TEST(ProjectRulesTest, AddingQuantitiesIsExactAndRefusesOverflow) {
  v1::Quantities total, delta;
  total.set_investment_yuan(std::numeric_limits<int64_t>::max() - 1);
  delta.set_investment_yuan(1);
  ASSERT_TRUE(AddQuantities(delta, &total).ok());
  EXPECT_EQ(total.investment_yuan(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(AddQuantities(delta, &total).code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(total.investment_yuan(), std::numeric_limits<int64_t>::max());
}

}  // namespace
}  // namespace jiangan::renewal
