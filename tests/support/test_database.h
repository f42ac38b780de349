// The database a store or system test keeps its data in, on the engine the
// test run is for: ctest runs those tests twice, labelled "sqlite" and
// "postgres", with JIANGAN_TEST_ENGINE saying which.
#ifndef JIANGAN_TESTS_SUPPORT_TEST_DATABASE_H_
#define JIANGAN_TESTS_SUPPORT_TEST_DATABASE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/storage/sql_db.h"

namespace jiangan::testing {

// Whether JIANGAN_TEST_ENGINE is "postgres" (else SQLite).
bool TestingOnPostgres();

// The first column of the first row of `sql` on `db`, as an integer; a
// test failure (and -1) if the query fails or returns no row.
int64_t QueryInt64(SqlDb* db, const std::string& sql);

// How the engine runs `sql`, a line per step: on PostgreSQL its EXPLAIN
// text; on SQLite its EXPLAIN QUERY PLAN (e.g. "USING COVERING INDEX x"),
// then its bytecode's opcodes (e.g. "DeferredSeek"). A test failure (and
// what was read so far) if EXPLAIN fails.
std::string QueryPlan(SqlDb* db, const std::string& sql);

class TestDatabase {
 public:
  // A new, empty database named after `purpose`: a file in a fresh folder,
  // or a database on the test process's PostgreSQL server.
  static absl::StatusOr<TestDatabase> Create(const std::string& purpose);
  // The same on the engine named, whichever the run is for.
  static absl::StatusOr<TestDatabase> CreateOn(const std::string& purpose, bool postgres);

  // A new connection to it.
  absl::StatusOr<std::unique_ptr<SqlDb>> Connect() const;

  // How a server is told where it is: {"--db_path=..."} or
  // {"--database_url_file=..."} (the URL written to a file beside it).
  std::string ServerFlag() const;

 private:
  std::string sqlite_path_;
  std::string postgres_url_;
  std::string url_file_;
};

}  // namespace jiangan::testing

#endif  // JIANGAN_TESTS_SUPPORT_TEST_DATABASE_H_
