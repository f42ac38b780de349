// The facilities store on a real SQLite file, with a clock the test sets:
// the life cycle, capacity history, the spatial index against a brute-force
// answer, coverage and the summary of a period.
#include "services/facilities/facility_store.h"
#include "services/facilities/facility_sql.h"
#include "tests/support/test_database.h"

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/geo/earth.h"
#include "common/storage/copy_to_postgres.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/child_process.h"
#include "tests/support/status_matchers.h"

namespace jiangan::facilities {
namespace {

using ::jiangan::testing::IsOk;
using ::jiangan::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kEducation[] = "区教育局";
const Identity kAdmin{"admin@district", "区人民政府办公室", Role::kAdmin};
const Identity kEditor{"editor@education", kEducation, Role::kEditor};
const Identity kOtherEditor{"editor@health", "区卫生健康局", Role::kEditor};

type::v1::Date Day(int year, int month, int day) {
  return FromCivilDay(absl::CivilDay(year, month, day));
}

class FacilityStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = *(*jiangan::testing::TestDatabase::Create("facilities")).Connect();
    Open();
  }

  // Opens the store on db_, as a restart would.
  void Open() {
    store_.reset();
    FacilityStoreOptions options;
    options.page_token_key = "a key of the test that is long enough";
    options.reader_connections = 2;
    options.demand.per_1000_residents[v1::KINDERGARTEN] = 30;
    options.now = [this] { return now_; };
    auto store = FacilityStore::Open(db_.get(), options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  void SetToday(int year, int month, int day) {
    now_ = absl::FromCivil(absl::CivilSecond(year, month, day, 10, 0, 0), ChinaTimeZone());
  }

  static v1::Facility Facility(const std::string& display_name, v1::FacilityKind kind,
                               double latitude, double longitude) {
    v1::Facility facility;
    facility.set_display_name(display_name);
    facility.set_kind(kind);
    facility.set_owner_department(kEducation);
    facility.mutable_location()->set_latitude(latitude);
    facility.mutable_location()->set_longitude(longitude);
    return facility;
  }

  absl::StatusOr<v1::Facility> Create(const v1::Facility& facility, const std::string& id,
                                      const std::string& request_id = "",
                                      const Identity& caller = kEditor) {
    v1::CreateFacilityRequest request;
    *request.mutable_facility() = facility;
    request.set_facility_id(id);
    request.set_request_id(request_id);
    return store_->Create(caller, request);
  }

  absl::StatusOr<v1::Facility> Update(const v1::Facility& patch,
                                      const std::vector<std::string>& paths,
                                      const Identity& caller = kEditor) {
    v1::UpdateFacilityRequest request;
    *request.mutable_facility() = patch;
    for (const auto& path : paths) request.mutable_update_mask()->add_paths(path);
    return store_->Update(caller, request);
  }

  absl::StatusOr<v1::CapacityReading> Read(const std::string& id, type::v1::Date day,
                                           int64_t capacity, int64_t in_use = -1,
                                           const std::string& request_id = "") {
    v1::RecordCapacityRequest request;
    request.set_parent("facilities/" + id);
    request.set_request_id(request_id);
    *request.mutable_capacity_reading()->mutable_reading_date() = day;
    request.mutable_capacity_reading()->set_capacity(capacity);
    if (in_use >= 0) request.mutable_capacity_reading()->set_in_use(in_use);
    return store_->RecordCapacity(kEditor, request);
  }

  v1::Facility Get(const std::string& id) {
    v1::GetFacilityRequest request;
    request.set_name("facilities/" + id);
    return *store_->Get(request);
  }

  std::vector<std::string> Nearby(double latitude, double longitude, double radius, int limit,
                                  std::vector<v1::FacilityKind> kinds = {}) {
    v1::SearchNearbyRequest request;
    request.mutable_point()->set_latitude(latitude);
    request.mutable_point()->set_longitude(longitude);
    request.set_radius_meters(radius);
    request.set_limit(limit);
    for (v1::FacilityKind kind : kinds) request.add_kinds(kind);
    v1::SearchNearbyResponse response;
    EXPECT_THAT(store_->SearchNearby(request, &response), IsOk());
    std::vector<std::string> names;
    for (const auto& result : response.results()) names.push_back(result.facility().name());
    return names;
  }

  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2024, 6, 1, 10, 0, 0), ChinaTimeZone());
  std::unique_ptr<SqlDb> db_;
  std::unique_ptr<FacilityStore> store_;
};

