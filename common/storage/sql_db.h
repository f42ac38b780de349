// The storage seam: one connection to a SQL database and its statements,
// whichever engine is behind them (SQLite's file or a PostgreSQL server).
// Stores speak SQL through these only, in SQLite's spelling with `?`
// parameters; an engine that spells something differently translates it in
// one place (see postgres_dialect.h), so no store keeps two copies of a query.
#ifndef JIANGAN_COMMON_STORAGE_SQL_DB_H_
#define JIANGAN_COMMON_STORAGE_SQL_DB_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jiangan {

// What an engine implements for one prepared statement. Indexes of
// parameters are 1-based, of columns 0-based, as in SQLite.
class SqlCursor {
 public:
  virtual ~SqlCursor() = default;

  virtual void BindText(int index, absl::string_view value) = 0;
  virtual void BindBlob(int index, absl::string_view value) = 0;
  virtual void BindInt64(int index, int64_t value) = 0;
  virtual void BindDouble(int index, double value) = 0;
  virtual void BindNull(int index) = 0;

  virtual absl::StatusOr<bool> Step() = 0;

  virtual int ColumnCount() const = 0;
  virtual int64_t ColumnInt64(int index) const = 0;
  virtual double ColumnDouble(int index) const = 0;
  virtual absl::string_view ColumnBytes(int index) const = 0;
  virtual bool ColumnIsNull(int index) const = 0;
};

// A prepared statement: bind, then Step() through its rows. Move-only; when
// it goes out of scope its engine takes it back (to reuse or finish it).
class SqlStatement {
 public:
  explicit SqlStatement(std::unique_ptr<SqlCursor> cursor) : cursor_(std::move(cursor)) {}
  SqlStatement(SqlStatement&&) noexcept = default;
  SqlStatement& operator=(SqlStatement&&) noexcept = default;

  void BindText(int index, absl::string_view value) { cursor_->BindText(index, value); }
  void BindBlob(int index, absl::string_view value) { cursor_->BindBlob(index, value); }
  void BindInt64(int index, int64_t value) { cursor_->BindInt64(index, value); }
  void BindDouble(int index, double value) { cursor_->BindDouble(index, value); }
  void BindNull(int index) { cursor_->BindNull(index); }

  // Advances to the next row: true with a row, false when done, or an error.
  absl::StatusOr<bool> Step() { return cursor_->Step(); }
  // Runs a statement that returns no rows.
  absl::Status Run();

  int ColumnCount() const { return cursor_->ColumnCount(); }
  int64_t ColumnInt64(int index) const { return cursor_->ColumnInt64(index); }
  double ColumnDouble(int index) const { return cursor_->ColumnDouble(index); }
  std::string ColumnText(int index) const { return std::string(cursor_->ColumnBytes(index)); }
  std::string ColumnBlob(int index) const { return std::string(cursor_->ColumnBytes(index)); }
  // The blob without a copy; valid until the next Step() or the statement's end.
  absl::string_view ColumnBlobView(int index) const { return cursor_->ColumnBytes(index); }
  bool ColumnIsNull(int index) const { return cursor_->ColumnIsNull(index); }

 private:
  std::unique_ptr<SqlCursor> cursor_;
};

// One connection. Not for two threads at once: a store guards its writer
// with a mutex and hands each reader its own connection (SqlReaderPool).
class SqlDb {
 public:
  virtual ~SqlDb() = default;

  // Where the data is, for messages: a file, or a server and database
  // (never a password).
  virtual const std::string& location() const = 0;

  // Runs `body` in a transaction that holds the database's write lock from
  // its start (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped
  // advisory lock), so that writers, in this process or in another replica,
  // take turns and each reads what the previous one committed. Commits if
  // `body` succeeds; otherwise rolls back and returns its error.
  virtual absl::Status InTransaction(const std::function<absl::Status()>& body) = 0;

  // Runs one or more statements that return no rows.
  virtual absl::Status Exec(absl::string_view sql) = 0;
  // Prepares `sql`; engines cache compiled statements by their text.
  virtual absl::StatusOr<SqlStatement> Prepare(absl::string_view sql) = 0;

  // Another connection to the same database, e.g. for a pool of readers.
  virtual absl::StatusOr<std::unique_ptr<SqlDb>> Connect() const = 0;

  // The seq the next row of `table` (whose seq is INTEGER PRIMARY KEY
  // AUTOINCREMENT) gets, reserved for an insert that names it, so that
  // what depends on it (an etag) is made before the row. Inside the write
  // transaction.
  virtual absl::StatusOr<int64_t> NextSeq(absl::string_view table) = 0;

  // Schema bookkeeping for MigrateSchema: the version the schema is at (0
  // for a new database), setting it, and whether any table of ours exists.
  virtual absl::StatusOr<int> SchemaVersion() = 0;
  virtual absl::Status SetSchemaVersion(int version) = 0;
  virtual absl::StatusOr<bool> HoldsTables() = 0;
};

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STORAGE_SQL_DB_H_
