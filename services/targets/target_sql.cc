#include "services/targets/target_sql.h"

#include "absl/strings/str_cat.h"

namespace jiangan::targets {
namespace {

std::string ChildTableSql(const char* table) {
  return absl::StrCat(
      "CREATE TABLE IF NOT EXISTS ", table, " (",
      "  seq INTEGER PRIMARY KEY AUTOINCREMENT,",
      "  ", kTargetColumn, " TEXT NOT NULL,",
      "  request_id TEXT,",
      "  payload BLOB NOT NULL,",
      "  UNIQUE (", kTargetColumn, ", request_id));");
}

}  // namespace

std::string ValuesSchemaSql() { return ChildTableSql(kValuesTable); }

std::string AssignmentsSchemaSql() { return ChildTableSql(kAssignmentsTable); }

std::string TargetsSchemaSql() {
  return absl::StrCat(
      "CREATE TABLE IF NOT EXISTS ", kTargetsTable, " (",
      "  seq INTEGER PRIMARY KEY AUTOINCREMENT,",
      "  id TEXT NOT NULL UNIQUE,",
      "  deleted INTEGER NOT NULL DEFAULT 0,",
      "  year INTEGER NOT NULL,",
      "  position INTEGER NOT NULL,",
      "  version INTEGER NOT NULL,",
      "  request_id TEXT UNIQUE,",
      "  loaded BLOB,",
      "  payload BLOB NOT NULL);");
}

}  // namespace jiangan::targets