TEST_F(FacilityStoreTest, LifeCycleWithDatesEtagsAndHistory) {
  v1::Facility school = Facility("江岸区某小学", v1::PRIMARY_SCHOOL, 30.62, 114.30);
  auto created = Create(school, "school-1", "req-1");
  ASSERT_THAT(created.status(), IsOk());
  EXPECT_EQ(created->status(), v1::PLANNED);
  EXPECT_EQ(created->capacity_unit(), v1::SEATS);
  EXPECT_EQ(created->creator(), kEditor.principal);
  // The same request_id returns the first facility, even with other contents.
  school.set_display_name("别的名字");
  auto again = Create(school, "school-other", "req-1");
  ASSERT_THAT(again.status(), IsOk());
  EXPECT_EQ(again->name(), "facilities/school-1");
  EXPECT_THAT(Create(school, "school-1").status(), StatusIs(absl::StatusCode::kAlreadyExists));
  // Another department may not create in the education bureau's name.
  EXPECT_THAT(Create(school, "school-2", "", kOtherEditor).status(),
              StatusIs(absl::StatusCode::kPermissionDenied));

  v1::Facility patch;
  patch.set_name("facilities/school-1");
  patch.set_status(v1::IN_SERVICE);
  EXPECT_THAT(Update(patch, {"status"}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("from PLANNED")));
  patch.set_status(v1::UNDER_CONSTRUCTION);
  *patch.mutable_status_date() = Day(2024, 3, 1);
  patch.set_etag("stale");
  EXPECT_THAT(Update(patch, {"status", "status_date"}).status(),
              StatusIs(absl::StatusCode::kAborted));
  patch.set_etag(created->etag());
  // The school was recorded as planned on 2024-06-01: it cannot have been
  // built from March.
  EXPECT_THAT(Update(patch, {"status", "status_date"}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("before 2024-06-01")));
  SetToday(2024, 9, 1);
  *patch.mutable_status_date() = Day(2024, 7, 1);
  auto building = Update(patch, {"status", "status_date"});
  ASSERT_THAT(building.status(), IsOk());
  EXPECT_NE(building->etag(), created->etag());
  EXPECT_EQ(building->updater(), kEditor.principal);
  EXPECT_EQ(Get("school-1").etag(), building->etag());
  patch.clear_etag();
  patch.clear_status_date();
  patch.set_status(v1::IN_SERVICE);
  auto opened = Update(patch, {"status"});
  ASSERT_THAT(opened.status(), IsOk());
  EXPECT_EQ(FormatDate(opened->in_service_date()), "2024-09-01");
  EXPECT_EQ(opened->status_history_size(), 3);
  EXPECT_THAT(Update(patch, {"status_history"}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("update_mask")));

  v1::ListFacilityHistoryRequest history_request;
  history_request.set_parent("facilities/school-1");
  v1::ListFacilityHistoryResponse history;
  ASSERT_THAT(store_->ListHistory(history_request, &history), IsOk());
  ASSERT_EQ(history.changes_size(), 3);
  EXPECT_EQ(history.changes(2).method(), "UpdateFacility");

  // Deleted: gone from Get, List and the spatial index; back when undeleted.
  v1::DeleteFacilityRequest remove;
  remove.set_name("facilities/school-1");
  ASSERT_THAT(store_->Delete(kEditor, remove).status(), IsOk());
  v1::GetFacilityRequest get;
  get.set_name("facilities/school-1");
  EXPECT_THAT(store_->Get(get).status(), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_TRUE(Nearby(30.62, 114.30, 100, 10).empty());
  v1::UndeleteFacilityRequest restore;
  restore.set_name("facilities/school-1");
  ASSERT_THAT(store_->Undelete(kEditor, restore).status(), IsOk());
  EXPECT_EQ(Nearby(30.62, 114.30, 100, 10), std::vector<std::string>{"facilities/school-1"});
}

TEST_F(FacilityStoreTest, CapacityComesFromTheHistory) {
  ASSERT_THAT(Create(Facility("某幼儿园", v1::KINDERGARTEN, 30.62, 114.30), "k").status(), IsOk());
  SetToday(2024, 12, 1);
  ASSERT_THAT(Read("k", Day(2024, 9, 1), 360, 300).status(), IsOk());
  // A reading of an earlier day, recorded later, changes history, not today.
  ASSERT_THAT(Read("k", Day(2023, 9, 1), 270, 270).status(), IsOk());
  v1::Facility kindergarten = Get("k");
  EXPECT_EQ(kindergarten.capacity(), 360);
  EXPECT_EQ(kindergarten.in_use(), 300);
  EXPECT_DOUBLE_EQ(kindergarten.utilization_percent(), 83.3);
  EXPECT_EQ(FormatDate(kindergarten.capacity_date()), "2024-09-01");
  // Retried with its request_id: stored once.
  auto first = Read("k", Day(2024, 11, 1), 330, -1, "r");
  auto retry = Read("k", Day(2024, 11, 1), 999, -1, "r");
  ASSERT_THAT(retry.status(), IsOk());
  EXPECT_EQ(retry->name(), first->name());
  EXPECT_EQ(Get("k").capacity(), 330);
  SetToday(2024, 12, 2);
  EXPECT_THAT(Read("k", Day(2024, 12, 3), 1).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("in the future")));
  v1::ListCapacityReadingsRequest list;
  list.set_parent("facilities/k");
  v1::ListCapacityReadingsResponse readings;
  ASSERT_THAT(store_->ListCapacityReadings(list, &readings), IsOk());
  EXPECT_EQ(readings.capacity_readings_size(), 3);

  // 2024: +90 (270 → 360 on 09-01), -30 (→ 330 on 11-01); 2023: +270.
  v1::SummarizeFacilitiesRequest summary_request;
  v1::SummarizeFacilitiesResponse summary;
  ASSERT_THAT(store_->Summarize(summary_request, &summary), IsOk());
  EXPECT_EQ(FormatDate(summary.period_start()), "2024-01-01");
  ASSERT_EQ(summary.groups_size(), 1);
  ASSERT_EQ(summary.groups(0).capacities_size(), 1);
  const v1::CapacityTotal& seats = summary.groups(0).capacities(0);
  EXPECT_EQ(seats.unit(), v1::SEATS);
  EXPECT_EQ(seats.capacity(), 330);
  EXPECT_EQ(seats.added(), 90);
  EXPECT_EQ(seats.removed(), 30);
  *summary_request.mutable_period_start() = Day(2023, 1, 1);
  *summary_request.mutable_period_end() = Day(2023, 12, 31);
  summary.Clear();
  ASSERT_THAT(store_->Summarize(summary_request, &summary), IsOk());
  EXPECT_EQ(summary.groups(0).capacities(0).added(), 270);
  EXPECT_EQ(summary.groups(0).capacities(0).removed(), 0);
  summary_request.clear_period_end();
  EXPECT_THAT(store_->Summarize(summary_request, &summary),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("period_start")));
}

