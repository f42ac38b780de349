#include "common/storage/sql_db.h"

namespace jiangan {

absl::Status SqlStatement::Run() {
  absl::StatusOr<bool> row = Step();
  return row.ok() ? absl::OkStatus() : row.status();
}

}  // namespace jiangan
