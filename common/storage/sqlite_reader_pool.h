// A few read-only uses of one SQLite file at once: each reader has its own
// connection, which WAL lets read while the single writer writes.
#ifndef JIANGAN_COMMON_STORAGE_SQLITE_READER_POOL_H_
#define JIANGAN_COMMON_STORAGE_SQLITE_READER_POOL_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/storage/sqlite_db.h"

namespace jiangan {

class SqliteReaderPool {
 public:
  // Opens `count` connections to `path`, each prepared by `setup` (e.g. to
  // register SQL functions).
  absl::Status Open(const std::string& path, int count,
                    const std::function<absl::Status(SqliteDb*)>& setup);

  // Runs `read(SqliteDb*)` on a free connection, waiting for one if need be,
  // and returns what it returns.
  template <typename Read>
  auto With(Read read) {
    SqliteDb* db = Acquire();
    auto result = read(db);
    Release(db);
    return result;
  }

 private:
  SqliteDb* Acquire();
  void Release(SqliteDb* db);

  std::vector<std::unique_ptr<SqliteDb>> all_;
  absl::Mutex mu_;
  std::vector<SqliteDb*> free_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STORAGE_SQLITE_READER_POOL_H_
