// The storage seam's contract, run on each engine (see jiangan_engine_test):
// what the stores rely on behaves the same on SQLite and on PostgreSQL.
#include "common/storage/sql_db.h"

#include <limits>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_database.h"

namespace jiangan {
namespace {

using ::jiangan::testing::IsOk;
using ::jiangan::testing::QueryInt64;
using ::jiangan::testing::StatusIs;
using ::testing::HasSubstr;

class SqlDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = database_.Connect();
    ASSERT_THAT(db.status(), IsOk());
    db_ = *std::move(db);
    ASSERT_THAT(db_->Exec("CREATE TABLE things (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
                          "n INTEGER, s TEXT, b BLOB, r REAL)"),
                IsOk());
  }

  const jiangan::testing::TestDatabase database_ =
      *jiangan::testing::TestDatabase::Create("seam");
  std::unique_ptr<SqlDb> db_;
};

TEST_F(SqlDbTest, ValuesComeBackAsTheyWentIn) {
  const int64_t big = std::numeric_limits<int64_t>::max() - 7;
  const std::string blob("\0\x01\xff payload \0", 13);
  {
    auto insert = db_->Prepare("INSERT INTO things (n, s, b, r) VALUES (?, ?, ?, ?)");
    ASSERT_THAT(insert.status(), IsOk());
    insert->BindInt64(1, big);
    insert->BindText(2, "江岸区 '?' quoted");
    insert->BindBlob(3, blob);
    insert->BindDouble(4, 114.30525);
    ASSERT_THAT(insert->Run(), IsOk());
  }
  {
    auto insert = db_->Prepare("INSERT INTO things (n, s, b, r) VALUES (?, ?, ?, ?)");
    ASSERT_THAT(insert.status(), IsOk());
    insert->BindInt64(1, -3);
    insert->BindNull(2);
    insert->BindNull(3);
    insert->BindNull(4);
    ASSERT_THAT(insert->Run(), IsOk());
  }
  auto select = db_->Prepare("SELECT n, s, b, r, COUNT(*) OVER () FROM things ORDER BY seq");
  ASSERT_THAT(select.status(), IsOk());
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->ColumnInt64(0), big);
  EXPECT_EQ(select->ColumnText(1), "江岸区 '?' quoted");
  EXPECT_EQ(select->ColumnBlob(2), blob);
  EXPECT_DOUBLE_EQ(select->ColumnDouble(3), 114.30525);
  EXPECT_EQ(select->ColumnInt64(4), 2);
  EXPECT_EQ(select->ColumnText(4), "2");
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->ColumnInt64(0), -3);
  EXPECT_TRUE(select->ColumnIsNull(1));
  EXPECT_TRUE(select->ColumnIsNull(2));
  EXPECT_EQ(select->ColumnBlob(2), "");
  EXPECT_FALSE(*select->Step());
}

TEST_F(SqlDbTest, NextSeqReservesTheSeqOfTheNextInsert) {
  int64_t last = 0;
  for (int i = 0; i < 3; ++i) {
    ASSERT_THAT(db_->InTransaction([&]() -> absl::Status {
      auto seq = db_->NextSeq("things");
      if (!seq.ok()) return seq.status();
      EXPECT_GT(*seq, last);
      last = *seq;
      auto insert = db_->Prepare("INSERT INTO things (seq, n) VALUES (?, ?)");
      if (!insert.ok()) return insert.status();
      insert->BindInt64(1, *seq);
      insert->BindInt64(2, i);
      return insert->Run();
    }),
                IsOk());
  }
  EXPECT_EQ(QueryInt64(db_.get(), "SELECT MAX(seq) FROM things"), last);
}

TEST_F(SqlDbTest, AFailedTransactionLeavesNothing) {
  EXPECT_THAT(db_->InTransaction([&]() -> absl::Status {
    EXPECT_THAT(db_->Exec("INSERT INTO things (n) VALUES (1)"), IsOk());
    return absl::AbortedError("changed my mind");
  }),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(db_->InTransaction([&]() -> absl::Status {
    EXPECT_THAT(db_->Exec("INSERT INTO things (n) VALUES (2)"), IsOk());
    return db_->Exec("INSERT INTO no_such_table VALUES (1)");
  }),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("no_such_table")));
  EXPECT_EQ(QueryInt64(db_.get(), "SELECT COUNT(*) FROM things"), 0);
}

TEST_F(SqlDbTest, AStatementMayRunWhileAnotherIsHalfRead) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_THAT(db_->Exec(absl::StrCat("INSERT INTO things (n) VALUES (", i, ")")), IsOk());
  }
  auto scan = db_->Prepare("SELECT n FROM things ORDER BY seq");
  ASSERT_THAT(scan.status(), IsOk());
  int64_t sum = 0;
  while (*scan->Step()) {
    sum += scan->ColumnInt64(0);
    auto update = db_->Prepare("UPDATE things SET s = 'seen' WHERE n = ?");
    ASSERT_THAT(update.status(), IsOk());
    update->BindInt64(1, scan->ColumnInt64(0));
    ASSERT_THAT(update->Run(), IsOk());
  }
  EXPECT_EQ(sum, 10);
  EXPECT_EQ(QueryInt64(db_.get(), "SELECT COUNT(*) FROM things WHERE s = 'seen'"), 5);
}

TEST_F(SqlDbTest, WritersOnSeveralConnectionsTakeTurns) {
  ASSERT_THAT(db_->Exec("INSERT INTO things (n) VALUES (0)"), IsOk());
  constexpr int kWriters = 4, kIncrements = 40;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&] {
      auto db = database_.Connect();
      ASSERT_THAT(db.status(), IsOk());
      for (int i = 0; i < kIncrements; ++i) {
        // A read-modify-write: lost updates show as a smaller total.
        ASSERT_THAT((*db)->InTransaction([&]() -> absl::Status {
          auto read = (*db)->Prepare("SELECT n FROM things");
          if (!read.ok()) return read.status();
          if (!*read->Step()) return absl::InternalError("no row");
          const int64_t n = read->ColumnInt64(0);
          auto write = (*db)->Prepare("UPDATE things SET n = ?");
          if (!write.ok()) return write.status();
          write->BindInt64(1, n + 1);
          return write->Run();
        }),
                    IsOk());
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  EXPECT_EQ(QueryInt64(db_.get(), "SELECT n FROM things"), kWriters * kIncrements);
}

TEST_F(SqlDbTest, BadSqlIsAnErrorThatSaysWhy) {
  EXPECT_THAT(db_->Prepare("SELEKT 1").status(),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("SELEKT")));
}

}  // namespace
}  // namespace jiangan
