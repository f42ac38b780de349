// The district's targets end to end: actuals computed from the services'
// records as they stand, through the real gateway, Redis and services.
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/base/file_util.h"
#include "google/protobuf/util/json_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jiangan/portfolio/v1/portfolio.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"
#include "tests/support/server_metrics.h"
#include "tests/support/system_under_test.h"

namespace jiangan {
namespace {

namespace v1 = portfolio::v1;

class TargetsSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::Status started = system_.Start();
    ASSERT_TRUE(started.ok()) << started;
  }

  testing::HttpResult Http(const std::string& method, const std::string& path,
                           const std::string& body = "") {
    auto result = testing::HttpRequestTo(system_.gateway().http_port, method, path, body,
                                         system_.credentials().Bearer("admin"));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : testing::HttpResult{};
  }

  v1::Target Target(const std::string& id) {
    const testing::HttpResult reply = Http("GET", "/v1/targets/" + id);
    EXPECT_EQ(reply.status, 200) << reply.body;
    v1::Target target;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(reply.body, &target).ok()) << reply.body;
    return target;
  }

  testing::SystemUnderTest system_;
};

TEST_F(TargetsSystemTest, ActualsMoveWhenRecordsChange) {
  // Nothing recorded: every computed 2024 target stands at zero, and 2024 is over.
  v1::Target signed_sqm = Target("expropriation-signed");
  EXPECT_EQ(signed_sqm.actual_value(), "0");
  EXPECT_EQ(signed_sqm.health(), v1::RED);
  EXPECT_DOUBLE_EQ(signed_sqm.pace_percent(), 100);

  // Renewal: 59,000 m² signed in June 2024.
  auto project = Http("POST", "/v1/projects?project_id=phase-7",
                      R"({"displayName":"汉口滨江国际商务区七期征收","kind":"EXPROPRIATION",)"
                      R"("phase":"UNDER_CONSTRUCTION","leadDepartment":"区征收服务中心"})");
  ASSERT_EQ(project.status, 200) << project.body;
  auto report = Http("POST", "/v1/projects/phase-7:reportProgress",
                     R"({"period":"2024-06","percentComplete":10,)"
                     R"("achieved":{"expropriationSignedSqm":"59000"}})");
  ASSERT_EQ(report.status, 200) << report.body;
  signed_sqm = Target("expropriation-signed");
  EXPECT_EQ(signed_sqm.actual_value(), "59000");
  EXPECT_DOUBLE_EQ(signed_sqm.percent_of_target(), 10);
  EXPECT_EQ(signed_sqm.health(), v1::RED);
  EXPECT_EQ(signed_sqm.health_reason(),
            "10.0% of the target against a pace of 100.0%: 90.0 points behind");
  ASSERT_EQ(signed_sqm.breakdown_size(), 1);  // the project names no sub-district
  EXPECT_EQ(signed_sqm.breakdown(0).sub_district(), "");
  EXPECT_EQ(signed_sqm.breakdown(0).actual_value(), "59000");

  // Facilities: 11,000 parking spaces added in 2024.
  auto lot = Http("POST", "/v1/facilities?facility_id=riverside-lot",
                  R"({"displayName":"滨江停车场","kind":"PARKING","status":"IN_SERVICE",)"
                  R"("statusDate":{"year":2024,"month":4,"day":1},)"
                  R"("ownerDepartment":"区城管执法局","subDistrict":"大智街道"})");
  ASSERT_EQ(lot.status, 200) << lot.body;
  auto spaces = Http("POST", "/v1/facilities/riverside-lot:recordCapacity",
                     R"({"readingDate":{"year":2024,"month":5,"day":1},"capacity":"11000"})");
  ASSERT_EQ(spaces.status, 200) << spaces.body;
  const v1::Target parking = Target("parking-spaces");
  EXPECT_EQ(parking.actual_value(), "11000");
  EXPECT_EQ(parking.health(), v1::GREEN);
  EXPECT_EQ(parking.health_reason(), "reached: 100.0% of the target");
  ASSERT_EQ(parking.breakdown_size(), 1);
  EXPECT_EQ(parking.breakdown(0).sub_district(), "大智街道");
  EXPECT_EQ(parking.breakdown(0).actual_value(), "11000");

  // A car park serving since 2019, first recorded now: its 500 spaces are
  // where it started, not 500 new ones.
  auto old_lot = Http("POST", "/v1/facilities?facility_id=old-lot",
                      R"({"displayName":"二曜路停车场","kind":"PARKING","status":"IN_SERVICE",)"
                      R"("statusDate":{"year":2019,"month":5,"day":1},"ownerDepartment":"区城管执法局"})");
  ASSERT_EQ(old_lot.status, 200) << old_lot.body;
  ASSERT_EQ(Http("POST", "/v1/facilities/old-lot:recordCapacity",
                 R"({"readingDate":{"year":2024,"month":6,"day":1},"capacity":"500"})")
                .status,
            200);
  EXPECT_EQ(Target("parking-spaces").actual_value(), "11000");

  // Investment: funds that arrived in 2024.
  auto lead = Http("POST", "/v1/leads?lead_id=sumec",
                   R"({"displayName":"苏美达华中区域总部","industry":"HEADQUARTERS_ECONOMY",)"
                   R"("company":{"name":"苏美达（华中）有限公司"},"ownerDepartment":"区投资促进局"})");
  ASSERT_EQ(lead.status, 200) << lead.body;
  auto registered = Http(
      "PATCH",
      "/v1/leads/sumec?update_mask=stage,agreement_date,signed_investment_yuan,company.uscc,"
      "registration_date",
      R"({"stage":"REGISTERED","agreementDate":{"year":2024,"month":3,"day":1},)"
      R"("signedInvestmentYuan":"300000000","company":{"name":"苏美达（华中）有限公司",)"
      R"("uscc":"91350100M000100Y43"},"registrationDate":{"year":2024,"month":4,"day":2}})");
  ASSERT_EQ(registered.status, 200) << registered.body;
  auto funds = Http("POST", "/v1/leads/sumec:recordFunds",
                    R"({"arrivalDate":{"year":2024,"month":5,"day":20},"amountYuan":"120000000"})");
  ASSERT_EQ(funds.status, 200) << funds.body;
  EXPECT_EQ(Target("industrial-funds-arrived").actual_value(), "120000000");

  // A target no service holds waits for a hand-made report.
  const v1::Target gdp = Target("gdp-growth");
  EXPECT_TRUE(gdp.actual_value().empty());
  EXPECT_EQ(gdp.health(), v1::TARGET_HEALTH_UNSPECIFIED);
  EXPECT_EQ(gdp.health_reason(), "reported by hand: no value reported yet");

  // The list shows every target of the catalog, with the same figures.
  v1::ListTargetsResponse page;
  auto listed = Http("GET", "/v1/targets?page_size=100");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(listed.body, &page).ok());
  EXPECT_EQ(page.targets_size(), 62);
  EXPECT_TRUE(absl::StrContains(listed.body, "\"actualValue\":\"11000\"")) << listed.body;

  // A service down leaves its targets unknown, and the rest readable.
  ASSERT_TRUE(system_.service("facilities").process->SignalAndWait(SIGKILL, absl::Seconds(5)).ok());
  const v1::Target unknown = Target("parking-spaces");
  EXPECT_EQ(unknown.health(), v1::TARGET_HEALTH_UNSPECIFIED);
  EXPECT_TRUE(absl::StartsWith(unknown.health_reason(), "not known: facilities:"))
      << unknown.health_reason();
  EXPECT_THAT(unknown.unreachable(), ::testing::ElementsAre("facilities"));
  const v1::Target known = Target("expropriation-signed");
  EXPECT_EQ(known.actual_value(), "59000");
  EXPECT_TRUE(known.unreachable().empty());

  // Back on its port, it is asked again at once: the first call on the old
  // connection fails, and the read is tried once more on a new one.
  ASSERT_TRUE(system_.Restart(&system_.service("facilities")).ok());
  const v1::Target back = Target("parking-spaces");
  EXPECT_EQ(back.actual_value(), "11000") << back.health_reason();
  EXPECT_TRUE(back.unreachable().empty());
}

