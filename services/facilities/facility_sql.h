// How facilities are laid out in SQLite and queried there: the columns
// derived from a Facility (what List filters and orders on, what Summarize
// groups and sums), the R*Tree of their places, the capacity readings and
// the SQL a FacilityFilter and a grouping become. The store runs the
// statements; this file only says them.
#ifndef JIANGAN_SERVICES_FACILITIES_FACILITY_SQL_H_
#define JIANGAN_SERVICES_FACILITIES_FACILITY_SQL_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/storage/resource_rows.h"
#include "common/storage/rollup.h"
#include "common/storage/rollup_period.h"
#include "common/storage/sql_query.h"
#include "jiangan/facilities/v1/facilities.pb.h"

namespace jiangan::facilities {

// The tables of the facilities service, created if missing: the step that makes
// the store's current schema version (see MigrateSchema).
std::string SchemaSql();

// The facilities and their payloads; the derived columns take DerivedValues().
const ResourceRows& FacilityRows();

// The values of the derived columns, in binding order.
std::vector<SqlArg> DerivedValues(const v1::Facility& facility);

// The spatial index: one R*Tree entry per located, undeleted facility, keyed
// by its row's seq, with kind, status, exact coordinates and capacity
// beside the box so that searches need not read the facility rows.
inline constexpr char kDropPlaceSql[] = "DELETE FROM facility_places WHERE seq = ?";
// Binds seq, south, north, west, east, kind, status, latitude, longitude,
// capacity (NULL: never read).
inline constexpr char kInsertPlaceSql[] =
    "INSERT INTO facility_places (seq, south, north, west, east, kind, status, latitude, "
    "longitude, capacity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

// The located, undeleted facilities in service of the kinds in `kinds_in`
// ("IN (1,2)"): kind, latitude, longitude, capacity (NULL: never read).
// Found by the kind index and then by seq in the R*Tree, which is far
// cheaper than filtering every R*Tree entry.
std::string CoverageSitesSql(absl::string_view kinds_in);

// The capacity readings of one facility (bind facility_seq): seq, day,
// capacity and stored change, for recomputing the changes.
inline constexpr char kReadingsOfFacilitySql[] =
    "SELECT seq, reading_day, capacity, change FROM capacity_readings WHERE facility_seq = ?";
// One reading's payload (bind seq).
inline constexpr char kReadingPayloadSql[] = "SELECT payload FROM capacity_readings WHERE seq = ?";
// Sets a reading's change (bind change, seq).
inline constexpr char kSetReadingChangeSql[] =
    "UPDATE capacity_readings SET change = ? WHERE seq = ?";

// Schema v6: the days facilities came back into service after being
// rebuilt (RebuiltDays), a row each, for counting 改建 in a period.
std::string RebuildsSchemaSql();
inline constexpr char kDropRebuildsSql[] = "DELETE FROM facility_rebuilds WHERE facility_seq = ?";
// Binds facility_seq, rebuilt_day.
inline constexpr char kInsertRebuildSql[] =
    "INSERT INTO facility_rebuilds (facility_seq, rebuilt_day) VALUES (?, ?)";

// The clause selecting what `filter` selects; INVALID_ARGUMENT naming the
// filter's field when a value breaks its rules.
absl::StatusOr<SqlWhere> FilterSql(const v1::FacilityFilter& filter, bool show_deleted);

// The summary rollups of live facilities (see common/storage/rollup.h),
// added by schema version 3, so that a summary reads rows bounded by the
// dimensions' cardinalities instead of a row per facility. Every set holds
// the kind, which decides a capacity's unit:
// - facilities by kind, status, sub-district, owner department and year in
//   service, summing capacity and in use;
// - openings: the same, with the day in service and its month, for counts
//   in a period;
// - capacity changes: the same, with the reading's day and month, summing
//   the rises and the falls (as positive numbers) for a period;
// - built (新改扩建): each facility's first day of a year on which it
//   opened, rose in capacity or came back rebuilt, by day and month (see
//   common/storage/rollup_period.h), for counts in a period that starts a
//   year.
// An event is counted by day and by month (the first day's number, e.g.
// service_month), in sets apart: a period reads its whole months a row per
// month and only its partial months a row per day.
// Dimensions are named as the facilities' own columns, so FilterSql and
// DimensionOf read them too.
const Rollup& FacilityRollup();
const Rollup& OpeningRollup();
const Rollup& CapacityChangeRollup();
const Rollup& BuiltRollup();
// Schema version 3: the rollups' tables, indexes that find their rows of a
// period by day, and filter indexes in creation order
// (ResourceRows::OrderedFilterIndexesSql).
std::string RollupSchemaSql();
// Schema version 4: indexes that hold what their reads need, in place of
// version 3's: the filter indexes (ResourceRows::FilterIndexesSql) and the
// event rollups' period indexes (Rollup::PeriodIndexSql).
std::string CoveringIndexSchemaSql();
// Schema version 7: the four rollups made anew (by public ownership too,
// and the built one) with their period indexes.
std::string WindowRollupSchemaSql();

// The grouping set of the facility rollup that answers `request` (the
// openings' and changes' sets are it with kDayBit or kMonthBit);
// nullopt when it filters by renewal project or name, groups by facility,
// or names more dimensions besides the kind than the event rollups keep.
std::optional<uint32_t> RollupSetFor(const v1::SummarizeFacilitiesRequest& request);

// The bits of an event rollup's day and month dimensions (see
// common/storage/rollup_period.h).
inline constexpr uint32_t kDayBit = 1u << 6;
inline constexpr uint32_t kMonthBit = 1u << 7;

// The fields ListFacilitiesRequest.order_by may name.
absl::Span<const OrderField> FacilityOrderFields();

// A Summarize dimension: its SQL, whether it is text, and how a group's key
// is set on the response.
struct FacilityDimension {
  std::string sql;
  bool text = false;
  std::function<void(const SqlArg&, v1::FacilityGroup*)> set;
};

// INVALID_ARGUMENT for UNSPECIFIED or an unknown grouping.
absl::StatusOr<FacilityDimension> DimensionOf(v1::FacilityGrouping grouping);

}  // namespace jiangan::facilities

#endif  // JIANGAN_SERVICES_FACILITIES_FACILITY_SQL_H_
