#include "services/target_values/value_sql.h"

#include "absl/strings/str_cat.h"

namespace jiangan::target_values {

std::string SchemaSql(int version) {
  return absl::StrCat(
      "CREATE TABLE IF NOT EXISTS ", kValuesTable, " (",
      "  seq INTEGER PRIMARY KEY AUTOINCREMENT,",
      "  ", kTargetColumn, " TEXT NOT NULL,",
      "  request_id TEXT,",
      "  payload BLOB NOT NULL,",
      "  UNIQUE (", kTargetColumn, ", request_id));",
      "PRAGMA user_version = ", version, ";");
}

}  // namespace jiangan::target_values