TEST_F(FacilityStoreTest, SummaryGroupsAndCountsOpenings) {
  SetToday(2024, 12, 1);
  v1::Facility park = Facility("口袋公园", v1::PARK, 30.63, 114.31);
  park.set_pocket_park(true);
  park.set_status(v1::IN_SERVICE);
  *park.mutable_status_date() = Day(2024, 5, 1);
  park.set_sub_district("塔子湖街道");
  ASSERT_THAT(Create(park, "p1").status(), IsOk());
  park.set_sub_district("后湖街道");
  *park.mutable_status_date() = Day(2023, 5, 1);
  ASSERT_THAT(Create(park, "p2").status(), IsOk());
  v1::Facility lot = Facility("停车场", v1::PARKING, 30.64, 114.32);
  lot.set_sub_district("后湖街道");
  ASSERT_THAT(Create(lot, "lot").status(), IsOk());
  ASSERT_THAT(Read("p1", Day(2024, 5, 1), 800).status(), IsOk());
  ASSERT_THAT(Read("lot", Day(2024, 10, 1), 120).status(), IsOk());

  v1::SummarizeFacilitiesRequest request;
  request.add_group_by(v1::BY_SUB_DISTRICT);
  v1::SummarizeFacilitiesResponse response;
  ASSERT_THAT(store_->Summarize(request, &response), IsOk());
  ASSERT_EQ(response.groups_size(), 2);
  const v1::FacilityGroup& houhu = response.groups(0);  // 后 sorts before 塔
  EXPECT_EQ(houhu.sub_district(), "后湖街道");
  EXPECT_EQ(houhu.facility_count(), 2);
  EXPECT_EQ(houhu.opened_count(), 0);  // p2 opened in 2023; the lot is planned
  ASSERT_EQ(houhu.capacities_size(), 2);
  EXPECT_EQ(houhu.capacities(0).unit(), v1::PARKING_SPACES);
  EXPECT_EQ(houhu.capacities(0).added(), 120);
  EXPECT_EQ(houhu.capacities(1).unit(), v1::SQUARE_METERS);
  EXPECT_EQ(houhu.capacities(1).capacity(), 0);
  const v1::FacilityGroup& tazihu = response.groups(1);
  EXPECT_EQ(tazihu.opened_count(), 1);
  EXPECT_EQ(tazihu.capacities(0).added(), 800);

  request.clear_group_by();
  request.add_group_by(v1::BY_SERVICE_YEAR);
  request.mutable_filter()->add_kinds(v1::PARK);
  response.Clear();
  ASSERT_THAT(store_->Summarize(request, &response), IsOk());
  ASSERT_EQ(response.groups_size(), 2);
  EXPECT_EQ(response.groups(0).service_year(), 2023);
  EXPECT_EQ(response.groups(1).service_year(), 2024);
  request.add_group_by(v1::BY_SERVICE_YEAR);
  EXPECT_THAT(store_->Summarize(request, &response),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("named twice")));
}

// A car park recorded as serving since a day nobody knew starts at its first
// reading; once its opening is dated in that year, the reading is new.
TEST_F(FacilityStoreTest, DatingTheOpeningRestatesWhatTheFirstReadingAdded) {
  SetToday(2024, 12, 1);
  v1::Facility lot = Facility("停车场", v1::PARKING, 30.64, 114.32);
  lot.set_status(v1::IN_SERVICE);
  ASSERT_THAT(Create(lot, "lot").status(), IsOk());
  ASSERT_THAT(Read("lot", Day(2024, 6, 1), 500).status(), IsOk());
  auto added = [&] {
    v1::SummarizeFacilitiesRequest request;
    *request.mutable_period_start() = Day(2024, 1, 1);
    *request.mutable_period_end() = Day(2024, 12, 31);
    v1::SummarizeFacilitiesResponse response;
    EXPECT_THAT(store_->Summarize(request, &response), IsOk());
    return response.groups(0).capacities(0).added();
  };
  EXPECT_EQ(added(), 0);
  v1::Facility dated;
  dated.set_name("facilities/lot");
  *dated.mutable_status_date() = Day(2024, 3, 1);
  ASSERT_THAT(Update(dated, {"status_date"}).status(), IsOk());
  EXPECT_EQ(added(), 500);
  EXPECT_EQ(Get("lot").capacity(), 500);
}

