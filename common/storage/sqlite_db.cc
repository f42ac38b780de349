#include "common/storage/sqlite_db.h"

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"

namespace jiangan {
namespace {

absl::Status SqliteError(sqlite3* db, absl::string_view what) {
  return absl::InternalError(absl::StrCat("sqlite ", what, ": ", sqlite3_errmsg(db)));
}

}  // namespace

class SqliteCursor : public SqlCursor {
 public:
  SqliteCursor(sqlite3_stmt* stmt, SqliteDb* db) : stmt_(stmt), db_(db) {}
  ~SqliteCursor() override { db_->Release(stmt_); }

  void BindText(int index, absl::string_view value) override;
  void BindBlob(int index, absl::string_view value) override;
  void BindInt64(int index, int64_t value) override;
  void BindDouble(int index, double value) override;
  void BindNull(int index) override;
  absl::StatusOr<bool> Step() override;
  int ColumnCount() const override;
  int64_t ColumnInt64(int index) const override;
  double ColumnDouble(int index) const override;
  absl::string_view ColumnBytes(int index) const override;
  bool ColumnIsNull(int index) const override;

 private:
  sqlite3_stmt* const stmt_;
  SqliteDb* const db_;
};

void SqliteCursor::BindText(int index, absl::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                    SQLITE_TRANSIENT);
}

void SqliteCursor::BindBlob(int index, absl::string_view value) {
  sqlite3_bind_blob(stmt_, index, value.data(), static_cast<int>(value.size()),
                    SQLITE_TRANSIENT);
}

void SqliteCursor::BindInt64(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
}

void SqliteCursor::BindDouble(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
}

void SqliteCursor::BindNull(int index) { sqlite3_bind_null(stmt_, index); }

absl::StatusOr<bool> SqliteCursor::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(sqlite3_db_handle(stmt_), "step");
}

int SqliteCursor::ColumnCount() const { return sqlite3_column_count(stmt_); }

int64_t SqliteCursor::ColumnInt64(int index) const {
  return sqlite3_column_int64(stmt_, index);
}

double SqliteCursor::ColumnDouble(int index) const {
  return sqlite3_column_double(stmt_, index);
}

absl::string_view SqliteCursor::ColumnBytes(int index) const {
  // Asked for as a blob, SQLite hands text over as it is stored.
  const void* bytes = sqlite3_column_blob(stmt_, index);
  return bytes == nullptr ? absl::string_view()
                          : absl::string_view(static_cast<const char*>(bytes),
                                              sqlite3_column_bytes(stmt_, index));
}

bool SqliteCursor::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

absl::StatusOr<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &raw,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = raw ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close(raw);
    return absl::UnavailableError(
        absl::StrCat("cannot open database ", path, ": ", message));
  }
  std::unique_ptr<SqliteDb> db(new SqliteDb(raw, path));
  sqlite3_busy_timeout(raw, 5000);
  absl::Status pragmas = db->Exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
      "PRAGMA foreign_keys=ON; "
      // Reads go through the OS page cache by mmap instead of copying each
      // page into SQLite's own small cache: large scans (Summarize) halve.
      // As much of the file as SQLite maps at most (Debian's build stops
      // near 2 GiB): a million records make a file of 1.6 GB, and the pages
      // past the mapping are copied again on every read.
      "PRAGMA mmap_size=2147418112; PRAGMA cache_size=-16384;");
  if (!pragmas.ok()) return pragmas;
  return db;
}

SqliteDb::~SqliteDb() {
  {
    absl::MutexLock lock(&cache_mu_);
    for (auto& [sql, statements] : idle_) {
      for (sqlite3_stmt* stmt : statements) sqlite3_finalize(stmt);
    }
    idle_.clear();
  }
  sqlite3_close(db_);
}

void SqliteDb::Release(sqlite3_stmt* stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  absl::MutexLock lock(&cache_mu_);
  if (idle_count_ >= kMaxCachedStatements) {
    sqlite3_finalize(stmt);
    return;
  }
  idle_[sqlite3_sql(stmt)].push_back(stmt);
  ++idle_count_;
}

absl::Status SqliteDb::Exec(absl::string_view sql) {
  char* error = nullptr;
  std::string statement(sql);
  if (sqlite3_exec(db_, statement.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    absl::Status status = absl::InternalError(
        absl::StrCat("sqlite exec: ", error ? error : "unknown error"));
    sqlite3_free(error);
    return status;
  }
  return absl::OkStatus();
}

absl::StatusOr<SqlStatement> SqliteDb::Prepare(absl::string_view sql) {
  {
    absl::MutexLock lock(&cache_mu_);
    auto it = idle_.find(sql);
    if (it != idle_.end() && !it->second.empty()) {
      sqlite3_stmt* cached = it->second.back();
      it->second.pop_back();
      if (it->second.empty()) idle_.erase(it);  // keys of one-off SQL do not pile up
      --idle_count_;
      return SqlStatement(std::make_unique<SqliteCursor>(cached, this));
    }
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt,
                         nullptr) != SQLITE_OK) {
    return SqliteError(db_, "prepare");
  }
  return SqlStatement(std::make_unique<SqliteCursor>(stmt, this));
}

absl::Status SqliteDb::InTransaction(const std::function<absl::Status()>& body) {
  if (absl::Status begun = Exec("BEGIN IMMEDIATE"); !begun.ok()) return begun;
  absl::Status status = body();
  if (status.ok()) status = Exec("COMMIT");
  if (!status.ok()) (void)Exec("ROLLBACK");
  return status;
}

absl::StatusOr<std::unique_ptr<SqlDb>> SqliteDb::Connect() const {
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, Open(path_));
  return std::unique_ptr<SqlDb>(std::move(db));
}

absl::StatusOr<int64_t> SqliteDb::NextSeq(absl::string_view table) {
  // AUTOINCREMENT keeps the largest seq ever used in sqlite_sequence.
  ASSIGN_OR_RETURN(SqlStatement stmt,
                   Prepare("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0) + 1"));
  stmt.BindText(1, table);
  RETURN_IF_ERROR(stmt.Step().status());
  return stmt.ColumnInt64(0);
}

absl::StatusOr<int> SqliteDb::SchemaVersion() {
  ASSIGN_OR_RETURN(SqlStatement version, Prepare("PRAGMA user_version"));
  RETURN_IF_ERROR(version.Step().status());
  return static_cast<int>(version.ColumnInt64(0));
}

absl::Status SqliteDb::SetSchemaVersion(int version) {
  return Exec(absl::StrCat("PRAGMA user_version = ", version));
}

absl::StatusOr<bool> SqliteDb::HoldsTables() {
  ASSIGN_OR_RETURN(SqlStatement tables,
                   Prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
                           "name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"));
  RETURN_IF_ERROR(tables.Step().status());
  return tables.ColumnInt64(0) > 0;
}

}  // namespace jiangan
