// How reported target values are laid out in SQLite: one append-only table,
// a value per row kept whole as its payload.
#ifndef JIANGAN_SERVICES_TARGET_VALUES_VALUE_SQL_H_
#define JIANGAN_SERVICES_TARGET_VALUES_VALUE_SQL_H_

#include <string>

namespace jiangan::target_values {

// The table of values; its rows are child rows (common/storage/child_rows.h)
// of targets, which live in the catalog, not in the database.
inline constexpr char kValuesTable[] = "target_values";
inline constexpr char kTargetColumn[] = "target_id";

// The tables, created if missing, stamped with `version` (PRAGMA user_version).
std::string SchemaSql(int version);

}  // namespace jiangan::target_values

#endif  // JIANGAN_SERVICES_TARGET_VALUES_VALUE_SQL_H_
