// How the targets service lays out what it keeps: reported values and
// department assignments, each an append-only table of child rows
// (common/storage/child_rows.h) of targets, which live in the catalog, not
// in the database. A row keeps its resource whole as its payload.
#ifndef JIANGAN_SERVICES_TARGETS_TARGET_SQL_H_
#define JIANGAN_SERVICES_TARGETS_TARGET_SQL_H_

#include <string>

namespace jiangan::targets {

inline constexpr char kValuesTable[] = "target_values";
inline constexpr char kAssignmentsTable[] = "department_assignments";
// The column of both tables holding the target's id.
inline constexpr char kTargetColumn[] = "target_id";

// Schema v1: the values table.
std::string ValuesSchemaSql();
// Schema v2: the assignments table.
std::string AssignmentsSchemaSql();

// The latest assignment of a target (bind target_id): its payload.
inline constexpr char kLatestAssignmentSql[] =
    "SELECT payload FROM department_assignments WHERE target_id = ? ORDER BY seq DESC LIMIT 1";

}  // namespace jiangan::targets

#endif  // JIANGAN_SERVICES_TARGETS_TARGET_SQL_H_