// A new year's report: an ADMIN adds its targets through the API, leaders
// see the latest year by default and any year on asking, and a target that
// recurs shows how last year's ended beside this year's.
TEST_F(TargetsSystemTest, ANewYearHasItsTargetsAndARecurringOneShowsLastYears) {
  auto project = Http("POST", "/v1/projects?project_id=phase-7",
                      R"({"displayName":"汉口滨江国际商务区七期征收","kind":"EXPROPRIATION",)"
                      R"("phase":"UNDER_CONSTRUCTION","leadDepartment":"区征收服务中心"})");
  ASSERT_EQ(project.status, 200) << project.body;
  for (const char* period : {"2024-06", "2025-03"}) {
    auto report = Http("POST", "/v1/projects/phase-7:reportProgress",
                       absl::StrCat(R"({"period":")", period, R"(","percentComplete":10,)",
                                    R"("achieved":{"expropriationSignedSqm":"59000"}})"));
    ASSERT_EQ(report.status, 200) << report.body;
  }
  const std::string year_2025 =
      R"({"displayName":"全年完成征收签约50万平方米","year":2025,"targetValue":"500000",)"
      R"("unit":"平方米","bound":"EXACT","measurement":"COMPUTED","measuredBy":"renewal",)"
      R"("rule":"renewal.reported:expropriation_signed_sqm","ruleText":"征收签约面积合计",)"
      R"("sourceQuote":"全年完成征收签约50万平方米","previousTarget":"targets/expropriation-signed"})";
  // Only an ADMIN changes the catalog, and it is checked as the file is.
  auto editor = testing::HttpRequestTo(
      system_.gateway().http_port, "POST", "/v1/targets?target_id=expropriation-signed-2025",
      year_2025, system_.credentials().Bearer("housing-editor"));
  ASSERT_TRUE(editor.ok());
  EXPECT_EQ(editor->status, 403) << editor->body;
  auto no_unit = Http("POST", "/v1/targets?target_id=expropriation-signed-2025",
                      absl::StrReplaceAll(year_2025, {{R"("unit":"平方米",)", ""}}));
  EXPECT_EQ(no_unit.status, 400) << no_unit.body;
  EXPECT_THAT(no_unit.body, ::testing::HasSubstr("target.unit"));
  auto created = Http("POST", "/v1/targets?target_id=expropriation-signed-2025", year_2025);
  ASSERT_EQ(created.status, 200) << created.body;

  // The latest year by default: 2025, with 2024's result beside it.
  auto latest = Http("GET", "/v1/targets");
  ASSERT_EQ(latest.status, 200) << latest.body;
  v1::ListTargetsResponse listed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(latest.body, &listed).ok());
  EXPECT_EQ(listed.year(), 2025);
  EXPECT_THAT(listed.years(), ::testing::ElementsAre(2024, 2025));
  ASSERT_EQ(listed.targets_size(), 1);
  const v1::Target& signed_2025 = listed.targets(0);
  EXPECT_EQ(signed_2025.actual_value(), "59000");  // 2025's report only
  EXPECT_EQ(signed_2025.previous_result().target(), "targets/expropriation-signed");
  EXPECT_EQ(signed_2025.previous_result().year(), 2024);
  EXPECT_EQ(signed_2025.previous_result().target_value(), "590000");
  EXPECT_EQ(signed_2025.previous_result().actual_value(), "59000");
  EXPECT_EQ(signed_2025.previous_result().health(), v1::RED);
  EXPECT_EQ(signed_2025.previous_result().as_of().month(), 12);
  // Any year on asking.
  auto year_2024 = Http("GET", "/v1/targets?year=2024&pageSize=1000");
  ASSERT_EQ(year_2024.status, 200) << year_2024.body;
  v1::ListTargetsResponse listed_2024;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(year_2024.body, &listed_2024).ok());
  EXPECT_EQ(listed_2024.year(), 2024);
  EXPECT_EQ(listed_2024.targets_size(), 62);

  // The district revises the figure: the change shows at once (the cache
  // drops the answers) and is in the target's history.
  v1::Target before = Target("expropriation-signed-2025");
  auto stale = Http("PATCH", "/v1/targets/expropriation-signed-2025?updateMask=targetValue",
                    R"({"targetValue":"550000","etag":"0"})");
  EXPECT_EQ(stale.status, 409) << stale.body;
  auto revised = Http("PATCH", "/v1/targets/expropriation-signed-2025?updateMask=targetValue",
                      absl::StrCat(R"({"targetValue":"550000","etag":")", before.etag(), R"("})"));
  ASSERT_EQ(revised.status, 200) << revised.body;
  EXPECT_EQ(Target("expropriation-signed-2025").target_value(), "550000");
  auto history = Http("GET", "/v1/targets/expropriation-signed-2025/history");
  ASSERT_EQ(history.status, 200) << history.body;
  EXPECT_THAT(history.body, ::testing::HasSubstr("CreateTarget"));
  EXPECT_THAT(history.body, ::testing::HasSubstr("UpdateTarget"));
  EXPECT_THAT(history.body, ::testing::HasSubstr("550000"));
  auto loaded = Http("GET", "/v1/targets/expropriation-signed/history");
  ASSERT_EQ(loaded.status, 200) << loaded.body;
  EXPECT_THAT(loaded.body, ::testing::HasSubstr("file:"));
}

