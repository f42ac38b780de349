// The facility rules: units, fields, the status life cycle and its dates,
// and the capacity a history of readings adds.
#include "services/facilities/facility_rules.h"

#include "common/base/civil_date.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace jiangan::facilities {
namespace {

using ::jiangan::testing::IsOk;
using ::jiangan::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::CivilDay kToday(2024, 6, 1);
const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2024, 6, 1, 10, 0, 0), ChinaTimeZone());

v1::Facility School() {
  v1::Facility facility;
  facility.set_display_name("江岸区某小学");
  facility.set_kind(v1::PRIMARY_SCHOOL);
  facility.set_status(v1::PLANNED);
  facility.set_owner_department("区教育局");
  return facility;
}

type::v1::Date Day(int year, int month, int day) { return FromCivilDay(absl::CivilDay(year, month, day)); }

TEST(FacilityRulesTest, EveryKindHasAUnit) {
  for (int kind = v1::FacilityKind_MIN + 1; kind <= v1::FacilityKind_MAX; ++kind) {
    EXPECT_NE(UnitOf(static_cast<v1::FacilityKind>(kind)), v1::CAPACITY_UNIT_UNSPECIFIED)
        << v1::FacilityKind_Name(static_cast<v1::FacilityKind>(kind));
  }
  EXPECT_EQ(UnitOf(v1::KINDERGARTEN), v1::SEATS);
  EXPECT_EQ(UnitOf(v1::ELDERLY_CARE_CENTER), v1::BEDS);
  EXPECT_EQ(UnitOf(v1::CHILDCARE), v1::SLOTS);
  EXPECT_EQ(UnitOf(v1::PARKING), v1::PARKING_SPACES);
  EXPECT_EQ(UnitOf(v1::FITNESS_EQUIPMENT_SITE), v1::EQUIPMENT_SETS);
}

TEST(FacilityRulesTest, FieldRules) {
  EXPECT_THAT(ValidateFacility(School(), kToday), IsOk());
  v1::Facility broken = School();
  broken.set_display_name("");
  EXPECT_THAT(ValidateFacility(broken, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("facility.display_name")));
  broken = School();
  broken.set_kind(v1::FACILITY_KIND_UNSPECIFIED);
  EXPECT_THAT(ValidateFacility(broken, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument, "facility.kind: is required"));
  broken = School();
  broken.set_owner_department("");
  EXPECT_THAT(ValidateFacility(broken, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("facility.owner_department")));
  broken = School();
  broken.mutable_location()->set_latitude(91);
  EXPECT_THAT(ValidateFacility(broken, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "facility.location.latitude: must be in -90..90, got 91"));
  broken = School();
  broken.set_location_approximate(true);
  EXPECT_THAT(ValidateFacility(broken, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("only with a location")));
  broken = School();
  broken.set_publicly_run(true);
  EXPECT_THAT(ValidateFacility(broken, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "facility.publicly_run: may be set only on a KINDERGARTEN, not a "
                       "PRIMARY_SCHOOL"));
  broken = School();
  broken.set_kind(v1::CHILDCARE);
  broken.set_inclusive(true);
  EXPECT_THAT(ValidateFacility(broken, kToday), IsOk());
  broken.set_pocket_park(true);
  EXPECT_THAT(ValidateFacility(broken, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("facility.pocket_park")));
  broken = School();
  broken.set_renewal_project("leads/x");
  EXPECT_THAT(ValidateFacility(broken, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("facility.renewal_project")));
  broken = School();
  *broken.mutable_status_date() = Day(2024, 6, 2);
  EXPECT_THAT(ValidateFacility(broken, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "facility.status_date: 2024-06-02 is in the future"));
}

