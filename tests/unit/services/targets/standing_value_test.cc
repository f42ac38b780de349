// Which reported value of a target stands on a day.
#include "services/targets/value_rules.h"

#include "common/base/civil_date.h"
#include "gtest/gtest.h"

namespace jiangan::targets {
namespace {

TargetValue Value(const std::string& name, const std::string& value, absl::CivilDay as_of) {
  TargetValue reported;
  reported.set_name(name);
  reported.set_value(value);
  *reported.mutable_as_of() = FromCivilDay(as_of);
  return reported;
}

TEST(StandingValueTest, TheLatestDayStandsAndALaterRecordCorrectsItsDay) {
  // In the order they were recorded: Q2 first, then Q1 late, then a
  // correction of Q2.
  const std::vector<TargetValue> values = {
      Value("targets/gdp-growth/values/a", "6.0", absl::CivilDay(2024, 6, 30)),
      Value("targets/gdp-growth/values/b", "5.8", absl::CivilDay(2024, 3, 31)),
      Value("targets/gdp-growth/values/c", "6.1", absl::CivilDay(2024, 6, 30)),
  };
  EXPECT_EQ(StandingValue(values, absl::CivilDay(2024, 3, 30)), nullptr);
  ASSERT_NE(StandingValue(values, absl::CivilDay(2024, 3, 31)), nullptr);
  EXPECT_EQ(StandingValue(values, absl::CivilDay(2024, 3, 31))->value(), "5.8");
  EXPECT_EQ(StandingValue(values, absl::CivilDay(2024, 6, 29))->value(), "5.8");
  EXPECT_EQ(StandingValue(values, absl::CivilDay(2024, 6, 30))->value(), "6.1");
  EXPECT_EQ(StandingValue(values, absl::CivilDay(2024, 12, 31))->value(), "6.1");
  EXPECT_EQ(StandingValue({}, absl::CivilDay(2024, 12, 31)), nullptr);
}

TEST(StandingValueTest, AValueNamesItsTarget) {
  EXPECT_EQ(TargetOf("targets/gdp-growth/values/a"), "targets/gdp-growth");
  EXPECT_EQ(TargetOf("targets/gdp-growth/departmentAssignments/b"), "targets/gdp-growth");
  EXPECT_EQ(TargetOf(""), "");
  EXPECT_EQ(TargetOf("targets/gdp-growth"), "");
}

}  // namespace
}  // namespace jiangan::targets