TEST_F(TargetsSystemTest, ValuesReportedByHandStandAndShowTheirEvidence) {
  const std::string q1 =
      R"({"value":"5.8","asOf":{"year":2024,"month":3,"day":31},"evidence":"区统计局一季度快报"})";
  // Only an ADMIN may record a value for which the report names no department.
  auto refused = testing::HttpRequestTo(system_.gateway().http_port, "POST",
                                        "/v1/targets/gdp-growth:recordTargetValue", q1,
                                        system_.credentials().Bearer("housing-editor"));
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 403) << refused->body;
  EXPECT_TRUE(absl::StrContains(refused->body, "only an ADMIN")) << refused->body;

  auto first = Http("POST", "/v1/targets/gdp-growth:recordTargetValue?request_id=q1", q1);
  ASSERT_EQ(first.status, 200) << first.body;
  // A retry is the same value, not a second one.
  auto retried = Http("POST", "/v1/targets/gdp-growth:recordTargetValue?request_id=q1", q1);
  ASSERT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(retried.body, first.body);
  auto q2 = Http("POST", "/v1/targets/gdp-growth:recordTargetValue",
                 R"({"value":"6.1","asOf":{"year":2024,"month":6,"day":30},)"
                 R"("evidence":"区统计局二季度快报"})");
  ASSERT_EQ(q2.status, 200) << q2.body;

  // The latest day stands, judged as a level (a rate) "about" 7%.
  v1::Target gdp = Target("gdp-growth");
  EXPECT_EQ(gdp.actual_value(), "6.1");
  EXPECT_EQ(gdp.as_of().month(), 6);
  EXPECT_EQ(gdp.evidence(), "区统计局二季度快报");
  EXPECT_TRUE(absl::StartsWith(gdp.reported_value(), "targets/gdp-growth/values/"));
  EXPECT_DOUBLE_EQ(gdp.percent_of_target(), 87.1);
  EXPECT_EQ(gdp.health(), v1::AMBER);
  // Month ends from the first report on: March to May 5.8, then 6.1.
  ASSERT_EQ(gdp.trend_size(), 10);
  EXPECT_EQ(gdp.trend(0).month(), 3);
  EXPECT_EQ(gdp.trend(0).actual_value(), "5.8");
  EXPECT_EQ(gdp.trend(3).month(), 6);
  EXPECT_EQ(gdp.trend(3).actual_value(), "6.1");
  EXPECT_EQ(gdp.trend(9).month(), 12);

  auto values = Http("GET", "/v1/targets/gdp-growth/values");
  ASSERT_EQ(values.status, 200) << values.body;
  EXPECT_TRUE(absl::StrContains(values.body, "区统计局一季度快报")) << values.body;
  EXPECT_TRUE(absl::StrContains(values.body, "区统计局二季度快报")) << values.body;

  // A computed target takes no typed value, and a bad value is refused by field.
  auto computed = Http("POST", "/v1/targets/expropriation-signed:recordTargetValue", q1);
  EXPECT_EQ(computed.status, 400) << computed.body;
  EXPECT_TRUE(absl::StrContains(computed.body, "FAILED_PRECONDITION")) << computed.body;
  EXPECT_TRUE(absl::StrContains(computed.body, "renewal.reported:expropriation_signed_sqm"));
  auto future = Http("POST", "/v1/targets/gdp-growth:recordTargetValue",
                     R"({"value":"7","asOf":{"year":2025,"month":1,"day":1},"evidence":"x"})");
  EXPECT_EQ(future.status, 400) << future.body;
  EXPECT_TRUE(absl::StrContains(future.body, "target_value.as_of")) << future.body;
  EXPECT_EQ(Target("gdp-growth").actual_value(), "6.1");

  // The list shows the standing value too, and filters select.
  v1::ListTargetsResponse reported;
  auto listed = Http("GET", "/v1/targets?page_size=100&filter.measurements=REPORTED");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(listed.body, &reported).ok());
  EXPECT_EQ(reported.targets_size(), 40);
  EXPECT_EQ(reported.targets(0).name(), "targets/gdp-growth");
  EXPECT_EQ(reported.targets(0).actual_value(), "6.1");
  EXPECT_EQ(reported.targets(0).trend_size(), 0);
  v1::ListTargetsResponse amber;
  listed = Http("GET", "/v1/targets?page_size=100&filter.healths=AMBER");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(listed.body, &amber).ok());
  ASSERT_EQ(amber.targets_size(), 1);
  EXPECT_EQ(amber.targets(0).name(), "targets/gdp-growth");
  v1::ListTargetsResponse facilities;
  listed = Http("GET", "/v1/targets?page_size=100&filter.measured_by=facilities");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(listed.body, &facilities).ok());
  EXPECT_EQ(facilities.targets_size(), 9);
  for (const v1::Target& target : facilities.targets()) EXPECT_EQ(target.measured_by(), "facilities");
  // A level climbs from where the report says it stood: 545 digital
  // enterprises at the end of 2023, 560 in June is a quarter of the way.
  ASSERT_EQ(Http("POST", "/v1/targets/digital-enterprises:recordTargetValue",
                 R"({"value":"560","asOf":{"year":2024,"month":6,"day":30},"evidence":"区经信局"})")
                .status,
            200);
  const v1::Target digital = Target("digital-enterprises");
  EXPECT_EQ(digital.starting_level().value(), "545");
  EXPECT_DOUBLE_EQ(digital.percent_of_target(), 27.3);
  EXPECT_DOUBLE_EQ(digital.pace_percent(), 49.7);
  EXPECT_EQ(digital.health(), v1::AMBER) << digital.health_reason();
  auto bad = Http("GET", "/v1/targets?filter.measured_by=weather");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_TRUE(absl::StrContains(bad.body, "filter.measured_by")) << bad.body;
}

