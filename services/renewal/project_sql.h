// How projects are laid out in SQL and queried there: the columns derived
// from a Project (what List filters and orders on, what Summarize groups and
// sums), and the SQL that a ProjectFilter, an order_by, a page cursor and a
// grouping become. The store runs the statements; this file only says them.
#ifndef JIANGAN_SERVICES_RENEWAL_PROJECT_SQL_H_
#define JIANGAN_SERVICES_RENEWAL_PROJECT_SQL_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/storage/resource_rows.h"
#include "common/base/civil_date.h"
#include "common/storage/rollup.h"
#include "common/storage/rollup_period.h"
#include "common/storage/sql_query.h"
#include "common/storage/sql_db.h"
#include "google/protobuf/timestamp.pb.h"
#include "jiangan/renewal/v1/renewal.pb.h"
#include "services/renewal/health.h"

namespace jiangan::renewal {

// Stands for "no date" in the day columns; sorts after every real day.
inline constexpr int64_t kNoDay = int64_t{1} << 40;

int64_t Micros(const google::protobuf::Timestamp& time);

// The tables of the renewal service, created if missing: the step that makes
// the store's current schema version (see MigrateSchema).
std::string SchemaSql();

// The projects and their payloads; the derived columns take DerivedValues().
const ResourceRows& ProjectRows();

// The values of the columns derived from a project, in binding order. The
// "totals" column packs every quantity, planned then achieved, in Quantities
// field order, as little-endian int64s: Summarize then reads one column per
// row instead of two dozen, which is most of its cost in SQLite.
std::vector<SqlArg> DerivedValues(const v1::Project& project);
// Number of fields of Quantities; "totals" holds twice as many values.
int QuantityCount();
// A progress report's quantities packed as "totals" packs each half, for
// the "reported" column of progress_reports.
SqlBlob PackQuantities(const v1::Quantities& quantities);
// Inserts that a project (bind project_seq, entered_phase, enter_day)
// entered a phase on a day.
inline constexpr char kInsertPhaseEntrySql[] =
    "INSERT INTO project_phase_entries (project_seq, entered_phase, enter_day) VALUES (?, ?, ?)";

// The health rule (AssessHealth) as a SQL expression over the derived
// columns, as of day `today`: plain CASE arithmetic that every engine runs
// the same way. Its agreement with AssessHealth is tested over a grid of
// inputs, and filters and groups use it so that List and Summarize see the
// health Get reports.
std::string HealthSql(int64_t today, const HealthThresholds& thresholds);


// The summary rollups of live (not deleted) projects, in grouping sets (see
// common/storage/rollup.h), by kind, phase, sub-district, zone, lead
// department, completion year, pipe kind and road kind:
// - the projects, each summing its packed totals;
// - their progress reports by month (month_day, the day number of its first
//   day), each summing its reported quantities (a window's achieved);
// - each project's first entry of a year into each phase, by day and by
//   month (a window's phases entered; see common/storage/rollup_period.h).
// Dimensions are named as the projects' own columns, so FilterSql reads
// them.
const Rollup& ProjectRollup();
const Rollup& ReportRollup();
const Rollup& PhaseEntryRollup();
// The bits of the report and phase-entry rollups' own dimensions, after the
// eight of the projects.
inline constexpr uint32_t kReportMonthBit = 1u << 8;
inline constexpr uint32_t kEnteredPhaseBit = 1u << 8;
inline constexpr uint32_t kEnterDayBit = 1u << 9;
inline constexpr uint32_t kEnterMonthBit = 1u << 10;
// Schema version 7: the three rollups made anew (the projects' gained the
// pipe and road kinds), the indexes that read a window of the event ones
// and the one that finds a project's phase entries.
std::string RollupSchemaSql();

// The grouping set of the project rollup that answers `request` (the event
// rollups' sets are it with their own bits): the first that holds every
// dimension it filters or groups on; nullopt when it asks for health,
// names, update times or a group per project, or for a window that does not
// start a year (StartsAYear).
std::optional<uint32_t> RollupSetFor(const v1::SummarizeProjectsRequest& request,
                                     const std::optional<DayWindow>& window);

// The clause selecting what `filter` selects; INVALID_ARGUMENT naming the
// filter's field when a value is out of its rules.
absl::StatusOr<SqlWhere> FilterSql(const v1::ProjectFilter& filter, bool show_deleted,
                                   int64_t today, const HealthThresholds& thresholds);

// The fields ListProjectsRequest.order_by may name.
absl::Span<const OrderField> ProjectOrderFields();

// A Summarize dimension: its SQL, whether it is text, and how a group's key
// value is set on the response.
struct Dimension {
  std::string sql;
  bool text = false;
  std::function<void(const SqlArg&, v1::ProjectGroup*)> set;
};

// INVALID_ARGUMENT for UNSPECIFIED or an unknown grouping.
absl::StatusOr<Dimension> DimensionOf(v1::ProjectGrouping grouping, int64_t today,
                                      const HealthThresholds& thresholds);

}  // namespace jiangan::renewal

#endif  // JIANGAN_SERVICES_RENEWAL_PROJECT_SQL_H_
