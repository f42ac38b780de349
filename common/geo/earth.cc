#include "common/geo/earth.h"

#include <algorithm>
#include <cmath>

namespace jiangan::geo {
namespace {

constexpr double kRadiansPerDegree = M_PI / 180.0;
constexpr double kMetersPerDegree = kEarthRadiusMeters * kRadiansPerDegree;

}  // namespace

double HaversineMeters(double latitude1, double longitude1, double latitude2,
                       double longitude2) {
  const double phi1 = latitude1 * kRadiansPerDegree;
  const double phi2 = latitude2 * kRadiansPerDegree;
  const double half_dphi = (phi2 - phi1) / 2;
  const double half_dlambda = (longitude2 - longitude1) * kRadiansPerDegree / 2;
  const double a = std::sin(half_dphi) * std::sin(half_dphi) +
                   std::cos(phi1) * std::cos(phi2) * std::sin(half_dlambda) * std::sin(half_dlambda);
  return 2 * kEarthRadiusMeters * std::asin(std::min(1.0, std::sqrt(a)));
}

LatLngBox BoxAround(double latitude, double longitude, double radius_meters) {
  // One part in a million of margin covers rounding in the distance.
  const double margin = 1.000001;
  const double dlat = radius_meters * margin / kMetersPerDegree;
  // The box's widest parallel is the one nearest a pole.
  const double widest = std::min(89.0, std::abs(latitude) + dlat);
  const double dlng = dlat / std::cos(widest * kRadiansPerDegree);
  return {latitude - dlat, latitude + dlat, longitude - dlng, longitude + dlng};
}

LocalProjection::LocalProjection(double origin_latitude, double origin_longitude)
    : origin_latitude_(origin_latitude),
      origin_longitude_(origin_longitude),
      meters_per_degree_latitude_(kMetersPerDegree),
      meters_per_degree_longitude_(kMetersPerDegree *
                                   std::cos(origin_latitude * kRadiansPerDegree)) {}

LocalProjection::Point LocalProjection::Project(double latitude, double longitude) const {
  return {(longitude - origin_longitude_) * meters_per_degree_longitude_,
          (latitude - origin_latitude_) * meters_per_degree_latitude_};
}

}  // namespace jiangan::geo
