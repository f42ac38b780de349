// Coverage: the walk model, profiles, demand rates and a small district
// worked by hand.
#include "services/facilities/coverage_rules.h"

#include <cmath>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace jiangan::facilities {
namespace {

using ::jiangan::testing::IsOk;
using ::jiangan::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr double kLatitude = 30.645;
constexpr double kLongitude = 114.33;
// Degrees per metre near the district's centre.
constexpr double kNorth = 1 / 111195.0;
const double kEast = 1 / (111195.0 * std::cos(kLatitude * M_PI / 180));

CoverageSite Site(v1::FacilityKind kind, double east_m, double north_m,
                  std::optional<int64_t> capacity = std::nullopt) {
  return {kLatitude + north_m * kNorth, kLongitude + east_m * kEast, kind, capacity};
}

v1::ResidentialPoint* AddPoint(v1::ReportCoverageRequest* request, const char* label,
                               double east_m, double north_m, int64_t population) {
  v1::ResidentialPoint* point = request->add_points();
  point->set_label(label);
  point->mutable_location()->set_latitude(kLatitude + north_m * kNorth);
  point->mutable_location()->set_longitude(kLongitude + east_m * kEast);
  point->set_population(population);
  return point;
}

TEST(CoverageRulesTest, WalkModel) {
  const WalkModel walk;
  EXPECT_NEAR(CircleRadiusMeters(5, walk), 307.7, 0.1);
  EXPECT_NEAR(CircleRadiusMeters(15, walk), 923.1, 0.1);
  EXPECT_DOUBLE_EQ(WalkingMinutes(800, walk), 13.0);
  EXPECT_THAT(CheckWalkModel({0.9, 80}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--walking_detour_factor")));
  EXPECT_THAT(CheckWalkModel({1.3, 0}), StatusIs(absl::StatusCode::kInvalidArgument,
                                                 HasSubstr("--walking_meters_per_minute")));
}

TEST(CoverageRulesTest, Profiles) {
  auto twelve = ProfileOf(v1::TWELVE_MINUTE_CULTURE_SPORTS_CIRCLE, "profile");
  ASSERT_THAT(twelve.status(), IsOk());
  EXPECT_EQ(twelve->minutes, 12);
  EXPECT_THAT(twelve->kinds, ElementsAre(v1::SPORTS_PARK, v1::FITNESS_EQUIPMENT_SITE,
                                         v1::CULTURAL_VENUE, v1::LIBRARY));
  for (auto profile : {v1::FIVE_MINUTE_LIVING_CIRCLE, v1::TEN_MINUTE_LIVING_CIRCLE,
                       v1::FIFTEEN_MINUTE_LIVING_CIRCLE}) {
    auto circle = ProfileOf(profile, "profile");
    ASSERT_THAT(circle.status(), IsOk());
    EXPECT_FALSE(circle->kinds.empty());
  }
  EXPECT_THAT(ProfileOf(v1::COVERAGE_PROFILE_UNSPECIFIED, "profile").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("profile: 0 is not")));
}

TEST(CoverageRulesTest, KindRates) {
  auto rates = ParseKindRates("KINDERGARTEN=30, CHILDCARE=4.5", "--flag");
  ASSERT_THAT(rates.status(), IsOk());
  EXPECT_DOUBLE_EQ(rates->at(v1::KINDERGARTEN), 30);
  EXPECT_DOUBLE_EQ(rates->at(v1::CHILDCARE), 4.5);
  EXPECT_THAT(ParseKindRates("SCHOOL=30", "--flag").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "--flag: \"SCHOOL\" is not a FacilityKind"));
  EXPECT_THAT(ParseKindRates("PARK=-1", "--flag").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("non-negative")));
  EXPECT_THAT(ParseKindRates("PARK=1,PARK=2", "--flag").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("named twice")));
  EXPECT_THAT(ParseKindRates("", "--flag").status(), IsOk());
}

TEST(CoverageRulesTest, RequestRules) {
  v1::ReportCoverageRequest request;
  request.set_profile(v1::FIVE_MINUTE_LIVING_CIRCLE);
  EXPECT_THAT(ValidateReportCoverage(request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("points: must hold 1 to")));
  AddPoint(&request, "a", 0, 0, 0);
  EXPECT_THAT(ValidateReportCoverage(request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "points[0].population: must be 1 to 1000000, got 0"));
  request.mutable_points(0)->set_population(10);
  request.mutable_points(0)->set_elderly(11);
  EXPECT_THAT(ValidateReportCoverage(request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("points[0].elderly")));
  request.mutable_points(0)->set_elderly(3);
  request.mutable_points(0)->clear_location();
  EXPECT_THAT(ValidateReportCoverage(request),
              StatusIs(absl::StatusCode::kInvalidArgument, "points[0].location: is required"));
  request.mutable_points(0)->mutable_location()->set_latitude(30.6);
  request.mutable_points(0)->mutable_location()->set_longitude(114.3);
  EXPECT_THAT(ValidateReportCoverage(request), IsOk());
  request.set_profile(v1::COVERAGE_PROFILE_UNSPECIFIED);
  EXPECT_THAT(ValidateReportCoverage(request), StatusIs(absl::StatusCode::kInvalidArgument));
}

