// Who lives within reach of which facilities: the walk model, the named
// coverage profiles (GB 50180-2018's 5/10/15-minute living circles and the
// report's 12-minute culture-and-sports circle), demand rates, and the
// coverage of residential points computed over facilities in memory. Pure:
// no I/O.
#ifndef JIANGAN_SERVICES_FACILITIES_COVERAGE_RULES_H_
#define JIANGAN_SERVICES_FACILITIES_COVERAGE_RULES_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jiangan/facilities/v1/facilities.pb.h"

namespace jiangan::facilities {

// Walking time from straight-line distance: distance × detour factor ÷
// speed. The defaults (1.3, 80 m/min) put the 5, 10 and 15-minute circles
// at 308, 615 and 923 m in a straight line, within GB 50180-2018's 300, 500
// and 800–1,000 m walking radii as planners apply them.
struct WalkModel {
  double detour_factor = 1.3;
  double meters_per_minute = 80;
};

// INVALID_ARGUMENT naming the flag unless both are positive and finite and
// the detour factor is at least 1.
absl::Status CheckWalkModel(const WalkModel& walk);

// Minutes to walk to a point `distance_meters` away, one decimal.
double WalkingMinutes(double distance_meters, const WalkModel& walk);

// The straight-line radius a walk of `minutes` reaches.
double CircleRadiusMeters(int minutes, const WalkModel& walk);

// A profile's walking limit and the kinds it requires.
struct CircleProfile {
  int minutes = 0;
  std::vector<v1::FacilityKind> kinds;
};

// INVALID_ARGUMENT naming `field` for UNSPECIFIED or an unknown profile.
absl::StatusOr<CircleProfile> ProfileOf(v1::CoverageProfile profile, absl::string_view field);

// How much capacity residents need, per kind, in the kind's unit.
struct DemandRates {
  // Units per 1,000 residents, e.g. KINDERGARTEN → 30 seats.
  absl::flat_hash_map<int, double> per_1000_residents;
  // Elderly-care beds per 1,000 residents aged 60 or more.
  double elderly_care_beds_per_1000_elderly = 0;
  // Share of residents aged 60 or more where a point does not say.
  double elderly_share_percent = 0;
};

// "KINDERGARTEN=30,CHILDCARE=4.5" as kind → rate; INVALID_ARGUMENT naming
// `flag` for an unknown kind, a repeated one or a rate that is not a
// non-negative number.
absl::StatusOr<absl::flat_hash_map<int, double>> ParseKindRates(absl::string_view text,
                                                                absl::string_view flag);

// INVALID_ARGUMENT naming the field for a request ReportCoverage refuses.
absl::Status ValidateReportCoverage(const v1::ReportCoverageRequest& request);

// A facility as coverage sees it: in service, located.
struct CoverageSite {
  double latitude = 0;
  double longitude = 0;
  v1::FacilityKind kind = v1::FACILITY_KIND_UNSPECIFIED;
  std::optional<int64_t> capacity;  // none: never read
};

// The answer of ReportCoverage for a validated `request` over `sites` (the
// in-service facilities of the profile's kinds).
v1::ReportCoverageResponse ComputeCoverage(const v1::ReportCoverageRequest& request,
                                           const std::vector<CoverageSite>& sites,
                                           const WalkModel& walk, const DemandRates& demand);

}  // namespace jiangan::facilities

#endif  // JIANGAN_SERVICES_FACILITIES_COVERAGE_RULES_H_
