#include "common/storage/postgres_db.h"

#include <libpq-fe.h>

#include <cstring>
#include <deque>
#include <optional>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "common/base/status_macros.h"
#include "common/storage/postgres_dialect.h"

namespace jiangan {
namespace {

// Type oids of the built-in types results come in (pg_type.h).
constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kFloat4 = 700,
              kFloat8 = 701, kNumeric = 1700;

// The key of the advisory lock writers take turns on.
constexpr int64_t kWriteLock = 0x6a69616e67616e;  // "jiangan"

// Idle prepared statements kept per connection before they are all dropped
// (SQL that names a day or an enum list varies).
constexpr size_t kMaxPrepared = 256;

uint64_t BigEndian(const char* bytes, int size) {
  uint64_t value = 0;
  for (int i = 0; i < size; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

int16_t BigEndian16(const char* bytes) { return static_cast<int16_t>(BigEndian(bytes, 2)); }

// The integer part of a NUMERIC in binary form: int16 ndigits, weight,
// sign, dscale, then ndigits base-10000 digits, the first worth
// 10000^weight.
int64_t NumericToInt64(const char* bytes, int size) {
  if (size < 8) return 0;
  const int ndigits = BigEndian16(bytes);
  const int weight = BigEndian16(bytes + 2);
  const uint16_t sign = static_cast<uint16_t>(BigEndian16(bytes + 4));
  if (size < 8 + 2 * ndigits) return 0;
  int64_t value = 0;
  for (int i = 0; i <= weight; ++i) {
    value = value * 10000 + (i < ndigits ? BigEndian16(bytes + 8 + 2 * i) : 0);
  }
  return sign == 0x4000 ? -value : value;
}

// libpq's messages end in a newline.
std::string FirstLine(absl::string_view message) {
  return std::string(absl::StripTrailingAsciiWhitespace(message));
}

void IgnoreNotice(void*, const char*) {}

}  // namespace

class PostgresCursor : public SqlCursor {
 public:
  PostgresCursor(PostgresDb* db, std::string name, int parameters)
      : db_(db), name_(std::move(name)), values_(parameters), formats_(parameters, 0) {}
  ~PostgresCursor() override {
    if (db_->active_ == this) ReadRest();
    Clear();
  }

  void BindText(int index, absl::string_view value) override { Set(index, std::string(value), 0); }
  void BindBlob(int index, absl::string_view value) override { Set(index, std::string(value), 1); }
  void BindInt64(int index, int64_t value) override { Set(index, absl::StrCat(value), 0); }
  void BindDouble(int index, double value) override {
    Set(index, absl::StrFormat("%.17g", value), 0);
  }
  void BindNull(int index) override {
    if (index >= 1 && index <= static_cast<int>(values_.size())) values_[index - 1].reset();
  }

  absl::StatusOr<bool> Step() override {
    if (!started_) RETURN_IF_ERROR(Start());
    if (row_ != nullptr) PQclear(row_);
    row_ = nullptr;
    scratch_.clear();
    if (!buffered_.empty()) {
      row_ = buffered_.front();
      buffered_.pop_front();
      return true;
    }
    if (db_->active_ == this) {
      row_ = NextRow();
      if (row_ != nullptr) return true;
    }
    if (!error_.ok()) return error_;
    return false;
  }

  int ColumnCount() const override { return row_ == nullptr ? 0 : PQnfields(row_); }

  int64_t ColumnInt64(int index) const override {
    if (!HasValue(index)) return 0;
    const char* bytes = PQgetvalue(row_, 0, index);
    const int size = PQgetlength(row_, 0, index);
    switch (PQftype(row_, index)) {
      case kInt8:
        return static_cast<int64_t>(BigEndian(bytes, 8));
      case kInt4:
        return static_cast<int32_t>(BigEndian(bytes, 4));
      case kInt2:
        return BigEndian16(bytes);
      case kBool:
        return bytes[0] != 0;
      case kNumeric:
        return NumericToInt64(bytes, size);
      case kFloat4:
      case kFloat8:
        return static_cast<int64_t>(ColumnDouble(index));
      default: {
        int64_t value = 0;
        return absl::SimpleAtoi(absl::string_view(bytes, size), &value) ? value : 0;
      }
    }
  }

  double ColumnDouble(int index) const override {
    if (!HasValue(index)) return 0;
    const char* bytes = PQgetvalue(row_, 0, index);
    switch (PQftype(row_, index)) {
      case kFloat8: {
        const uint64_t bits = BigEndian(bytes, 8);
        double value;
        std::memcpy(&value, &bits, sizeof(value));
        return value;
      }
      case kFloat4: {
        const uint32_t bits = static_cast<uint32_t>(BigEndian(bytes, 4));
        float value;
        std::memcpy(&value, &bits, sizeof(value));
        return value;
      }
      default:
        return static_cast<double>(ColumnInt64(index));
    }
  }

  absl::string_view ColumnBytes(int index) const override {
    if (!HasValue(index)) return absl::string_view();
    switch (PQftype(row_, index)) {
      case kInt8:
      case kInt4:
      case kInt2:
      case kBool:
      case kNumeric:
        // Numbers read as text, as SQLite gives them.
        scratch_.push_back(absl::StrCat(ColumnInt64(index)));
        return scratch_.back();
      case kFloat4:
      case kFloat8:
        scratch_.push_back(absl::StrCat(ColumnDouble(index)));
        return scratch_.back();
      default:
        return absl::string_view(PQgetvalue(row_, 0, index), PQgetlength(row_, 0, index));
    }
  }

  bool ColumnIsNull(int index) const override { return !HasValue(index); }

  // Reads the rows not yet stepped to into memory, so that the connection
  // can run another statement.
  void ReadRest() {
    while (PGresult* row = NextRow()) buffered_.push_back(row);
  }

 private:
  void Set(int index, std::string value, int format) {
    if (index < 1 || index > static_cast<int>(values_.size())) return;
    values_[index - 1] = std::move(value);
    formats_[index - 1] = format;
  }

  bool HasValue(int index) const {
    return row_ != nullptr && index >= 0 && index < PQnfields(row_) &&
           !PQgetisnull(row_, 0, index);
  }

  absl::Status Start() {
    started_ = true;
    db_->Activate(this);
    std::vector<const char*> values(values_.size());
    std::vector<int> lengths(values_.size());
    for (size_t i = 0; i < values_.size(); ++i) {
      if (!values_[i].has_value()) continue;
      values[i] = values_[i]->data();
      lengths[i] = static_cast<int>(values_[i]->size());
    }
    if (PQsendQueryPrepared(db_->conn_, name_.c_str(), static_cast<int>(values.size()),
                            values.data(), lengths.data(), formats_.data(),
                            /*resultFormat=*/1) == 0) {
      db_->Deactivate(this);
      return db_->Error("execute", PQerrorMessage(db_->conn_));
    }
    // Rows arrive one by one, so a scan of a million rows is not held whole.
    PQsetSingleRowMode(db_->conn_);
    return absl::OkStatus();
  }

  // The next row of the results, or nullptr at their end (or on an error,
  // kept in error_), when the connection is free again.
  PGresult* NextRow() {
    while (db_->active_ == this) {
      PGresult* result = PQgetResult(db_->conn_);
      if (result == nullptr) {
        db_->Deactivate(this);
        break;
      }
      switch (PQresultStatus(result)) {
        case PGRES_SINGLE_TUPLE:
          return result;
        case PGRES_TUPLES_OK:
        case PGRES_COMMAND_OK:
          break;
        default:
          if (error_.ok()) error_ = db_->Error("step", PQresultErrorMessage(result));
          break;
      }
      PQclear(result);
    }
    return nullptr;
  }

  void Clear() {
    if (row_ != nullptr) PQclear(row_);
    row_ = nullptr;
    for (PGresult* row : buffered_) PQclear(row);
    buffered_.clear();
  }

  PostgresDb* const db_;
  const std::string name_;
  std::vector<std::optional<std::string>> values_;
  std::vector<int> formats_;
  bool started_ = false;
  PGresult* row_ = nullptr;
  std::deque<PGresult*> buffered_;
  absl::Status error_;
  // Numbers asked for as text, alive until the next Step().
  mutable std::deque<std::string> scratch_;
};

absl::StatusOr<std::unique_ptr<PostgresDb>> PostgresDb::Open(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (conn == nullptr) return absl::ResourceExhaustedError("postgresql: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    absl::Status status = absl::UnavailableError(
        absl::StrCat("cannot connect to postgresql: ", FirstLine(PQerrorMessage(conn))));
    PQfinish(conn);
    return status;
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  // The planner's default cost of a random page (4) is a spinning disk's: it
  // then scans the whole table in seq order rather than read a filter's
  // (column, seq) index in order, and a filtered page's cost grows with the
  // table. Servers keep data on SSDs, where the usual setting is 1.1.
  PGresult* tuned = PQexec(conn, "SET random_page_cost = 1.1");
  PQclear(tuned);
  std::string location = absl::StrCat("postgresql://", PQhost(conn), ":", PQport(conn), "/",
                                      PQdb(conn));
  return std::unique_ptr<PostgresDb>(new PostgresDb(conn, url, std::move(location)));
}

PostgresDb::~PostgresDb() { PQfinish(conn_); }

absl::Status PostgresDb::Error(absl::string_view what, absl::string_view detail) const {
  const std::string message =
      absl::StrCat("postgresql ", what, ": ", FirstLine(detail));
  if (PQstatus(conn_) != CONNECTION_OK) return absl::UnavailableError(message);
  return absl::InternalError(message);
}

absl::Status PostgresDb::EnsureConnected() {
  if (PQstatus(conn_) == CONNECTION_OK) return absl::OkStatus();
  // A transaction dies with its connection: what follows must not run
  // outside it on a new one.
  if (in_transaction_) {
    return absl::UnavailableError("postgresql: the connection was lost in a transaction");
  }
  active_ = nullptr;
  prepared_.clear();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) return Error("reconnect", PQerrorMessage(conn_));
  return absl::OkStatus();
}

void PostgresDb::Activate(PostgresCursor* cursor) {
  if (active_ != nullptr && active_ != cursor) active_->ReadRest();
  active_ = cursor;
}

void PostgresDb::Deactivate(PostgresCursor* cursor) {
  if (active_ == cursor) active_ = nullptr;
}

absl::Status PostgresDb::Exec(absl::string_view sql) {
  RETURN_IF_ERROR(EnsureConnected());
  if (active_ != nullptr) active_->ReadRest();
  const std::string translated = TranslateForPostgres(sql);
  PGresult* result = PQexec(conn_, translated.c_str());
  const ExecStatusType status = PQresultStatus(result);
  absl::Status outcome = absl::OkStatus();
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
    outcome = Error("exec", PQresultErrorMessage(result));
  }
  PQclear(result);
  return outcome;
}

absl::StatusOr<SqlStatement> PostgresDb::Prepare(absl::string_view sql) {
  RETURN_IF_ERROR(EnsureConnected());
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    if (active_ != nullptr) active_->ReadRest();
    if (prepared_.size() >= kMaxPrepared) {
      RETURN_IF_ERROR(Exec("DEALLOCATE ALL"));
      prepared_.clear();
    }
    std::string name = absl::StrCat("s", prepared_.size());
    PGresult* result =
        PQprepare(conn_, name.c_str(), TranslateForPostgres(sql).c_str(), 0, nullptr);
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    absl::Status status = ok ? absl::OkStatus() : Error("prepare", PQresultErrorMessage(result));
    PQclear(result);
    RETURN_IF_ERROR(status);
    it = prepared_.emplace(std::string(sql), std::move(name)).first;
  }
  return SqlStatement(std::make_unique<PostgresCursor>(this, it->second, CountParameters(sql)));
}

