#include "services/facilities/coverage_rules.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/geo/district.h"
#include "common/geo/earth.h"

namespace jiangan::facilities {
namespace {

constexpr int kMaxPoints = 20000;
constexpr int64_t kMaxPopulation = 1'000'000;

double Percent(double part, double whole) {
  return whole <= 0 ? 0.0 : std::round(1000.0 * part / whole) / 10.0;
}

// Sites of one kind on a square grid whose cells are as wide as the circle,
// so that everything within the circle of a point lies in the 3 × 3 cells
// around the point's own.
class SiteGrid {
 public:
  SiteGrid(double cell_meters, const std::vector<geo::LocalProjection::Point>& where,
           const std::vector<int>& members)
      : cell_(cell_meters), where_(where) {
    for (int index : members) cells_[KeyOf(CellOf(where[index].x), CellOf(where[index].y))].push_back(index);
  }

  // Calls visit(site index, squared distance) for each site within
  // `radius` (at most the cell width) of `point`.
  template <typename Visit>
  void ForEachWithin(const geo::LocalProjection::Point& point, double radius, Visit visit) const {
    const int64_t cx = CellOf(point.x);
    const int64_t cy = CellOf(point.y);
    const double limit = radius * radius;
    for (int64_t dx = -1; dx <= 1; ++dx) {
      for (int64_t dy = -1; dy <= 1; ++dy) {
        auto it = cells_.find(KeyOf(cx + dx, cy + dy));
        if (it == cells_.end()) continue;
        for (int index : it->second) {
          const double ex = where_[index].x - point.x;
          const double ey = where_[index].y - point.y;
          const double squared = ex * ex + ey * ey;
          if (squared <= limit) visit(index, squared);
        }
      }
    }
  }

 private:
  int64_t CellOf(double meters) const { return static_cast<int64_t>(std::floor(meters / cell_)); }
  static uint64_t KeyOf(int64_t cx, int64_t cy) {
    return (static_cast<uint64_t>(cx) << 32) ^ static_cast<uint32_t>(cy);
  }

  const double cell_;
  const std::vector<geo::LocalProjection::Point>& where_;
  absl::flat_hash_map<uint64_t, std::vector<int>> cells_;
};

}  // namespace

absl::Status CheckWalkModel(const WalkModel& walk) {
  if (!std::isfinite(walk.detour_factor) || walk.detour_factor < 1 || walk.detour_factor > 5) {
    return absl::InvalidArgumentError(
        absl::StrCat("--walking_detour_factor: must be 1 to 5, got ", walk.detour_factor));
  }
  if (!std::isfinite(walk.meters_per_minute) || walk.meters_per_minute < 10 ||
      walk.meters_per_minute > 300) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--walking_meters_per_minute: must be 10 to 300, got ", walk.meters_per_minute));
  }
  return absl::OkStatus();
}

double WalkingMinutes(double distance_meters, const WalkModel& walk) {
  return std::round(10.0 * distance_meters * walk.detour_factor / walk.meters_per_minute) / 10.0;
}

double CircleRadiusMeters(int minutes, const WalkModel& walk) {
  return minutes * walk.meters_per_minute / walk.detour_factor;
}

absl::StatusOr<CircleProfile> ProfileOf(v1::CoverageProfile profile, absl::string_view field) {
  switch (profile) {
    case v1::FIVE_MINUTE_LIVING_CIRCLE:
      return CircleProfile{5,
                           {v1::KINDERGARTEN, v1::COMMUNITY_ELDERLY_SERVICE_POINT, v1::CHILDCARE,
                            v1::PARK, v1::FITNESS_EQUIPMENT_SITE}};
    case v1::TEN_MINUTE_LIVING_CIRCLE:
      return CircleProfile{10, {v1::PRIMARY_SCHOOL, v1::COMMUNITY_HEALTH_CENTER, v1::SPORTS_PARK}};
    case v1::FIFTEEN_MINUTE_LIVING_CIRCLE:
      return CircleProfile{15,
                           {v1::MIDDLE_SCHOOL, v1::HOSPITAL, v1::ELDERLY_CARE_CENTER,
                            v1::CULTURAL_VENUE, v1::LIBRARY}};
    case v1::TWELVE_MINUTE_CULTURE_SPORTS_CIRCLE:
      return CircleProfile{12,
                           {v1::SPORTS_PARK, v1::FITNESS_EQUIPMENT_SITE, v1::CULTURAL_VENUE,
                            v1::LIBRARY}};
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": ", static_cast<int>(profile), " is not a CoverageProfile; use one of ",
          "FIVE_MINUTE_LIVING_CIRCLE, TEN_MINUTE_LIVING_CIRCLE, FIFTEEN_MINUTE_LIVING_CIRCLE, "
          "TWELVE_MINUTE_CULTURE_SPORTS_CIRCLE"));
  }
}

