// Which engine a service's data lives in, chosen by how it is named.
#ifndef JIANGAN_COMMON_STORAGE_OPEN_DATABASE_H_
#define JIANGAN_COMMON_STORAGE_OPEN_DATABASE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/storage/sql_db.h"

namespace jiangan {

// A connection to PostgreSQL when `postgres_url` is set (a libpq URI,
// postgresql://user@host:port/db, or key=value string), otherwise to the
// SQLite file `sqlite_path` (created if missing).
absl::StatusOr<std::unique_ptr<SqlDb>> OpenDatabase(const std::string& postgres_url,
                                                    const std::string& sqlite_path);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STORAGE_OPEN_DATABASE_H_
