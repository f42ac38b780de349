#include "common/storage/schema_migrations.h"

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"

namespace jiangan {
namespace {

// Whether `db` holds any table of its own (SQLite's bookkeeping aside).
absl::StatusOr<bool> HoldsTables(SqliteDb* db) {
  ASSIGN_OR_RETURN(SqliteStatement tables,
                   db->Prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
                               "name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"));
  RETURN_IF_ERROR(tables.Step().status());
  return tables.ColumnInt64(0) > 0;
}

}  // namespace

absl::StatusOr<int> SchemaVersion(SqliteDb* db) {
  ASSIGN_OR_RETURN(SqliteStatement version, db->Prepare("PRAGMA user_version"));
  RETURN_IF_ERROR(version.Step().status());
  return static_cast<int>(version.ColumnInt64(0));
}

absl::Status MigrateSchema(SqliteDb* db, absl::Span<const SchemaStep> steps) {
  if (steps.empty()) return absl::InvalidArgumentError("MigrateSchema: no steps");
  // Read and written inside the transaction: a replica that waited for the
  // lock sees the version the first one left.
  return db->InTransaction([&]() -> absl::Status {
    ASSIGN_OR_RETURN(const int current, SchemaVersion(db));
    const int newest = steps.back().version;
    if (current > newest) {
      return absl::FailedPreconditionError(absl::StrCat(
          db->path(), " is at schema version ", current, ", newer than ", newest,
          ", the newest this binary knows: run a binary at least as new as the data"));
    }
    if (current < steps.front().version) {
      ASSIGN_OR_RETURN(const bool holds_tables, HoldsTables(db));
      if (holds_tables) {
        return absl::FailedPreconditionError(absl::StrCat(
            db->path(), " is at schema version ", current, ", older than ",
            steps.front().version, ", the oldest this binary upgrades; move it away and load "
            "the seed again"));
      }
    }
    if (current == newest) return absl::OkStatus();
    for (const SchemaStep& step : steps) {
      if (step.version > current) RETURN_IF_ERROR(db->Exec(step.sql));
    }
    return db->Exec(absl::StrCat("PRAGMA user_version = ", newest));
  });
}

}  // namespace jiangan
