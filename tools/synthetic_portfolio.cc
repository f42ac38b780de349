#include "tools/synthetic_portfolio.h"

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

namespace v1 = renewal::v1;

const std::vector<std::string>& Departments() {
  static const auto* names = new std::vector<std::string>{
      "区住房和城市更新局", "区征收服务中心", "区城市更新公司", "区交通运输局",
      "区水务和湖泊局",     "区园林和林业局", "区文化和旅游局", "汉口滨江国际商务区管委会"};
  return *names;
}

const std::vector<std::string>& Zones() {
  static const auto* names =
      new std::vector<std::string>{"", "", "", "汉口历史风貌区", "汉口滨江国际商务区"};
  return *names;
}

// What the district calls each kind, indexed by ProjectKind.
const char* const kKindNames[] = {"",         "老旧小区改造", "城中村改造", "危旧房改造",
                                  "历史建筑修缮", "征收",       "土地储备及供应", "城市更新单元",
                                  "基础设施",   "商务楼宇",     "其他更新"};

}  // namespace

v1::CreateProjectRequest SyntheticProject(uint64_t seed, int64_t index) {
  std::mt19937_64 random(seed * 1000003 + static_cast<uint64_t>(index));
  auto pick = [&random](size_t n) { return static_cast<size_t>(random() % n); };
  auto between = [&random](int64_t low, int64_t high) {
    return low + static_cast<int64_t>(random() % static_cast<uint64_t>(high - low + 1));
  };
  v1::CreateProjectRequest request;
  request.set_project_id(absl::StrCat("synthetic-", index));
  request.set_request_id(absl::StrCat("synthetic-", seed, "-", index));
  v1::Project* project = request.mutable_project();
  const auto kind = static_cast<v1::ProjectKind>(between(1, 10));
  const std::string& sub_district = geo::SubDistricts()[pick(geo::SubDistricts().size())];
  project->set_kind(kind);
  project->set_display_name(absl::StrCat(sub_district, kKindNames[kind], "项目", index));
  project->set_sub_district(sub_district);
  project->set_zone(Zones()[pick(Zones().size())]);
  project->set_lead_department(Departments()[pick(Departments().size())]);
  project->set_phase(static_cast<v1::ProjectPhase>(between(1, 6)));
  project->set_at_risk(pick(10) == 0);
  const absl::CivilDay start = absl::CivilDay(2020, 1, 1) + between(0, 6 * 365);
  const absl::CivilDay end = start + between(180, 4 * 365);
  *project->mutable_start_date() = FromCivilDay(start);
  *project->mutable_planned_completion_date() = FromCivilDay(end);
  v1::Milestone* milestone = project->add_milestones();
  milestone->set_title("主体完工");
  *milestone->mutable_planned_date() = FromCivilDay(start + (end - start) / 2);
  v1::Quantities* planned = project->mutable_planned();
  planned->set_households(between(0, 3000));
  planned->set_buildings(between(0, 60));
  planned->set_floor_area_sqm(between(0, 500'000));
  planned->set_investment_yuan(between(1'000'000, 20'000'000'000));
  if (kind == v1::EXPROPRIATION) planned->set_expropriation_signed_sqm(between(1'000, 200'000));
  if (kind == v1::LAND_SUPPLY) {
    planned->set_land_parcels(between(1, 5));
    planned->set_land_area_centimu(between(500, 20'000));
  }
  if (kind == v1::INFRASTRUCTURE) {
    planned->set_road_length_m(between(0, 5'000));
    planned->set_pipe_length_m(between(0, 10'000));
    planned->set_sponge_area_sqm(between(0, 1'000'000));
  }
  project->set_description("合成数据:用于规模测试,不代表真实项目。");
  return request;
}

void WriteSyntheticProjects(int64_t count, uint64_t seed, std::ostream& out) {
  for (int64_t i = 0; i < count; ++i) {
    WriteSeedLine("/jiangan.renewal.v1.RenewalService/CreateProject", SyntheticProject(seed, i),
                  out);
  }
}

}  // namespace jiangan::tools
