#include "common/storage/open_database.h"

#include "common/base/status_macros.h"
#include "common/storage/postgres_db.h"
#include "common/storage/sqlite_db.h"

namespace jiangan {

absl::StatusOr<std::unique_ptr<SqlDb>> OpenDatabase(const std::string& postgres_url,
                                                    const std::string& sqlite_path) {
  if (!postgres_url.empty()) {
    ASSIGN_OR_RETURN(std::unique_ptr<PostgresDb> db, PostgresDb::Open(postgres_url));
    return std::unique_ptr<SqlDb>(std::move(db));
  }
  if (sqlite_path.empty()) {
    return absl::InvalidArgumentError("--db_path: is required when no --database_url_file is given");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, SqliteDb::Open(sqlite_path));
  return std::unique_ptr<SqlDb>(std::move(db));
}

}  // namespace jiangan
