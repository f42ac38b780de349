// Moving a service from its SQLite file to PostgreSQL, as a district that
// outgrows one machine does: every row of every table, in one transaction.
#ifndef JIANGAN_COMMON_STORAGE_COPY_TO_POSTGRES_H_
#define JIANGAN_COMMON_STORAGE_COPY_TO_POSTGRES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/storage/sql_db.h"

namespace jiangan {

struct CopiedTable {
  std::string table;
  int64_t rows = 0;
};

// Copies the rows of `sqlite` (a service's file; stop its servers first)
// into `postgres`, where the same service at the same release has made its
// tables (start it there once) and written nothing yet. The target's tables
// and column types say what is read; identity sequences continue after the
// copied rows. All or nothing, holding both databases' write locks.
// FAILED_PRECONDITION if the schema versions differ, a table of the target
// is missing from the file or already holds rows.
absl::StatusOr<std::vector<CopiedTable>> CopyToPostgres(SqlDb* sqlite, SqlDb* postgres);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STORAGE_COPY_TO_POSTGRES_H_
