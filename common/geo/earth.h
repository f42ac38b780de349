// Distances and boxes on the WGS-84 globe, at the scale of a city: what a
// spatial search needs to turn "within r metres" into an index query and
// back into exact distances.
#ifndef JIANGAN_COMMON_GEO_EARTH_H_
#define JIANGAN_COMMON_GEO_EARTH_H_

namespace jiangan::geo {

// Mean Earth radius (IUGG), metres.
inline constexpr double kEarthRadiusMeters = 6371008.8;

// Great-circle distance in metres between two points given in degrees.
double HaversineMeters(double latitude1, double longitude1, double latitude2,
                       double longitude2);

// A latitude/longitude rectangle, degrees.
struct LatLngBox {
  double south = 0;
  double north = 0;
  double west = 0;
  double east = 0;
};

// A box holding every point within `radius_meters` of the centre (a little
// larger, never smaller). Not meant for the poles or the antimeridian.
LatLngBox BoxAround(double latitude, double longitude, double radius_meters);

// Metres east and north of an origin on a plane tangent there. Within a
// city (tens of kilometres) plane distances differ from great-circle ones
// by far less than a metre per kilometre, and cost a square root.
class LocalProjection {
 public:
  LocalProjection(double origin_latitude, double origin_longitude);

  struct Point {
    double x = 0;  // metres east
    double y = 0;  // metres north
  };
  Point Project(double latitude, double longitude) const;

 private:
  const double origin_latitude_;
  const double origin_longitude_;
  const double meters_per_degree_latitude_;
  const double meters_per_degree_longitude_;
};

}  // namespace jiangan::geo

#endif  // JIANGAN_COMMON_GEO_EARTH_H_
