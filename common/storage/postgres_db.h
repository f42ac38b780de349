// The PostgreSQL engine of the storage seam: one libpq connection, its
// statements prepared once by their SQL (translated by postgres_dialect.h).
#ifndef JIANGAN_COMMON_STORAGE_POSTGRES_DB_H_
#define JIANGAN_COMMON_STORAGE_POSTGRES_DB_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/storage/sql_db.h"

struct pg_conn;

namespace jiangan {

class PostgresCursor;

class PostgresDb : public SqlDb {
 public:
  // Connects with `url` (a libpq connection URI or "key=value" string).
  // UNAVAILABLE, naming the server but not the password, if it cannot.
  static absl::StatusOr<std::unique_ptr<PostgresDb>> Open(const std::string& url);
  ~PostgresDb() override;

  PostgresDb(const PostgresDb&) = delete;
  PostgresDb& operator=(const PostgresDb&) = delete;

  const std::string& location() const override { return location_; }
  // Writers of every replica take turns on a transaction-scoped advisory
  // lock, as SQLite's writers do on its file lock: a read-modify-write in
  // `body` sees every write committed before it (READ COMMITTED, after the
  // lock) and no other writer can slip in between.
  absl::Status InTransaction(const std::function<absl::Status()>& body) override;
  absl::Status Exec(absl::string_view sql) override;
  absl::StatusOr<SqlStatement> Prepare(absl::string_view sql) override;
  absl::StatusOr<std::unique_ptr<SqlDb>> Connect() const override;
  // nextval() of the table's identity sequence: replicas never get the same.
  absl::StatusOr<int64_t> NextSeq(absl::string_view table) override;
  // The version is the one row of table schema_version.
  absl::StatusOr<int> SchemaVersion() override;
  absl::Status SetSchemaVersion(int version) override;
  absl::StatusOr<bool> HoldsTables() override;

 private:
  friend class PostgresCursor;
  PostgresDb(pg_conn* conn, std::string url, std::string location)
      : conn_(conn), url_(std::move(url)), location_(std::move(location)) {}

  // Reconnects if the server dropped the connection; prepared statements
  // are gone with it.
  absl::Status EnsureConnected();
  // The error of the last call on the connection: UNAVAILABLE if the
  // connection is gone, INTERNAL otherwise.
  absl::Status Error(absl::string_view what, absl::string_view detail) const;
  // Makes `cursor` the one whose results the connection is delivering; the
  // one before it first reads the rest of its rows into memory (libpq runs
  // one query at a time per connection, SQLite several).
  void Activate(PostgresCursor* cursor);
  void Deactivate(PostgresCursor* cursor);

  pg_conn* conn_;
  const std::string url_;
  const std::string location_;
  // Names of statements prepared on this connection, by their SQL.
  absl::flat_hash_map<std::string, std::string> prepared_;
  PostgresCursor* active_ = nullptr;
  // Between BEGIN and its end: a lost connection is then not reopened.
  bool in_transaction_ = false;
};

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STORAGE_POSTGRES_DB_H_
