// Synthetic public-service facilities of any size, shaped like the
// district's own (every kind, in plausible proportions, spread over the
// built-up district with a capacity fitting the kind), and synthetic
// residential points, for scale tests and benchmarks. Deterministic for a
// seed.
#ifndef JIANGAN_TOOLS_SYNTHETIC_FACILITIES_H_
#define JIANGAN_TOOLS_SYNTHETIC_FACILITIES_H_

#include <cstdint>
#include <ostream>

#include "jiangan/facilities/v1/facilities.pb.h"

namespace jiangan::tools {

// The `index`-th synthetic facility of the district of `seed`, with its
// facility_id ("synthetic-{index}") and request_id set; about 70% are in
// service, since a day of 2000–2024.
facilities::v1::CreateFacilityRequest SyntheticFacility(uint64_t seed, int64_t index);

// A capacity reading of facility `index` on a day of 2024, in its kind's
// unit.
facilities::v1::RecordCapacityRequest SyntheticCapacity(uint64_t seed, int64_t index);

// The `index`-th synthetic residential compound: a point in the district
// with 300 to 6,000 residents.
facilities::v1::ResidentialPoint SyntheticResidence(uint64_t seed, int64_t index);

// Writes `count` CreateFacility calls as seed lines ({"method","request"}).
void WriteSyntheticFacilities(int64_t count, uint64_t seed, std::ostream& out);

// Writes one RecordCapacity call for each of the first `count` facilities,
// as seed lines; apply them after the facilities.
void WriteSyntheticCapacities(int64_t count, uint64_t seed, std::ostream& out);

}  // namespace jiangan::tools

#endif  // JIANGAN_TOOLS_SYNTHETIC_FACILITIES_H_
