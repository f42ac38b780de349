// The SQLite engine of the storage seam: one connection to a database file,
// with a cache of its compiled statements.
#ifndef JIANGAN_COMMON_STORAGE_SQLITE_DB_H_
#define JIANGAN_COMMON_STORAGE_SQLITE_DB_H_

#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/storage/sql_db.h"

namespace jiangan {

class SqliteDb : public SqlDb {
 public:
  // Opens (creating if needed) the database at `path` in WAL mode with a
  // busy timeout, so that readers never block the writer. Errors of its
  // statements are INTERNAL.
  static absl::StatusOr<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  ~SqliteDb() override;

  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  const std::string& location() const override { return path_; }
  absl::Status InTransaction(const std::function<absl::Status()>& body) override;
  absl::Status Exec(absl::string_view sql) override;
  // Compiling a statement can cost more than running it, so idle ones are
  // kept by their SQL.
  absl::StatusOr<SqlStatement> Prepare(absl::string_view sql) override;
  absl::StatusOr<std::unique_ptr<SqlDb>> Connect() const override;
  absl::StatusOr<int64_t> NextSeq(absl::string_view table) override;
  // The version is PRAGMA user_version.
  absl::StatusOr<int> SchemaVersion() override;
  absl::Status SetSchemaVersion(int version) override;
  absl::StatusOr<bool> HoldsTables() override;

 private:
  friend class SqliteCursor;
  // At most this many idle statements are kept; others are finalized.
  static constexpr size_t kMaxCachedStatements = 64;

  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  // Takes back a statement that is done with.
  void Release(sqlite3_stmt* stmt);

  sqlite3* const db_;
  const std::string path_;
  absl::Mutex cache_mu_;
  absl::flat_hash_map<std::string, std::vector<sqlite3_stmt*>> idle_ ABSL_GUARDED_BY(cache_mu_);
  size_t idle_count_ ABSL_GUARDED_BY(cache_mu_) = 0;
};

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STORAGE_SQLITE_DB_H_
