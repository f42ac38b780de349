// The targets store (values and department assignments) on a real database
// of the engine under test, with a clock the test sets.
#include "services/targets/target_store.h"
#include "services/targets/target_sql.h"
#include "common/storage/schema_migrations.h"
#include "tests/support/test_database.h"

#include "absl/strings/str_cat.h"
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
    options_ = options;
    ASSERT_THAT(Reopen(), IsOk());
  }

  // Opens the store on the database again and loads `files` (the test's
  // catalog by default), as the service does at start-up.
  absl::Status Reopen(std::vector<CatalogFile> files = {{"seed/test/targets.json", Catalog()}}) {
    store_.reset();
    db_ = *database_.Connect();
    auto store = TargetStore::Open(db_.get(), options_);
    if (!store.ok()) return store.status();
    store_ = *std::move(store);
    return store_->LoadCatalog(files);
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
  TargetStoreOptions options_;
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
  ASSERT_THAT(Reopen(), IsOk());
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
  ASSERT_THAT(Reopen(), IsOk());
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
  EXPECT_THAT(TargetStore::Open(db_.get(), {"a key of the test that is long enough"}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("schema version 7, newer than 3")));
}

// A valid catalog entry of `year`: a reported rate.
portfolio::v1::Target RateTarget(const std::string& name, int year, const std::string& value) {
  portfolio::v1::Target target;
  target.set_name(name);
  target.set_display_name(absl::StrCat("城镇调查失业率控制在", value, "%以内"));
  target.set_year(year);
  target.set_target_value(value);
  target.set_unit("%");
  target.set_bound(portfolio::v1::AT_MOST);
  target.set_measurement(portfolio::v1::REPORTED);
  target.set_source_quote("城镇调查失业率控制在5.5%以内");
  return target;
}

std::vector<std::string> Names(const std::vector<portfolio::v1::Target>& catalog) {
  std::vector<std::string> names;
  for (const auto& target : catalog) names.push_back(target.name());
  return names;
}

std::vector<std::string> Methods(const portfolio::v1::ListTargetHistoryResponse& history) {
  std::vector<std::string> methods;
  for (const auto& change : history.changes()) methods.push_back(change.method());
  return methods;
}

// Each year's catalog comes from its file; an ADMIN's change through the
// API stands until the file itself changes that target, and every change
// is in the target's history.
TEST_F(TargetStoreTest, CatalogFilesLoadAndTheApiChangeStandsUntilTheFileChanges) {
  portfolio::v1::ListTargetsResponse year_2025;
  *year_2025.add_targets() = RateTarget("targets/unemployment-2025", 2025, "5.5");
  year_2025.mutable_targets(0)->set_previous_target("targets/gdp-growth");
  // A link to a target of another unit is refused, and nothing is loaded.
  EXPECT_THAT(Reopen({{"seed/test/targets.json", Catalog()}, {"seed/2025.json", year_2025}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("previous_target")));
  year_2025.mutable_targets(0)->clear_previous_target();
  const std::vector<CatalogFile> files = {{"seed/test/targets.json", Catalog()},
                                          {"seed/2025.json", year_2025}};
  ASSERT_THAT(Reopen(files), IsOk());
  auto catalog = store_->Catalog();
  ASSERT_THAT(catalog.status(), IsOk());
  EXPECT_THAT(Names(*catalog),
              ::testing::ElementsAre("targets/gdp-growth", "targets/new-jobs",
                                     "targets/expropriation-signed",
                                     "targets/unemployment-2025"));

  portfolio::v1::UpdateTargetRequest update;
  update.mutable_target()->set_name("targets/unemployment-2025");
  update.mutable_target()->set_target_value("5.2");
  update.mutable_target()->set_etag(catalog->back().etag());
  update.mutable_update_mask()->add_paths("target_value");
  auto updated = store_->UpdateTarget(kAdmin, update);
  ASSERT_THAT(updated.status(), IsOk());
  EXPECT_EQ(updated->target_value(), "5.2");
  EXPECT_NE(updated->etag(), catalog->back().etag());
  // The etag read before the change is stale now.
  EXPECT_THAT(store_->UpdateTarget(kAdmin, update).status(),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("target.etag")));

  // A restart with the same files keeps the ADMIN's change...
  ASSERT_THAT(Reopen(files), IsOk());
  auto kept = store_->Find("targets/unemployment-2025", "name");
  ASSERT_THAT(kept.status(), IsOk());
  EXPECT_EQ(kept->target_value(), "5.2");
  // ...and a file that changes the target replaces it.
  std::vector<CatalogFile> changed = files;
  changed[1].catalog.mutable_targets(0)->set_target_value("5.0");
  ASSERT_THAT(Reopen(changed), IsOk());
  auto reloaded = store_->Find("targets/unemployment-2025", "name");
  ASSERT_THAT(reloaded.status(), IsOk());
  EXPECT_EQ(reloaded->target_value(), "5.0");

  portfolio::v1::ListTargetHistoryRequest request;
  request.set_parent("targets/unemployment-2025");
  portfolio::v1::ListTargetHistoryResponse history;
  ASSERT_THAT(store_->ListHistory(request, &history), IsOk());
  EXPECT_THAT(Methods(history), ::testing::ElementsAre("file:seed/2025.json", "UpdateTarget",
                                                       "file:seed/2025.json"));
  EXPECT_EQ(history.changes(1).principal(), "admin@district");
}

