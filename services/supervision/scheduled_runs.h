// Work the service does on a schedule, run once per slot by a replica set:
// each replica claims the slot (a job's period, e.g. the hour of a rules
// evaluation or the day of a digest) in the database before it does the
// work, and only the first claim stands.
#ifndef JIANGAN_SERVICES_SUPERVISION_SCHEDULED_RUNS_H_
#define JIANGAN_SERVICES_SUPERVISION_SCHEDULED_RUNS_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/storage/sql_writer.h"

namespace jiangan::supervision {

// Claims slot `slot` of `job` for `runner` at `now`: true for the one
// caller of all replicas that claims it first, false for the others.
absl::StatusOr<bool> ClaimScheduledRun(SqlWriter* writer, absl::string_view job, int64_t slot,
                                       absl::string_view runner, absl::Time now);

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_SCHEDULED_RUNS_H_
