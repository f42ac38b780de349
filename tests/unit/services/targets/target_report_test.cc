// The weekly report's files: the CSV to the byte, the workbook's shape.
#include "services/targets/target_report.h"

#include "absl/strings/match.h"
#include "common/base/civil_date.h"
#include "gtest/gtest.h"

namespace jiangan::targets {
namespace {

namespace v1 = portfolio::v1;

google::protobuf::RepeatedPtrField<v1::Target> TwoTargets() {
  google::protobuf::RepeatedPtrField<v1::Target> targets;
  v1::Target* signed_sqm = targets.Add();
  signed_sqm->set_display_name("全年完成征收签约59万平方米");
  signed_sqm->set_unit("平方米");
  signed_sqm->set_target_value("590000");
  signed_sqm->set_actual_value("59000");
  signed_sqm->set_percent_of_target(10);
  signed_sqm->set_pace_percent(100);
  signed_sqm->set_health(v1::RED);
  signed_sqm->set_health_reason("10.0% of the target, \"far\" behind");
  *signed_sqm->mutable_as_of() = FromCivilDay(absl::CivilDay(2024, 12, 31));
  signed_sqm->set_measurement(v1::COMPUTED);
  signed_sqm->set_source_quote("全年完成征收签约59万平方米，土地储备及供应15宗");
  v1::Target* gdp = targets.Add();
  gdp->set_display_name("地区生产总值增长7%左右");
  gdp->set_unit("%");
  gdp->set_target_value("7");
  gdp->set_measurement(v1::REPORTED);
  return targets;
}

TEST(TargetReportTest, CsvIsUtf8WithABomQuotedWhereItMustBe) {
  const std::string csv = TargetsCsv(TwoTargets());
  EXPECT_EQ(csv,
            "\xEF\xBB\xBF"
            "序号,目标,单位,目标值,完成值,完成率(%),序时进度(%),状态,说明,截至日期,计量方式,"
            "责任单位,报告原文\r\n"
            "1,全年完成征收签约59万平方米,平方米,590000,59000,10.0,100.0,严重滞后,"
            "\"10.0% of the target, \"\"far\"\" behind\",2024-12-31,系统计算,,"
            "全年完成征收签约59万平方米，土地储备及供应15宗\r\n"
            "2,地区生产总值增长7%左右,%,7,,,,未知,,,人工填报,,\r\n");
}

TEST(TargetReportTest, WorkbookIsAZipOfOfficeXml) {
  auto workbook = TargetsXlsx(TwoTargets());
  ASSERT_TRUE(workbook.ok()) << workbook.status();
  ASSERT_GT(workbook->size(), 1000u);
  EXPECT_EQ(workbook->substr(0, 2), "PK");
  EXPECT_TRUE(absl::StrContains(*workbook, "xl/worksheets/sheet1.xml"));
}

TEST(TargetReportTest, HealthLabelsInChinese) {
  EXPECT_STREQ(HealthLabel(v1::GREEN), "正常");
  EXPECT_STREQ(HealthLabel(v1::AMBER), "滞后");
  EXPECT_STREQ(HealthLabel(v1::RED), "严重滞后");
  EXPECT_STREQ(HealthLabel(v1::TARGET_HEALTH_UNSPECIFIED), "未知");
}

}  // namespace
}  // namespace jiangan::targets
