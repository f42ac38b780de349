// How reported target values are laid out in SQLite: one append-only table,
// a value per row kept whole as its payload.
#ifndef JIANGAN_SERVICES_TARGETS_VALUE_SQL_H_
#define JIANGAN_SERVICES_TARGETS_VALUE_SQL_H_

#include <string>

namespace jiangan::targets {

// The table of values; its rows are child rows (common/storage/child_rows.h)
// of targets, which live in the catalog, not in the database.
inline constexpr char kValuesTable[] = "target_values";
inline constexpr char kTargetColumn[] = "target_id";

// The tables, created if missing: the step that makes the store's current
// schema version (see MigrateSchema).
std::string SchemaSql();

}  // namespace jiangan::targets

#endif  // JIANGAN_SERVICES_TARGETS_VALUE_SQL_H_
