// The shared rollup on each engine: rows per grouping set and combination,
// the smallest covering set, rows that go when their last item leaves,
// sums that stay exact or are refused.
#include "common/storage/rollup.h"

#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_database.h"

namespace jiangan {
namespace {

using ::jiangan::testing::IsOk;
using ::jiangan::testing::QueryInt64;
using ::jiangan::testing::QueryPlan;
using ::jiangan::testing::StatusIs;
using ::testing::HasSubstr;

const Rollup& TestRollup() {
  static const auto* rollup = new Rollup(RollupLayout{
      .table = "things_rollup",
      .dimensions = {{"colour", "TEXT NOT NULL"}, {"size", "INTEGER NOT NULL"}},
      .sets = {0b00, 0b01, 0b11},
      .count_column = "thing_count",
      .sums_column = "sums",
      .sum_names = {"thing.weight", "thing.price"}});
  return *rollup;
}

class RollupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = database_.Connect();
    ASSERT_THAT(db.status(), IsOk());
    db_ = *std::move(db);
    ASSERT_THAT(db_->Exec(TestRollup().SchemaSql()), IsOk());
  }

  // Items joining (+1) or leaving (-1), written in one transaction.
  absl::Status Apply(const std::vector<std::pair<RollupItem, int>>& moves) {
    return db_->InTransaction([&]() -> absl::Status {
      RollupChanges changes;
      for (const auto& [item, sign] : moves) {
        absl::Status recorded = TestRollup().Record(item, sign, &changes);
        if (!recorded.ok()) return recorded;
      }
      return changes.Write(db_.get());
    });
  }

  // Count and sums of the row of `set` where the SQL condition holds.
  std::string Row(uint32_t set, const std::string& condition) {
    auto stmt = db_->Prepare("SELECT thing_count, sums FROM things_rollup WHERE grouping_set = " +
                             std::to_string(set) + " AND " + condition);
    if (!stmt.ok() || !*stmt->Step()) return "none";
    int64_t sums[2] = {};
    EXPECT_THAT(TestRollup().AddSums(stmt->ColumnBlobView(1), sums), IsOk());
    return std::to_string(stmt->ColumnInt64(0)) + ":" + std::to_string(sums[0]) + "," +
           std::to_string(sums[1]);
  }

  const jiangan::testing::TestDatabase database_ =
      *jiangan::testing::TestDatabase::Create("rollup");
  std::unique_ptr<SqlDb> db_;
};

RollupItem Thing(const std::string& colour, int64_t size, int64_t weight, int64_t price) {
  return RollupItem{{colour, size}, {weight, price}};
}

TEST_F(RollupTest, RowsPerSetAndCombinationGoWithTheirLastItem) {
  ASSERT_THAT(Apply({{Thing("red", 1, 10, 100), +1},
                     {Thing("red", 2, 20, 200), +1},
                     {Thing("blue", 1, 5, 50), +1}}),
              IsOk());
  EXPECT_EQ(Row(0b00, "TRUE"), "3:35,350");
  EXPECT_EQ(Row(0b01, "colour = 'red'"), "2:30,300");
  EXPECT_EQ(Row(0b01, "colour = 'blue' AND size = 0"), "1:5,50");
  EXPECT_EQ(Row(0b11, "colour = 'red' AND size = 2"), "1:20,200");
  EXPECT_EQ(QueryInt64(db_.get(), "SELECT COUNT(*) FROM things_rollup"), 1 + 2 + 3);
  // A move within a row of one set and across rows of another.
  ASSERT_THAT(Apply({{Thing("red", 2, 20, 200), -1}, {Thing("red", 3, 21, 200), +1}}), IsOk());
  EXPECT_EQ(Row(0b01, "colour = 'red'"), "2:31,300");
  EXPECT_EQ(Row(0b11, "colour = 'red' AND size = 2"), "none");
  EXPECT_EQ(Row(0b11, "colour = 'red' AND size = 3"), "1:21,200");
  ASSERT_THAT(Apply({{Thing("blue", 1, 5, 50), -1}}), IsOk());
  EXPECT_EQ(Row(0b01, "colour = 'blue'"), "none");
  EXPECT_EQ(QueryInt64(db_.get(), "SELECT COUNT(*) FROM things_rollup"), 1 + 1 + 2);
  // Taking out what is not there is refused, and changes nothing.
  EXPECT_THAT(Apply({{Thing("green", 1, 1, 1), -1}}),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("things_rollup")));
  EXPECT_EQ(Row(0b00, "TRUE"), "2:31,300");
}