// 新改扩建公办中小学和幼儿园7所: a school opened in the year counts, and so
// does one expanded in it (its capacity rose), each once; one opened before
// and left as it was does not.
TEST_F(FacilityStoreTest, BuiltCountsOpeningsAndExpansionsOnceEach) {
  SetToday(2024, 12, 1);
  auto school = [&](const std::string& id, type::v1::Date opened) {
    v1::Facility facility = Facility(id, v1::PRIMARY_SCHOOL, 30.65, 114.30);
    facility.set_status(v1::IN_SERVICE);
    *facility.mutable_status_date() = opened;
    ASSERT_THAT(Create(facility, id).status(), IsOk());
  };
  school("new", Day(2024, 9, 1));  // 新建
  ASSERT_THAT(Read("new", Day(2024, 9, 1), 900).status(), IsOk());
  ASSERT_THAT(Read("new", Day(2024, 10, 1), 950).status(), IsOk());  // and grew: still one
  school("expanded", Day(2015, 9, 1));  // 扩建
  ASSERT_THAT(Read("expanded", Day(2024, 2, 1), 1200).status(), IsOk());  // its start
  ASSERT_THAT(Read("expanded", Day(2024, 9, 1), 1500).status(), IsOk());
  school("unchanged", Day(2016, 9, 1));
  ASSERT_THAT(Read("unchanged", Day(2024, 3, 1), 800).status(), IsOk());
  school("shrunk", Day(2017, 9, 1));
  ASSERT_THAT(Read("shrunk", Day(2024, 2, 1), 700).status(), IsOk());
  ASSERT_THAT(Read("shrunk", Day(2024, 9, 1), 650).status(), IsOk());

  v1::SummarizeFacilitiesRequest request;
  *request.mutable_period_start() = Day(2024, 1, 1);
  *request.mutable_period_end() = Day(2024, 12, 31);
  request.set_count_built(true);
  v1::SummarizeFacilitiesResponse response;
  ASSERT_THAT(store_->Summarize(request, &response), IsOk());
  ASSERT_EQ(response.groups_size(), 1);
  EXPECT_EQ(response.groups(0).opened_count(), 1);
  EXPECT_EQ(response.groups(0).built_count(), 2);
  EXPECT_EQ(response.groups(0).capacities(0).added(), 950 + 300);

  // By month, each figure in the month it happened: a facility built counts
  // in the month of its first building day.
  v1::SummarizeFacilitiesRequest monthly = request;
  monthly.set_period_by_month(true);
  response.Clear();
  ASSERT_THAT(store_->Summarize(monthly, &response), IsOk());
  absl::flat_hash_map<int, v1::FacilityPeriodMonth> by_month;
  for (const auto& month : response.groups(0).period_months()) {
    EXPECT_EQ(month.year(), 2024);
    by_month[month.month()] = month;
  }
  ASSERT_TRUE(by_month.contains(9) && by_month.contains(10));
  EXPECT_EQ(by_month[9].opened_count(), 1);
  EXPECT_EQ(by_month[9].built_count(), 2);
  EXPECT_EQ(by_month[9].capacities(0).added(), 900 + 300);
  EXPECT_EQ(by_month[9].capacities(0).removed(), 50);
  EXPECT_EQ(by_month[10].built_count(), 0);
  EXPECT_EQ(by_month[10].capacities(0).added(), 50);
  int64_t added_in_months = 0, built_in_months = 0;
  for (const auto& [number, month] : by_month) {
    built_in_months += month.built_count();
    for (const auto& capacity : month.capacities()) added_in_months += capacity.added();
  }
  EXPECT_EQ(added_in_months, 950 + 300);
  EXPECT_EQ(built_in_months, 2);

  // 改建: a school serving since 2012, rebuilt from March and back in service
  // in August, its places unchanged, is built in 2024; one only suspended is
  // not.
  school("rebuilt", Day(2012, 9, 1));
  school("suspended", Day(2013, 9, 1));
  auto move = [&](const std::string& id, v1::FacilityStatus status, type::v1::Date day) {
    v1::Facility patch;
    patch.set_name("facilities/" + id);
    patch.set_status(status);
    *patch.mutable_status_date() = day;
    ASSERT_THAT(Update(patch, {"status", "status_date"}).status(), IsOk());
  };
  move("rebuilt", v1::UNDER_CONSTRUCTION, Day(2024, 3, 1));
  move("rebuilt", v1::IN_SERVICE, Day(2024, 8, 1));
  move("suspended", v1::SUSPENDED, Day(2024, 3, 1));
  move("suspended", v1::IN_SERVICE, Day(2024, 8, 1));
  response.Clear();
  ASSERT_THAT(store_->Summarize(monthly, &response), IsOk());
  EXPECT_EQ(response.groups(0).built_count(), 3);
  EXPECT_EQ(response.groups(0).opened_count(), 1);
  for (const auto& month : response.groups(0).period_months()) {
    EXPECT_EQ(month.built_count(), month.month() == 9 ? 2 : month.month() == 8 ? 1 : 0)
        << month.month();
  }
  v1::SummarizeFacilitiesRequest year_after = request;
  *year_after.mutable_period_start() = Day(2025, 1, 1);
  *year_after.mutable_period_end() = Day(2025, 12, 31);
  response.Clear();
  ASSERT_THAT(store_->Summarize(year_after, &response), IsOk());
  EXPECT_EQ(response.groups(0).built_count(), 0);
  // Deleted, it is no longer counted.
  v1::DeleteFacilityRequest remove;
  remove.set_name("facilities/rebuilt");
  ASSERT_THAT(store_->Delete(kEditor, remove).status(), IsOk());
  response.Clear();
  ASSERT_THAT(store_->Summarize(request, &response), IsOk());
  EXPECT_EQ(response.groups(0).built_count(), 2);
  v1::UndeleteFacilityRequest restore;
  restore.set_name("facilities/rebuilt");
  ASSERT_THAT(store_->Undelete(kEditor, restore).status(), IsOk());
  // A file of schema v5, from before the rebuilds were kept, gets them on
  // opening.
  ASSERT_THAT(db_->Exec("DROP TABLE facility_rebuilds"), IsOk());
  ASSERT_THAT(db_->SetSchemaVersion(5), IsOk());
  Open();
  response.Clear();
  ASSERT_THAT(store_->Summarize(request, &response), IsOk());
  EXPECT_EQ(response.groups(0).built_count(), 3);

  // Per facility, for the drill-down; not asked, not counted.
  request.add_group_by(v1::BY_FACILITY);
  response.Clear();
  ASSERT_THAT(store_->Summarize(request, &response), IsOk());
  std::vector<std::string> built;
  for (const v1::FacilityGroup& group : response.groups()) {
    if (group.built_count() > 0) built.push_back(group.facility());
  }
  EXPECT_THAT(built, ::testing::UnorderedElementsAre("facilities/expanded", "facilities/new",
                                                      "facilities/rebuilt"));

  // 公办 only: "new" is the government's, the rest are not known.
  v1::Facility owned;
  owned.set_name("facilities/new");
  owned.set_ownership(v1::GOVERNMENT);
  ASSERT_THAT(Update(owned, {"ownership"}).status(), IsOk());
  request.mutable_filter()->set_publicly_owned(true);
  response.Clear();
  ASSERT_THAT(store_->Summarize(request, &response), IsOk());
  ASSERT_EQ(response.groups_size(), 1);
  EXPECT_EQ(response.groups(0).facility(), "facilities/new");
  EXPECT_EQ(response.groups(0).built_count(), 1);
  request.clear_group_by();
  request.mutable_filter()->set_publicly_owned(false);
  response.Clear();
  ASSERT_THAT(store_->Summarize(request, &response), IsOk());
  EXPECT_EQ(response.groups(0).facility_count(), 5);

  // A file of schema v4, from before the column, gets it filled on opening.
  ASSERT_THAT(db_->Exec("ALTER TABLE facilities DROP COLUMN publicly_owned"), IsOk());
  ASSERT_THAT(db_->SetSchemaVersion(4), IsOk());
  Open();
  request.mutable_filter()->set_publicly_owned(true);
  response.Clear();
  ASSERT_THAT(store_->Summarize(request, &response), IsOk());
  EXPECT_EQ(response.groups(0).facility_count(), 1);
  request.set_count_built(false);
  response.Clear();
  ASSERT_THAT(store_->Summarize(request, &response), IsOk());
  for (const v1::FacilityGroup& group : response.groups()) EXPECT_EQ(group.built_count(), 0);
}