TEST_F(TargetStoreTest, CreatesATargetOfAYearCheckedAsTheFileIs) {
  portfolio::v1::CreateTargetRequest request;
  request.set_target_id("gdp-growth-2025");
  *request.mutable_target() = RateTarget("", 2025, "6");
  request.mutable_target()->set_previous_target("targets/gdp-growth");
  request.set_request_id("create-gdp-2025");
  // Refused as the file refuses: a missing unit, a link to a target of
  // another unit, an id that is taken.
  portfolio::v1::CreateTargetRequest no_unit = request;
  no_unit.mutable_target()->clear_unit();
  EXPECT_THAT(store_->CreateTarget(kAdmin, no_unit).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("target.unit")));
  EXPECT_THAT(store_->CreateTarget(kAdmin, request).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("previous_target")));
  portfolio::v1::CreateTargetRequest taken = request;
  taken.set_target_id("gdp-growth");
  taken.mutable_target()->clear_previous_target();
  EXPECT_THAT(store_->CreateTarget(kAdmin, taken).status(),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("targets/gdp-growth")));
  portfolio::v1::CreateTargetRequest no_id = taken;
  no_id.clear_target_id();
  EXPECT_THAT(store_->CreateTarget(kAdmin, no_id).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("target_id")));

  // A target of last year in the same unit may be continued.
  portfolio::v1::CreateTargetRequest rate_2024;
  rate_2024.set_target_id("unemployment");
  *rate_2024.mutable_target() = RateTarget("", 2024, "5.5");
  ASSERT_THAT(store_->CreateTarget(kAdmin, rate_2024).status(), IsOk());
  request.mutable_target()->set_previous_target("targets/unemployment");
  auto created = store_->CreateTarget(kAdmin, request);
  ASSERT_THAT(created.status(), IsOk());
  EXPECT_EQ(created->name(), "targets/gdp-growth-2025");
  EXPECT_FALSE(created->etag().empty());
  // A retry returns the target first made.
  auto retried = store_->CreateTarget(kAdmin, request);
  ASSERT_THAT(retried.status(), IsOk());
  EXPECT_EQ(retried->etag(), created->etag());
  auto catalog = store_->Catalog();
  ASSERT_THAT(catalog.status(), IsOk());
  EXPECT_THAT(Names(*catalog),
              ::testing::ElementsAre("targets/gdp-growth", "targets/new-jobs",
                                     "targets/expropriation-signed", "targets/unemployment",
                                     "targets/gdp-growth-2025"));
}

TEST_F(TargetStoreTest, AnUpdateKeepsNameYearAndWhatRecordedValuesNeed) {
  portfolio::v1::UpdateTargetRequest update;
  update.mutable_target()->set_name("targets/gdp-growth");
  update.mutable_target()->set_year(2025);
  update.mutable_update_mask()->add_paths("year");
  EXPECT_THAT(store_->UpdateTarget(kAdmin, update).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("name and year")));
  update.mutable_update_mask()->set_paths(0, "actual_value");
  EXPECT_THAT(store_->UpdateTarget(kAdmin, update).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("update_mask")));
  // GDP growth has a value: it stays a reported target.
  ASSERT_THAT(Record("targets/gdp-growth", "6.1", absl::CivilDay(2024, 6, 30)), IsOk());
  portfolio::v1::UpdateTargetRequest computed;
  *computed.mutable_target() = RateTarget("targets/gdp-growth", 2024, "7");
  computed.mutable_target()->set_measurement(portfolio::v1::COMPUTED);
  computed.mutable_target()->set_measured_by("renewal");
  computed.mutable_target()->set_rule("renewal.reported:expropriation_signed_sqm");
  computed.mutable_target()->set_rule_text("征收签约面积");
  for (const char* path : {"display_name", "target_value", "unit", "bound", "source_quote",
                           "measurement", "measured_by", "rule", "rule_text"}) {
    computed.mutable_update_mask()->add_paths(path);
  }
  EXPECT_THAT(store_->UpdateTarget(kAdmin, computed).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("1 values are recorded")));
  auto unchanged = store_->Find("targets/gdp-growth", "name");
  ASSERT_THAT(unchanged.status(), IsOk());
  EXPECT_EQ(unchanged->measurement(), portfolio::v1::REPORTED);
  EXPECT_THAT(store_->Find("targets/no-such", "name").status(),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace jiangan::targets