absl::StatusOr<absl::flat_hash_map<int, double>> ParseKindRates(absl::string_view text,
                                                                absl::string_view flag) {
  absl::flat_hash_map<int, double> rates;
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    std::pair<absl::string_view, absl::string_view> pair = absl::StrSplit(item, '=');
    v1::FacilityKind kind;
    double rate = 0;
    const std::string name(absl::StripAsciiWhitespace(pair.first));
    if (!v1::FacilityKind_Parse(name, &kind) || kind == v1::FACILITY_KIND_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          absl::StrCat(flag, ": \"", name, "\" is not a FacilityKind"));
    }
    if (!absl::SimpleAtod(absl::StripAsciiWhitespace(pair.second), &rate) ||
        !std::isfinite(rate) || rate < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          flag, ": the rate of ", name, " must be a non-negative number, got \"", pair.second,
          "\""));
    }
    if (!rates.emplace(kind, rate).second) {
      return absl::InvalidArgumentError(absl::StrCat(flag, ": ", name, " is named twice"));
    }
  }
  return rates;
}

absl::Status ValidateReportCoverage(const v1::ReportCoverageRequest& request) {
  RETURN_IF_ERROR(ProfileOf(request.profile(), "profile").status());
  if (request.points_size() < 1 || request.points_size() > kMaxPoints) {
    return absl::InvalidArgumentError(absl::StrCat("points: must hold 1 to ", kMaxPoints,
                                                   " points, got ", request.points_size()));
  }
  if (request.uncovered_limit() < 0 || request.uncovered_limit() > 1000) {
    return absl::InvalidArgumentError(
        absl::StrCat("uncovered_limit: must be 0 to 1000, got ", request.uncovered_limit()));
  }
  for (int i = 0; i < request.points_size(); ++i) {
    const v1::ResidentialPoint& point = request.points(i);
    const std::string field = absl::StrCat("points[", i, "]");
    RETURN_IF_ERROR(CheckLength(absl::StrCat(field, ".label"), point.label(), 0, 100));
    if (!point.has_location()) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".location: is required"));
    }
    RETURN_IF_ERROR(CheckLatLng(absl::StrCat(field, ".location"), point.location().latitude(),
                                point.location().longitude()));
    if (point.population() < 1 || point.population() > kMaxPopulation) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".population: must be 1 to ",
                                                     kMaxPopulation, ", got ",
                                                     point.population()));
    }
    if (point.has_elderly() && (point.elderly() < 0 || point.elderly() > point.population())) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".elderly: must be 0 to population (",
                                                     point.population(), "), got ",
                                                     point.elderly()));
    }
  }
  return absl::OkStatus();
}