// The spatial index answers exactly what a scan of every facility answers.
TEST_F(FacilityStoreTest, SearchNearbyMatchesBruteForce) {
  std::mt19937 random(7);
  std::uniform_real_distribution<double> latitude(30.58, 30.72);
  std::uniform_real_distribution<double> longitude(114.26, 114.36);
  const v1::FacilityKind kinds[] = {v1::KINDERGARTEN, v1::PARK, v1::HOSPITAL};
  struct Placed {
    std::string name;
    double latitude, longitude;
    v1::FacilityKind kind;
  };
  std::vector<Placed> placed;
  for (int i = 0; i < 1500; ++i) {
    const v1::FacilityKind kind = kinds[i % 3];
    const double lat = latitude(random);
    const double lng = longitude(random);
    v1::Facility facility = Facility(absl::StrCat("设施", i), kind, lat, lng);
    auto created = Create(facility, absl::StrCat("f", i));
    ASSERT_THAT(created.status(), IsOk());
    placed.push_back({created->name(), lat, lng, kind});
  }
  for (int query = 0; query < 40; ++query) {
    const double lat = latitude(random);
    const double lng = longitude(random);
    const double radius = query % 2 == 0 ? 400 : 2500;
    const int limit = 1 + query % 12;
    std::vector<v1::FacilityKind> wanted;
    if (query % 3 == 0) wanted = {v1::PARK};
    std::vector<std::pair<double, std::string>> expected;
    for (const Placed& p : placed) {
      if (!wanted.empty() && p.kind != wanted[0]) continue;
      const double distance = geo::HaversineMeters(lat, lng, p.latitude, p.longitude);
      if (distance <= radius) expected.push_back({distance, p.name});
    }
    std::sort(expected.begin(), expected.end());
    std::vector<std::string> names;
    for (size_t i = 0; i < expected.size() && static_cast<int>(i) < limit; ++i) {
      names.push_back(expected[i].second);
    }
    EXPECT_EQ(Nearby(lat, lng, radius, limit, wanted), names) << "query " << query;
  }
  v1::SearchNearbyRequest bad;
  v1::SearchNearbyResponse response;
  EXPECT_THAT(store_->SearchNearby(bad, &response),
              StatusIs(absl::StatusCode::kInvalidArgument, "point: is required"));
  bad.mutable_point()->set_latitude(30.6);
  bad.mutable_point()->set_longitude(114.3);
  bad.set_radius_meters(20001);
  EXPECT_THAT(store_->SearchNearby(bad, &response),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("radius_meters")));
  bad.set_radius_meters(100);
  bad.set_limit(101);
  EXPECT_THAT(store_->SearchNearby(bad, &response),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("limit")));
  bad.set_limit(1);
  bad.add_kinds(static_cast<v1::FacilityKind>(99));
  EXPECT_THAT(store_->SearchNearby(bad, &response),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kinds")));
}

