#include "common/storage/sqlite_db.h"

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"

namespace jiangan {
namespace {

absl::Status SqliteError(sqlite3* db, absl::string_view what) {
  return absl::InternalError(absl::StrCat("sqlite ", what, ": ", sqlite3_errmsg(db)));
}

void CallIntFunction(sqlite3_context* context, int argc, sqlite3_value** argv) {
  const auto* function = static_cast<const SqliteDb::IntFunction*>(sqlite3_user_data(context));
  int64_t args[SqliteDb::kMaxIntFunctionArity];
  for (int i = 0; i < argc; ++i) args[i] = sqlite3_value_int64(argv[i]);
  sqlite3_result_int64(context, (*function)(absl::MakeConstSpan(args, argc)));
}

}  // namespace

SqliteStatement::~SqliteStatement() {
  if (stmt_ != nullptr) db_->Release(stmt_);
}

void SqliteStatement::BindText(int index, absl::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                    SQLITE_TRANSIENT);
}

void SqliteStatement::BindBlob(int index, absl::string_view value) {
  sqlite3_bind_blob(stmt_, index, value.data(), static_cast<int>(value.size()),
                    SQLITE_TRANSIENT);
}

void SqliteStatement::BindInt64(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
}

void SqliteStatement::BindDouble(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
}

void SqliteStatement::BindNull(int index) { sqlite3_bind_null(stmt_, index); }

absl::StatusOr<bool> SqliteStatement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(sqlite3_db_handle(stmt_), "step");
}

absl::Status SqliteStatement::Run() {
  absl::StatusOr<bool> row = Step();
  return row.ok() ? absl::OkStatus() : row.status();
}

int SqliteStatement::ColumnCount() const { return sqlite3_column_count(stmt_); }

int64_t SqliteStatement::ColumnInt64(int index) const {
  return sqlite3_column_int64(stmt_, index);
}

double SqliteStatement::ColumnDouble(int index) const {
  return sqlite3_column_double(stmt_, index);
}

std::string SqliteStatement::ColumnText(int index) const {
  const auto* text = sqlite3_column_text(stmt_, index);
  return text == nullptr
             ? std::string()
             : std::string(reinterpret_cast<const char*>(text),
                           sqlite3_column_bytes(stmt_, index));
}

std::string SqliteStatement::ColumnBlob(int index) const {
  const void* blob = sqlite3_column_blob(stmt_, index);
  return blob == nullptr ? std::string()
                         : std::string(static_cast<const char*>(blob),
                                       sqlite3_column_bytes(stmt_, index));
}

absl::string_view SqliteStatement::ColumnBlobView(int index) const {
  const void* blob = sqlite3_column_blob(stmt_, index);
  return blob == nullptr ? absl::string_view()
                         : absl::string_view(static_cast<const char*>(blob),
                                             sqlite3_column_bytes(stmt_, index));
}

bool SqliteStatement::ColumnIsNull(int index) const {
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
      "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-16384;");
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

absl::StatusOr<SqliteStatement> SqliteDb::Prepare(absl::string_view sql) {
  {
    absl::MutexLock lock(&cache_mu_);
    auto it = idle_.find(sql);
    if (it != idle_.end() && !it->second.empty()) {
      sqlite3_stmt* cached = it->second.back();
      it->second.pop_back();
      if (it->second.empty()) idle_.erase(it);  // keys of one-off SQL do not pile up
      --idle_count_;
      return SqliteStatement(cached, this);
    }
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt,
                         nullptr) != SQLITE_OK) {
    return SqliteError(db_, "prepare");
  }
  return SqliteStatement(stmt, this);
}

absl::Status SqliteDb::RegisterIntFunction(const std::string& name, int arity,
                                           const IntFunction* function) {
  if (arity < 0 || arity > kMaxIntFunctionArity) {
    return absl::InvalidArgumentError(
        absl::StrCat("sql function ", name, ": at most ", kMaxIntFunctionArity, " arguments"));
  }
  if (sqlite3_create_function_v2(db_, name.c_str(), arity,
                                 SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                 const_cast<IntFunction*>(function), CallIntFunction,
                                 nullptr, nullptr, nullptr) != SQLITE_OK) {
    return SqliteError(db_, "create function");
  }
  return absl::OkStatus();
}

absl::Status SqliteDb::InTransaction(const std::function<absl::Status()>& body) {
  if (absl::Status begun = Exec("BEGIN IMMEDIATE"); !begun.ok()) return begun;
  absl::Status status = body();
  if (status.ok()) status = Exec("COMMIT");
  if (!status.ok()) (void)Exec("ROLLBACK");
  return status;
}

int64_t SqliteDb::Changes() const { return sqlite3_changes64(db_); }

}  // namespace jiangan