// Every target has a department that answers for it: the report's, or one
// an ADMIN assigns (with history), whose EDITORs then record its values.
TEST_F(TargetsSystemTest, AnAdminAssignsWhoAnswersForATargetAndItsEditorsReport) {
  const std::string value =
      R"({"value":"3","asOf":{"year":2024,"month":6,"day":30},"evidence":"区园林局台账"})";
  auto as = [&](const std::string& caller, const std::string& method, const std::string& path,
                const std::string& body = "") {
    auto reply = testing::HttpRequestTo(system_.gateway().http_port, method, path, body,
                                        system_.credentials().Bearer(caller));
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? *reply : testing::HttpResult{};
  };
  // Nobody answers for 新增绿地 yet: only an ADMIN may record it.
  EXPECT_EQ(Target("green-space").responsible_department_source(),
            v1::DEPARTMENT_SOURCE_UNSPECIFIED);
  EXPECT_EQ(as("housing-editor", "POST", "/v1/targets/green-space:recordTargetValue", value).status,
            403);
  // Only an ADMIN assigns.
  const std::string to_housing =
      R"({"department":"区住房和城市更新局","reason":"绿地随老旧小区改造建设","requestId":"a1"})";
  EXPECT_EQ(as("housing-editor", "POST", "/v1/targets/green-space:assignDepartment", to_housing)
                .status,
            403);
  auto assigned = Http("POST", "/v1/targets/green-space:assignDepartment", to_housing);
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  // The same request_id again is the same assignment.
  EXPECT_EQ(Http("POST", "/v1/targets/green-space:assignDepartment", to_housing).body,
            assigned.body);
  v1::Target green = Target("green-space");
  EXPECT_EQ(green.responsible_department(), "区住房和城市更新局");
  EXPECT_EQ(green.responsible_department_source(), v1::ASSIGNED);
  auto recorded = as("housing-editor", "POST", "/v1/targets/green-space:recordTargetValue", value);
  EXPECT_EQ(recorded.status, 200) << recorded.body;

  // Reassigned: the new department answers, the old one no longer records,
  // and the history keeps both.
  ASSERT_EQ(Http("POST", "/v1/targets/green-space:assignDepartment",
                 R"({"department":"区园林和林业局","reason":"按职能调整"})")
                .status,
            200);
  EXPECT_EQ(Target("green-space").responsible_department(), "区园林和林业局");
  EXPECT_EQ(as("housing-editor", "POST", "/v1/targets/green-space:recordTargetValue", value).status,
            403);
  v1::ListDepartmentAssignmentsResponse history;
  auto listed = Http("GET", "/v1/targets/green-space/departmentAssignments");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(listed.body, &history).ok());
  ASSERT_EQ(history.assignments_size(), 2);
  EXPECT_EQ(history.assignments(0).department(), "区住房和城市更新局");
  EXPECT_EQ(history.assignments(1).department(), "区园林和林业局");
  EXPECT_FALSE(history.assignments(1).assigner().empty());
  // The list filters by the department answering now.
  v1::ListTargetsResponse parks;
  listed = Http("GET", "/v1/targets?page_size=100&filter.responsible_departments=区园林和林业局");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(listed.body, &parks).ok());
  ASSERT_EQ(parks.targets_size(), 1);
  EXPECT_EQ(parks.targets(0).name(), "targets/green-space");

  // The report's own words are not reassigned; bad input names its field.
  const v1::Target units = Target("key-renewal-units");
  EXPECT_EQ(units.responsible_department(), "区城市更新公司");
  EXPECT_EQ(units.responsible_department_source(), v1::REPORT);
  auto kept = Http("POST", "/v1/targets/key-renewal-units:assignDepartment",
                   R"({"department":"区住房和城市更新局"})");
  EXPECT_EQ(kept.status, 400) << kept.body;
  EXPECT_TRUE(absl::StrContains(kept.body, "FAILED_PRECONDITION")) << kept.body;
  auto empty = Http("POST", "/v1/targets/green-space:assignDepartment", R"({"department":""})");
  EXPECT_EQ(empty.status, 400) << empty.body;
  EXPECT_TRUE(absl::StrContains(empty.body, "department")) << empty.body;
  EXPECT_EQ(Http("POST", "/v1/targets/no-such:assignDepartment", R"({"department":"x"})").status,
            404);
}