TEST(FacilityRulesTest, TheLifeCycle) {
  EXPECT_THAT(CheckStatusTransition(v1::PLANNED, v1::UNDER_CONSTRUCTION), IsOk());
  EXPECT_THAT(CheckStatusTransition(v1::UNDER_CONSTRUCTION, v1::IN_SERVICE), IsOk());
  EXPECT_THAT(CheckStatusTransition(v1::IN_SERVICE, v1::SUSPENDED), IsOk());
  EXPECT_THAT(CheckStatusTransition(v1::SUSPENDED, v1::IN_SERVICE), IsOk());
  EXPECT_THAT(CheckStatusTransition(v1::SUSPENDED, v1::CLOSED), IsOk());
  EXPECT_THAT(CheckStatusTransition(v1::IN_SERVICE, v1::CLOSED), IsOk());
  EXPECT_THAT(CheckStatusTransition(v1::PLANNED, v1::IN_SERVICE),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "facility.status: a facility cannot move from PLANNED to IN_SERVICE; from "
                       "PLANNED it may move to UNDER_CONSTRUCTION"));
  EXPECT_THAT(CheckStatusTransition(v1::CLOSED, v1::IN_SERVICE),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("stays closed")));
  EXPECT_THAT(CheckStatusTransition(v1::IN_SERVICE, v1::PLANNED),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // A facility that served may be rebuilt (改建).
  EXPECT_THAT(CheckStatusTransition(v1::IN_SERVICE, v1::UNDER_CONSTRUCTION), IsOk());
  EXPECT_THAT(CheckStatusTransition(v1::SUSPENDED, v1::UNDER_CONSTRUCTION), IsOk());
}

// 改建: back in service after being rebuilt; the first opening is 新建, and
// a suspension alone rebuilds nothing.
TEST(FacilityRulesTest, RebuiltDaysAreReturnsToServiceAfterBuilding) {
  v1::Facility park;
  auto enter = [&](v1::FacilityStatus status, int year, int month, int day) {
    v1::StatusChange* change = park.add_status_history();
    change->set_status(status);
    if (year != 0) *change->mutable_date() = FromCivilDay(absl::CivilDay(year, month, day));
  };
  enter(v1::UNDER_CONSTRUCTION, 2014, 3, 1);
  enter(v1::IN_SERVICE, 2015, 5, 1);  // 新建
  enter(v1::SUSPENDED, 2020, 2, 1);
  enter(v1::IN_SERVICE, 2020, 4, 1);  // reopened, not rebuilt
  enter(v1::UNDER_CONSTRUCTION, 2024, 3, 1);
  enter(v1::IN_SERVICE, 2024, 8, 1);  // 改建
  EXPECT_THAT(RebuiltDays(park),
              ::testing::ElementsAre(DayNumber(absl::CivilDay(2024, 8, 1))));
  // Recorded suspended, it served before; rebuilt from there, it counts.
  v1::Facility old_park;
  park.Swap(&old_park);
  enter(v1::SUSPENDED, 0, 0, 0);
  enter(v1::UNDER_CONSTRUCTION, 2023, 11, 1);
  enter(v1::IN_SERVICE, 2024, 6, 1);
  EXPECT_THAT(RebuiltDays(park),
              ::testing::ElementsAre(DayNumber(absl::CivilDay(2024, 6, 1))));
}

