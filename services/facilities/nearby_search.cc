#include "services/facilities/nearby_search.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/geo/earth.h"

namespace jiangan::facilities {
namespace {

// The first box's radius as a share of the whole: small enough that a dense
// district answers from a few dozen entries, while a sparse one reaches the
// full radius in six growths. Each growth doubles the radius, so the last
// box holds at most about four times the entries the answer needed.
constexpr double kFirstShare = 1.0 / 64;
constexpr double kGrowth = 2;
constexpr double kBoundSlackDegrees = 1e-5;

}  // namespace

absl::StatusOr<std::vector<NearbyHit>> FindNearby(SqlDb* db, const NearbyQuery& query) {
  // Every entry is a point (south = north), so "south >= ?" holds for each
  // entry in the box too; it gives an engine without an R*Tree (PostgreSQL:
  // a B-tree on the bounds) a band of latitudes to read rather than every
  // entry south of the box's north edge.
  std::string sql =
      "SELECT seq, latitude, longitude FROM facility_places WHERE south <= ? AND north >= ? "
      "AND west <= ? AND east >= ? AND south >= ?";
  if (!query.kinds_in.empty()) absl::StrAppend(&sql, " AND kind ", query.kinds_in);
  if (!query.statuses_in.empty()) absl::StrAppend(&sql, " AND status ", query.statuses_in);
  std::vector<NearbyHit> hits;
  double reach = std::max(1.0, query.radius_meters * kFirstShare);
  while (true) {
    reach = std::min(reach, query.radius_meters);
    const geo::LatLngBox box = geo::BoxAround(query.latitude, query.longitude, reach);
    ASSIGN_OR_RETURN(SqlStatement stmt, db->Prepare(sql));
    stmt.BindDouble(1, box.north);
    stmt.BindDouble(2, box.south);
    stmt.BindDouble(3, box.east);
    stmt.BindDouble(4, box.west);
    // Below the box by more than a stored bound's rounding (32-bit floats
    // in the R*Tree: 1e-5 degrees is about a metre).
    stmt.BindDouble(5, box.south - kBoundSlackDegrees);
    hits.clear();
    while (true) {
      ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) break;
      const double distance = geo::HaversineMeters(query.latitude, query.longitude,
                                                   stmt.ColumnDouble(1), stmt.ColumnDouble(2));
      // Only the circle inscribed in the box is complete.
      if (distance <= reach) hits.push_back({stmt.ColumnInt64(0), distance});
    }
    if (static_cast<int>(hits.size()) >= query.limit || reach >= query.radius_meters) break;
    reach *= kGrowth;
  }
  auto nearer = [](const NearbyHit& a, const NearbyHit& b) {
    return a.distance_meters != b.distance_meters ? a.distance_meters < b.distance_meters
                                                  : a.seq < b.seq;
  };
  if (static_cast<int>(hits.size()) > query.limit) {
    std::partial_sort(hits.begin(), hits.begin() + query.limit, hits.end(), nearer);
    hits.resize(query.limit);
  } else {
    std::sort(hits.begin(), hits.end(), nearer);
  }
  return hits;
}

}  // namespace jiangan::facilities
