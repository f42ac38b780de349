#include "tests/support/test_database.h"

#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/storage/open_database.h"
#include "gtest/gtest.h"
#include "tests/support/child_process.h"
#include "tests/support/postgres_server.h"

namespace jiangan::testing {

bool TestingOnPostgres() {
  const char* engine = std::getenv("JIANGAN_TEST_ENGINE");
  return engine != nullptr && absl::string_view(engine) == "postgres";
}

int64_t QueryInt64(SqlDb* db, const std::string& sql) {
  absl::StatusOr<SqlStatement> statement = db->Prepare(sql);
  if (!statement.ok()) {
    ADD_FAILURE() << sql << ": " << statement.status();
    return -1;
  }
  absl::StatusOr<bool> row = statement->Step();
  if (!row.ok() || !*row) {
    ADD_FAILURE() << sql << ": no row (" << row.status() << ")";
    return -1;
  }
  return statement->ColumnInt64(0);
}

std::string QueryPlan(SqlDb* db, const std::string& sql) {
  // Each EXPLAIN form and the column its text is in.
  const std::vector<std::pair<std::string, int>> forms =
      TestingOnPostgres() ? std::vector<std::pair<std::string, int>>{{"EXPLAIN ", 0}}
                          : std::vector<std::pair<std::string, int>>{{"EXPLAIN QUERY PLAN ", 3},
                                                                     {"EXPLAIN ", 1}};
  std::string plan;
  for (const auto& [explain, column] : forms) {
    absl::StatusOr<SqlStatement> statement = db->Prepare(explain + sql);
    if (!statement.ok()) {
      ADD_FAILURE() << explain << sql << ": " << statement.status();
      return plan;
    }
    while (true) {
      absl::StatusOr<bool> row = statement->Step();
      if (!row.ok()) ADD_FAILURE() << explain << sql << ": " << row.status();
      if (!row.ok() || !*row) break;
      plan += statement->ColumnText(column) + "\n";
    }
  }
  return plan;
}

absl::StatusOr<TestDatabase> TestDatabase::Create(const std::string& purpose) {
  return CreateOn(purpose, TestingOnPostgres());
}

absl::StatusOr<TestDatabase> TestDatabase::CreateOn(const std::string& purpose, bool postgres) {
  TestDatabase database;
  const std::string dir = MakeTempDir();
  if (!postgres) {
    database.sqlite_path_ = absl::StrCat(dir, "/", purpose, ".db");
    return database;
  }
  ASSIGN_OR_RETURN(database.postgres_url_, NewPostgresDatabase(purpose));
  database.url_file_ = absl::StrCat(dir, "/", purpose, ".url");
  std::ofstream(database.url_file_) << database.postgres_url_ << "\n";
  return database;
}

absl::StatusOr<std::unique_ptr<SqlDb>> TestDatabase::Connect() const {
  return OpenDatabase(postgres_url_, sqlite_path_);
}

std::string TestDatabase::ServerFlag() const {
  return url_file_.empty() ? absl::StrCat("--db_path=", sqlite_path_)
                           : absl::StrCat("--database_url_file=", url_file_);
}

}  // namespace jiangan::testing
