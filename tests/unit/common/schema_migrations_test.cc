#include "common/storage/schema_migrations.h"

#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_database.h"
#include "tests/support/status_matchers.h"

namespace jiangan {
namespace {

using ::jiangan::testing::IsOk;
using ::jiangan::testing::QueryInt64;
using ::jiangan::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

class SchemaMigrationsTest : public ::testing::Test {
 protected:
  std::unique_ptr<SqlDb> OpenDb() {
    auto db = database_.Connect();
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? *std::move(db) : nullptr;
  }

  const jiangan::testing::TestDatabase database_ =
      *jiangan::testing::TestDatabase::Create("migrations");
  // Version 2 made the table; version 3 added a column and a row that shows
  // how often the step ran.
  const std::vector<SchemaStep> v2_ = {
      {2, "CREATE TABLE things (id TEXT PRIMARY KEY);"
          "CREATE TABLE step_runs (version INTEGER NOT NULL);"
          "INSERT INTO step_runs VALUES (2);"}};
  const std::vector<SchemaStep> v3_ = {
      v2_[0], {3, "ALTER TABLE things ADD COLUMN note TEXT; INSERT INTO step_runs VALUES (3);"}};
};

TEST_F(SchemaMigrationsTest, CreatesANewDatabaseAtTheLastVersion) {
  auto db = OpenDb();
  ASSERT_THAT(MigrateSchema(db.get(), v3_), IsOk());
  EXPECT_EQ(*db->SchemaVersion(), 3);
  EXPECT_THAT(db->Exec("INSERT INTO things (id, note) VALUES ('a', 'b')"), IsOk());
  EXPECT_EQ(QueryInt64(db.get(), "SELECT COUNT(*) FROM step_runs"), 2);
}

TEST_F(SchemaMigrationsTest, RunsOnlyTheStepsADatabaseHasNotHad) {
  auto db = OpenDb();
  ASSERT_THAT(MigrateSchema(db.get(), v2_), IsOk());
  ASSERT_THAT(db->Exec("INSERT INTO things (id) VALUES ('kept')"), IsOk());
  ASSERT_THAT(MigrateSchema(db.get(), v3_), IsOk());
  ASSERT_THAT(MigrateSchema(db.get(), v3_), IsOk());
  EXPECT_EQ(*db->SchemaVersion(), 3);
  EXPECT_EQ(QueryInt64(db.get(), "SELECT COUNT(*) FROM step_runs WHERE version = 3"), 1);
  EXPECT_EQ(QueryInt64(db.get(), "SELECT COUNT(*) FROM things WHERE id = 'kept'"), 1);
}

// An upgrade logs what it did and how long it took; a start with nothing
// to do logs nothing.
TEST_F(SchemaMigrationsTest, LogsEachUpgradeOnce) {
  auto db = OpenDb();
  ASSERT_THAT(MigrateSchema(db.get(), v2_), IsOk());
  ::testing::internal::CaptureStderr();
  ASSERT_THAT(MigrateSchema(db.get(), v3_), IsOk());
  const std::string upgrade = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(upgrade, AllOf(HasSubstr("\"event\":\"schema_migrated\""),
                             HasSubstr("\"from_version\":\"2\""),
                             HasSubstr("\"to_version\":\"3\""), HasSubstr("\"seconds\":")));
  ::testing::internal::CaptureStderr();
  ASSERT_THAT(MigrateSchema(db.get(), v3_), IsOk());
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

TEST_F(SchemaMigrationsTest, RefusesADatabaseNewerThanTheBinary) {
  auto db = OpenDb();
  ASSERT_THAT(MigrateSchema(db.get(), v3_), IsOk());
  EXPECT_THAT(MigrateSchema(db.get(), v2_),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("schema version 3, newer than 2")));
  EXPECT_EQ(*db->SchemaVersion(), 3);
}

TEST_F(SchemaMigrationsTest, RefusesALayoutOlderThanTheFirstStep) {
  auto db = OpenDb();
  ASSERT_THAT(db->Exec("CREATE TABLE things (id TEXT)"), IsOk());
  ASSERT_THAT(db->SetSchemaVersion(1), IsOk());
  EXPECT_THAT(MigrateSchema(db.get(), v3_),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("schema version 1, older than 2")));
}

TEST_F(SchemaMigrationsTest, AFailedStepLeavesTheDatabaseAsItWas) {
  auto db = OpenDb();
  ASSERT_THAT(MigrateSchema(db.get(), v2_), IsOk());
  const std::vector<SchemaStep> broken = {
      v2_[0], {3, "INSERT INTO step_runs VALUES (3); SELECT * FROM no_such_table;"}};
  EXPECT_FALSE(MigrateSchema(db.get(), broken).ok());
  EXPECT_EQ(*db->SchemaVersion(), 2);
  EXPECT_EQ(QueryInt64(db.get(), "SELECT COUNT(*) FROM step_runs WHERE version = 3"), 0);
}

TEST_F(SchemaMigrationsTest, ReplicasStartingTogetherRunEachStepOnce) {
  constexpr int kReplicas = 4;
  std::vector<std::unique_ptr<SqlDb>> replicas;
  for (int i = 0; i < kReplicas; ++i) replicas.push_back(OpenDb());
  std::vector<absl::Status> results(kReplicas);
  std::vector<std::thread> threads;
  for (int i = 0; i < kReplicas; ++i) {
    threads.emplace_back([&, i] { results[i] = MigrateSchema(replicas[i].get(), v3_); });
  }
  for (std::thread& thread : threads) thread.join();
  for (const absl::Status& result : results) EXPECT_THAT(result, IsOk());
  EXPECT_EQ(QueryInt64(replicas[0].get(), "SELECT COUNT(*) FROM step_runs"), 2);
}

}  // namespace
}  // namespace jiangan
