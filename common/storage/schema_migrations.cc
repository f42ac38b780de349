#include "common/storage/schema_migrations.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/logging.h"
#include "common/base/status_macros.h"

namespace jiangan {

absl::Status MigrateSchema(SqlDb* db, absl::Span<const SchemaStep> steps) {
  if (steps.empty()) return absl::InvalidArgumentError("MigrateSchema: no steps");
  // Read and written inside the transaction: a replica that waited for the
  // lock sees the version the first one left.
  std::optional<int> migrated_from;
  const absl::Time start = absl::Now();
  RETURN_IF_ERROR(db->InTransaction([&]() -> absl::Status {
    ASSIGN_OR_RETURN(const int current, db->SchemaVersion());
    const int newest = steps.back().version;
    if (current > newest) {
      return absl::FailedPreconditionError(absl::StrCat(
          db->location(), " is at schema version ", current, ", newer than ", newest,
          ", the newest this binary knows: run a binary at least as new as the data"));
    }
    if (current < steps.front().version) {
      ASSIGN_OR_RETURN(const bool holds_tables, db->HoldsTables());
      if (holds_tables) {
        return absl::FailedPreconditionError(absl::StrCat(
            db->location(), " is at schema version ", current, ", older than ",
            steps.front().version, ", the oldest this binary upgrades; move it away and load "
            "the seed again"));
      }
    }
    if (current == newest) return absl::OkStatus();
    for (const SchemaStep& step : steps) {
      if (step.version <= current) continue;
      RETURN_IF_ERROR(db->Exec(step.sql));
      if (step.then) RETURN_IF_ERROR(step.then(db));
    }
    migrated_from = current;
    return db->SetSchemaVersion(newest);
  }));
  // A step over a large database (an index on a million rows) holds up the
  // server's start: say what took the time.
  if (migrated_from.has_value()) {
    Log(LogLevel::kInfo, "schema_migrated",
        {{"database", db->location()},
         {"from_version", absl::StrCat(*migrated_from)},
         {"to_version", absl::StrCat(steps.back().version)},
         {"seconds", absl::StrCat(absl::ToDoubleSeconds(absl::Now() - start))}});
  }
  return absl::OkStatus();
}

}  // namespace jiangan
