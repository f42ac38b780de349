// Distances, boxes and the district's extent.
#include <cmath>

#include "common/geo/district.h"
#include "common/geo/earth.h"
#include "gtest/gtest.h"

namespace jiangan::geo {
namespace {

TEST(EarthTest, HaversineKnownDistances) {
  EXPECT_DOUBLE_EQ(HaversineMeters(30.6, 114.3, 30.6, 114.3), 0);
  // One degree of latitude is 111.195 km on the mean sphere.
  EXPECT_NEAR(HaversineMeters(30, 114, 31, 114), 111195, 1);
  // 汉口 to Beijing, about 1,050 km.
  EXPECT_NEAR(HaversineMeters(30.60, 114.30, 39.90, 116.40), 1050e3, 15e3);
}

TEST(EarthTest, BoxHoldsTheCircle) {
  const LatLngBox box = BoxAround(30.64, 114.31, 1000);
  // The four compass points at exactly 1 km lie inside the box.
  for (double bearing = 0; bearing < 360; bearing += 7.5) {
    // Walk 1 km along a bearing on the local plane, then check.
    const double north = 1000 * std::cos(bearing * M_PI / 180);
    const double east = 1000 * std::sin(bearing * M_PI / 180);
    const double latitude = 30.64 + north / 111195.0;
    const double longitude = 114.31 + east / (111195.0 * std::cos(30.64 * M_PI / 180));
    if (HaversineMeters(30.64, 114.31, latitude, longitude) > 1000) continue;
    EXPECT_GE(latitude, box.south);
    EXPECT_LE(latitude, box.north);
    EXPECT_GE(longitude, box.west);
    EXPECT_LE(longitude, box.east);
  }
  // And the box is not much bigger than the circle.
  EXPECT_NEAR(HaversineMeters(30.64, 114.31, box.north, 114.31), 1000, 1);
}

TEST(EarthTest, LocalProjectionMatchesHaversineInTheCity) {
  const LocalProjection plane(30.64, 114.31);
  const auto a = plane.Project(30.60, 114.27);
  const auto b = plane.Project(30.70, 114.36);
  const double flat = std::hypot(a.x - b.x, a.y - b.y);
  const double sphere = HaversineMeters(30.60, 114.27, 30.70, 114.36);
  EXPECT_NEAR(flat, sphere, sphere * 1e-3);
}

TEST(DistrictTest, FarOutside) {
  EXPECT_FALSE(FarOutsideDistrict(30.60, 114.30));  // 汉口, inside
  EXPECT_FALSE(FarOutsideDistrict(30.74, 114.33));  // 2 km north of the edge
  EXPECT_TRUE(FarOutsideDistrict(30.80, 114.33));   // 9 km north
  EXPECT_TRUE(FarOutsideDistrict(39.90, 116.40));   // Beijing
  EXPECT_TRUE(FarOutsideDistrict(0, 0));
  EXPECT_TRUE(FarOutsideDistrict(114.30, 30.60 - 90));  // swapped and shifted
}

}  // namespace
}  // namespace jiangan::geo