TEST_F(FacilityStoreTest, CoverageCountsOnlyFacilitiesInService) {
  const double lat = 30.64, lng = 114.31;
  v1::Facility open = Facility("在用幼儿园", v1::KINDERGARTEN, lat + 0.002, lng);  // ~222 m
  open.set_status(v1::IN_SERVICE);
  ASSERT_THAT(Create(open, "open").status(), IsOk());
  ASSERT_THAT(Create(Facility("规划幼儿园", v1::KINDERGARTEN, lat, lng), "planned").status(), IsOk());

  v1::AssessCoverageRequest assess;
  assess.mutable_point()->set_latitude(lat);
  assess.mutable_point()->set_longitude(lng);
  assess.set_profile(v1::FIVE_MINUTE_LIVING_CIRCLE);
  v1::AssessCoverageResponse access;
  ASSERT_THAT(store_->AssessCoverage(assess, &access), IsOk());
  ASSERT_EQ(access.kinds(0).kind(), v1::KINDERGARTEN);
  EXPECT_EQ(access.kinds(0).nearest(), "facilities/open");
  EXPECT_NEAR(access.kinds(0).distance_meters(), 222.4, 0.5);
  EXPECT_DOUBLE_EQ(access.kinds(0).walking_minutes(), 3.6);
  EXPECT_TRUE(access.kinds(0).within_circle());
  EXPECT_TRUE(access.kinds(1).nearest().empty());  // no elderly service point
  EXPECT_FALSE(access.covered());

  v1::ReportCoverageRequest report;
  report.set_profile(v1::FIVE_MINUTE_LIVING_CIRCLE);
  v1::ResidentialPoint* point = report.add_points();
  point->mutable_location()->set_latitude(lat);
  point->mutable_location()->set_longitude(lng);
  point->set_population(2000);
  auto answer = store_->ReportCoverage(report);
  ASSERT_THAT(answer.status(), IsOk());
  EXPECT_EQ(answer->kinds(0).facility_count(), 1);
  EXPECT_EQ(answer->kinds(0).reachable_population(), 2000);
  // Its capacity is not known yet: distance only.
  EXPECT_FALSE(answer->kinds(0).capacity_aware());
  ASSERT_THAT(Read("open", Day(2024, 5, 1), 30).status(), IsOk());
  answer = store_->ReportCoverage(report);
  EXPECT_TRUE(answer->kinds(0).capacity_aware());
  EXPECT_EQ(answer->kinds(0).served_population(), 1000);  // 30 seats for 60 needed
}


