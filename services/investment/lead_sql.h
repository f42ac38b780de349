// How leads are laid out in SQLite and queried there: the columns derived
// from a Lead (what List filters and orders on, what Summarize groups and
// sums), the ledger, activity, name-bigram and stage-stay tables, and the SQL
// that a LeadFilter and a grouping become. The store runs the statements;
// this file only says them.
#ifndef JIANGAN_SERVICES_INVESTMENT_LEAD_SQL_H_
#define JIANGAN_SERVICES_INVESTMENT_LEAD_SQL_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/storage/resource_rows.h"
#include "common/base/civil_date.h"
#include "common/storage/rollup.h"
#include "common/storage/rollup_period.h"
#include "common/storage/sql_query.h"
#include "jiangan/investment/v1/investment.pb.h"

namespace jiangan::investment {

// The tables of the investment service, created if missing: the step that makes
// the store's current schema version (see MigrateSchema).
std::string SchemaSql();

// The leads and their payloads; the derived columns take DerivedValues().
const ResourceRows& LeadRows();

// The values of the derived columns, in binding order.
std::vector<SqlArg> DerivedValues(const v1::Lead& lead);

// Inserts that a lead (bind lead_seq, entered_stage, enter_day) entered a
// stage on a day.
inline constexpr char kInsertStageEntrySql[] =
    "INSERT INTO lead_stage_entries (lead_seq, entered_stage, enter_day) VALUES (?, ?, ?)";

// Sets the day a lead (bind enter_day, lead_seq, entered_stage) entered a
// stage: SIGNED and REGISTERED follow their dates when those change.
inline constexpr char kRedateStageEntrySql[] =
    "UPDATE lead_stage_entries SET enter_day = ? WHERE lead_seq = ? AND entered_stage = ?";

// Schema v5: stage entries found by lead, so that a write re-dates its own.
std::string StageEntryIndexSql();

// The clause selecting what `filter` selects; INVALID_ARGUMENT naming the
// filter's field when a value breaks its rules.
absl::StatusOr<SqlWhere> FilterSql(const v1::LeadFilter& filter, bool show_deleted);

// The summary rollups of live leads (see common/storage/rollup.h), so that
// a summary reads rows bounded by the dimensions' cardinalities instead of a
// row per lead:
// - leads by stage, furthest stage and what a summary groups on, summing
//   intended, signed and arrived investment (groups and the funnel);
// - stays by what a filter names, the stage left and the days spent in it
//   (median days per stage);
// - funds entries by what a filter names and the month of arrival (as
//   year * 100 + month) or its day, summing their amounts (funds by month,
//   a window's arrived funds);
// - stage entries by what a filter names, the stage and the day or month
//   (the day number of its first day) of each lead's first entry of a year
//   into it (a window's stage entries; see common/storage/rollup_period.h).
// Dimensions are named as the leads' own columns, so FilterSql reads them.
const Rollup& LeadRollup();
const Rollup& StayRollup();
const Rollup& FundsRollup();
const Rollup& StageEntryRollup();
// The bits of the funds and stage-entry rollups' own dimensions, after the
// nine a filter names.
inline constexpr uint32_t kFundsMonthBit = 1u << 9;
inline constexpr uint32_t kFundsDayBit = 1u << 10;
inline constexpr uint32_t kEnteredStageBit = 1u << 9;
inline constexpr uint32_t kEnterDayBit = 1u << 10;
inline constexpr uint32_t kEnterMonthBit = 1u << 11;
// Schema version 3: the lead and stay rollups' tables, the indexes that
// find a lead's stays and funds entries when its rollup items move, and
// filter indexes in creation order (ResourceRows::OrderedFilterIndexesSql).
std::string RollupSchemaSql();
// Schema version 4: filter indexes that hold the other filters
// (ResourceRows::FilterIndexesSql) in place of version 3's.
std::string FilterIndexSchemaSql();
// Schema version 6: the funds rollup by day as well as by month (made
// anew), the stage-entry rollup, and the indexes that read a window of each.
std::string WindowRollupSchemaSql();

// The grouping set of each rollup that answers `request` with `window`;
// nullopt when it filters by name or update time, groups by lead, or asks
// for a window that does not start a year (StartsAYear) or whose groups the
// event rollups do not keep.
struct LeadRollupSets {
  uint32_t leads = 0;
  uint32_t stays = 0;
  // Funds by month for funds_year, whatever the grouping.
  uint32_t funds_by_month = 0;
  // With a window: its funds and stage entries per group, by month and day.
  uint32_t window_funds_by_month = 0;
  uint32_t window_funds_by_day = 0;
  uint32_t entries_by_month = 0;
  uint32_t entries_by_day = 0;
};
std::optional<LeadRollupSets> RollupSetsFor(const v1::SummarizeLeadsRequest& request,
                                           const std::optional<DayWindow>& window);

// The fields ListLeadsRequest.order_by may name.
absl::Span<const OrderField> LeadOrderFields();

// A Summarize dimension: its SQL, whether it is text, and how a group's key
// is set on the response.
struct LeadDimension {
  std::string sql;
  bool text = false;
  std::function<void(const SqlArg&, v1::LeadGroup*)> set;
};

// INVALID_ARGUMENT for UNSPECIFIED or an unknown grouping.
absl::StatusOr<LeadDimension> DimensionOf(v1::LeadGrouping grouping);

}  // namespace jiangan::investment

#endif  // JIANGAN_SERVICES_INVESTMENT_LEAD_SQL_H_