absl::StatusOr<std::unique_ptr<SqlDb>> PostgresDb::Connect() const {
  ASSIGN_OR_RETURN(std::unique_ptr<PostgresDb> db, Open(url_));
  return std::unique_ptr<SqlDb>(std::move(db));
}

absl::Status PostgresDb::InTransaction(const std::function<absl::Status()>& body) {
  RETURN_IF_ERROR(Exec("BEGIN"));
  in_transaction_ = true;
  absl::Status status = Exec(absl::StrCat("SELECT pg_advisory_xact_lock(", kWriteLock, ")"));
  if (status.ok()) status = body();
  if (status.ok()) status = Exec("COMMIT");
  if (!status.ok()) (void)Exec("ROLLBACK");
  in_transaction_ = false;
  return status;
}

absl::StatusOr<int64_t> PostgresDb::NextSeq(absl::string_view table) {
  ASSIGN_OR_RETURN(SqlStatement next,
                   Prepare("SELECT nextval(pg_get_serial_sequence(?, 'seq'))"));
  next.BindText(1, table);
  ASSIGN_OR_RETURN(const bool row, next.Step());
  if (!row) return absl::InternalError(absl::StrCat("postgresql: no sequence for ", table));
  return next.ColumnInt64(0);
}

absl::StatusOr<int> PostgresDb::SchemaVersion() {
  ASSIGN_OR_RETURN(SqlStatement exists,
                   Prepare("SELECT to_regclass('schema_version') IS NOT NULL"));
  RETURN_IF_ERROR(exists.Step().status());
  if (exists.ColumnInt64(0) == 0) return 0;
  ASSIGN_OR_RETURN(SqlStatement version, Prepare("SELECT MAX(version) FROM schema_version"));
  RETURN_IF_ERROR(version.Step().status());
  return static_cast<int>(version.ColumnInt64(0));
}

absl::Status PostgresDb::SetSchemaVersion(int version) {
  return Exec(absl::StrCat(
      "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);"
      "DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES (",
      version, ")"));
}

absl::StatusOr<bool> PostgresDb::HoldsTables() {
  ASSIGN_OR_RETURN(SqlStatement tables,
                   Prepare("SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = "
                           "current_schema() AND tablename <> 'schema_version'"));
  RETURN_IF_ERROR(tables.Step().status());
  return tables.ColumnInt64(0) > 0;
}

}  // namespace jiangan
