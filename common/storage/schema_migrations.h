// A store's schema as numbered steps, applied when a server starts.
#ifndef JIANGAN_COMMON_STORAGE_SCHEMA_MIGRATIONS_H_
#define JIANGAN_COMMON_STORAGE_SCHEMA_MIGRATIONS_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/storage/sql_db.h"

namespace jiangan {

// One step of a schema. The first step of a list creates the schema in an
// empty database; each later one takes it from the version before.
struct SchemaStep {
  int version;      // the database's version once the step has run
  std::string sql;  // the statements of the step
  // Runs after `sql` in the same transaction, for what SQL cannot say
  // (e.g. filling a new table from the stored resources); may be empty.
  std::function<absl::Status(SqlDb* db)> then = nullptr;
};

// Brings `db` to the version of the last of `steps` (ascending versions),
// running the steps it has not had, in one transaction under the database's
// write lock: replicas starting together run each step once, and a step that
// fails leaves the database as it was (both engines roll back DDL). The
// engine keeps the version (SqlDb::SchemaVersion). FAILED_PRECONDITION,
// naming the database and both
// versions, for a database newer than the last step (data written by a
// newer binary) or holding tables at a version before the first step (a
// layout no step upgrades).
absl::Status MigrateSchema(SqlDb* db, absl::Span<const SchemaStep> steps);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STORAGE_SCHEMA_MIGRATIONS_H_
