// The facilities service end to end: a real redis-server and the four real
// binaries, called through the gateway over gRPC and HTTP/JSON as the
// district's departments and tools would.
#include <grpcpp/grpcpp.h>

#include <csignal>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "jiangan/facilities/v1/facilities.grpc.pb.h"
#include "jiangan/renewal/v1/renewal.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"
#include "tests/support/status_matchers.h"
#include "tests/support/system_under_test.h"

namespace jiangan {
namespace {

namespace v1 = facilities::v1;
using testing::kHousingDepartment;
using testing::IsOkAndHolds;
using ::testing::HasSubstr;

class FacilitiesSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::Status started = system_.Start();
    ASSERT_TRUE(started.ok()) << started;
    gateway_ = v1::FacilitiesService::NewStub(system_.GatewayChannel());
  }

  std::unique_ptr<grpc::ClientContext> As(const std::string& caller) const {
    return system_.CallAs(caller);
  }

  absl::StatusOr<testing::HttpResult> Http(const std::string& method, const std::string& target,
                                           const std::string& body = "") const {
    return testing::HttpRequestTo(system_.gateway().http_port, method, target, body,
                         system_.credentials().Bearer("housing-editor"));
  }

  template <typename Message>
  static Message FromJson(const std::string& json) {
    Message message;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &message).ok()) << json;
    return message;
  }

  grpc::Status CreateFacility(const std::string& id, const std::string& display_name,
                              v1::FacilityKind kind, double latitude, double longitude,
                              v1::Facility* created, const std::string& project = "") {
    v1::CreateFacilityRequest request;
    request.set_facility_id(id);
    v1::Facility* facility = request.mutable_facility();
    facility->set_display_name(display_name);
    facility->set_kind(kind);
    facility->set_status(v1::IN_SERVICE);
    // Opened this year: its first capacity is new capacity.
    facility->mutable_status_date()->set_year(2024);
    facility->mutable_status_date()->set_month(1);
    facility->mutable_status_date()->set_day(15);
    facility->set_owner_department(kHousingDepartment);
    facility->mutable_location()->set_latitude(latitude);
    facility->mutable_location()->set_longitude(longitude);
    facility->set_renewal_project(project);
    return gateway_->CreateFacility(As("housing-editor").get(), request, created);
  }

  testing::SystemUnderTest system_;
  std::unique_ptr<v1::FacilitiesService::Stub> gateway_;
};

