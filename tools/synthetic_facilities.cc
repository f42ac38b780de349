#include "tools/synthetic_facilities.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/base/civil_date.h"
#include "common/geo/district.h"
#include "tools/seed_line.h"

namespace jiangan::tools {
namespace {

namespace v1 = facilities::v1;

// A kind, how many in a hundred facilities are of it, what the district
// calls it, its keeping department and its capacity range.
struct KindShape {
  v1::FacilityKind kind;
  int weight;
  const char* label;
  const char* department;
  int64_t low, high;
};

const std::vector<KindShape>& Shapes() {
  static const auto* shapes = new std::vector<KindShape>{
      {v1::PRIMARY_SCHOOL, 6, "小学", "区教育局", 600, 3000},
      {v1::MIDDLE_SCHOOL, 3, "初级中学", "区教育局", 600, 2400},
      {v1::HIGH_SCHOOL, 2, "高级中学", "区教育局", 900, 3000},
      {v1::KINDERGARTEN, 9, "幼儿园", "区教育局", 90, 540},
      {v1::HOSPITAL, 1, "医院", "区卫生健康局", 100, 1500},
      {v1::COMMUNITY_HEALTH_CENTER, 3, "社区卫生服务中心", "区卫生健康局", 10, 80},
      {v1::EMERGENCY_STATION, 1, "急救站", "区卫生健康局", 1, 4},
      {v1::CARDIO_CEREBROVASCULAR_STATION, 1, "心脑血管疾病防治站", "区卫生健康局", 50, 300},
      {v1::ELDERLY_CARE_CENTER, 3, "养老院", "区民政局", 50, 400},
      {v1::COMMUNITY_ELDERLY_SERVICE_POINT, 8, "社区养老服务站", "区民政局", 100, 800},
      {v1::CHILDCARE, 5, "托育中心", "区卫生健康局", 20, 150},
      {v1::PARK, 8, "公园", "区园林和林业局", 300, 200'000},
      {v1::SPORTS_PARK, 2, "体育公园", "区文化和旅游局", 5'000, 150'000},
      {v1::FITNESS_EQUIPMENT_SITE, 12, "健身点", "区文化和旅游局", 4, 30},
      {v1::CULTURAL_VENUE, 3, "文化活动中心", "区文化和旅游局", 200, 5'000},
      {v1::LIBRARY, 2, "图书分馆", "区文化和旅游局", 100, 3'000},
      {v1::PARKING, 14, "停车场", "区城管执法局", 20, 800},
      {v1::EV_CHARGING_STATION, 8, "充电站", "区发展和改革局", 4, 60},
      {v1::TALENT_APARTMENT, 2, "人才公寓", "区住房和城市更新局", 50, 600},
      {v1::PUBLIC_RENTAL_HOUSING, 2, "公租房小区", "区住房和城市更新局", 100, 1500},
      {v1::AFFORDABLE_RENTAL_HOUSING, 3, "保障性租赁住房", "区住房和城市更新局", 100, 1500},
      {v1::OTHER_FACILITY, 2, "公共服务设施", "区人民政府办公室", 100, 2000}};
  return *shapes;
}

const KindShape& ShapeOf(std::mt19937_64& random) {
  int total = 0;
  for (const KindShape& shape : Shapes()) total += shape.weight;
  int pick = static_cast<int>(random() % static_cast<uint64_t>(total));
  for (const KindShape& shape : Shapes()) {
    if (pick < shape.weight) return shape;
    pick -= shape.weight;
  }
  return Shapes().back();
}

// The facility's own stream, so that a facility and its reading agree.
std::mt19937_64 StreamOf(uint64_t seed, int64_t index) {
  return std::mt19937_64(seed * 1000003 + static_cast<uint64_t>(index));
}

int64_t Between(std::mt19937_64& random, int64_t low, int64_t high) {
  return low + static_cast<int64_t>(random() % static_cast<uint64_t>(high - low + 1));
}

double Uniform(std::mt19937_64& random, double low, double high) {
  return std::uniform_real_distribution<double>(low, high)(random);
}

}  // namespace

v1::CreateFacilityRequest SyntheticFacility(uint64_t seed, int64_t index) {
  std::mt19937_64 random = StreamOf(seed, index);
  const KindShape& shape = ShapeOf(random);
  const std::string& sub_district = geo::SubDistricts()[random() % geo::SubDistricts().size()];
  v1::CreateFacilityRequest request;
  request.set_facility_id(absl::StrCat("synthetic-", index));
  request.set_request_id(absl::StrCat("synthetic-facility-", seed, "-", index));
  v1::Facility* facility = request.mutable_facility();
  facility->set_display_name(absl::StrCat(sub_district, shape.label, index));
  facility->set_kind(shape.kind);
  facility->set_owner_department(shape.department);
  facility->set_sub_district(sub_district);
  const geo::LatLngBox& extent = geo::kSyntheticExtent;
  facility->mutable_location()->set_latitude(Uniform(random, extent.south, extent.north));
  facility->mutable_location()->set_longitude(Uniform(random, extent.west, extent.east));
  if (shape.kind == v1::KINDERGARTEN) {
    facility->set_publicly_run(random() % 2 == 0);
    facility->set_inclusive(random() % 10 < 8);
  }
  if (shape.kind == v1::PARK) facility->set_pocket_park(random() % 3 == 0);
  const int64_t roll = Between(random, 0, 9);
  const absl::CivilDay day = absl::CivilDay(2000, 1, 1) + Between(random, 0, 25 * 365 - 1);
  if (roll < 7) {
    facility->set_status(v1::IN_SERVICE);
    *facility->mutable_status_date() = FromCivilDay(day);
  } else {
    facility->set_status(roll < 9 ? v1::PLANNED : v1::UNDER_CONSTRUCTION);
  }
  facility->set_description("合成数据:用于规模测试,不代表真实设施。");
  return request;
}

v1::RecordCapacityRequest SyntheticCapacity(uint64_t seed, int64_t index) {
  std::mt19937_64 random = StreamOf(seed, index);
  const KindShape& shape = ShapeOf(random);
  v1::RecordCapacityRequest request;
  request.set_parent(absl::StrCat("facilities/synthetic-", index));
  request.set_request_id(absl::StrCat("synthetic-capacity-", seed, "-", index));
  v1::CapacityReading* reading = request.mutable_capacity_reading();
  std::mt19937_64 own(seed * 7919 + static_cast<uint64_t>(index));
  const int64_t capacity = Between(own, shape.low, shape.high);
  reading->set_capacity(capacity);
  reading->set_in_use(capacity * Between(own, 50, 110) / 100);
  *reading->mutable_reading_date() =
      FromCivilDay(absl::CivilDay(2024, 1, 1) + Between(own, 0, 365));
  reading->set_note("合成数据");
  return request;
}

v1::ResidentialPoint SyntheticResidence(uint64_t seed, int64_t index) {
  std::mt19937_64 random(seed * 104729 + static_cast<uint64_t>(index));
  v1::ResidentialPoint point;
  point.set_label(absl::StrCat("小区", index));
  const geo::LatLngBox& extent = geo::kSyntheticExtent;
  point.mutable_location()->set_latitude(Uniform(random, extent.south, extent.north));
  point.mutable_location()->set_longitude(Uniform(random, extent.west, extent.east));
  point.set_population(Between(random, 300, 6000));
  if (random() % 2 == 0) point.set_elderly(point.population() * Between(random, 12, 30) / 100);
  return point;
}

void WriteSyntheticFacilities(int64_t count, uint64_t seed, std::ostream& out) {
  for (int64_t i = 0; i < count; ++i) {
    WriteSeedLine("/jiangan.facilities.v1.FacilitiesService/CreateFacility",
                  SyntheticFacility(seed, i), out);
  }
}

void WriteSyntheticCapacities(int64_t count, uint64_t seed, std::ostream& out) {
  for (int64_t i = 0; i < count; ++i) {
    WriteSeedLine("/jiangan.facilities.v1.FacilitiesService/RecordCapacity",
                  SyntheticCapacity(seed, i), out);
  }
}

}  // namespace jiangan::tools