// 续建电力通道 counts power ducts only and 微循环路网 micro-circulation roads
// only, not every pipe and road reported.
TEST_F(TargetsSystemTest, PipesAndRoadsCountByTheirKind) {
  const std::pair<const char*, const char*> projects[] = {
      {"power", R"("pipeKind":"POWER")"},
      {"water", R"("pipeKind":"WATER_SUPPLY")"},
      {"lanes", R"("roadKind":"MICRO_CIRCULATION")"},
      {"avenue", R"("roadKind":"ARTERIAL")"}};
  for (const auto& [id, kind] : projects) {
    auto created = Http("POST", absl::StrCat("/v1/projects?project_id=", id),
                        absl::StrCat(R"({"displayName":")", id, R"(","kind":"INFRASTRUCTURE",)",
                                     R"("phase":"UNDER_CONSTRUCTION",)", kind, "}"));
    ASSERT_EQ(created.status, 200) << created.body;
    auto reported = Http("POST", absl::StrCat("/v1/projects/", id, ":reportProgress"),
                         R"({"period":"2024-05","percentComplete":50,)"
                         R"("achieved":{"pipeLengthM":"1000","roadLengthM":"700"}})");
    ASSERT_EQ(reported.status, 200) << reported.body;
  }
  EXPECT_EQ(Target("power-corridors").actual_value(), "1000");
  EXPECT_EQ(Target("micro-road-network").actual_value(), "700");
  auto bad = Http("POST", "/v1/projects?project_id=bad",
                  R"({"displayName":"x","kind":"INFRASTRUCTURE","pipeKind":99})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_TRUE(absl::StrContains(bad.body, "project.pipe_kind")) << bad.body;
}

// 新改扩建 counts a school expanded in the year, not only one opened; its
// first reading (the school served since 2015) adds no places.
TEST_F(TargetsSystemTest, ASchoolExpandedInTheYearIsBuiltAndAddsOnlyItsNewPlaces) {
  auto school = Http("POST", "/v1/facilities?facility_id=erqi-primary",
                     R"({"displayName":"二七小学","kind":"PRIMARY_SCHOOL","status":"IN_SERVICE",)"
                     R"("statusDate":{"year":2015,"month":9,"day":1},"ownerDepartment":"区教育局",)"
                     R"("ownership":"GOVERNMENT"})");
  ASSERT_EQ(school.status, 200) << school.body;
  for (const char* reading : {R"({"readingDate":{"year":2024,"month":2,"day":1},"capacity":"1200"})",
                              R"({"readingDate":{"year":2024,"month":9,"day":1},"capacity":"1500"})"}) {
    ASSERT_EQ(Http("POST", "/v1/facilities/erqi-primary:recordCapacity", reading).status, 200);
  }
  // A private kindergarten opened in the year is no 公办 school.
  auto private_kindergarten =
      Http("POST", "/v1/facilities?facility_id=sunshine-kindergarten",
           R"({"displayName":"阳光民办幼儿园","kind":"KINDERGARTEN","status":"IN_SERVICE",)"
           R"("statusDate":{"year":2024,"month":9,"day":1},"ownerDepartment":"区教育局",)"
           R"("ownership":"PRIVATE"})");
  ASSERT_EQ(private_kindergarten.status, 200) << private_kindergarten.body;
  ASSERT_EQ(Http("POST", "/v1/facilities/sunshine-kindergarten:recordCapacity",
                 R"({"readingDate":{"year":2024,"month":9,"day":1},"capacity":"180"})")
                .status,
            200);
  EXPECT_EQ(Target("schools-built").actual_value(), "1");
  EXPECT_EQ(Target("school-places").actual_value(), "480");  // places of every school
  auto built = Http("GET", "/v1/targets/schools-built/contributions");
  ASSERT_EQ(built.status, 200) << built.body;
  EXPECT_TRUE(absl::StrContains(built.body, R"("record":"facilities/erqi-primary","value":"1")"))
      << built.body;
}

// 新改建各类公园: a park serving since 2015, closed for rebuilding in March
// 2024 and open again in August, is one park 改建 in 2024 though its area
// did not change; one merely suspended and reopened is not.
TEST_F(TargetsSystemTest, AParkRebuiltInTheYearIsBuiltWithoutACapacityChange) {
  for (const char* id : {"jiefang-park", "zhongshan-park"}) {
    auto park = Http("POST", absl::StrCat("/v1/facilities?facility_id=", id),
                     R"({"displayName":"公园","kind":"PARK","status":"IN_SERVICE",)"
                     R"("statusDate":{"year":2015,"month":5,"day":1},"ownerDepartment":"区园林局"})");
    ASSERT_EQ(park.status, 200) << park.body;
  }
  auto move = [&](const char* id, const char* status, int month) {
    auto moved = Http("PATCH",
                      absl::StrCat("/v1/facilities/", id, "?updateMask=status,statusDate"),
                      absl::StrCat(R"({"status":")", status,
                                   R"(","statusDate":{"year":2024,"month":)", month,
                                   R"(,"day":1}})"));
    ASSERT_EQ(moved.status, 200) << moved.body;
  };
  move("jiefang-park", "UNDER_CONSTRUCTION", 3);
  move("jiefang-park", "IN_SERVICE", 8);
  move("zhongshan-park", "SUSPENDED", 3);
  move("zhongshan-park", "IN_SERVICE", 8);
  const v1::Target parks = Target("parks");
  EXPECT_EQ(parks.actual_value(), "1");
  ASSERT_EQ(parks.trend_size(), 12);
  EXPECT_EQ(parks.trend(6).actual_value(), "0");  // July
  EXPECT_EQ(parks.trend(7).actual_value(), "1");  // August
  auto built = Http("GET", "/v1/targets/parks/contributions");
  ASSERT_EQ(built.status, 200) << built.body;
  EXPECT_TRUE(absl::StrContains(built.body, R"("record":"facilities/jiefang-park","value":"1")"))
      << built.body;
  EXPECT_FALSE(absl::StrContains(built.body, "zhongshan-park")) << built.body;
}

