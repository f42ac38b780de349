#include "services/facilities/facility_sql.h"

#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "google/protobuf/util/time_util.h"
#include "services/facilities/facility_rules.h"

namespace jiangan::facilities {
namespace {

using google::protobuf::util::TimeUtil;

constexpr SqlColumn kDerivedColumns[] = {
    {"deleted", "INTEGER NOT NULL"},         {"kind", "INTEGER NOT NULL"},
    {"status", "INTEGER NOT NULL"},          {"owner_department", "TEXT NOT NULL"},
    {"sub_district", "TEXT NOT NULL"},       {"renewal_project", "TEXT NOT NULL"},
    {"display_name", "TEXT NOT NULL"},       {"create_us", "INTEGER NOT NULL"},
    {"update_us", "INTEGER NOT NULL"},       {"service_day", "INTEGER"},
    {"service_year", "INTEGER NOT NULL"},    {"capacity", "INTEGER NOT NULL"},
    {"in_use", "INTEGER NOT NULL"},
    // Schema v5: for the 公办 condition of the district's targets.
    {"publicly_owned", "INTEGER NOT NULL DEFAULT 0", 5}};

}  // namespace

const ResourceRows& FacilityRows() {
  static const auto* rows = new ResourceRows("facilities", "facility_payloads", kDerivedColumns);
  return *rows;
}

std::string SchemaSql() {
  return absl::StrCat(
      FacilityRows().SchemaSql(),
      "CREATE INDEX IF NOT EXISTS facilities_kind_status ON facilities(kind, status);"
      "CREATE INDEX IF NOT EXISTS facilities_status ON facilities(status);"
      "CREATE INDEX IF NOT EXISTS facilities_sub_district ON facilities(sub_district);"
      "CREATE INDEX IF NOT EXISTS facilities_owner_department ON facilities(owner_department);"
      "CREATE INDEX IF NOT EXISTS facilities_renewal_project ON facilities(renewal_project);"
      "CREATE INDEX IF NOT EXISTS facilities_display_name ON facilities(display_name);"
      "CREATE INDEX IF NOT EXISTS facilities_update_us ON facilities(update_us);"
      "CREATE INDEX IF NOT EXISTS facilities_capacity ON facilities(capacity);"
      "CREATE INDEX IF NOT EXISTS facilities_service_day ON facilities(service_day);"
      // The spatial index (SQLite's R*Tree module). Boxes are 32-bit floats
      // rounded outwards, so a box query never misses a point; the exact
      // coordinates beside them give exact distances.
      "CREATE VIRTUAL TABLE IF NOT EXISTS facility_places USING rtree(seq, south, north, west, "
      "east, +kind INTEGER, +status INTEGER, +latitude REAL, +longitude REAL, +capacity INTEGER);"
      // The capacity history; `change` is each reading's rise (or fall)
      // from the reading before it, kept in step as readings arrive.
      "CREATE TABLE IF NOT EXISTS capacity_readings (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
      "facility_id TEXT NOT NULL, facility_seq INTEGER NOT NULL, request_id TEXT, "
      "reading_day INTEGER NOT NULL, capacity INTEGER NOT NULL, change INTEGER NOT NULL, "
      "payload BLOB NOT NULL, UNIQUE (facility_id, request_id));"
      "CREATE INDEX IF NOT EXISTS capacity_readings_facility ON capacity_readings(facility_id, "
      "seq);"
      "CREATE INDEX IF NOT EXISTS capacity_readings_facility_seq ON "
      "capacity_readings(facility_seq);"
      "CREATE INDEX IF NOT EXISTS capacity_readings_day ON capacity_readings(reading_day);");
}

std::string CoverageSitesSql(absl::string_view kinds_in) {
  return absl::StrCat(
      "SELECT kind, latitude, longitude, capacity FROM facility_places WHERE seq IN (SELECT seq "
      "FROM facilities WHERE kind ",
      kinds_in, " AND status = ", static_cast<int>(v1::IN_SERVICE), " AND deleted = 0)");
}

std::vector<SqlArg> DerivedValues(const v1::Facility& facility) {
  const auto service_day = ToCivilDay(facility.in_service_date());
  return {int64_t{facility.has_delete_time()},
          int64_t{facility.kind()},
          int64_t{facility.status()},
          facility.owner_department(),
          facility.sub_district(),
          facility.renewal_project(),
          facility.display_name(),
          TimeUtil::TimestampToMicroseconds(facility.create_time()),
          TimeUtil::TimestampToMicroseconds(facility.update_time()),
          service_day.has_value() ? SqlArg(DayNumber(*service_day)) : SqlArg(SqlNull{}),
          int64_t{service_day.has_value() ? service_day->year() : 0},
          facility.capacity(),
          facility.in_use(),
          int64_t{PubliclyOwned(facility)}};
}

absl::StatusOr<SqlWhere> FilterSql(const v1::FacilityFilter& filter, bool show_deleted) {
  SqlWhere where;
  if (!show_deleted) where.And("deleted = 0");
  if (filter.kinds_size() > 0) {
    ASSIGN_OR_RETURN(std::string list,
                     EnumList("filter.kinds", filter.kinds(), v1::FacilityKind_IsValid));
    where.And(absl::StrCat("kind IN ", list));
  }
  if (filter.statuses_size() > 0) {
    ASSIGN_OR_RETURN(std::string list,
                     EnumList("filter.statuses", filter.statuses(), v1::FacilityStatus_IsValid));
    where.And(absl::StrCat("status IN ", list));
  }
  if (!filter.sub_district().empty()) where.And("sub_district = ?", {filter.sub_district()});
  if (!filter.owner_department().empty()) {
    where.And("owner_department = ?", {filter.owner_department()});
  }
  if (!filter.renewal_project().empty()) {
    where.And("renewal_project = ?", {filter.renewal_project()});
  }
  if (filter.has_publicly_owned()) {
    where.And("publicly_owned = ?", {int64_t{filter.publicly_owned()}});
  }
  if (!filter.display_name_contains().empty()) {
    RETURN_IF_ERROR(
        CheckLength("filter.display_name_contains", filter.display_name_contains(), 1, 100));
    where.And("instr(display_name, ?) > 0", {filter.display_name_contains()});
  }
  return where;
}

namespace {

// The grouping sets over kind (bit 0), status, sub-district, owner
// department, year in service and public ownership (bit 5); each holds the
// kind. The event rollups keep the first kEventSets only: with a day or a
// month beside them, the other sets have about a row per event.
constexpr uint32_t kBaseSets[] = {
    0b000001,    // kind
    0b000011,    // status
    0b000101,    // sub-district
    0b001001,    // owner department
    0b010001,    // year in service
    0b100101,    // sub-district, public ownership (the district's targets)
    0b000111,    // status, sub-district
    0b010011,    // status, year in service
    0b111111};   // everything
constexpr int kEventSets = 6;

// The columns that ListFacilities filters on by equality.
constexpr const char* kFilterColumns[] = {"kind", "status", "sub_district", "owner_department",
                                          "renewal_project"};

// The rollups' dimensions; an event rollup adds its day (bit 5) and the
// first day of its month (bit 6), each set once with either, so that a
// period reads its whole months a row per month.
RollupLayout FacilityLayout(std::string table, const char* day, const char* month,
                            std::string count_column, std::vector<std::string> sum_names) {
  RollupLayout layout{.table = std::move(table),
                      .dimensions = {{"kind", "INTEGER NOT NULL"},
                                     {"status", "INTEGER NOT NULL"},
                                     {"sub_district", "TEXT NOT NULL"},
                                     {"owner_department", "TEXT NOT NULL"},
                                     {"service_year", "INTEGER NOT NULL"},
                                     {"publicly_owned", "INTEGER NOT NULL"}},
                      .sets = {},
                      .count_column = std::move(count_column),
                      .sums_column = "sums",
                      .sum_names = std::move(sum_names)};
  if (day == nullptr) {
    layout.sets.assign(std::begin(kBaseSets), std::end(kBaseSets));
    return layout;
  }
  layout.dimensions.push_back({day, "INTEGER NOT NULL"});
  layout.dimensions.push_back({month, "INTEGER NOT NULL"});
  for (int i = 0; i < kEventSets; ++i) layout.sets.push_back(kBaseSets[i] | kDayBit);
  for (int i = 0; i < kEventSets; ++i) layout.sets.push_back(kBaseSets[i] | kMonthBit);
  return layout;
}

}  // namespace

const Rollup& FacilityRollup() {
  static const auto* rollup = new Rollup(FacilityLayout(
      "facility_rollups", nullptr, nullptr, "facility_count",
      {"facility.capacity", "facility.in_use"}));
  return *rollup;
}

const Rollup& OpeningRollup() {
  static const auto* rollup = new Rollup(FacilityLayout(
      "facility_opening_rollups", "service_day", "service_month", "opening_count", {}));
  return *rollup;
}

const Rollup& CapacityChangeRollup() {
  static const auto* rollup = new Rollup(
      FacilityLayout("capacity_change_rollups", "reading_day", "reading_month", "reading_count",
                     {"capacity_reading.capacity (added)", "capacity_reading.capacity (removed)"}));
  return *rollup;
}

const Rollup& BuiltRollup() {
  static const auto* rollup = new Rollup(
      FacilityLayout("facility_built_rollups", "built_day", "built_month", "built_count", {}));
  return *rollup;
}

std::string RebuildsSchemaSql() {
  return "CREATE TABLE IF NOT EXISTS facility_rebuilds (facility_seq INTEGER NOT NULL, "
         "rebuilt_day INTEGER NOT NULL);"
         "CREATE INDEX IF NOT EXISTS facility_rebuilds_facility ON "
         "facility_rebuilds(facility_seq);"
         "CREATE INDEX IF NOT EXISTS facility_rebuilds_day ON facility_rebuilds(rebuilt_day);";
}

std::string RollupSchemaSql() {
  // A period reads the days in it, not every day of a set.
  return absl::StrCat(
      FacilityRollup().SchemaSql(), OpeningRollup().SchemaSql(),
      CapacityChangeRollup().SchemaSql(),
      FacilityRows().OrderedFilterIndexesSql(kFilterColumns),
      "CREATE INDEX IF NOT EXISTS facility_opening_rollups_day ON "
      "facility_opening_rollups(grouping_set, service_day);"
      "CREATE INDEX IF NOT EXISTS facility_opening_rollups_month ON "
      "facility_opening_rollups(grouping_set, service_month);"
      "CREATE INDEX IF NOT EXISTS capacity_change_rollups_day ON "
      "capacity_change_rollups(grouping_set, reading_day);"
      "CREATE INDEX IF NOT EXISTS capacity_change_rollups_month ON "
      "capacity_change_rollups(grouping_set, reading_month);");
}

std::string CoveringIndexSchemaSql() {
  return absl::StrCat(
      FacilityRows().FilterIndexesSql(kFilterColumns),
      "DROP INDEX IF EXISTS facility_opening_rollups_day;"
      "DROP INDEX IF EXISTS facility_opening_rollups_month;"
      "DROP INDEX IF EXISTS capacity_change_rollups_day;"
      "DROP INDEX IF EXISTS capacity_change_rollups_month;",
      OpeningRollup().PeriodIndexSql("service_day"),
      OpeningRollup().PeriodIndexSql("service_month"),
      CapacityChangeRollup().PeriodIndexSql("reading_day"),
      CapacityChangeRollup().PeriodIndexSql("reading_month"));
}

std::string WindowRollupSchemaSql() {
  // Made anew, so that a file whose version was set back fills them once.
  return absl::StrCat(
      "DROP TABLE IF EXISTS facility_rollups;"
      "DROP TABLE IF EXISTS facility_opening_rollups;"
      "DROP TABLE IF EXISTS capacity_change_rollups;"
      "DROP TABLE IF EXISTS facility_built_rollups;",
      FacilityRollup().SchemaSql(), OpeningRollup().SchemaSql(),
      CapacityChangeRollup().SchemaSql(), BuiltRollup().SchemaSql(),
      OpeningRollup().PeriodIndexSql("service_day"),
      OpeningRollup().PeriodIndexSql("service_month"),
      CapacityChangeRollup().PeriodIndexSql("reading_day"),
      CapacityChangeRollup().PeriodIndexSql("reading_month"),
      BuiltRollup().PeriodIndexSql("built_day"), BuiltRollup().PeriodIndexSql("built_month"));
}

std::optional<uint32_t> RollupSetFor(const v1::SummarizeFacilitiesRequest& request) {
  const v1::FacilityFilter& filter = request.filter();
  if (!filter.renewal_project().empty() || !filter.display_name_contains().empty()) {
    return std::nullopt;
  }
  const Rollup& rollup = FacilityRollup();
  uint32_t needed = rollup.Bit("kind");
  if (filter.has_publicly_owned()) needed |= rollup.Bit("publicly_owned");
  if (filter.statuses_size() > 0) needed |= rollup.Bit("status");
  if (!filter.sub_district().empty()) needed |= rollup.Bit("sub_district");
  if (!filter.owner_department().empty()) needed |= rollup.Bit("owner_department");
  for (int grouping : request.group_by()) {
    switch (grouping) {
      case v1::BY_KIND: break;
      case v1::BY_STATUS: needed |= rollup.Bit("status"); break;
      case v1::BY_SUB_DISTRICT: needed |= rollup.Bit("sub_district"); break;
      case v1::BY_SERVICE_YEAR: needed |= rollup.Bit("service_year"); break;
      default: return std::nullopt;  // a group per facility is a row per facility
    }
  }
  // The event rollups hold the first sets in the same order, so where they
  // cover the question their set is the facility rollup's.
  if (!OpeningRollup().SetCovering(needed | kDayBit).has_value()) return std::nullopt;
  return rollup.SetCovering(needed);
}

absl::Span<const OrderField> FacilityOrderFields() {
  static constexpr OrderField kFields[] = {
      {"create_time", "seq"},
      {"display_name", "display_name", /*text=*/true},
      {"update_time", "update_us"},
      {"capacity", "capacity"},
  };
  return kFields;
}

absl::StatusOr<FacilityDimension> DimensionOf(v1::FacilityGrouping grouping) {
  auto number = [](const SqlArg& value) { return std::get<int64_t>(value); };
  switch (grouping) {
    case v1::BY_KIND:
      return FacilityDimension{"kind", false, [=](const SqlArg& v, v1::FacilityGroup* g) {
                                 g->set_kind(static_cast<v1::FacilityKind>(number(v)));
                               }};
    case v1::BY_SUB_DISTRICT:
      return FacilityDimension{"sub_district", true, [](const SqlArg& v, v1::FacilityGroup* g) {
                                 g->set_sub_district(std::get<std::string>(v));
                               }};
    case v1::BY_STATUS:
      return FacilityDimension{"status", false, [=](const SqlArg& v, v1::FacilityGroup* g) {
                                 g->set_status(static_cast<v1::FacilityStatus>(number(v)));
                               }};
    case v1::BY_SERVICE_YEAR:
      return FacilityDimension{"service_year", false, [=](const SqlArg& v, v1::FacilityGroup* g) {
                                 g->set_service_year(static_cast<int32_t>(number(v)));
                               }};
    case v1::BY_FACILITY:
      return FacilityDimension{"facilities.id", true, [=](const SqlArg& v, v1::FacilityGroup* g) {
                                 g->set_facility(absl::StrCat("facilities/", std::get<std::string>(v)));
                               }};
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          static_cast<int>(grouping), " is not a FacilityGrouping other than UNSPECIFIED"));
  }
}

}  // namespace jiangan::facilities
