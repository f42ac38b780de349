// How leads are laid out in SQLite and queried there: the columns derived
// from a Lead (what List filters and orders on, what Summarize groups and
// sums), the ledger, activity, name-bigram and stage-stay tables, and the SQL
// that a LeadFilter and a grouping become. The store runs the statements;
// this file only says them.
#ifndef JIANGAN_SERVICES_INVESTMENT_LEAD_SQL_H_
#define JIANGAN_SERVICES_INVESTMENT_LEAD_SQL_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/storage/resource_rows.h"
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

// The clause selecting what `filter` selects; INVALID_ARGUMENT naming the
// filter's field when a value breaks its rules.
absl::StatusOr<SqlWhere> FilterSql(const v1::LeadFilter& filter, bool show_deleted);

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