TEST_F(FacilitiesSystemTest, LinksToRenewalProjectsAreChecked) {
  auto renewal = renewal::v1::RenewalService::NewStub(system_.GatewayChannel());
  renewal::v1::CreateProjectRequest project;
  project.set_project_id("tazihu-complex");
  project.mutable_project()->set_display_name("塔子湖街道养老服务综合体建设");
  project.mutable_project()->set_kind(renewal::v1::OTHER);
  project.mutable_project()->set_lead_department(kHousingDepartment);
  renewal::v1::Project made;
  grpc::Status status = renewal->CreateProject(As("housing-editor").get(), project, &made);
  ASSERT_TRUE(status.ok()) << status.error_message();

  v1::Facility facility;
  status = CreateFacility("tazihu-elderly", "塔子湖街道养老服务综合体", v1::ELDERLY_CARE_CENTER,
                          30.66, 114.30, &facility, "projects/tazihu-complex");
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(facility.renewal_project(), "projects/tazihu-complex");
  status = CreateFacility("nowhere", "无项目设施", v1::PARK, 30.66, 114.30, &facility,
                          "projects/no-such-project");
  EXPECT_EQ(status.error_code(), grpc::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(),
            "facility.renewal_project: projects/no-such-project does not exist in the renewal "
            "service");
  status = CreateFacility("badlink", "坏链接", v1::PARK, 30.66, 114.30, &facility, "leads/x");
  EXPECT_EQ(status.error_code(), grpc::INVALID_ARGUMENT);

  // Renewal down: a link cannot be checked, so it is refused as retryable;
  // a facility without one is still recorded.
  ASSERT_TRUE(system_.service("renewal").process->SignalAndWait(SIGKILL, absl::Seconds(5)).ok());
  status = CreateFacility("later", "稍后设施", v1::PARK, 30.66, 114.30, &facility,
                          "projects/tazihu-complex");
  EXPECT_EQ(status.error_code(), grpc::UNAVAILABLE) << status.error_message();
  EXPECT_TRUE(absl::StrContains(status.error_message(), "facility.renewal_project"));
  status = CreateFacility("unlinked", "无链接设施", v1::PARK, 30.66, 114.30, &facility);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

// The CLI's seed sends consecutive creates as BatchCreateFacilities, and a
// file applied again creates nothing more (each create has a request_id).
TEST_F(FacilitiesSystemTest, ASeedFileLoadsInBatchesOnceHoweverOftenApplied) {
  const std::string file = absl::StrCat(testing::MakeTempDir(), "/facilities.jsonl");
  ASSERT_EQ(std::system(absl::StrCat(JIANGAN_CLI, " synthesize-facilities 40 > ", file).c_str()),
            0);
  const std::string seed = absl::StrCat(
      JIANGAN_CLI, " --target=127.0.0.1:", system_.gateway().grpc_port, " --authorization='",
      system_.credentials().Bearer("admin"), "' --batch=16 seed ", file);
  EXPECT_THAT(testing::CommandOutput(seed),
              IsOkAndHolds(HasSubstr(": 40 applied, 0 already present, in 3 calls")));
  EXPECT_THAT(testing::CommandOutput(seed), IsOkAndHolds(HasSubstr(" in 3 calls")));
  v1::ListFacilitiesRequest list;
  list.set_page_size(100);
  v1::ListFacilitiesResponse page;
  ASSERT_TRUE(gateway_->ListFacilities(As("viewer").get(), list, &page).ok());
  EXPECT_EQ(page.facilities_size(), 40);
}

TEST_F(FacilitiesSystemTest, CapacitySearchCoverageAndSummaryOverGrpcAndHttp) {
  v1::Facility kindergarten;
  ASSERT_TRUE(CreateFacility("houhu-kindergarten", "后湖幼儿园", v1::KINDERGARTEN, 30.6500, 114.3000,
                             &kindergarten)
                  .ok());
  v1::Facility park;
  ASSERT_TRUE(CreateFacility("houhu-park", "后湖口袋公园", v1::PARK, 30.6510, 114.3000, &park).ok());
  v1::Facility far;
  ASSERT_TRUE(CreateFacility("far-library", "远处图书馆", v1::LIBRARY, 30.7000, 114.3500, &far).ok());

  // The cached Get sees a capacity reading at once (read-your-writes).
  v1::GetFacilityRequest get;
  get.set_name("facilities/houhu-kindergarten");
  v1::Facility got;
  ASSERT_TRUE(gateway_->GetFacility(As("viewer").get(), get, &got).ok());
  ASSERT_TRUE(gateway_->GetFacility(As("viewer").get(), get, &got).ok());
  EXPECT_EQ(got.capacity(), 0);
  auto recorded = Http("POST", "/v1/facilities/houhu-kindergarten:recordCapacity",
                       R"({"readingDate":{"year":2024,"month":9,"day":1},"capacity":"270",)"
                       R"("inUse":"250","note":"2024年秋季学期"})");
  ASSERT_TRUE(recorded.ok());
  ASSERT_EQ(recorded->status, 200) << recorded->body;
  auto reading = FromJson<v1::CapacityReading>(recorded->body);
  EXPECT_TRUE(absl::StartsWith(reading.name(), "facilities/houhu-kindergarten/capacityReadings/"));
  ASSERT_TRUE(gateway_->GetFacility(As("viewer").get(), get, &got).ok());
  EXPECT_EQ(got.capacity(), 270);
  EXPECT_EQ(got.in_use(), 250);
  auto readings = Http("GET", "/v1/facilities/houhu-kindergarten/capacityReadings");
  ASSERT_EQ(readings->status, 200) << readings->body;
  EXPECT_EQ(FromJson<v1::ListCapacityReadingsResponse>(readings->body).capacity_readings_size(), 1);

  // Nearest first, over gRPC and HTTP.
  v1::SearchNearbyRequest search;
  search.mutable_point()->set_latitude(30.6500);
  search.mutable_point()->set_longitude(114.3001);
  search.set_radius_meters(1000);
  v1::SearchNearbyResponse nearby;
  ASSERT_TRUE(gateway_->SearchNearby(As("viewer").get(), search, &nearby).ok());
  ASSERT_EQ(nearby.results_size(), 2);
  EXPECT_EQ(nearby.results(0).facility().name(), "facilities/houhu-kindergarten");
  EXPECT_NEAR(nearby.results(0).distance_meters(), 9.6, 0.2);
  EXPECT_EQ(nearby.results(1).facility().name(), "facilities/houhu-park");
  auto http_nearby = Http("GET",
                          "/v1/facilities:searchNearby?point.latitude=30.65&point.longitude=114.3"
                          "&radiusMeters=20000&kinds=LIBRARY");
  ASSERT_EQ(http_nearby->status, 200) << http_nearby->body;
  auto libraries = FromJson<v1::SearchNearbyResponse>(http_nearby->body);
  ASSERT_EQ(libraries.results_size(), 1);
  EXPECT_EQ(libraries.results(0).facility().name(), "facilities/far-library");
  auto bad_search = Http("GET", "/v1/facilities:searchNearby?radiusMeters=10");
  EXPECT_EQ(bad_search->status, 400);
  EXPECT_TRUE(absl::StrContains(bad_search->body, "point: is required")) << bad_search->body;

  // One point's access, by HTTP GET.
  auto assessed = Http("GET",
                       "/v1/facilities:assessCoverage?point.latitude=30.6505&point.longitude=114.3"
                       "&profile=FIVE_MINUTE_LIVING_CIRCLE");
  ASSERT_EQ(assessed->status, 200) << assessed->body;
  auto access = FromJson<v1::AssessCoverageResponse>(assessed->body);
  ASSERT_EQ(access.kinds_size(), 5);
  EXPECT_EQ(access.kinds(0).kind(), v1::KINDERGARTEN);
  EXPECT_EQ(access.kinds(0).nearest(), "facilities/houhu-kindergarten");
  EXPECT_TRUE(access.kinds(0).within_circle());
  EXPECT_FALSE(access.covered());  // no childcare, elderly point or fitness site

  // Many points' coverage, POSTed with the points as the body.
  auto reported = Http(
      "POST", "/v1/facilities:reportCoverage",
      R"({"profile":"FIVE_MINUTE_LIVING_CIRCLE","points":[)"
      R"({"label":"后湖小区","location":{"latitude":30.6502,"longitude":114.3002},"population":"3000"},)"
      R"({"label":"远处小区","location":{"latitude":30.6000,"longitude":114.2700},"population":"1000"}]})");
  ASSERT_EQ(reported->status, 200) << reported->body;
  auto report = FromJson<v1::ReportCoverageResponse>(reported->body);
  EXPECT_EQ(report.total_population(), 4000);
  ASSERT_EQ(report.kinds(0).kind(), v1::KINDERGARTEN);
  EXPECT_EQ(report.kinds(0).reachable_population(), 3000);
  EXPECT_TRUE(report.kinds(0).capacity_aware());
  EXPECT_EQ(report.kinds(0).demand(), 120);  // 30 seats per 1,000 residents
  EXPECT_EQ(report.uncovered_point_count(), 2);
  EXPECT_EQ(report.uncovered_points(0).label(), "后湖小区");
  auto refused = Http("POST", "/v1/facilities:reportCoverage", R"({"profile":"FIVE_MINUTE_LIVING_CIRCLE"})");
  EXPECT_EQ(refused->status, 400);
  EXPECT_TRUE(absl::StrContains(refused->body, "points: must hold 1 to 20000")) << refused->body;

  // This year's summary by kind, over HTTP.
  auto summary = Http("GET", "/v1/facilities:summarize?groupBy=BY_KIND&periodStart.year=2024"
                             "&periodStart.month=1&periodStart.day=1&periodEnd.year=2024"
                             "&periodEnd.month=12&periodEnd.day=31");
  ASSERT_EQ(summary->status, 200) << summary->body;
  auto groups = FromJson<v1::SummarizeFacilitiesResponse>(summary->body);
  ASSERT_EQ(groups.groups_size(), 3);
  EXPECT_EQ(groups.groups(0).kind(), v1::KINDERGARTEN);
  ASSERT_EQ(groups.groups(0).capacities_size(), 1);
  EXPECT_EQ(groups.groups(0).capacities(0).added(), 270);

  // Deleted over HTTP: out of searches; history kept; undeleted back.
  auto deleted = Http("DELETE", "/v1/facilities/houhu-kindergarten");
  ASSERT_EQ(deleted->status, 200) << deleted->body;
  nearby.Clear();
  ASSERT_TRUE(gateway_->SearchNearby(As("viewer").get(), search, &nearby).ok());
  ASSERT_EQ(nearby.results_size(), 1);
  EXPECT_EQ(gateway_->GetFacility(As("viewer").get(), get, &got).error_code(), grpc::NOT_FOUND);
  auto history = Http("GET", "/v1/facilities/houhu-kindergarten/history");
  ASSERT_EQ(history->status, 200) << history->body;
  auto changes = FromJson<v1::ListFacilityHistoryResponse>(history->body);
  ASSERT_EQ(changes.changes_size(), 3);
  EXPECT_EQ(changes.changes(1).method(), "RecordCapacity");
  EXPECT_EQ(changes.changes(2).method(), "DeleteFacility");
  auto undeleted = Http("POST", "/v1/facilities/houhu-kindergarten:undelete");
  ASSERT_EQ(undeleted->status, 200) << undeleted->body;
  ASSERT_TRUE(gateway_->GetFacility(As("viewer").get(), get, &got).ok());
  EXPECT_EQ(got.capacity(), 270);

  // A viewer reads but does not write; another department's editor cannot
  // change the housing bureau's facility.
  v1::UpdateFacilityRequest update;
  update.mutable_facility()->set_name("facilities/houhu-kindergarten");
  update.mutable_facility()->set_status(v1::SUSPENDED);
  update.mutable_update_mask()->add_paths("status");
  v1::Facility updated;
  EXPECT_EQ(gateway_->UpdateFacility(As("viewer").get(), update, &updated).error_code(),
            grpc::PERMISSION_DENIED);
  EXPECT_EQ(gateway_->UpdateFacility(As("transport-editor").get(), update, &updated).error_code(),
            grpc::PERMISSION_DENIED);
  ASSERT_TRUE(gateway_->UpdateFacility(As("housing-editor").get(), update, &updated).ok());
  EXPECT_EQ(updated.status(), v1::SUSPENDED);
  // Suspended: no longer the nearest kindergarten in service.
  assessed = Http("GET",
                  "/v1/facilities:assessCoverage?point.latitude=30.6505&point.longitude=114.3"
                  "&profile=FIVE_MINUTE_LIVING_CIRCLE");
  EXPECT_TRUE(FromJson<v1::AssessCoverageResponse>(assessed->body).kinds(0).nearest().empty());
}

// The methods the HTTP test reaches over HTTP, called as a department's
// gRPC client would.
TEST_F(FacilitiesSystemTest, EveryMethodOverGrpc) {
  v1::Facility school;
  ASSERT_TRUE(CreateFacility("houhu-primary", "后湖小学", v1::PRIMARY_SCHOOL, 30.6500, 114.3000,
                             &school)
                  .ok());
  v1::RecordCapacityRequest record;
  record.set_parent(school.name());
  record.set_request_id("autumn-2024");
  *record.mutable_capacity_reading()->mutable_reading_date() = [] {
    type::v1::Date date;
    date.set_year(2024);
    date.set_month(9);
    date.set_day(1);
    return date;
  }();
  record.mutable_capacity_reading()->set_capacity(1800);
  v1::CapacityReading reading;
  grpc::Status status = gateway_->RecordCapacity(As("housing-editor").get(), record, &reading);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::CapacityReading again;
  ASSERT_TRUE(gateway_->RecordCapacity(As("housing-editor").get(), record, &again).ok());
  EXPECT_EQ(again.name(), reading.name());  // the retry stored nothing new
  v1::ListCapacityReadingsRequest list_readings;
  list_readings.set_parent(school.name());
  v1::ListCapacityReadingsResponse readings;
  ASSERT_TRUE(gateway_->ListCapacityReadings(As("viewer").get(), list_readings, &readings).ok());
  EXPECT_EQ(readings.capacity_readings_size(), 1);

  v1::AssessCoverageRequest assess;
  assess.mutable_point()->set_latitude(30.651);
  assess.mutable_point()->set_longitude(114.300);
  assess.set_profile(v1::TEN_MINUTE_LIVING_CIRCLE);
  v1::AssessCoverageResponse access;
  ASSERT_TRUE(gateway_->AssessCoverage(As("viewer").get(), assess, &access).ok());
  ASSERT_EQ(access.kinds(0).kind(), v1::PRIMARY_SCHOOL);
  EXPECT_NEAR(access.kinds(0).distance_meters(), 111.2, 0.5);
  EXPECT_DOUBLE_EQ(access.kinds(0).walking_minutes(), 1.8);

  v1::ReportCoverageRequest report;
  report.set_profile(v1::TEN_MINUTE_LIVING_CIRCLE);
  v1::ResidentialPoint* point = report.add_points();
  point->set_label("后湖小区");
  point->mutable_location()->set_latitude(30.651);
  point->mutable_location()->set_longitude(114.300);
  point->set_population(50000);  // needs 3,000 seats at 60 per 1,000
  v1::ReportCoverageResponse coverage;
  ASSERT_TRUE(gateway_->ReportCoverage(As("viewer").get(), report, &coverage).ok());
  EXPECT_TRUE(coverage.kinds(0).capacity_aware());
  EXPECT_EQ(coverage.kinds(0).served_population(), 30000);  // 1,800 of 3,000 seats
  EXPECT_EQ(coverage.uncovered_points(0).short_kinds(0), v1::PRIMARY_SCHOOL);

  v1::SummarizeFacilitiesRequest summarize;
  summarize.add_group_by(v1::BY_STATUS);
  v1::SummarizeFacilitiesResponse summary;
  ASSERT_TRUE(gateway_->SummarizeFacilities(As("viewer").get(), summarize, &summary).ok());
  ASSERT_EQ(summary.groups_size(), 1);
  EXPECT_EQ(summary.groups(0).status(), v1::IN_SERVICE);
  EXPECT_EQ(summary.groups(0).capacities(0).capacity(), 1800);

  v1::ListFacilitiesRequest list;
  list.mutable_filter()->add_kinds(v1::PRIMARY_SCHOOL);
  list.set_order_by("capacity desc");
  v1::ListFacilitiesResponse page;
  ASSERT_TRUE(gateway_->ListFacilities(As("viewer").get(), list, &page).ok());
  ASSERT_EQ(page.facilities_size(), 1);
  list.set_order_by("population");
  EXPECT_EQ(gateway_->ListFacilities(As("viewer").get(), list, &page).error_code(),
            grpc::INVALID_ARGUMENT);

  v1::DeleteFacilityRequest remove;
  remove.set_name(school.name());
  remove.set_etag("stale");
  v1::Facility removed;
  EXPECT_EQ(gateway_->DeleteFacility(As("housing-editor").get(), remove, &removed).error_code(),
            grpc::ABORTED);
  remove.clear_etag();
  ASSERT_TRUE(gateway_->DeleteFacility(As("housing-editor").get(), remove, &removed).ok());
  v1::UndeleteFacilityRequest restore;
  restore.set_name(school.name());
  ASSERT_TRUE(gateway_->UndeleteFacility(As("housing-editor").get(), restore, &removed).ok());
  v1::ListFacilityHistoryRequest history_request;
  history_request.set_parent(school.name());
  v1::ListFacilityHistoryResponse history;
  ASSERT_TRUE(gateway_->ListFacilityHistory(As("viewer").get(), history_request, &history).ok());
  EXPECT_EQ(history.changes_size(), 4);  // create, capacity, delete, undelete
}

}  // namespace
}  // namespace jiangan