// More rows than one statement reads or writes: each is made, changed or
// removed whichever statement it falls in.
TEST_F(RollupTest, AWriteOfManyRowsKeepsEachRow) {
  std::vector<std::pair<RollupItem, int>> joining;
  for (int size = 1; size <= 150; ++size) joining.push_back({Thing("red", size, size, 1), +1});
  ASSERT_THAT(Apply(joining), IsOk());
  EXPECT_EQ(QueryInt64(db_.get(), "SELECT COUNT(*) FROM things_rollup"), 1 + 1 + 150);
  EXPECT_EQ(Row(0b00, "TRUE"), "150:11325,150");
  // The even sizes leave, the odd ones gain a second item.
  std::vector<std::pair<RollupItem, int>> moves;
  for (int size = 1; size <= 150; ++size) {
    moves.push_back({Thing("red", size, size, 1), size % 2 == 0 ? -1 : +1});
  }
  ASSERT_THAT(Apply(moves), IsOk());
  EXPECT_EQ(QueryInt64(db_.get(), "SELECT COUNT(*) FROM things_rollup"), 1 + 1 + 75);
  EXPECT_EQ(Row(0b11, "colour = 'red' AND size = 149"), "2:298,2");
  EXPECT_EQ(Row(0b11, "colour = 'red' AND size = 2"), "none");
  EXPECT_EQ(Row(0b01, "colour = 'red'"), "150:11250,150");
}

// A set's rows over a range of a dimension are read from the period index
// alone, never looked up in the table.
TEST_F(RollupTest, APeriodIsReadFromItsIndexAlone) {
  ASSERT_THAT(db_->Exec(TestRollup().PeriodIndexSql("size")), IsOk());
  std::vector<std::pair<RollupItem, int>> joining;
  for (int size = 1; size <= 300; ++size) {
    joining.push_back({Thing(size % 2 == 0 ? "red" : "blue", size, size, 1), +1});
  }
  ASSERT_THAT(Apply(joining), IsOk());
  const std::string query =
      "SELECT colour, thing_count, sums FROM things_rollup WHERE grouping_set = 3 AND "
      "size BETWEEN 10 AND 19";
  if (jiangan::testing::TestingOnPostgres()) {
    // Fresh rows are all visible once vacuumed; without that PostgreSQL
    // would visit the table to check, whatever the index holds.
    ASSERT_THAT(db_->Exec("VACUUM ANALYZE things_rollup"), IsOk());
    ASSERT_THAT(db_->Exec("SET enable_seqscan = off; SET enable_bitmapscan = off"), IsOk());
    EXPECT_THAT(QueryPlan(db_.get(), query),
                HasSubstr("Index Only Scan using things_rollup_by_size"));
  } else {
    EXPECT_THAT(QueryPlan(db_.get(), query),
                HasSubstr("USING COVERING INDEX things_rollup_by_size"));
  }
  auto rows = db_->Prepare(query);
  ASSERT_THAT(rows.status(), IsOk());
  int64_t count = 0;
  while (*rows->Step()) count += rows->ColumnInt64(1);
  EXPECT_EQ(count, 10);
}

TEST_F(RollupTest, SumsPastInt64AreRefusedNamingTheValue) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  ASSERT_THAT(Apply({{Thing("red", 1, max - 1, 0), +1}}), IsOk());
  EXPECT_THAT(Apply({{Thing("red", 2, 2, 0), +1}}),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("thing.weight")));
  EXPECT_THAT(Apply({{Thing("red", 2, 0, std::numeric_limits<int64_t>::min()), -1}}),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("thing.price")));
  EXPECT_EQ(Row(0b00, "TRUE"), "1:" + std::to_string(max - 1) + ",0");
}

TEST_F(RollupTest, TheSmallestSetThatHoldsWhatIsNeeded) {
  const Rollup& rollup = TestRollup();
  EXPECT_EQ(rollup.SetCovering(0), 0b00u);
  EXPECT_EQ(rollup.SetCovering(rollup.Bit("colour")), 0b01u);
  EXPECT_EQ(rollup.SetCovering(rollup.Bit("size")), 0b11u);
  EXPECT_EQ(rollup.Bit("weight"), 0u);
  const Rollup narrow(
      RollupLayout{.table = "t",
                   .dimensions = {{"a", "INTEGER NOT NULL"}, {"b", "INTEGER NOT NULL"}},
                   .sets = {0b01},
                   .count_column = "n",
                   .sums_column = "s",
                   .sum_names = {}});
  EXPECT_EQ(narrow.SetCovering(0b10), std::nullopt);
}

}  // namespace
}  // namespace jiangan
