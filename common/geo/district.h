// Where Jiang'an District is: its extent, for flagging points that cannot
// be in it and for placing synthetic ones that are.
#ifndef JIANGAN_COMMON_GEO_DISTRICT_H_
#define JIANGAN_COMMON_GEO_DISTRICT_H_

#include <string>
#include <vector>

#include "common/geo/earth.h"

namespace jiangan::geo {

// The district's extent, WGS-84 degrees: a box around its 80 km².
inline constexpr LatLngBox kDistrictExtent{30.57, 30.72, 114.26, 114.40};

// Where synthetic facilities and points are placed: the built-up part of
// the district (latitude 30.58–30.72, longitude 114.26–114.36).
inline constexpr LatLngBox kSyntheticExtent{30.58, 30.72, 114.26, 114.36};

// The district's sub-districts (街道).
const std::vector<std::string>& SubDistricts();

// Whether a point lies more than 5 km outside the district's extent: such a
// point is kept (the record may be right, the district's edge may move) but
// flagged, as it is more likely a typing slip (e.g. swapped coordinates).
bool FarOutsideDistrict(double latitude, double longitude);

}  // namespace jiangan::geo

#endif  // JIANGAN_COMMON_GEO_DISTRICT_H_