v1::ReportCoverageResponse ComputeCoverage(const v1::ReportCoverageRequest& request,
                                           const std::vector<CoverageSite>& sites,
                                           const WalkModel& walk, const DemandRates& demand) {
  const CircleProfile profile = *ProfileOf(request.profile(), "profile");
  const double radius = CircleRadiusMeters(profile.minutes, walk);
  v1::ReportCoverageResponse response;
  response.set_profile(request.profile());
  response.set_circle_minutes(profile.minutes);
  response.set_circle_radius_meters(std::round(radius * 10) / 10);

  // Everything on one plane around the district's centre.
  const geo::LatLngBox& extent = geo::kDistrictExtent;
  const geo::LocalProjection plane((extent.south + extent.north) / 2,
                                   (extent.west + extent.east) / 2);
  std::vector<geo::LocalProjection::Point> site_xy;
  site_xy.reserve(sites.size());
  for (const CoverageSite& site : sites) site_xy.push_back(plane.Project(site.latitude, site.longitude));
  const int points = request.points_size();
  std::vector<geo::LocalProjection::Point> point_xy(points);
  int64_t total = 0;
  for (int i = 0; i < points; ++i) {
    point_xy[i] = plane.Project(request.points(i).location().latitude(),
                                request.points(i).location().longitude());
    total += request.points(i).population();
  }
  response.set_total_population(total);

  std::vector<std::vector<v1::FacilityKind>> unreachable(points);
  std::vector<std::vector<v1::FacilityKind>> short_of(points);
  for (v1::FacilityKind kind : profile.kinds) {
    std::vector<int> members;
    bool every_capacity_known = true;
    int64_t capacity = 0;
    for (int j = 0; j < static_cast<int>(sites.size()); ++j) {
      if (sites[j].kind != kind) continue;
      members.push_back(j);
      if (sites[j].capacity.has_value()) {
        capacity += *sites[j].capacity;
      } else {
        every_capacity_known = false;
      }
    }
    v1::KindCoverage* coverage = response.add_kinds();
    coverage->set_kind(kind);
    coverage->set_facility_count(static_cast<int64_t>(members.size()));
    coverage->set_capacity(capacity);

    // Demand per point, in the kind's unit, when a rate is known.
    std::vector<double> need(points, 0.0);
    bool has_rate = false;
    if (auto it = demand.per_1000_residents.find(kind); it != demand.per_1000_residents.end()) {
      has_rate = true;
      for (int i = 0; i < points; ++i) need[i] = request.points(i).population() * it->second / 1000;
    } else if (kind == v1::ELDERLY_CARE_CENTER && demand.elderly_care_beds_per_1000_elderly > 0) {
      has_rate = true;
      for (int i = 0; i < points; ++i) {
        const v1::ResidentialPoint& point = request.points(i);
        const double elderly = point.has_elderly()
                                   ? static_cast<double>(point.elderly())
                                   : point.population() * demand.elderly_share_percent / 100;
        need[i] = elderly * demand.elderly_care_beds_per_1000_elderly / 1000;
      }
    }
    const bool capacity_aware = has_rate && every_capacity_known && !members.empty();
    coverage->set_capacity_aware(capacity_aware);
    if (!has_rate) {
      coverage->set_capacity_note("no demand rate is configured for this kind");
    } else if (members.empty()) {
      coverage->set_capacity_note("no facility of this kind is in service with a location");
    } else if (!every_capacity_known) {
      coverage->set_capacity_note("some facilities of this kind have no capacity reading");
    }
    double total_need = 0;
    for (double n : need) total_need += n;
    coverage->set_demand(has_rate ? static_cast<int64_t>(std::llround(total_need)) : 0);

    const SiteGrid grid(radius, site_xy, members);
    // Two-step floating catchment: first the demand each facility faces...
    std::vector<double> faced(sites.size(), 0.0);
    std::vector<bool> reaches(points, false);
    for (int i = 0; i < points; ++i) {
      grid.ForEachWithin(point_xy[i], radius, [&](int j, double) {
        reaches[i] = true;
        faced[j] += need[i];
      });
    }
    // ...then the share of its own demand each point is served.
    int64_t reachable = 0;
    double served = 0;
    for (int i = 0; i < points; ++i) {
      const int64_t population = request.points(i).population();
      if (!reaches[i]) {
        unreachable[i].push_back(kind);
        continue;
      }
      reachable += population;
      if (!capacity_aware || need[i] <= 0) {
        served += static_cast<double>(population);
        continue;
      }
      double share = 0;
      grid.ForEachWithin(point_xy[i], radius, [&](int j, double) {
        if (faced[j] > 0) share += static_cast<double>(*sites[j].capacity) / faced[j];
      });
      if (share < 1 - 1e-9) short_of[i].push_back(kind);
      served += population * std::min(1.0, share);
    }
    coverage->set_reachable_population(reachable);
    coverage->set_reachable_percent(Percent(static_cast<double>(reachable), static_cast<double>(total)));
    const int64_t served_population = static_cast<int64_t>(std::llround(served));
    coverage->set_served_population(served_population);
    coverage->set_served_percent(
        Percent(static_cast<double>(served_population), static_cast<double>(total)));
  }

  int64_t covered = 0;
  std::vector<int> uncovered;
  for (int i = 0; i < points; ++i) {
    if (unreachable[i].empty()) covered += request.points(i).population();
    if (!unreachable[i].empty() || !short_of[i].empty()) uncovered.push_back(i);
  }
  response.set_covered_population(covered);
  response.set_covered_percent(Percent(static_cast<double>(covered), static_cast<double>(total)));
  response.set_uncovered_point_count(static_cast<int64_t>(uncovered.size()));
  // The largest populations first: where a new facility helps most.
  std::stable_sort(uncovered.begin(), uncovered.end(), [&](int a, int b) {
    return request.points(a).population() > request.points(b).population();
  });
  const size_t limit = request.uncovered_limit() == 0 ? 100 : request.uncovered_limit();
  for (size_t u = 0; u < uncovered.size() && u < limit; ++u) {
    const int i = uncovered[u];
    v1::UncoveredPoint* point = response.add_uncovered_points();
    point->set_label(request.points(i).label());
    *point->mutable_location() = request.points(i).location();
    point->set_population(request.points(i).population());
    for (v1::FacilityKind kind : unreachable[i]) point->add_unreachable_kinds(kind);
    for (v1::FacilityKind kind : short_of[i]) point->add_short_kinds(kind);
  }
  return response;
}

}  // namespace jiangan::facilities
