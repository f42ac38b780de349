#include "common/geo/district.h"

#include <algorithm>
#include <cmath>

namespace jiangan::geo {

const std::vector<std::string>& SubDistricts() {
  static const auto* names = new std::vector<std::string>{
      "大智街道", "一元街道", "车站街道", "四唯街道", "永清街道", "西马街道",
      "球场街道", "劳动街道", "二七街道", "新村街道", "丹水池街道", "台北街道",
      "花桥街道", "谌家矶街道", "后湖街道", "塔子湖街道"};
  return *names;
}

bool FarOutsideDistrict(double latitude, double longitude) {
  constexpr double kMarginMeters = 5000;
  const LatLngBox& box = kDistrictExtent;
  // The nearest point of the box, then the distance to it.
  const double nearest_latitude = std::clamp(latitude, box.south, box.north);
  const double nearest_longitude = std::clamp(longitude, box.west, box.east);
  return HaversineMeters(latitude, longitude, nearest_latitude, nearest_longitude) > kMarginMeters;
}

}  // namespace jiangan::geo
