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

}  // namespace jiangan::targets