TEST_F(TargetsSystemTest, AComputedTargetShowsItsActualAtEachMonthEnd) {
  auto project = Http("POST", "/v1/projects?project_id=phase-8",
                      R"({"displayName":"二七片区征收","kind":"EXPROPRIATION",)"
                      R"("phase":"UNDER_CONSTRUCTION","leadDepartment":"区征收服务中心"})");
  ASSERT_EQ(project.status, 200) << project.body;
  for (const char* report : {R"({"period":"2024-03","percentComplete":10,)"
                             R"("achieved":{"expropriationSignedSqm":"100000"}})",
                             R"({"period":"2024-09","percentComplete":40,)"
                             R"("achieved":{"expropriationSignedSqm":"200000"}})"}) {
    auto reported = Http("POST", "/v1/projects/phase-8:reportProgress", report);
    ASSERT_EQ(reported.status, 200) << reported.body;
  }
  // The trend of twelve months is one question to renewal, grouped by month.
  auto summaries = [&] {
    return testing::SumOfMetric(system_.service("renewal").http_port,
                                "grpc_server_handled_total{grpc_service=\"jiangan.renewal.v1."
                                "RenewalService\",grpc_method=\"SummarizeProjects\"");
  };
  const int64_t summaries_before = summaries();
  const v1::Target signed_sqm = Target("expropriation-signed");
  EXPECT_EQ(summaries() - summaries_before, 1);
  // The ten renewal targets of a list share their questions: one for every
  // kind, and one each for the power ducts and the micro roads they filter.
  const int64_t listed_before = summaries();
  ASSERT_EQ(Http("GET", "/v1/targets?pageSize=100").status, 200);
  EXPECT_EQ(summaries() - listed_before, 3);
  EXPECT_EQ(signed_sqm.actual_value(), "300000");
  EXPECT_EQ(signed_sqm.as_of().month(), 12);
  EXPECT_EQ(signed_sqm.as_of().day(), 31);
  ASSERT_EQ(signed_sqm.trend_size(), 12);
  EXPECT_EQ(signed_sqm.trend(1).actual_value(), "0");
  EXPECT_EQ(signed_sqm.trend(2).actual_value(), "100000");
  EXPECT_EQ(signed_sqm.trend(7).actual_value(), "100000");
  EXPECT_EQ(signed_sqm.trend(8).actual_value(), "300000");
  EXPECT_EQ(signed_sqm.trend(11).actual_value(), "300000");
}

