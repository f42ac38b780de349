// The layout of the supervision service's database, step by step: each
// store opens it through here, so the versions stay one sequence.
#ifndef JIANGAN_SERVICES_SUPERVISION_SUPERVISION_SCHEMA_H_
#define JIANGAN_SERVICES_SUPERVISION_SUPERVISION_SCHEMA_H_

#include "absl/status/status.h"
#include "common/storage/sql_db.h"

namespace jiangan::supervision {

// Brings `db` to the current version: 1 the tickets, 2 the rules, 3 the
// subscriptions and the notification outbox, 4 the scorecard's rollup.
absl::Status MigrateSupervisionSchema(SqlDb* db);

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_SUPERVISION_SCHEMA_H_
