#include "services/supervision/scheduled_runs.h"

#include "common/base/status_macros.h"

namespace jiangan::supervision {
namespace {

constexpr char kRunClaimedSql[] = "SELECT 1 FROM scheduled_runs WHERE job = ? AND slot = ?";
constexpr char kClaimRunSql[] =
    "INSERT INTO scheduled_runs (job, slot, runner, start_us) VALUES (?, ?, ?, ?)";

}  // namespace

absl::StatusOr<bool> ClaimScheduledRun(SqlWriter* writer, absl::string_view job, int64_t slot,
                                       absl::string_view runner, absl::Time now) {
  bool claimed = false;
  SqlDb* db = writer->db();
  RETURN_IF_ERROR(writer->Transact([&]() -> absl::Status {
    // Write transactions are serialized across replicas (the engine's write
    // lock), so the look and the insert are one step.
    ASSIGN_OR_RETURN(SqlStatement taken, db->Prepare(kRunClaimedSql));
    taken.BindText(1, job);
    taken.BindInt64(2, slot);
    ASSIGN_OR_RETURN(const bool already, taken.Step());
    if (already) return absl::OkStatus();
    ASSIGN_OR_RETURN(SqlStatement claim, db->Prepare(kClaimRunSql));
    claim.BindText(1, job);
    claim.BindInt64(2, slot);
    claim.BindText(3, runner);
    claim.BindInt64(4, absl::ToUnixMicros(now));
    RETURN_IF_ERROR(claim.Run());
    claimed = true;
    return absl::OkStatus();
  }));
  return claimed;
}

}  // namespace jiangan::supervision
