// A few read-only uses of one database at once: each reader has its own
// connection (SQLite's WAL, like PostgreSQL, lets them read while a writer
// writes).
#ifndef JIANGAN_COMMON_STORAGE_SQL_READER_POOL_H_
#define JIANGAN_COMMON_STORAGE_SQL_READER_POOL_H_

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/storage/sql_db.h"

namespace jiangan {

class SqlReaderPool {
 public:
  // Opens `count` more connections to the database of `db`.
  absl::Status Open(const SqlDb& db, int count);

  // Runs `read(SqlDb*)` on a free connection, waiting for one if need be,
  // and returns what it returns.
  template <typename Read>
  auto With(Read read) {
    SqlDb* db = Acquire();
    auto result = read(db);
    Release(db);
    return result;
  }

 private:
  SqlDb* Acquire();
  void Release(SqlDb* db);

  std::vector<std::unique_ptr<SqlDb>> all_;
  absl::Mutex mu_;
  std::vector<SqlDb*> free_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STORAGE_SQL_READER_POOL_H_
