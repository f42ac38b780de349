// How rules are laid out in SQL: the rules and their history, and the
// records each rule has seen in its condition (and since when). The stores run the statements; this file
// only says them.
#ifndef JIANGAN_SERVICES_SUPERVISION_RULE_SQL_H_
#define JIANGAN_SERVICES_SUPERVISION_RULE_SQL_H_

#include <string>
#include <vector>

#include "common/storage/change_log.h"
#include "common/storage/resource_rows.h"
#include "jiangan/supervision/v1/supervision.pb.h"

namespace jiangan::supervision {

// The rules and their payloads; the derived columns take DerivedValues().
const ResourceRows& RuleRows();

// The values of the derived columns, in binding order.
std::vector<SqlArg> DerivedValues(const v1::Rule& rule);

// The rules' history of changes.
const ChangeLog& RuleChanges();

// The rules' tables (schema version 2).
std::string RuleSchemaSql();

// The day (a day number) each record in a rule's condition was first seen
// in it, by an evaluation of the rule; a record that leaves the condition
// is forgotten, so that one coming back starts counting again.
inline constexpr char kSightingsOfRuleSql[] =
    "SELECT subject, first_seen_day FROM rule_sightings WHERE rule_id = ?";
inline constexpr char kInsertSightingSql[] =
    "INSERT INTO rule_sightings (rule_id, subject, first_seen_day) VALUES (?, ?, ?)";
inline constexpr char kForgetSightingSql[] =
    "DELETE FROM rule_sightings WHERE rule_id = ? AND subject = ?";

}  // namespace jiangan::supervision

#endif  // JIANGAN_SERVICES_SUPERVISION_RULE_SQL_H_