// Summaries read the rollups, kept in step by every write; the same
// question asked so that it must read the facilities (a name filter that
// every name passes) gives the same answer after creates, status changes,
// back-dated and later readings, changes of what facilities are grouped
// by, deletes and undeletes, and after a database from before the rollups
// (schema version 2) has them filled on opening.
TEST_F(FacilityStoreTest, TheSummaryRollupsAgreeWithTheFacilitiesAfterEveryKindOfWrite) {
  SetToday(2024, 11, 1);
  const std::vector<std::string> sub_districts = {"后湖街道", "塔子湖街道", "丹水池街道"};
  const v1::FacilityKind kinds[] = {v1::KINDERGARTEN, v1::PARK, v1::PARKING};
  const int kFacilities = 15;
  for (int i = 0; i < kFacilities; ++i) {
    v1::Facility facility = Facility(absl::StrCat("设施", i), kinds[i % 3], 30.6 + 0.001 * i, 114.3);
    facility.set_sub_district(sub_districts[i % sub_districts.size()]);
    if (i % 2 == 0) {
      facility.set_status(v1::IN_SERVICE);
      *facility.mutable_status_date() = Day(2023 + i % 2 + (i % 4 == 0 ? 1 : 0), 3, 1 + i);
    }
    ASSERT_THAT(Create(facility, absl::StrCat("f", i)).status(), IsOk()) << i;
  }
  for (int i = 0; i < kFacilities; i += 2) {
    ASSERT_THAT(Read(absl::StrCat("f", i), Day(2024, 5, 1), 100 + 10 * i, 50).status(), IsOk());
    ASSERT_THAT(Read(absl::StrCat("f", i), Day(2024, 9, 1), 90 + 10 * i, 60).status(), IsOk());
  }
  // A back-dated reading restates the changes of the ones after it.
  ASSERT_THAT(Read("f4", Day(2024, 1, 1), 500, 10).status(), IsOk());
  for (int i = 1; i < kFacilities; i += 4) {
    v1::Facility patch;
    patch.set_name(absl::StrCat("facilities/f", i));
    patch.set_sub_district("新的街道");
    ASSERT_THAT(Update(patch, {"sub_district"}).status(), IsOk()) << i;
  }
  v1::Facility opened;
  opened.set_name("facilities/f3");
  SetToday(2024, 11, 20);
  opened.set_status(v1::UNDER_CONSTRUCTION);
  *opened.mutable_status_date() = Day(2024, 11, 2);
  ASSERT_THAT(Update(opened, {"status", "status_date"}).status(), IsOk());
  opened.set_status(v1::IN_SERVICE);
  *opened.mutable_status_date() = Day(2024, 11, 18);
  ASSERT_THAT(Update(opened, {"status", "status_date"}).status(), IsOk());
  // f0, in service since March, rebuilt in November: built again.
  v1::Facility rebuilt;
  rebuilt.set_name("facilities/f0");
  rebuilt.set_status(v1::UNDER_CONSTRUCTION);
  *rebuilt.mutable_status_date() = Day(2024, 11, 5);
  ASSERT_THAT(Update(rebuilt, {"status", "status_date"}).status(), IsOk());
  rebuilt.set_status(v1::IN_SERVICE);
  *rebuilt.mutable_status_date() = Day(2024, 11, 19);
  ASSERT_THAT(Update(rebuilt, {"status", "status_date"}).status(), IsOk());
  v1::Facility moved;
  moved.set_name("facilities/f6");
  moved.set_sub_district("新的街道");
  ASSERT_THAT(Update(moved, {"sub_district"}).status(), IsOk());
  for (const char* id : {"f8", "f10"}) {
    v1::DeleteFacilityRequest remove;
    remove.set_name(absl::StrCat("facilities/", id));
    ASSERT_THAT(store_->Delete(kEditor, remove).status(), IsOk());
  }
  v1::UndeleteFacilityRequest restore;
  restore.set_name("facilities/f10");
  ASSERT_THAT(store_->Undelete(kEditor, restore).status(), IsOk());

  auto summarize = [&](v1::SummarizeFacilitiesRequest request, bool from_rows) {
    if (from_rows) request.mutable_filter()->set_display_name_contains("设施");
    v1::SummarizeFacilitiesResponse response;
    EXPECT_THAT(store_->Summarize(request, &response), IsOk());
    return response.DebugString();
  };
  std::vector<v1::SummarizeFacilitiesRequest> questions(10);
  questions[1].add_group_by(v1::BY_KIND);
  questions[1].add_group_by(v1::BY_STATUS);
  questions[2].add_group_by(v1::BY_SUB_DISTRICT);
  questions[2].mutable_filter()->add_kinds(v1::PARK);
  questions[2].mutable_filter()->add_kinds(v1::KINDERGARTEN);
  questions[3].add_group_by(v1::BY_SERVICE_YEAR);
  questions[3].add_group_by(v1::BY_STATUS);
  *questions[3].mutable_period_start() = Day(2023, 1, 1);
  *questions[3].mutable_period_end() = Day(2024, 6, 30);
  questions[4].mutable_filter()->set_sub_district("新的街道");
  questions[4].mutable_filter()->add_statuses(v1::IN_SERVICE);
  questions[5].mutable_filter()->set_owner_department(kEducation);
  questions[5].add_group_by(v1::BY_KIND);
  // Whole months with partial ones at both ends, and days within a month.
  questions[6].add_group_by(v1::BY_KIND);
  *questions[6].mutable_period_start() = Day(2024, 3, 15);
  *questions[6].mutable_period_end() = Day(2024, 11, 18);
  *questions[7].mutable_period_start() = Day(2024, 5, 1);
  *questions[7].mutable_period_end() = Day(2024, 5, 20);
  // By month, from the rollups' month and day rows alike.
  questions[8] = questions[6];
  questions[8].set_period_by_month(true);
  questions[9] = questions[3];
  questions[9].set_period_by_month(true);
  // Built (opened, risen or rebuilt), as the targets ask: from the start of
  // the year, by month, by sub-district and kind, public ones of two kinds;
  // the current year by kind; and a period that does not start a year.
  questions.resize(13);
  questions[10].set_count_built(true);
  *questions[10].mutable_period_start() = Day(2024, 1, 1);
  *questions[10].mutable_period_end() = Day(2024, 11, 20);
  questions[10].set_period_by_month(true);
  questions[10].add_group_by(v1::BY_SUB_DISTRICT);
  questions[10].add_group_by(v1::BY_KIND);
  questions[10].mutable_filter()->set_publicly_owned(true);
  questions[10].mutable_filter()->add_kinds(v1::KINDERGARTEN);
  questions[10].mutable_filter()->add_kinds(v1::PARK);
  questions[11].set_count_built(true);
  questions[11].add_group_by(v1::BY_KIND);
  questions[12] = questions[6];
  questions[12].set_count_built(true);
  auto all_agree = [&] {
    for (const v1::SummarizeFacilitiesRequest& question : questions) {
      EXPECT_EQ(summarize(question, false), summarize(question, true)) << question.DebugString();
    }
  };
  all_agree();
  EXPECT_GT(jiangan::testing::QueryInt64(db_.get(), "SELECT COUNT(*) FROM capacity_change_rollups"),
            0);
  EXPECT_GT(jiangan::testing::QueryInt64(db_.get(), "SELECT COUNT(*) FROM facility_built_rollups"),
            0);

  // A database from before the built rollup, and one from before any, gets
  // them filled from its facilities.
  const char* rollups[] = {"facility_rollups", "facility_opening_rollups",
                           "capacity_change_rollups", "facility_built_rollups"};
  for (const char* table : rollups) {
    ASSERT_THAT(db_->Exec(absl::StrCat("DROP TABLE ", table)), IsOk());
  }
  ASSERT_THAT(db_->SetSchemaVersion(6), IsOk());
  Open();
  all_agree();
  for (const char* table : rollups) {
    ASSERT_THAT(db_->Exec(absl::StrCat("DROP TABLE ", table)), IsOk());
  }
  ASSERT_THAT(db_->Exec("ALTER TABLE facilities DROP COLUMN publicly_owned"), IsOk());  // v5's
  ASSERT_THAT(db_->SetSchemaVersion(2), IsOk());
  Open();
  all_agree();
  EXPECT_NE(summarize(questions[0], false), summarize(questions[4], false));
}

