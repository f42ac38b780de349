// Progress and health of district targets: accrued amounts against the
// year's pace, levels, ceilings, and "about" figures.
#include "services/targets/target_progress.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace jiangan::targets {
namespace {

using ::jiangan::testing::StatusIs;
namespace v1 = portfolio::v1;

v1::Target Target(const char* value, const char* unit, v1::Bound bound) {
  v1::Target target;
  target.set_name("targets/t");
  target.set_year(2024);
  target.set_target_value(value);
  target.set_unit(unit);
  target.set_bound(bound);
  return target;
}

TEST(TargetProgressTest, AccruedAmountsFollowTheYearsPace) {
  const v1::Target signed_sqm = Target("590000", "平方米", v1::EXACT);
  const ProgressThresholds thresholds;
  // 2024 is a leap year: 30 June is day 182 of 366, 49.7% of the year.
  auto half = AssessProgress(signed_sqm, "295000", absl::CivilDay(2024, 6, 30), thresholds);
  ASSERT_TRUE(half.ok()) << half.status();
  EXPECT_DOUBLE_EQ(half->percent_of_target, 50.0);
  EXPECT_DOUBLE_EQ(half->pace_percent, 49.7);
  EXPECT_EQ(half->health, TargetHealth::kGreen);
  // 10% in October: far behind.
  auto october = AssessProgress(signed_sqm, "59000", absl::CivilDay(2024, 10, 31), thresholds);
  EXPECT_DOUBLE_EQ(october->pace_percent, 83.3);
  EXPECT_EQ(october->health, TargetHealth::kRed);
  EXPECT_EQ(october->reason, "10.0% of the target against a pace of 83.3%: 73.3 points behind");
  // 15 points behind: AMBER.
  auto amber = AssessProgress(signed_sqm, "206500", absl::CivilDay(2024, 6, 30), thresholds);
  EXPECT_EQ(amber->health, TargetHealth::kAmber);
  // Reached early: GREEN whatever the date; before the year, the pace is 0.
  auto reached = AssessProgress(Target("40", "个", v1::AT_LEAST), "41",
                                absl::CivilDay(2024, 3, 1), thresholds);
  EXPECT_EQ(reached->health, TargetHealth::kGreen);
  EXPECT_EQ(reached->reason, "reached: 102.5% of the target");
  EXPECT_DOUBLE_EQ(
      AssessProgress(signed_sqm, "0", absl::CivilDay(2023, 12, 31), thresholds)->pace_percent, 0);
  EXPECT_DOUBLE_EQ(
      AssessProgress(signed_sqm, "0", absl::CivilDay(2025, 1, 1), thresholds)->pace_percent, 100);
}

TEST(TargetProgressTest, LevelsAreJudgedAgainstTheWholeTarget) {
  const ProgressThresholds thresholds;
  const v1::Target coverage = Target("100", "%", v1::EXACT);
  ASSERT_TRUE(IsLevelTarget(coverage));
  auto level = AssessProgress(coverage, "85", absl::CivilDay(2024, 2, 1), thresholds);
  EXPECT_DOUBLE_EQ(level->pace_percent, 100);
  EXPECT_EQ(level->health, TargetHealth::kAmber);  // 15 points short, whatever the month
  // 7% 左右: 7.5% and 6.5% are both fine, 9% is not.
  const v1::Target growth = Target("7", "%", v1::ABOUT);
  EXPECT_EQ(AssessProgress(growth, "7.5", absl::CivilDay(2024, 6, 1), thresholds)->health,
            TargetHealth::kGreen);
  EXPECT_EQ(AssessProgress(growth, "6.5", absl::CivilDay(2024, 6, 1), thresholds)->health,
            TargetHealth::kGreen);
  EXPECT_EQ(AssessProgress(growth, "9", absl::CivilDay(2024, 6, 1), thresholds)->health,
            TargetHealth::kAmber);
}

TEST(TargetProgressTest, CeilingsAreKeptOrBroken) {
  const ProgressThresholds thresholds;
  const v1::Target pm25 = Target("33", "微克/立方米", v1::AT_MOST);
  ASSERT_TRUE(IsLevelTarget(pm25));
  auto kept = AssessProgress(pm25, "31", absl::CivilDay(2024, 6, 1), thresholds);
  EXPECT_EQ(kept->health, TargetHealth::kGreen);
  EXPECT_EQ(kept->reason, "31 微克/立方米, within the ceiling of 33");
  EXPECT_EQ(AssessProgress(pm25, "34", absl::CivilDay(2024, 6, 1), thresholds)->health,
            TargetHealth::kAmber);
  auto broken = AssessProgress(pm25, "40", absl::CivilDay(2024, 6, 1), thresholds);
  EXPECT_EQ(broken->health, TargetHealth::kRed);
  EXPECT_EQ(broken->reason, "40 微克/立方米, 21.2% above the ceiling of 33");
}

TEST(TargetProgressTest, ValuesMustBeDecimals) {
  EXPECT_THAT(AssessProgress(Target("590000", "平方米", v1::EXACT), "many",
                             absl::CivilDay(2024, 6, 1), ProgressThresholds())
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "targets/t: actual \"many\" is not a decimal"));
  EXPECT_THAT(AssessProgress(Target("", "个", v1::EXACT), "1", absl::CivilDay(2024, 6, 1),
                             ProgressThresholds())
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(TargetProgressTest, ALevelClimbsFromItsStartingLevel) {
  // 数字经济企业超600家, from 545 at the end of 2023: 560 in June has come a
  // quarter of the way at half the year. From zero it would look on pace.
  v1::Target digital = Target("600", "家", v1::AT_LEAST);
  digital.mutable_starting_level()->set_value("545");
  const ProgressThresholds thresholds;
  auto june = AssessProgress(digital, "560", absl::CivilDay(2024, 6, 30), thresholds);
  ASSERT_TRUE(june.ok()) << june.status();
  EXPECT_DOUBLE_EQ(june->percent_of_target, 27.3);
  EXPECT_DOUBLE_EQ(june->pace_percent, 49.7);
  EXPECT_EQ(june->health, TargetHealth::kAmber);
  // Standing still is far behind by the autumn; falling is below zero.
  auto october = AssessProgress(digital, "545", absl::CivilDay(2024, 10, 31), thresholds);
  ASSERT_TRUE(october.ok());
  EXPECT_DOUBLE_EQ(october->percent_of_target, 0);
  EXPECT_EQ(october->health, TargetHealth::kRed);
  auto fallen = AssessProgress(digital, "534", absl::CivilDay(2024, 3, 31), thresholds);
  ASSERT_TRUE(fallen.ok());
  EXPECT_DOUBLE_EQ(fallen->percent_of_target, -20);
  auto reached = AssessProgress(digital, "603", absl::CivilDay(2024, 9, 30), thresholds);
  ASSERT_TRUE(reached.ok());
  EXPECT_EQ(reached->health, TargetHealth::kGreen);
  // Without the start, the same figure looks on pace: the fault it fixes.
  digital.clear_starting_level();
  auto from_zero = AssessProgress(digital, "560", absl::CivilDay(2024, 6, 30), thresholds);
  ASSERT_TRUE(from_zero.ok());
  EXPECT_EQ(from_zero->health, TargetHealth::kGreen);
}

TEST(TargetProgressTest, AZeroTargetIsACeiling) {
  // 较大及以上生产安全事故零发生: none is kept, one is broken.
  const v1::Target accidents = Target("0", "起", v1::AT_MOST);
  const ProgressThresholds thresholds;
  auto none = AssessProgress(accidents, "0", absl::CivilDay(2024, 12, 31), thresholds);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->health, TargetHealth::kGreen);
  auto one = AssessProgress(accidents, "1", absl::CivilDay(2024, 12, 31), thresholds);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->health, TargetHealth::kRed);
}

}  // namespace
}  // namespace jiangan::targets
