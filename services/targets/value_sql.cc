#include "services/targets/value_sql.h"

#include "absl/strings/str_cat.h"

namespace jiangan::targets {

std::string SchemaSql() {
  return absl::StrCat(
      "CREATE TABLE IF NOT EXISTS ", kValuesTable, " (",
      "  seq INTEGER PRIMARY KEY AUTOINCREMENT,",
      "  ", kTargetColumn, " TEXT NOT NULL,",
      "  request_id TEXT,",
      "  payload BLOB NOT NULL,",
      "  UNIQUE (", kTargetColumn, ", request_id));");
}

}  // namespace jiangan::targets
