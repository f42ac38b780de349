// The resource rows' filter indexes on each engine: a filtered page in
// creation order reads one index in order, checks every filter in it and
// leaves the table alone until a row is on the page.
#include "common/storage/resource_rows.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/pagination.h"
#include "common/storage/resource_page.h"
#include "gmock/gmock.h"
#include "google/protobuf/wrappers.pb.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_database.h"

namespace jiangan {
namespace {

using ::jiangan::testing::IsOk;
using ::jiangan::testing::IsOkAndHolds;
using ::jiangan::testing::QueryPlan;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kFilterColumns[] = {"colour", "size"};

const ResourceRows& Things() {
  static const SqlColumn kDerived[] = {
      {"colour", "TEXT NOT NULL"}, {"size", "INTEGER NOT NULL"}, {"deleted", "INTEGER NOT NULL"}};
  static const auto* rows = new ResourceRows("things", "thing_payloads", kDerived);
  return *rows;
}

class ResourceRowsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = database_.Connect();
    ASSERT_THAT(db.status(), IsOk());
    db_ = *std::move(db);
    // As a store migrates: the ordered indexes first, then these.
    ASSERT_THAT(db_->Exec(Things().SchemaSql()), IsOk());
    ASSERT_THAT(db_->Exec(Things().OrderedFilterIndexesSql(kFilterColumns)), IsOk());
    ASSERT_THAT(db_->Exec(Things().FilterIndexesSql(kFilterColumns)), IsOk());
  }

  const jiangan::testing::TestDatabase database_ =
      *jiangan::testing::TestDatabase::Create("resource_rows");
  std::unique_ptr<SqlDb> db_;
};

TEST_F(ResourceRowsTest, AFilteredPageChecksEveryFilterInTheIndex) {
  const char* colours[] = {"red", "blue", "green"};
  ASSERT_THAT(db_->InTransaction([&]() -> absl::Status {
    for (int i = 0; i < 600; ++i) {
      auto seq = Things().NextSeq(db_.get());
      if (!seq.ok()) return seq.status();
      google::protobuf::StringValue thing;
      thing.set_value(absl::StrCat("thing ", i));
      absl::Status inserted = Things().Insert(
          db_.get(), *seq, absl::StrCat("t", i), "",
          {std::string(colours[i % 3]), int64_t{i % 7}, int64_t{i % 11 == 0}}, thing);
      if (!inserted.ok()) return inserted;
    }
    return absl::OkStatus();
  }), IsOk());
  const std::string page = absl::StrCat(
      "SELECT ", ResourceRows::kColumns, ", seq FROM ", Things().source(),
      " WHERE deleted = 0 AND colour = 'red' AND size = 3 ORDER BY seq LIMIT 11");

  if (jiangan::testing::TestingOnPostgres()) {
    ASSERT_THAT(db_->Exec("VACUUM ANALYZE things"), IsOk());
    ASSERT_THAT(db_->Exec("SET enable_seqscan = off; SET enable_bitmapscan = off"), IsOk());
  }
  const std::string plan = QueryPlan(db_.get(), page);
  if (jiangan::testing::TestingOnPostgres()) {
    // Every condition is an index condition: none is left to filter rows
    // fetched from the table, and no sort follows.
    EXPECT_THAT(plan, AllOf(HasSubstr("using things_by_"), HasSubstr("(colour = 'red'::text)"),
                            HasSubstr("(size = 3)"), HasSubstr("(deleted = 0)"),
                            Not(HasSubstr("Filter:")), Not(HasSubstr("Sort"))))
        << plan;
  } else {
    // SQLite reads the filters from the index and seeks the table row only
    // when it needs a column the index lacks (DeferredSeek), with no sort.
    EXPECT_THAT(plan, AllOf(HasSubstr("USING INDEX things_by_"), HasSubstr("DeferredSeek"),
                            Not(HasSubstr("SorterOpen"))))
        << plan;
  }

  // And the page is the right rows, in creation order.
  auto rows = db_->Prepare(page);
  ASSERT_THAT(rows.status(), IsOk());
  std::vector<std::string> ids;
  while (*rows->Step()) ids.push_back(rows->ColumnText(1));
  std::vector<std::string> expected;
  for (int i = 0; i < 600 && expected.size() < 11; ++i) {
    if (i % 3 == 0 && i % 7 == 3 && i % 11 != 0) expected.push_back(absl::StrCat("t", i));
  }
  EXPECT_EQ(ids, expected);
}

// PostgreSQL keeps a page's plan only when the plan for any parameters costs
// about what each call's own plan does; it did not, when the limit was bound,
// past some thousands of rows, and every page was planned anew.
TEST_F(ResourceRowsTest, APageReusesItsPlanOnPostgres) {
  if (!jiangan::testing::TestingOnPostgres()) GTEST_SKIP() << "PostgreSQL's plan cache";
  ASSERT_THAT(db_->Exec(
      "INSERT INTO things (seq, id, version, deleted, colour, size) OVERRIDING SYSTEM VALUE "
      "SELECT i, 't' || i, 1, 0, (ARRAY['red', 'blue', 'green'])[i % 3 + 1], i % 7 "
      "FROM generate_series(1, 100000) AS i;"
      "INSERT INTO thing_payloads (seq, payload) SELECT seq, '' FROM things"), IsOk());
  ASSERT_THAT(db_->Exec("VACUUM ANALYZE things"), IsOk());
  ASSERT_THAT(db_->Exec("VACUUM ANALYZE thing_payloads"), IsOk());
  const SignedPageTokens tokens("key");
  const google::protobuf::StringValue request;
  for (int call = 0; call < 8; ++call) {
    SqlWhere where;
    where.And("deleted = 0");
    where.And("colour = ?", {std::string("red")});
    where.And("size = ?", {int64_t{3}});
    int rows = 0;
    std::string next;
    ASSERT_THAT(ListResourcePage(db_.get(), tokens, request, 50, "", "",
                                 {ResourceRows::kColumns, Things().source(), {}}, where,
                                 [&](const SqlStatement&) {
                                   ++rows;
                                   return absl::OkStatus();
                                 },
                                 &next),
                IsOk());
    ASSERT_EQ(rows, 50);
  }
  auto plans = db_->Prepare(
      "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
      "WHERE statement LIKE 'SELECT seq, id, version, deleted, payload, seq FROM things%'");
  ASSERT_THAT(plans.status(), IsOk());
  ASSERT_THAT(plans->Step(), IsOkAndHolds(true));
  // Planned for the first five calls, then reused.
  EXPECT_GE(plans->ColumnInt64(0), 3) << "custom plans: " << plans->ColumnInt64(1);
}

}  // namespace
}  // namespace jiangan