TEST_F(FacilityStoreTest, ABatchCreatesEveryFacilityOrNone) {
  auto batch_of = [&](const std::vector<std::string>& ids, const std::string& request_prefix = "") {
    v1::BatchCreateFacilitiesRequest batch;
    for (const std::string& id : ids) {
      v1::CreateFacilityRequest* one = batch.add_requests();
      *one->mutable_facility() = Facility("幼儿园" + id, v1::KINDERGARTEN, 30.63, 114.31);
      one->set_facility_id(id);
      if (!request_prefix.empty()) one->set_request_id(request_prefix + id);
    }
    return batch;
  };
  v1::BatchCreateFacilitiesResponse made;
  ASSERT_THAT(store_->BatchCreate(kEditor, batch_of({"b1", "b2", "b3"}, "r-"), &made), IsOk());
  ASSERT_EQ(made.facilities_size(), 3);
  EXPECT_EQ(made.facilities(1).name(), "facilities/b2");
  EXPECT_EQ(Nearby(30.63, 114.31, 100, 10).size(), 3u);
  v1::BatchCreateFacilitiesResponse again;
  ASSERT_THAT(store_->BatchCreate(kEditor, batch_of({"b1", "b2"}, "r-"), &again), IsOk());
  EXPECT_EQ(again.facilities(0).etag(), made.facilities(0).etag());

  v1::BatchCreateFacilitiesResponse none;
  v1::BatchCreateFacilitiesRequest invalid = batch_of({"c1", "c2"});
  invalid.mutable_requests(1)->mutable_facility()->set_display_name("");
  EXPECT_THAT(store_->BatchCreate(kEditor, invalid, &none),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("requests[1].facility.display_name")));
  EXPECT_THAT(store_->BatchCreate(kEditor, batch_of({"c1", "b3"}), &none),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("requests[1].")));
  EXPECT_THAT(store_->BatchCreate(kOtherEditor, batch_of({"c1"}), &none),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("requests[0].")));
  EXPECT_THAT(store_->BatchCreate(kEditor, v1::BatchCreateFacilitiesRequest(), &none),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("requests: must hold 1 to 1000 facilities")));
  EXPECT_EQ(none.facilities_size(), 0);
  EXPECT_EQ(store_->Get([] {
    v1::GetFacilityRequest get;
    get.set_name("facilities/c1");
    return get;
  }()).status().code(), absl::StatusCode::kNotFound);
  v1::SummarizeFacilitiesResponse summary;
  ASSERT_THAT(store_->Summarize(v1::SummarizeFacilitiesRequest(), &summary), IsOk());
  EXPECT_EQ(summary.groups(0).facility_count(), 3);
}

// A service moved from its SQLite file to PostgreSQL (jiangan_cli
// copy-to-postgres) answers as the file did, R*Tree and rollups included,
// and its new writes carry on after the copied ones.
TEST_F(FacilityStoreTest, ACopyToPostgresAnswersAsTheFileDid) {
  if (!jiangan::testing::TestingOnPostgres()) {
    GTEST_SKIP() << "copies into the database of the postgres run";
  }
  store_.reset();
  std::unique_ptr<SqlDb> target = std::move(db_);  // SetUp made the tables there
  db_ = *(*jiangan::testing::TestDatabase::CreateOn("facilities-file", false)).Connect();
  Open();
  SetToday(2024, 12, 1);
  v1::Facility park = Facility("口袋公园", v1::PARK, 30.63, 114.31);
  park.set_status(v1::IN_SERVICE);
  *park.mutable_status_date() = Day(2024, 5, 1);
  ASSERT_THAT(Create(park, "park"), IsOk());
  ASSERT_THAT(Create(Facility("后湖幼儿园", v1::KINDERGARTEN, 30.64, 114.29), "kindergarten"),
              IsOk());
  ASSERT_THAT(Read("park", Day(2024, 6, 1), 800), IsOk());
  const v1::Facility park_before = Get("park");
  const std::vector<std::string> nearby_before = Nearby(30.635, 114.30, 3000, 10);
  v1::SummarizeFacilitiesRequest summarize;
  summarize.add_group_by(v1::BY_KIND);
  v1::SummarizeFacilitiesResponse summary_before;
  ASSERT_THAT(store_->Summarize(summarize, &summary_before), IsOk());
  store_.reset();

  auto copied = CopyToPostgres(db_.get(), target.get());
  ASSERT_THAT(copied, IsOk());
  int64_t facilities = 0;
  for (const CopiedTable& table : *copied) {
    if (table.table == "facilities") facilities = table.rows;
  }
  EXPECT_EQ(facilities, 2);
  std::unique_ptr<SqlDb> file = std::move(db_);
  db_ = std::move(target);
  Open();
  EXPECT_EQ(Get("park").DebugString(), park_before.DebugString());
  EXPECT_EQ(Nearby(30.635, 114.30, 3000, 10), nearby_before);
  EXPECT_EQ(nearby_before.size(), 2u);
  v1::SummarizeFacilitiesResponse summary_after;
  ASSERT_THAT(store_->Summarize(summarize, &summary_after), IsOk());
  EXPECT_EQ(summary_after.DebugString(), summary_before.DebugString());
  // Identity sequences go on after the copied rows.
  ASSERT_THAT(Create(Facility("新公园", v1::PARK, 30.65, 114.30), "new-park"), IsOk());
  ASSERT_THAT(Read("park", Day(2024, 7, 1), 900), IsOk());
  EXPECT_EQ(Get("park").capacity(), 900);
  // A second copy would mix two services' rows.
  EXPECT_THAT(CopyToPostgres(file.get(), db_.get()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already holds rows")));
}

}  // namespace
}  // namespace jiangan::facilities
