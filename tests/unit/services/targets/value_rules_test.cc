// The rules of reported target values, without I/O.
#include "services/targets/value_rules.h"

#include "common/base/civil_date.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace jiangan::targets {
namespace {

using ::jiangan::testing::IsOk;
using ::jiangan::testing::StatusIs;
using ::testing::HasSubstr;

portfolio::v1::Target Reported(const std::string& department = "") {
  portfolio::v1::Target target;
  target.set_name("targets/gdp-growth");
  target.set_year(2024);
  target.set_measurement(portfolio::v1::REPORTED);
  target.set_responsible_department(department);
  return target;
}

TargetValue Value(const std::string& value, absl::CivilDay as_of,
                      const std::string& evidence = "区统计局快报") {
  target_values::v1::TargetValue reported;
  reported.set_value(value);
  *reported.mutable_as_of() = FromCivilDay(as_of);
  reported.set_evidence(evidence);
  return reported;
}

const absl::CivilDay kToday(2024, 10, 15);

TEST(ValueRulesTest, AValueNeedsADecimalADayInTheYearAndEvidence) {
  const portfolio::v1::Target target = Reported();
  EXPECT_THAT(ValidateTargetValue(Value("6.1", absl::CivilDay(2024, 6, 30)), target, kToday), IsOk());
  EXPECT_THAT(ValidateTargetValue(Value("-2.5", absl::CivilDay(2024, 3, 31)), target, kToday), IsOk());
  EXPECT_THAT(ValidateTargetValue(Value("六点一", absl::CivilDay(2024, 6, 30)), target, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("target_value.value")));
  EXPECT_THAT(ValidateTargetValue(Value(std::string(31, '9'), absl::CivilDay(2024, 6, 30)), target, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at most 30")));
  target_values::v1::TargetValue undated = Value("6.1", absl::CivilDay(2024, 6, 30));
  undated.clear_as_of();
  EXPECT_THAT(ValidateTargetValue(undated, target, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("target_value.as_of")));
  EXPECT_THAT(ValidateTargetValue(Value("6.1", absl::CivilDay(2024, 10, 16)), target, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("in the future")));
  EXPECT_THAT(ValidateTargetValue(Value("6.1", absl::CivilDay(2023, 12, 31)), target, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must be in 2024")));
  EXPECT_THAT(ValidateTargetValue(Value("6.1", absl::CivilDay(2024, 6, 30), ""), target, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("target_value.evidence")));
}

TEST(ValueRulesTest, OnlyReportedTargetsTakeValues) {
  portfolio::v1::Target computed = Reported();
  computed.set_measurement(portfolio::v1::COMPUTED);
  computed.set_measured_by("renewal");
  computed.set_rule("renewal.reported:expropriation_signed_sqm");
  EXPECT_THAT(CheckReported(Reported()), IsOk());
  EXPECT_THAT(CheckReported(computed),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("renewal.reported:expropriation_signed_sqm")));
}

// 新增和更换健身器材: replacements no capacity rise shows are reported on top
// of the records, as whole numbers.
TEST(ValueRulesTest, AComputedTargetTakesTheAdjustmentsItsCatalogNames) {
  portfolio::v1::Target fitness = Reported();
  fitness.set_measurement(portfolio::v1::COMPUTED);
  fitness.set_measured_by("facilities");
  fitness.set_rule("facilities.added:FITNESS_EQUIPMENT_SITE");
  fitness.set_adjustment_text("当年更换的健身器材件(套)数");
  EXPECT_THAT(CheckReported(fitness), IsOk());
  EXPECT_THAT(ValidateTargetValue(Value("120", absl::CivilDay(2024, 6, 30)), fitness, kToday),
              IsOk());
  EXPECT_THAT(ValidateTargetValue(Value("12.5", absl::CivilDay(2024, 6, 30)), fitness, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("whole number")));
}

TEST(ValueRulesTest, AdminsOrTheResponsibleDepartmentsEditorsRecord) {
  const Identity admin{"admin", "区人民政府办公室", Role::kAdmin};
  const Identity statistics_editor{"editor", "区统计局", Role::kEditor};
  const Identity statistics_viewer{"viewer", "区统计局", Role::kViewer};
  const Identity other_editor{"other", "区商务局", Role::kEditor};
  EXPECT_THAT(CheckMayRecord(admin, Reported()), IsOk());
  EXPECT_THAT(CheckMayRecord(statistics_editor, Reported()),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("only an ADMIN")));
  EXPECT_THAT(CheckMayRecord(statistics_editor, Reported("区统计局")), IsOk());
  EXPECT_THAT(CheckMayRecord(statistics_viewer, Reported("区统计局")),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(CheckMayRecord(other_editor, Reported("区统计局")),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("区统计局")));
}

}  // namespace
}  // namespace jiangan::targets