TEST(FacilityRulesTest, StatusHistoryAndDates) {
  v1::Facility facility = School();
  ASSERT_THAT(ApplyConsequences(nullptr, false, kNow, "a", &facility), IsOk());
  ASSERT_EQ(facility.status_history_size(), 1);
  EXPECT_EQ(FormatDate(facility.status_date()), "2024-06-01");
  EXPECT_EQ(facility.capacity_unit(), v1::SEATS);
  EXPECT_FALSE(facility.has_in_service_date());

  v1::Facility before = facility;
  facility.set_status(v1::UNDER_CONSTRUCTION);
  *facility.mutable_status_date() = Day(2024, 3, 1);
  EXPECT_THAT(ApplyConsequences(&before, true, kNow, "b", &facility),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "facility.status_date: 2024-03-01 is before 2024-06-01, when the facility "
                       "became PLANNED"));

  // Created in service on a past day: that day is its first in service.
  facility = School();
  facility.set_status(v1::IN_SERVICE);
  *facility.mutable_status_date() = Day(2023, 9, 1);
  ASSERT_THAT(ApplyConsequences(nullptr, true, kNow, "a", &facility), IsOk());
  EXPECT_EQ(FormatDate(facility.in_service_date()), "2023-09-01");
  before = facility;
  facility.set_status(v1::SUSPENDED);
  ASSERT_THAT(ApplyConsequences(&before, false, kNow, "b", &facility), IsOk());
  EXPECT_EQ(FormatDate(facility.status_date()), "2024-06-01");
  before = facility;
  facility.set_status(v1::IN_SERVICE);
  ASSERT_THAT(ApplyConsequences(&before, false, kNow, "c", &facility), IsOk());
  EXPECT_EQ(facility.status_history_size(), 3);
  // The first day in service stays the first.
  EXPECT_EQ(FormatDate(facility.in_service_date()), "2023-09-01");
  // A correction of the current status's day changes no status.
  before = facility;
  *facility.mutable_status_date() = Day(2024, 5, 20);
  EXPECT_THAT(ApplyConsequences(&before, true, kNow, "d", &facility),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("became SUSPENDED")));
}

TEST(FacilityRulesTest, AFacilityRecordedInServiceWithoutADayHasNone) {
  v1::Facility hospital = School();
  hospital.set_status(v1::IN_SERVICE);
  ASSERT_THAT(ApplyConsequences(nullptr, false, kNow, "a", &hospital), IsOk());
  ASSERT_EQ(hospital.status_history_size(), 1);
  EXPECT_FALSE(hospital.status_history(0).has_date());
  EXPECT_FALSE(hospital.has_status_date());
  EXPECT_FALSE(hospital.has_in_service_date());
  // Later moves are dated, and any day is after an unknown one.
  v1::Facility before = hospital;
  hospital.set_status(v1::SUSPENDED);
  *hospital.mutable_status_date() = Day(2001, 1, 1);
  ASSERT_THAT(ApplyConsequences(&before, true, kNow, "b", &hospital), IsOk());
  EXPECT_EQ(FormatDate(hospital.status_date()), "2001-01-01");
}

TEST(FacilityRulesTest, FarAwayLocationIsFlagged) {
  v1::Facility facility = School();
  facility.mutable_location()->set_latitude(114.3);  // swapped
  facility.mutable_location()->set_longitude(30.6);
  ASSERT_THAT(ApplyConsequences(nullptr, false, kNow, "a", &facility), IsOk());
  EXPECT_TRUE(facility.location_outside_district());
  facility.mutable_location()->set_latitude(30.62);
  facility.mutable_location()->set_longitude(114.30);
  v1::Facility before = facility;
  ASSERT_THAT(ApplyConsequences(&before, false, kNow, "a", &facility), IsOk());
  EXPECT_FALSE(facility.location_outside_district());
}

TEST(FacilityRulesTest, KindIsFixedOnceCapacityIsRead) {
  v1::Facility before = School();
  v1::Facility after = before;
  after.set_kind(v1::MIDDLE_SCHOOL);
  EXPECT_THAT(CheckChangeAllowed(before, after), IsOk());
  *before.mutable_capacity_date() = Day(2024, 1, 1);
  EXPECT_THAT(CheckChangeAllowed(before, after),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("facility.kind")));
}

TEST(FacilityRulesTest, ReadingRules) {
  v1::CapacityReading reading;
  EXPECT_THAT(ValidateCapacityReading(reading, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "capacity_reading.reading_date: is required"));
  *reading.mutable_reading_date() = Day(2024, 5, 1);
  reading.set_capacity(-1);
  EXPECT_THAT(ValidateCapacityReading(reading, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("capacity_reading.capacity")));
  reading.set_capacity(100);
  reading.set_in_use(-3);
  EXPECT_THAT(ValidateCapacityReading(reading, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("capacity_reading.in_use")));
  reading.set_in_use(120);  // over-full is a fact, not an error
  EXPECT_THAT(ValidateCapacityReading(reading, kToday), IsOk());
}