TEST_F(TargetsSystemTest, TheWeeklyReportDownloadsAsAWorkbookAndAsCsv) {
  auto project = Http("POST", "/v1/projects?project_id=phase-9",
                      R"({"displayName":"汉口滨江国际商务区九期征收","kind":"EXPROPRIATION",)"
                      R"("phase":"UNDER_CONSTRUCTION","leadDepartment":"区征收服务中心"})");
  ASSERT_EQ(project.status, 200) << project.body;
  auto report = Http("POST", "/v1/projects/phase-9:reportProgress",
                     R"({"period":"2024-06","percentComplete":10,)"
                     R"("achieved":{"expropriationSignedSqm":"59000"}})");
  ASSERT_EQ(report.status, 200) << report.body;

  auto csv = Http("GET", "/v1/targets:export?format=CSV&filter.measured_by=renewal");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_TRUE(absl::StartsWith(csv.headers["content-disposition"], "attachment; filename="))
      << csv.headers["content-disposition"];
  EXPECT_TRUE(absl::StrContains(csv.headers["content-disposition"], ".csv"));
  EXPECT_TRUE(absl::StartsWith(csv.body, "\xEF\xBB\xBF序号,目标,"));
  EXPECT_TRUE(absl::StrContains(csv.body, ",590000,59000,10.0,100.0,严重滞后,")) << csv.body;
  // Only renewal's targets: 10 of them, after the header.
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 11);

  auto xlsx = Http("GET", "/v1/targets:export");
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  EXPECT_EQ(xlsx.content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  const std::string dir = testing::MakeTempDir();
  {
    std::ofstream out(dir + "/report.xlsx", std::ios::binary);
    out << xlsx.body;
  }
  const std::string command =
      absl::StrCat("python3 ", JIANGAN_SOURCE_DIR, "/tests/e2e/read_workbook.py ", dir,
                   "/report.xlsx > ", dir, "/cells.txt 2>&1");
  ASSERT_EQ(std::system(command.c_str()), 0) << ReadFileToString(dir + "/cells.txt").value_or("");
  const std::vector<std::string> rows =
      absl::StrSplit(ReadFileToString(dir + "/cells.txt").value_or(""), '\n', absl::SkipEmpty());
  ASSERT_EQ(rows.size(), 64u);  // the sheet's name, the header, 62 targets
  EXPECT_EQ(rows[0], "目标完成情况");
  EXPECT_TRUE(absl::StartsWith(rows[1], "序号[DDEBF7]\t目标[DDEBF7]")) << rows[1];
  bool found = false;
  for (const std::string& row : rows) {
    const std::vector<std::string> cells = absl::StrSplit(row, '\t');
    if (cells.size() < 8 || cells[1] != "全年完成征收签约59万平方米") continue;
    found = true;
    EXPECT_EQ(cells[3], "590000");  // numbers as numbers
    EXPECT_EQ(cells[4], "59000");
    EXPECT_EQ(cells[7], "严重滞后[FFC7CE]");
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(absl::StrContains(rows[2], "未知[D9D9D9]")) << rows[2];

  auto bad = Http("GET", "/v1/targets:export?format=PDF");
  EXPECT_EQ(bad.status, 400) << bad.body;
}

TEST_F(TargetsSystemTest, ALeaderDrillsFromATargetToTheRecordsBehindIt) {
  // Three projects: two signed in 2024, one only in 2023.
  for (const char* id : {"erqi", "huangpu", "dazhi"}) {
    auto project = Http("POST", absl::StrCat("/v1/projects?project_id=", id),
                        absl::StrCat(R"({"displayName":")", id, R"(征收","kind":"EXPROPRIATION",)",
                                     R"("phase":"UNDER_CONSTRUCTION","leadDepartment":"区征收服务中心"})"));
    ASSERT_EQ(project.status, 200) << project.body;
  }
  const std::pair<const char*, const char*> reports[] = {
      {"erqi", R"({"period":"2024-04","percentComplete":10,"achieved":{"expropriationSignedSqm":"30000"}})"},
      {"huangpu", R"({"period":"2024-05","percentComplete":10,"achieved":{"expropriationSignedSqm":"120000"}})"},
      {"erqi", R"({"period":"2024-08","percentComplete":20,"achieved":{"expropriationSignedSqm":"20000"}})"},
      {"dazhi", R"({"period":"2023-11","percentComplete":30,"achieved":{"expropriationSignedSqm":"99000"}})"}};
  for (const auto& [id, body] : reports) {
    auto reported = Http("POST", absl::StrCat("/v1/projects/", id, ":reportProgress"), body);
    ASSERT_EQ(reported.status, 200) << reported.body;
  }
  auto page = Http("GET", "/v1/targets/expropriation-signed/contributions?page_size=1");
  ASSERT_EQ(page.status, 200) << page.body;
  v1::ListTargetContributionsResponse first;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(page.body, &first).ok()) << page.body;
  ASSERT_EQ(first.contributions_size(), 1);
  EXPECT_EQ(first.contributions(0).record(), "projects/huangpu");
  EXPECT_EQ(first.contributions(0).value(), "120000");
  EXPECT_EQ(first.total_size(), 2);  // dazhi signed nothing in 2024
  ASSERT_FALSE(first.next_page_token().empty());
  page = Http("GET", "/v1/targets/expropriation-signed/contributions?page_size=1&page_token=" +
                         first.next_page_token());
  ASSERT_EQ(page.status, 200) << page.body;
  v1::ListTargetContributionsResponse second;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(page.body, &second).ok()) << page.body;
  ASSERT_EQ(second.contributions_size(), 1);
  EXPECT_EQ(second.contributions(0).record(), "projects/erqi");
  EXPECT_EQ(second.contributions(0).value(), "50000");
  EXPECT_TRUE(second.next_page_token().empty());
  // The record itself is one call away.
  EXPECT_EQ(Http("GET", "/v1/" + second.contributions(0).record()).status, 200);

  // Facilities and leads drill down the same way.
  auto lot = Http("POST", "/v1/facilities?facility_id=erqi-lot",
                  R"({"displayName":"二七停车场","kind":"PARKING","status":"IN_SERVICE",)"
                  R"("statusDate":{"year":2024,"month":4,"day":1},)"
                  R"("ownerDepartment":"区城管执法局"})");
  ASSERT_EQ(lot.status, 200) << lot.body;
  ASSERT_EQ(Http("POST", "/v1/facilities/erqi-lot:recordCapacity",
                 R"({"readingDate":{"year":2024,"month":5,"day":1},"capacity":"400"})")
                .status,
            200);
  auto parking = Http("GET", "/v1/targets/parking-spaces/contributions");
  ASSERT_EQ(parking.status, 200) << parking.body;
  EXPECT_TRUE(absl::StrContains(parking.body, R"("record":"facilities/erqi-lot","value":"400")"))
      << parking.body;

  // 新增和更换健身器材: the sets added show in capacity, replacements are
  // reported on top with their evidence, and both are parts of the actual.
  auto site = Http("POST", "/v1/facilities?facility_id=erqi-fitness",
                   R"({"displayName":"二七健身点","kind":"FITNESS_EQUIPMENT_SITE",)"
                   R"("status":"IN_SERVICE","statusDate":{"year":2024,"month":3,"day":1},)"
                   R"("ownerDepartment":"区文化和旅游局"})");
  ASSERT_EQ(site.status, 200) << site.body;
  ASSERT_EQ(Http("POST", "/v1/facilities/erqi-fitness:recordCapacity",
                 R"({"readingDate":{"year":2024,"month":3,"day":1},"capacity":"30"})")
                .status,
            200);
  auto replaced = Http("POST", "/v1/targets/fitness-equipment:recordTargetValue",
                       R"({"value":"120","asOf":{"year":2024,"month":6,"day":30},)"
                       R"("evidence":"区文旅局健身器材更换台账"})");
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  const v1::Target fitness = Target("fitness-equipment");
  EXPECT_EQ(fitness.actual_value(), "150");
  EXPECT_EQ(fitness.adjustment_value(), "120");
  EXPECT_EQ(fitness.evidence(), "区文旅局健身器材更换台账");
  auto fitness_parts = Http("GET", "/v1/targets/fitness-equipment/contributions");
  ASSERT_EQ(fitness_parts.status, 200) << fitness_parts.body;
  EXPECT_TRUE(absl::StrContains(fitness_parts.body,
                                R"("record":"facilities/erqi-fitness","value":"30")"))
      << fitness_parts.body;
  EXPECT_TRUE(absl::StrContains(fitness_parts.body, R"("value":"120")")) << fitness_parts.body;
  // A target whose catalog names no adjustment takes none.
  auto refused = Http("POST", "/v1/targets/parking-spaces:recordTargetValue",
                      R"({"value":"5","asOf":{"year":2024,"month":6,"day":30},"evidence":"x"})");
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_TRUE(absl::StrContains(refused.body, "FAILED_PRECONDITION")) << refused.body;

  // A reported target's records are its values, latest recorded first.
  for (const char* value : {"5.8", "6.1"}) {
    ASSERT_EQ(Http("POST", "/v1/targets/gdp-growth:recordTargetValue",
                   absl::StrCat(R"({"value":")", value,
                                R"(","asOf":{"year":2024,"month":6,"day":30},"evidence":"快报"})"))
                  .status,
              200);
  }
  v1::ListTargetContributionsResponse gdp;
  auto values = Http("GET", "/v1/targets/gdp-growth/contributions");
  ASSERT_EQ(values.status, 200) << values.body;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(values.body, &gdp).ok());
  ASSERT_EQ(gdp.contributions_size(), 2);
  EXPECT_EQ(gdp.contributions(0).value(), "6.1");
  EXPECT_TRUE(absl::StartsWith(gdp.contributions(0).record(), "targets/gdp-growth/values/"));

  EXPECT_EQ(Http("GET", "/v1/targets/no-such-target/contributions").status, 404);
}

