// The synthetic generators make data the services accept, so that loads of
// any size (benchmarks, scale tests) are not refused part-way.
#include <set>

#include "absl/time/civil_time.h"
#include "common/base/civil_date.h"
#include "common/geo/district.h"
#include "gtest/gtest.h"
#include "services/investment/company_name.h"
#include "services/investment/lead_rules.h"
#include "services/renewal/project_rules.h"
#include "tests/support/status_matchers.h"
#include "services/facilities/coverage_rules.h"
#include "services/facilities/facility_rules.h"
#include "tools/synthetic_facilities.h"
#include "tools/synthetic_leads.h"
#include "tools/synthetic_portfolio.h"

namespace jiangan::tools {
namespace {

using ::jiangan::testing::IsOk;

const absl::CivilDay kToday(2025, 1, 15);
const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2025, 1, 15, 10, 0, 0), ChinaTimeZone());

TEST(SyntheticDataTest, LeadsPassEveryRuleAndFundsFitTheirLeads) {
  int registered = 0;
  for (int64_t i = 0; i < 2000; ++i) {
    investment::v1::CreateLeadRequest request = SyntheticLead(7, i);
    investment::v1::Lead lead = request.lead();
    ASSERT_THAT(investment::ValidateLead(lead, kToday), IsOk()) << i;
    investment::ApplyConsequences(nullptr, kNow, &lead);
    ASSERT_THAT(investment::CheckStageFacts(lead), IsOk()) << i;
    if (lead.stage() != investment::v1::REGISTERED) continue;
    ++registered;
    ASSERT_THAT(investment::CheckUscc("uscc", lead.company().uscc()), IsOk()) << i;
    for (int e = 0; e < 3; ++e) {
      ASSERT_THAT(investment::ValidateFundsEntry(SyntheticFunds(7, i, e).funds_entry(), lead,
                                                 kToday),
                  IsOk())
          << i << "/" << e;
    }
  }
  EXPECT_GT(registered, 200);  // about a fifth reach REGISTERED
  EXPECT_EQ(SyntheticLead(7, 42).SerializeAsString(), SyntheticLead(7, 42).SerializeAsString());
  // Names that differ in one syllable are the closest pairs; they must stay
  // below the duplicate threshold, or a large load would be refused.
  for (int64_t i = 0; i < 1000; ++i) {
    const std::string name = investment::NormalizeCompanyName(SyntheticLead(7, i).lead().company().name());
    for (int64_t step : {1, 10, 1000, 1000000, 1000000000}) {
      const std::string other =
          investment::NormalizeCompanyName(SyntheticLead(7, i + step).lead().company().name());
      ASSERT_NE(name, other) << i << "+" << step;
      ASSERT_LT(investment::SimilarityPercent(name, other), 80) << name << " " << other;
    }
  }
}

TEST(SyntheticDataTest, ProjectsPassEveryRule) {
  for (int64_t i = 0; i < 2000; ++i) {
    ASSERT_THAT(renewal::ValidateProject(SyntheticProject(7, i).project(), kToday), IsOk()) << i;
  }
}

TEST(SyntheticDataTest, FacilitiesAndReadingsPassEveryRuleInsideTheDistrict) {
  std::set<int> kinds;
  int in_service = 0;
  for (int64_t i = 0; i < 3000; ++i) {
    const facilities::v1::CreateFacilityRequest request = SyntheticFacility(7, i);
    const facilities::v1::Facility& facility = request.facility();
    ASSERT_THAT(facilities::ValidateFacility(facility, kToday), IsOk()) << i;
    ASSERT_FALSE(geo::FarOutsideDistrict(facility.location().latitude(),
                                         facility.location().longitude()));
    EXPECT_GE(facility.location().latitude(), geo::kSyntheticExtent.south);
    EXPECT_LE(facility.location().longitude(), geo::kSyntheticExtent.east);
    kinds.insert(facility.kind());
    in_service += facility.status() == facilities::v1::IN_SERVICE;
    const facilities::v1::RecordCapacityRequest reading = SyntheticCapacity(7, i);
    EXPECT_EQ(reading.parent(), "facilities/" + request.facility_id());
    ASSERT_THAT(facilities::ValidateCapacityReading(reading.capacity_reading(), kToday), IsOk())
        << i;
  }
  EXPECT_EQ(kinds.size(), 22u);  // every kind appears
  EXPECT_GT(in_service, 1800);
  facilities::v1::ReportCoverageRequest coverage;
  coverage.set_profile(facilities::v1::FIFTEEN_MINUTE_LIVING_CIRCLE);
  for (int64_t i = 0; i < 10000; ++i) *coverage.add_points() = SyntheticResidence(7, i);
  EXPECT_THAT(facilities::ValidateReportCoverage(coverage), IsOk());
}

}  // namespace
}  // namespace jiangan::tools
