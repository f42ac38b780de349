// A thin owner of one SQLite connection and its prepared statements.
#ifndef JIANGAN_COMMON_STORAGE_SQLITE_DB_H_
#define JIANGAN_COMMON_STORAGE_SQLITE_DB_H_

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "absl/status/statusor.h"

namespace jiangan {

class SqliteDb;

// A prepared statement. Bind with 1-based indexes, as SQLite does. When it
// goes out of scope it is reset and handed back to its connection's cache.
class SqliteStatement {
 public:
  SqliteStatement(sqlite3_stmt* stmt, SqliteDb* db) : stmt_(stmt), db_(db) {}
  ~SqliteStatement();
  SqliteStatement(SqliteStatement&& other) noexcept : stmt_(other.stmt_), db_(other.db_) {
    other.stmt_ = nullptr;
  }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  void BindText(int index, absl::string_view value);
  void BindBlob(int index, absl::string_view value);
  void BindInt64(int index, int64_t value);
  void BindDouble(int index, double value);
  void BindNull(int index);

  // Advances to the next row: true with a row, false when done, or an error.
  absl::StatusOr<bool> Step();
  // Runs a statement that returns no rows.
  absl::Status Run();

  int ColumnCount() const;
  int64_t ColumnInt64(int index) const;
  double ColumnDouble(int index) const;
  std::string ColumnText(int index) const;
  std::string ColumnBlob(int index) const;
  // The blob without a copy; valid until the next Step() or the statement's end.
  absl::string_view ColumnBlobView(int index) const;
  bool ColumnIsNull(int index) const;

 private:
  sqlite3_stmt* stmt_;
  SqliteDb* db_;
};

class SqliteDb {
 public:
  // Opens (creating if needed) the database at `path` in WAL mode with a
  // busy timeout, so that readers never block the writer. Errors of its
  // statements are INTERNAL.
  static absl::StatusOr<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  ~SqliteDb();

  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  const std::string& path() const { return path_; }

  // A deterministic SQL function `name` taking `arity` (at most
  // kMaxIntFunctionArity) integer arguments (NULL reads as 0) and returning
  // an integer, so that a rule written once in C++ can also filter and group
  // rows inside a query. `function` must be thread-safe and outlive the
  // connection; it runs once per row, so its arguments are not copied.
  static constexpr int kMaxIntFunctionArity = 16;
  using IntFunction = std::function<int64_t(absl::Span<const int64_t> args)>;
  absl::Status RegisterIntFunction(const std::string& name, int arity,
                                   const IntFunction* function);

  // Runs `body` in BEGIN IMMEDIATE ... COMMIT, rolling back if it or the
  // commit fails. The caller keeps other threads off this connection
  // meanwhile.
  absl::Status InTransaction(const std::function<absl::Status()>& body);

  // Runs one or more statements that return no rows.
  absl::Status Exec(absl::string_view sql);
  // Prepared statements are cached per connection by their SQL, since
  // compiling one can cost more than running it.
  absl::StatusOr<SqliteStatement> Prepare(absl::string_view sql);
  int64_t Changes() const;

 private:
  friend class SqliteStatement;
  // At most this many idle statements are kept; others are finalized.
  static constexpr size_t kMaxCachedStatements = 64;

  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  // Takes back a statement that is done with.
  void Release(sqlite3_stmt* stmt);

  sqlite3* db_;
  const std::string path_;
  absl::Mutex cache_mu_;
  absl::flat_hash_map<std::string, std::vector<sqlite3_stmt*>> idle_ ABSL_GUARDED_BY(cache_mu_);
  size_t idle_count_ ABSL_GUARDED_BY(cache_mu_) = 0;
};

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STORAGE_SQLITE_DB_H_