TEST(FacilityRulesTest, ChangesFollowTheDatesNotTheRecordingOrder) {
  // Recorded: 2024-03 (600), then 2023-09 (450), then 2024-09 (580), then a
  // same-day correction of 2024-09 (590).
  const std::vector<ReadingPoint> readings = {
      {DayNumber(absl::CivilDay(2024, 3, 1)), 1, 600},
      {DayNumber(absl::CivilDay(2023, 9, 1)), 2, 450},
      {DayNumber(absl::CivilDay(2024, 9, 1)), 3, 580},
      {DayNumber(absl::CivilDay(2024, 9, 1)), 4, 590}};
  EXPECT_THAT(CapacityChanges(readings, std::nullopt), ElementsAre(150, 450, -20, 10));
  // Opened in 2023, the first reading's year: its first seats are new.
  EXPECT_THAT(CapacityChanges(readings, DayNumber(absl::CivilDay(2023, 8, 1))),
              ElementsAre(150, 450, -20, 10));
}

TEST(FacilityRulesTest, ThePublicSectorOwnsOrRunsItPublicly) {
  v1::Facility school = School();
  EXPECT_FALSE(PubliclyOwned(school));  // not known
  school.set_ownership(v1::GOVERNMENT);
  EXPECT_TRUE(PubliclyOwned(school));
  school.set_ownership(v1::STATE_OWNED);
  EXPECT_TRUE(PubliclyOwned(school));
  school.set_ownership(v1::PRIVATE);
  EXPECT_FALSE(PubliclyOwned(school));
  v1::Facility kindergarten = School();
  kindergarten.set_kind(v1::KINDERGARTEN);
  kindergarten.set_publicly_run(true);
  EXPECT_TRUE(PubliclyOwned(kindergarten));
}

TEST(FacilityRulesTest, TheFirstReadingOfAFacilityServingBeforeItsYearIsItsStartingLevel) {
  // A car park serving since 2019, first recorded in 2024 with 500 spaces,
  // then 520: 20 new spaces in 2024, not 520.
  const std::vector<ReadingPoint> readings = {
      {DayNumber(absl::CivilDay(2024, 2, 1)), 1, 500},
      {DayNumber(absl::CivilDay(2024, 8, 1)), 2, 520}};
  EXPECT_THAT(CapacityChanges(readings, DayNumber(absl::CivilDay(2019, 5, 1))),
              ElementsAre(0, 20));
  // Serving since a day nobody recorded: the same.
  v1::Facility hospital = School();
  hospital.add_status_history()->set_status(v1::IN_SERVICE);
  ASSERT_TRUE(FirstServiceDay(hospital).has_value());
  EXPECT_THAT(CapacityChanges(readings, FirstServiceDay(hospital)), ElementsAre(0, 20));
  // Never served (planned, under construction): its capacity is all new.
  EXPECT_FALSE(FirstServiceDay(School()).has_value());
  EXPECT_THAT(CapacityChanges(readings, std::nullopt), ElementsAre(500, 20));
}

TEST(FacilityRulesTest, LatestReadingSetsCapacityAndUtilisation) {
  v1::Facility facility = School();
  v1::CapacityReading reading;
  *reading.mutable_reading_date() = Day(2024, 5, 1);
  reading.set_capacity(1200);
  reading.set_in_use(1234);
  ApplyLatestReading(&reading, &facility);
  EXPECT_EQ(facility.capacity(), 1200);
  EXPECT_EQ(facility.in_use(), 1234);
  EXPECT_DOUBLE_EQ(facility.utilization_percent(), 102.8);
  EXPECT_EQ(FormatDate(facility.capacity_date()), "2024-05-01");
  reading.clear_in_use();
  ApplyLatestReading(&reading, &facility);
  EXPECT_EQ(facility.in_use(), 0);
  EXPECT_DOUBLE_EQ(facility.utilization_percent(), 0);
}

}  // namespace
}  // namespace jiangan::facilities
