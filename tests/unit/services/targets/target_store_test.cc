// The targets store (values and department assignments) on a real database
// of the engine under test, with a clock the test sets.
#include "services/targets/target_store.h"
#include "services/targets/target_sql.h"
#include "common/storage/schema_migrations.h"
#include "tests/support/test_database.h"

#include "common/base/civil_date.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/child_process.h"
#include "tests/support/status_matchers.h"

namespace jiangan::targets {
namespace {

using ::jiangan::testing::IsOk;
using ::jiangan::testing::StatusIs;
using ::testing::HasSubstr;

const Identity kAdmin{"admin@district", "区人民政府办公室", Role::kAdmin};
const Identity kStatisticsEditor{"editor@statistics", "区统计局", Role::kEditor};

portfolio::v1::ListTargetsResponse Catalog() {
  portfolio::v1::ListTargetsResponse catalog;
  portfolio::v1::Target* gdp = catalog.add_targets();
  gdp->set_name("targets/gdp-growth");
  gdp->set_year(2024);
  gdp->set_measurement(portfolio::v1::REPORTED);
  portfolio::v1::Target* jobs = catalog.add_targets();
  jobs->set_name("targets/new-jobs");
  jobs->set_year(2024);
  jobs->set_measurement(portfolio::v1::REPORTED);
  jobs->set_responsible_department("区统计局");
  portfolio::v1::Target* signed_sqm = catalog.add_targets();
  signed_sqm->set_name("targets/expropriation-signed");
  signed_sqm->set_year(2024);
  signed_sqm->set_measurement(portfolio::v1::COMPUTED);
  signed_sqm->set_measured_by("renewal");
  signed_sqm->set_rule("renewal.reported:expropriation_signed_sqm");
  return catalog;
}

class TargetStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = *jiangan::testing::TestDatabase::Create("target_values");
    db_ = *database_.Connect();
    TargetStoreOptions options;
    options.page_token_key = "a key of the test that is long enough";
    options.now = [] { return absl::FromCivil(absl::CivilSecond(2024, 10, 15, 9, 0, 0),
                                              ChinaTimeZone()); };
    auto store = TargetStore::Open(db_.get(), Catalog(), options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  absl::StatusOr<target_values::v1::TargetValue> Record(const std::string& target, const std::string& value,
                                         absl::CivilDay as_of, const Identity& caller = kAdmin,
                                         const std::string& request_id = "") {
    target_values::v1::RecordTargetValueRequest request;
    request.set_parent(target);
    request.mutable_target_value()->set_value(value);
    *request.mutable_target_value()->mutable_as_of() = FromCivilDay(as_of);
    request.mutable_target_value()->set_evidence("区统计局2024年统计快报");
    request.set_request_id(request_id);
    return store_->Record(caller, request);
  }

  absl::StatusOr<target_values::v1::ListTargetValuesResponse> List(const std::string& parent, int page_size = 0,
                                                    const std::string& token = "") {
    target_values::v1::ListTargetValuesRequest request;
    request.set_parent(parent);
    request.set_page_size(page_size);
    request.set_page_token(token);
    target_values::v1::ListTargetValuesResponse response;
    absl::Status listed = store_->List(request, &response);
    if (!listed.ok()) return listed;
    return response;
  }

  jiangan::testing::TestDatabase database_;
  std::unique_ptr<SqlDb> db_;
  std::unique_ptr<TargetStore> store_;
};

TEST_F(TargetStoreTest, RecordsValuesOnceEachAndListsThemOldestFirst) {
  auto first = Record("targets/gdp-growth", "5.8", absl::CivilDay(2024, 3, 31), kAdmin, "q1");
  ASSERT_THAT(first, IsOk());
  EXPECT_THAT(first->name(), HasSubstr("targets/gdp-growth/values/"));
  EXPECT_EQ(first->recorder(), "admin@district");
  EXPECT_EQ(first->recorder_department(), "区人民政府办公室");
  EXPECT_TRUE(first->has_create_time());
  // A retry returns the first value, not a second one.
  auto retried = Record("targets/gdp-growth", "5.8", absl::CivilDay(2024, 3, 31), kAdmin, "q1");
  ASSERT_THAT(retried, IsOk());
  EXPECT_EQ(retried->name(), first->name());
  ASSERT_THAT(Record("targets/gdp-growth", "6.1", absl::CivilDay(2024, 6, 30)), IsOk());
  ASSERT_THAT(Record("targets/new-jobs", "15000", absl::CivilDay(2024, 6, 30), kStatisticsEditor), IsOk());

  auto gdp = List("targets/gdp-growth");
  ASSERT_THAT(gdp, IsOk());
  ASSERT_EQ(gdp->target_values_size(), 2);
  EXPECT_EQ(gdp->target_values(0).value(), "5.8");
  EXPECT_EQ(gdp->target_values(1).value(), "6.1");

  // Every target's values, one page at a time.
  auto page = List("targets/-", 2);
  ASSERT_THAT(page, IsOk());
  ASSERT_EQ(page->target_values_size(), 2);
  ASSERT_FALSE(page->next_page_token().empty());
  auto rest = List("targets/-", 2, page->next_page_token());
  ASSERT_THAT(rest, IsOk());
  ASSERT_EQ(rest->target_values_size(), 1);
  EXPECT_EQ(rest->target_values(0).value(), "15000");
  EXPECT_TRUE(rest->next_page_token().empty());
  EXPECT_THAT(List("targets/new-jobs", 2, page->next_page_token()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
}

TEST_F(TargetStoreTest, RefusesWhatIsNotARecordableValueAndKeepsNothing) {
  EXPECT_THAT(Record("targets/no-such-target", "1", absl::CivilDay(2024, 3, 31)),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("targets/no-such-target")));
  EXPECT_THAT(Record("projects/gdp-growth", "1", absl::CivilDay(2024, 3, 31)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("parent")));
  EXPECT_THAT(Record("targets/expropriation-signed", "1", absl::CivilDay(2024, 3, 31)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("computed")));
  EXPECT_THAT(Record("targets/gdp-growth", "6.1", absl::CivilDay(2024, 3, 31), kStatisticsEditor),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("only an ADMIN")));
  EXPECT_THAT(Record("targets/gdp-growth", "6.1", absl::CivilDay(2024, 12, 31)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("in the future")));
  EXPECT_THAT(Record("targets/gdp-growth", "6.1%", absl::CivilDay(2024, 3, 31)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("target_value.value")));
  auto all = List("targets/-");
  ASSERT_THAT(all, IsOk());
  EXPECT_EQ(all->target_values_size(), 0);
  EXPECT_THAT(List("targets/no-such-target"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(List("targets/gdp-growth", -1),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
}

TEST_F(TargetStoreTest, ValuesSurviveAReopen) {
  ASSERT_THAT(Record("targets/gdp-growth", "6.1", absl::CivilDay(2024, 6, 30)), IsOk());
  store_.reset();
  db_ = *database_.Connect();
  auto reopened = TargetStore::Open(db_.get(), Catalog(), {"a key of the test that is long enough"});
  ASSERT_THAT(reopened.status(), IsOk());
  store_ = *std::move(reopened);
  auto values = List("targets/gdp-growth");
  ASSERT_THAT(values, IsOk());
  ASSERT_EQ(values->target_values_size(), 1);
  EXPECT_EQ(values->target_values(0).value(), "6.1");
}

// A data file of the target values service (schema v1, values only) opens
// with its values and gains the assignments; an EDITOR of the department
// assigned records, one of the department assigned before no longer does.
TEST_F(TargetStoreTest, AnOlderFileGainsAssignmentsAndTheLatestDepartmentRecords) {
  store_.reset();
  db_.reset();
  database_ = *jiangan::testing::TestDatabase::Create("targets_v1");
  db_ = *database_.Connect();
  ASSERT_THAT(MigrateSchema(db_.get(), {SchemaStep{1, ValuesSchemaSql()}}), IsOk());
  auto reopened = TargetStore::Open(db_.get(), Catalog(), {"a key of the test that is long enough"});
  ASSERT_THAT(reopened.status(), IsOk());
  store_ = *std::move(reopened);
  const Identity housing_editor{"editor@housing", "区住房和城市更新局", Role::kEditor};
  EXPECT_THAT(Record("targets/gdp-growth", "6.1", absl::CivilDay(2024, 6, 30), housing_editor),
              StatusIs(absl::StatusCode::kPermissionDenied));
  auto assign = [&](const std::string& department) {
    portfolio::v1::AssignTargetDepartmentRequest request;
    request.set_name("targets/gdp-growth");
    request.set_department(department);
    return store_->Assign(kAdmin, request);
  };
  ASSERT_THAT(assign("区住房和城市更新局"), IsOk());
  EXPECT_THAT(Record("targets/gdp-growth", "6.1", absl::CivilDay(2024, 6, 30), housing_editor),
              IsOk());
  ASSERT_THAT(assign("区统计局"), IsOk());
  EXPECT_THAT(Record("targets/gdp-growth", "6.2", absl::CivilDay(2024, 6, 30), housing_editor),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Record("targets/gdp-growth", "6.2", absl::CivilDay(2024, 6, 30), kStatisticsEditor),
              IsOk());
  auto departments = store_->AssignedDepartments();
  ASSERT_THAT(departments.status(), IsOk());
  EXPECT_EQ(departments->at("targets/gdp-growth"), "区统计局");
  // The report's department is not reassigned.
  portfolio::v1::AssignTargetDepartmentRequest report_named;
  report_named.set_name("targets/new-jobs");
  report_named.set_department("区商务局");
  EXPECT_THAT(store_->Assign(kAdmin, report_named).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("区统计局")));
}

TEST_F(TargetStoreTest, RefusesADataFileNewerThanTheBinary) {
  store_.reset();
  ASSERT_THAT(db_->SetSchemaVersion(7), IsOk());
  EXPECT_THAT(TargetStore::Open(db_.get(), Catalog(), {"a key of the test that is long enough"})
                  .status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("schema version 7, newer than 2")));
}

}  // namespace
}  // namespace jiangan::targets