TEST_F(TargetsSystemTest, AnswersComeFromTheCacheUntilAWriteChangesThem) {
  auto portfolio = v1::PortfolioService::NewStub(system_.GatewayChannel());
  v1::ListTargetsRequest all;
  all.set_page_size(100);
  // Reads as `caller` and returns the answer and its x-jiangan-cache header.
  auto list = [&](const std::string& caller = "viewer") {
    v1::ListTargetsResponse response;
    auto context = system_.CallAs(caller);
    grpc::Status status = portfolio->ListTargets(context.get(), all, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return std::make_pair(response, testing::CacheHeader(*context));
  };
  auto signed_sqm = [](const v1::ListTargetsResponse& page) {
    for (const v1::Target& target : page.targets()) {
      if (target.name() == "targets/expropriation-signed") return target.actual_value();
    }
    return std::string("missing");
  };
  auto wait_for_hit = [&] {
    // Fills land in the background: give the first one a moment.
    for (int i = 0; i < 50; ++i) {
      if (list().second == "hit") return true;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return false;
  };
  EXPECT_EQ(list().second, "miss");
  ASSERT_TRUE(wait_for_hit());
  // The same answer for another caller: targets carry nothing personal.
  EXPECT_EQ(list("admin").second, "hit");

  // A write through the gateway drops the answers before it is acknowledged.
  auto project = Http("POST", "/v1/projects?project_id=phase-10",
                      R"({"displayName":"十期征收","kind":"EXPROPRIATION",)"
                      R"("phase":"UNDER_CONSTRUCTION","leadDepartment":"区征收服务中心"})");
  ASSERT_EQ(project.status, 200) << project.body;
  ASSERT_TRUE(wait_for_hit());
  ASSERT_EQ(Http("POST", "/v1/projects/phase-10:reportProgress",
                 R"({"period":"2024-07","percentComplete":10,)"
                 R"("achieved":{"expropriationSignedSqm":"4321"}})")
                .status,
            200);
  auto [after, header] = list();
  EXPECT_EQ(header, "miss");
  EXPECT_EQ(signed_sqm(after), "4321");
  ASSERT_TRUE(wait_for_hit());

  // So does a value reported by hand.
  ASSERT_EQ(Http("POST", "/v1/targets/gdp-growth:recordTargetValue",
                 R"({"value":"6.1","asOf":{"year":2024,"month":6,"day":30},"evidence":"快报"})")
                .status,
            200);
  auto [reported, reported_header] = list();
  EXPECT_EQ(reported_header, "miss");
  EXPECT_EQ(reported.targets(0).actual_value(), "6.1");

  // An answer with a service down is not kept: it would hide the figures
  // once the service is back.
  ASSERT_TRUE(system_.service("facilities").process->SignalAndWait(SIGKILL, absl::Seconds(5)).ok());
  ASSERT_EQ(Http("POST", "/v1/projects/phase-10:reportProgress",
                 R"({"period":"2024-08","percentComplete":20,)"
                 R"("achieved":{"expropriationSignedSqm":"1"}})")
                .status,
            200);
  EXPECT_EQ(list().second, "miss");
  absl::SleepFor(absl::Milliseconds(500));
  auto [partial, partial_header] = list();
  EXPECT_EQ(partial_header, "miss");
  EXPECT_EQ(signed_sqm(partial), "4322");
  // The answer says what it lacks, for the dashboard to show.
  EXPECT_THAT(partial.unreachable(), ::testing::ElementsAre("facilities"));
}

}  // namespace
}  // namespace jiangan
