// ListTargets' filter: its checks and what it selects.
#include "services/targets/target_filter.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace jiangan::targets {
namespace {

using ::jiangan::testing::IsOk;
using ::jiangan::testing::StatusIs;
using ::testing::HasSubstr;
namespace v1 = portfolio::v1;

v1::Target Target(const std::string& measured_by, const std::string& department,
                  v1::TargetHealth health) {
  v1::Target target;
  target.set_measured_by(measured_by);
  target.set_measurement(measured_by.empty() ? v1::REPORTED : v1::COMPUTED);
  target.set_responsible_department(department);
  target.set_health(health);
  return target;
}

TEST(TargetFilterTest, RefusesUnknownServicesAndEnumValues) {
  v1::TargetFilter filter;
  EXPECT_THAT(CheckTargetFilter(filter), IsOk());
  filter.add_measured_by("renewal");
  filter.add_measured_by("");
  EXPECT_THAT(CheckTargetFilter(filter), IsOk());
  filter.add_measured_by("weather");
  EXPECT_THAT(CheckTargetFilter(filter),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("filter.measured_by")));
  v1::TargetFilter measurements;
  measurements.add_measurements(v1::MEASUREMENT_UNSPECIFIED);
  EXPECT_THAT(CheckTargetFilter(measurements),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("filter.measurements")));
  v1::TargetFilter healths;
  healths.add_healths(static_cast<v1::TargetHealth>(9));
  EXPECT_THAT(CheckTargetFilter(healths),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("filter.healths")));
}

TEST(TargetFilterTest, EveryFieldSetMustMatchAndAnyValueOfAField) {
  const v1::Target renewal = Target("renewal", "区城市更新公司", v1::RED);
  const v1::Target reported = Target("", "", v1::TARGET_HEALTH_UNSPECIFIED);
  v1::TargetFilter filter;
  EXPECT_TRUE(MatchesCatalogFields(filter, renewal));
  EXPECT_TRUE(MatchesHealth(filter, reported));

  filter.add_measured_by("renewal");
  filter.add_measured_by("facilities");
  EXPECT_TRUE(MatchesCatalogFields(filter, renewal));
  EXPECT_FALSE(MatchesCatalogFields(filter, reported));
  filter.add_responsible_departments("区统计局");
  EXPECT_FALSE(MatchesCatalogFields(filter, renewal));

  v1::TargetFilter by_measurement;
  by_measurement.add_measurements(v1::REPORTED);
  EXPECT_TRUE(MatchesCatalogFields(by_measurement, reported));
  EXPECT_FALSE(MatchesCatalogFields(by_measurement, renewal));

  v1::TargetFilter by_health;
  by_health.add_healths(v1::RED);
  by_health.add_healths(v1::AMBER);
  EXPECT_TRUE(MatchesHealth(by_health, renewal));
  EXPECT_FALSE(MatchesHealth(by_health, reported));
}

}  // namespace
}  // namespace jiangan::targets