// Two compounds share one kindergarten that holds half their demand; a
// third lies 2 km away from everything.
TEST(CoverageRulesTest, SharedCapacityAndUncoveredPoints) {
  v1::ReportCoverageRequest request;
  request.set_profile(v1::FIVE_MINUTE_LIVING_CIRCLE);
  AddPoint(&request, "A", 0, 0, 1000);     // needs 30 seats
  AddPoint(&request, "B", 200, 0, 2000);   // needs 60 seats
  AddPoint(&request, "C", 0, 2000, 500);
  const std::vector<CoverageSite> sites = {
      Site(v1::KINDERGARTEN, 100, 0, 45),
      Site(v1::COMMUNITY_ELDERLY_SERVICE_POINT, 0, 0),
      Site(v1::CHILDCARE, 100, 0),
      Site(v1::PARK, 100, 10),
      Site(v1::FITNESS_EQUIPMENT_SITE, 150, -10),
  };
  DemandRates demand;
  demand.per_1000_residents[v1::KINDERGARTEN] = 30;
  const v1::ReportCoverageResponse report = ComputeCoverage(request, sites, WalkModel(), demand);

  EXPECT_EQ(report.circle_minutes(), 5);
  EXPECT_EQ(report.total_population(), 3500);
  ASSERT_EQ(report.kinds_size(), 5);
  const v1::KindCoverage& kindergarten = report.kinds(0);
  EXPECT_EQ(kindergarten.kind(), v1::KINDERGARTEN);
  EXPECT_TRUE(kindergarten.capacity_aware());
  EXPECT_EQ(kindergarten.demand(), 105);
  EXPECT_EQ(kindergarten.capacity(), 45);
  EXPECT_EQ(kindergarten.reachable_population(), 3000);
  EXPECT_DOUBLE_EQ(kindergarten.reachable_percent(), 85.7);
  // 45 seats against the 90 seats A and B need: each is served half.
  EXPECT_EQ(kindergarten.served_population(), 1500);
  EXPECT_DOUBLE_EQ(kindergarten.served_percent(), 42.9);
  const v1::KindCoverage& park = report.kinds(3);
  EXPECT_EQ(park.kind(), v1::PARK);
  EXPECT_FALSE(park.capacity_aware());
  EXPECT_EQ(park.capacity_note(), "no demand rate is configured for this kind");
  EXPECT_EQ(park.served_population(), 3000);

  EXPECT_EQ(report.covered_population(), 3000);
  EXPECT_EQ(report.uncovered_point_count(), 3);
  ASSERT_EQ(report.uncovered_points_size(), 3);
  EXPECT_EQ(report.uncovered_points(0).label(), "B");
  EXPECT_THAT(report.uncovered_points(0).short_kinds(), ElementsAre(v1::KINDERGARTEN));
  EXPECT_TRUE(report.uncovered_points(0).unreachable_kinds().empty());
  EXPECT_EQ(report.uncovered_points(2).label(), "C");
  EXPECT_EQ(report.uncovered_points(2).unreachable_kinds_size(), 5);
}

TEST(CoverageRulesTest, EnoughCapacityServesEveryone) {
  v1::ReportCoverageRequest request;
  request.set_profile(v1::FIFTEEN_MINUTE_LIVING_CIRCLE);
  v1::ResidentialPoint* point = AddPoint(&request, "A", 0, 0, 10000);
  point->set_elderly(2000);  // needs 80 beds at 40 per 1,000 elderly
  DemandRates demand;
  demand.elderly_care_beds_per_1000_elderly = 40;
  const auto report = ComputeCoverage(
      request, {Site(v1::ELDERLY_CARE_CENTER, 500, 0, 80), Site(v1::HOSPITAL, 0, 800)},
      WalkModel(), demand);
  const v1::KindCoverage& elderly = report.kinds(2);
  ASSERT_EQ(elderly.kind(), v1::ELDERLY_CARE_CENTER);
  EXPECT_TRUE(elderly.capacity_aware());
  EXPECT_EQ(elderly.demand(), 80);
  EXPECT_EQ(elderly.served_population(), 10000);
  // A facility never read makes the kind distance-only, and says so.
  const auto unread = ComputeCoverage(
      request, {Site(v1::ELDERLY_CARE_CENTER, 500, 0, 80), Site(v1::ELDERLY_CARE_CENTER, 0, 9000)},
      WalkModel(), demand);
  EXPECT_FALSE(unread.kinds(2).capacity_aware());
  EXPECT_EQ(unread.kinds(2).capacity_note(),
            "some facilities of this kind have no capacity reading");
}

}  // namespace
}  // namespace jiangan::facilities
