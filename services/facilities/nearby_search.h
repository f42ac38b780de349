// Nearest facilities from the R*Tree of their places (facility_sql.h): boxes
// that grow around the point until they hold enough facilities, so that the
// work depends on the facilities near the point rather than on how many the
// district has.
#ifndef JIANGAN_SERVICES_FACILITIES_NEARBY_SEARCH_H_
#define JIANGAN_SERVICES_FACILITIES_NEARBY_SEARCH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/storage/sql_db.h"

namespace jiangan::facilities {

struct NearbyQuery {
  double latitude = 0;
  double longitude = 0;
  double radius_meters = 1000;
  // "IN (1,2)" lists of kinds and statuses to keep; empty keeps all.
  std::string kinds_in;
  std::string statuses_in;
  int limit = 10;
};

struct NearbyHit {
  int64_t seq = 0;  // the facility's row
  double distance_meters = 0;
};

// The `limit` facilities nearest the point within the radius, nearest first
// (ties by seq), with great-circle distances.
absl::StatusOr<std::vector<NearbyHit>> FindNearby(SqlDb* db, const NearbyQuery& query);

}  // namespace jiangan::facilities

#endif  // JIANGAN_SERVICES_FACILITIES_NEARBY_SEARCH_H_
