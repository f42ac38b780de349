// How the targets service lays out what it keeps: the catalog of targets,
// one row a target (its entry as its payload, and the entry its file gave
// when it was last loaded from one), with the history of each; and the
// reported values and department assignments, each an append-only table of
// child rows (common/storage/child_rows.h) of targets. A row keeps its
// resource whole as its payload.
#ifndef JIANGAN_SERVICES_TARGETS_TARGET_SQL_H_
#define JIANGAN_SERVICES_TARGETS_TARGET_SQL_H_

#include <string>

namespace jiangan::targets {

inline constexpr char kTargetsTable[] = "targets";
inline constexpr char kTargetChangesTable[] = "target_changes";
inline constexpr char kValuesTable[] = "target_values";
inline constexpr char kAssignmentsTable[] = "department_assignments";
// The column of both tables holding the target's id.
inline constexpr char kTargetColumn[] = "target_id";

// Schema v1: the values table.
std::string ValuesSchemaSql();
// Schema v2: the assignments table.
std::string AssignmentsSchemaSql();
// Schema v3: the catalog table (its history's table is the ChangeLog's).
std::string TargetsSchemaSql();

// Every target, by year and then the order its report states them:
// seq, version, payload.
inline constexpr char kCatalogSql[] =
    "SELECT seq, version, payload FROM targets WHERE deleted = 0 ORDER BY year, position, seq";
// One target (bind id): seq, version, payload, loaded (NULL unless it came
// from a file), position.
inline constexpr char kTargetRowSql[] =
    "SELECT seq, version, payload, loaded, position FROM targets WHERE id = ? AND deleted = 0";
// The target an earlier CreateTarget with this request_id made (bind
// request_id): its id.
inline constexpr char kTargetByRequestSql[] = "SELECT id FROM targets WHERE request_id = ?";
// The position after the last of a year (bind year).
inline constexpr char kNextPositionSql[] =
    "SELECT COALESCE(MAX(position), -1) + 1 FROM targets WHERE year = ?";
// Adds a target, version 1 (bind id, year, position, request_id, loaded,
// payload).
inline constexpr char kInsertTargetSql[] =
    "INSERT INTO targets (id, year, position, version, request_id, loaded, payload) "
    "VALUES (?, ?, ?, 1, ?, ?, ?)";
// Replaces a target's entry, its next version (bind position, loaded,
// payload, id).
inline constexpr char kUpdateTargetSql[] =
    "UPDATE targets SET version = version + 1, position = ?, loaded = ?, payload = ? "
    "WHERE id = ?";
// How many values are recorded for a target (bind target_id).
inline constexpr char kCountValuesSql[] =
    "SELECT COUNT(*) FROM target_values WHERE target_id = ?";

// The latest assignment of a target (bind target_id): its payload.
inline constexpr char kLatestAssignmentSql[] =
    "SELECT payload FROM department_assignments WHERE target_id = ? ORDER BY seq DESC LIMIT 1";

}  // namespace jiangan::targets

#endif  // JIANGAN_SERVICES_TARGETS_TARGET_SQL_H_
