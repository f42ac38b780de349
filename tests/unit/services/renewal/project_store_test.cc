// The renewal service's store on a real SQLite file, with a clock the test
// sets: standard methods, rights, phases, baseline, reports, history,
// filters, ordering, pagination and exact summaries.
#include "services/renewal/project_store.h"

#include <atomic>
#include <limits>
#include <map>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/base/civil_date.h"
#include "google/protobuf/util/json_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/renewal/project_sql.h"
#include "tests/support/child_process.h"
#include "tests/support/test_database.h"
#include "tests/support/status_matchers.h"

namespace jiangan::renewal {
namespace {

using ::jiangan::testing::IsOk;
using ::jiangan::testing::StatusIs;
using ::testing::HasSubstr;
using v1::Project;

const Identity kAdmin{"admin@district", "区人民政府办公室", Role::kAdmin};
const Identity kViewer{"viewer@development", "区发展和改革局", Role::kViewer};
const Identity kHousing{"editor@housing", "区住房和城市更新局", Role::kEditor};
const Identity kTransport{"editor@transport", "区交通运输局", Role::kEditor};

type::v1::Date MakeDate(int year, int month, int day) {
  return FromCivilDay(absl::CivilDay(year, month, day));
}

class RenewalStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    store_.reset();
    db_.reset();
    db_ = *database_.Connect();
    ProjectStoreOptions options;
    options.page_token_key = "a key of the test that is long enough";
    options.reader_connections = 2;
    options.now = [this] { return now_; };
    auto store = ProjectStore::Open(db_.get(), options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  void SetToday(int year, int month, int day) {
    now_ = absl::FromCivil(absl::CivilSecond(year, month, day, 10, 0, 0), ChinaTimeZone());
  }

  static Project Housing(const std::string& name, v1::ProjectKind kind = v1::OLD_COMMUNITY_RENOVATION) {
    Project project;
    project.set_display_name(name);
    project.set_kind(kind);
    project.set_lead_department("区住房和城市更新局");
    return project;
  }

  absl::StatusOr<Project> Create(const Project& project, const std::string& id,
                                 const Identity& caller = kAdmin, const std::string& request_id = "") {
    v1::CreateProjectRequest request;
    *request.mutable_project() = project;
    request.set_project_id(id);
    request.set_request_id(request_id);
    return store_->Create(caller, request);
  }

  absl::StatusOr<Project> Get(const std::string& id) {
    v1::GetProjectRequest request;
    request.set_name("projects/" + id);
    return store_->Get(request);
  }

  absl::StatusOr<Project> Update(const Project& patch, const std::vector<std::string>& paths,
                                 const Identity& caller = kAdmin) {
    v1::UpdateProjectRequest request;
    *request.mutable_project() = patch;
    for (const auto& path : paths) request.mutable_update_mask()->add_paths(path);
    return store_->Update(caller, request);
  }

  absl::StatusOr<Project> SetPhase(const std::string& id, v1::ProjectPhase phase,
                                   const Identity& caller = kAdmin) {
    Project patch;
    patch.set_name("projects/" + id);
    patch.set_phase(phase);
    return Update(patch, {"phase"}, caller);
  }

  absl::StatusOr<v1::ProgressReport> Report(const std::string& id, const std::string& period,
                                            int percent, int64_t households,
                                            int64_t investment_yuan,
                                            const Identity& caller = kAdmin,
                                            const std::string& request_id = "") {
    v1::ReportProgressRequest request;
    request.set_parent("projects/" + id);
    request.set_request_id(request_id);
    request.mutable_progress_report()->set_period(period);
    request.mutable_progress_report()->set_percent_complete(percent);
    request.mutable_progress_report()->mutable_achieved()->set_households(households);
    request.mutable_progress_report()->mutable_achieved()->set_investment_yuan(investment_yuan);
    return store_->ReportProgress(caller, request);
  }

  std::vector<std::string> ListNames(v1::ListProjectsRequest request, int page_size = 1000) {
    std::vector<std::string> names;
    request.set_page_size(page_size);
    while (true) {
      v1::ListProjectsResponse response;
      absl::Status listed = store_->List(request, &response);
      EXPECT_TRUE(listed.ok()) << listed;
      if (!listed.ok()) break;
      for (const Project& p : response.projects()) names.push_back(p.name());
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return names;
  }

  std::vector<type::v1::ResourceChange> History(const std::string& id) {
    v1::ListProjectHistoryRequest request;
    request.set_parent("projects/" + id);
    v1::ListProjectHistoryResponse response;
    EXPECT_TRUE(store_->ListHistory(request, &response).ok());
    return {response.changes().begin(), response.changes().end()};
  }

  const jiangan::testing::TestDatabase database_ = *jiangan::testing::TestDatabase::Create("renewal");
  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2024, 3, 1, 10, 0, 0), ChinaTimeZone());
  std::unique_ptr<SqlDb> db_;
  std::unique_ptr<ProjectStore> store_;
};

TEST_F(RenewalStoreTest, CreateFillsOutputFieldsAndIgnoresWhatCallersSendInThem) {
  Project project = Housing("安居苑老旧小区改造");
  project.set_name("projects/forged");
  project.set_percent_complete(99);
  project.mutable_achieved()->set_households(5);
  project.set_health(v1::RED);
  project.set_creator("someone else");
  auto created = Create(project, "anjuyuan", kHousing);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "projects/anjuyuan");
  EXPECT_EQ(created->phase(), v1::PLANNING);
  EXPECT_EQ(created->percent_complete(), 0);
  EXPECT_EQ(created->achieved().households(), 0);
  EXPECT_EQ(created->health(), v1::GREEN);
  EXPECT_EQ(created->creator(), "editor@housing");
  EXPECT_EQ(created->updater(), "editor@housing");
  ASSERT_EQ(created->phase_history_size(), 1);
  EXPECT_EQ(created->phase_history(0).phase(), v1::PLANNING);
  EXPECT_FALSE(created->has_baseline());
  EXPECT_FALSE(created->etag().empty());
  auto got = Get("anjuyuan");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->SerializeAsString(), created->SerializeAsString());
  Open();  // survives reopening
  EXPECT_EQ(Get("anjuyuan")->display_name(), "安居苑老旧小区改造");
}

TEST_F(RenewalStoreTest, RequestIdMakesCreateIdempotentAndIdsAreUnique) {
  auto first = Create(Housing("温馨苑"), "", kAdmin, "req-1");
  auto retry = Create(Housing("温馨苑"), "", kAdmin, "req-1");
  ASSERT_TRUE(first.ok() && retry.ok());
  EXPECT_EQ(first->name(), retry->name());
  EXPECT_EQ(ListNames({}).size(), 1u);
  ASSERT_TRUE(Create(Housing("a"), "same").ok());
  auto taken = Create(Housing("b"), "same");
  EXPECT_EQ(taken.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Get("same")->display_name(), "a");
  EXPECT_EQ(Create(Housing("x"), "Bad_Id").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Create(Housing("x"), "", kAdmin, std::string(101, 'r')).status().message(),
            "request_id: must be at most 100 characters, got 101");
}

TEST_F(RenewalStoreTest, RolesAndDepartmentsDecideWhoMayWrite) {
  EXPECT_EQ(Create(Housing("x"), "v", kViewer).status().code(),
            absl::StatusCode::kPermissionDenied);
  auto other = Create(Housing("x"), "t", kTransport);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(absl::StrContains(other.status().message(), "区住房和城市更新局"));
  ASSERT_TRUE(Create(Housing("安居苑"), "h", kHousing).ok());

  Project patch;
  patch.set_name("projects/h");
  patch.set_display_name("安居苑(一期)");
  EXPECT_EQ(Update(patch, {"display_name"}, kTransport).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Update(patch, {"display_name"}, kViewer).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Update(patch, {"display_name"}, kHousing).ok());
  // An editor cannot hand its project to another department...
  patch.set_lead_department("区交通运输局");
  EXPECT_EQ(Update(patch, {"lead_department"}, kHousing).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Get("h")->lead_department(), "区住房和城市更新局");
  // ...but an admin can.
  EXPECT_TRUE(Update(patch, {"lead_department"}, kAdmin).ok());
  EXPECT_EQ(Report("h", "2024-02", 10, 0, 0, kHousing).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Report("h", "2024-02", 10, 0, 0, kTransport).ok());
  // A project without a lead department is the admins' alone.
  Project unowned = Housing("鲩子湖危旧房合作化改造", v1::DILAPIDATED_HOUSING_RENOVATION);
  unowned.clear_lead_department();
  ASSERT_TRUE(Create(unowned, "huanzihu").ok());
  const Identity no_department{"editor@nowhere", "", Role::kEditor};
  EXPECT_EQ(SetPhase("huanzihu", v1::APPROVED, no_department).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(RenewalStoreTest, PhasesFollowTheAllowedTransitionsAndFreezeTheBaseline) {
  Project project = Housing("黑泥湖村城中村改造", v1::URBAN_VILLAGE_REDEVELOPMENT);
  *project.mutable_start_date() = MakeDate(2024, 3, 1);
  *project.mutable_planned_completion_date() = MakeDate(2026, 12, 31);
  project.mutable_planned()->set_households(1200);
  project.mutable_planned()->set_investment_yuan(5'000'000'000);
  ASSERT_TRUE(Create(project, "heinihu").ok());

  auto refused = SetPhase("heinihu", v1::COMPLETED);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.status().message(),
            "project.phase: cannot go from PLANNING to COMPLETED; see the allowed transitions "
            "of ProjectPhase");
  EXPECT_EQ(Get("heinihu")->phase(), v1::PLANNING);

  SetToday(2024, 3, 20);
  auto approved = SetPhase("heinihu", v1::APPROVED);
  ASSERT_TRUE(approved.ok()) << approved.status();
  ASSERT_TRUE(approved->has_baseline());
  EXPECT_EQ(approved->baseline().planned().households(), 1200);
  EXPECT_EQ(FormatDate(approved->baseline().planned_completion_date()), "2026-12-31");
  ASSERT_EQ(approved->phase_history_size(), 2);
  EXPECT_EQ(approved->phase_history(1).phase(), v1::APPROVED);

  // Today's plan moves; the baseline stays as approved.
  Project replan;
  replan.set_name("projects/heinihu");
  *replan.mutable_planned_completion_date() = MakeDate(2027, 6, 30);
  replan.mutable_planned()->set_households(1500);
  auto moved = Update(replan, {"planned_completion_date", "planned.households"});
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->planned().households(), 1500);
  EXPECT_EQ(moved->planned().investment_yuan(), 5'000'000'000);  // untouched sub-field
  EXPECT_EQ(moved->baseline().planned().households(), 1200);
  EXPECT_EQ(FormatDate(moved->baseline().planned_completion_date()), "2026-12-31");

  ASSERT_TRUE(SetPhase("heinihu", v1::UNDER_CONSTRUCTION).ok());
  ASSERT_TRUE(SetPhase("heinihu", v1::SUSPENDED).ok());
  EXPECT_EQ(Get("heinihu")->health(), v1::RED);
  ASSERT_TRUE(SetPhase("heinihu", v1::UNDER_CONSTRUCTION).ok());
  SetToday(2024, 5, 5);
  auto completed = SetPhase("heinihu", v1::COMPLETED);
  ASSERT_TRUE(completed.ok());
  EXPECT_EQ(FormatDate(completed->actual_completion_date()), "2024-05-05");
  EXPECT_EQ(SetPhase("heinihu", v1::CANCELLED).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(RenewalStoreTest, BadUpdatesChangeNothing) {
  auto created = Create(Housing("keep"), "u");
  ASSERT_TRUE(created.ok());
  Project patch;
  patch.set_name("projects/u");
  EXPECT_EQ(Update(patch, {}).status().message(),
            "update_mask: is required and must name at least one field");
  EXPECT_EQ(Update(patch, {"etag"}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Update(patch, {"planned.nonsense"}).status().message(),
            "update_mask: \"planned.nonsense\" is not a field path of Project");
  EXPECT_EQ(Update(patch, {"display_name"}).status().message(),
            "project.display_name: must be 1 to 200 characters, got 0");
  patch.set_display_name("new");
  patch.set_etag("stale");
  EXPECT_EQ(Update(patch, {"display_name"}).status().code(), absl::StatusCode::kAborted);
  patch.set_etag(created->etag());
  patch.mutable_planned()->set_road_length_m(-3);
  EXPECT_EQ(Update(patch, {"display_name", "planned"}).status().message(),
            "project.planned.road_length_m: must not be negative, got -3");
  EXPECT_EQ(Get("u")->display_name(), "keep");
  EXPECT_EQ(Get("u")->etag(), created->etag());
  EXPECT_EQ(History("u").size(), 1u);  // only the create
  patch.set_name("projects/missing");
  EXPECT_EQ(Update(patch, {"display_name"}).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(RenewalStoreTest, SoftDeleteAndUndelete) {
  auto created = Create(Housing("十六中片"), "shiliuzhong");
  ASSERT_TRUE(created.ok());
  v1::DeleteProjectRequest del;
  del.set_name("projects/shiliuzhong");
  del.set_etag("stale");
  EXPECT_EQ(store_->Delete(kAdmin, del).status().code(), absl::StatusCode::kAborted);
  del.set_etag(created->etag());
  EXPECT_EQ(store_->Delete(kViewer, del).status().code(), absl::StatusCode::kPermissionDenied);
  auto deleted = store_->Delete(kAdmin, del);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_TRUE(deleted->has_delete_time());
  EXPECT_EQ(Get("shiliuzhong").status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(ListNames({}).empty());
  v1::ListProjectsRequest with_deleted;
  with_deleted.set_show_deleted(true);
  EXPECT_EQ(ListNames(with_deleted), std::vector<std::string>{"projects/shiliuzhong"});
  del.clear_etag();
  EXPECT_EQ(store_->Delete(kAdmin, del).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Report("shiliuzhong", "2024-02", 5, 0, 0).status().code(), absl::StatusCode::kNotFound);
  // The name stays taken while deleted.
  EXPECT_EQ(Create(Housing("again"), "shiliuzhong").status().code(),
            absl::StatusCode::kAlreadyExists);

  v1::UndeleteProjectRequest undelete;
  undelete.set_name("projects/shiliuzhong");
  auto restored = store_->Undelete(kAdmin, undelete);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_FALSE(restored->has_delete_time());
  EXPECT_TRUE(Get("shiliuzhong").ok());
  EXPECT_EQ(store_->Undelete(kAdmin, undelete).status().code(),
            absl::StatusCode::kFailedPrecondition);
  std::vector<type::v1::ResourceChange> history = History("shiliuzhong");
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[1].method(), "DeleteProject");
  EXPECT_EQ(history[2].method(), "UndeleteProject");
}

TEST_F(RenewalStoreTest, ProgressReportsRollUpAndAreIdempotent) {
  Project project = Housing("鲩子湖危旧房合作化改造", v1::DILAPIDATED_HOUSING_RENOVATION);
  project.mutable_planned()->set_households(800);
  ASSERT_TRUE(Create(project, "huanzihu").ok());
  ASSERT_TRUE(Report("huanzihu", "2024-01", 10, 100, 30'000'000).ok());
  auto second = Report("huanzihu", "2024-02", 25, 150, 45'000'001, kHousing, "feb-report");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(absl::StartsWith(second->name(), "projects/huanzihu/progressReports/"));
  EXPECT_EQ(second->reporter(), "editor@housing");
  auto retried = Report("huanzihu", "2024-02", 25, 150, 45'000'001, kHousing, "feb-report");
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ(retried->name(), second->name());

  auto got = Get("huanzihu");
  EXPECT_EQ(got->achieved().households(), 250);
  EXPECT_EQ(got->achieved().investment_yuan(), 75'000'001);
  EXPECT_EQ(got->percent_complete(), 25);

  auto lower = Report("huanzihu", "2024-02", 20, 0, 0);
  EXPECT_EQ(lower.status().code(), absl::StatusCode::kFailedPrecondition);
  v1::ReportProgressRequest correction;
  correction.set_parent("projects/huanzihu");
  correction.mutable_progress_report()->set_period("2024-02");
  correction.mutable_progress_report()->set_percent_complete(20);
  correction.mutable_progress_report()->set_correction(true);
  correction.mutable_progress_report()->mutable_achieved()->set_households(-50);
  ASSERT_TRUE(store_->ReportProgress(kAdmin, correction).ok());
  EXPECT_EQ(Get("huanzihu")->achieved().households(), 200);
  EXPECT_EQ(Get("huanzihu")->percent_complete(), 20);

  v1::ListProgressReportsRequest list;
  list.set_parent("projects/huanzihu");
  list.set_page_size(2);
  v1::ListProgressReportsResponse page;
  ASSERT_TRUE(store_->ListProgressReports(list, &page).ok());
  ASSERT_EQ(page.progress_reports_size(), 2);
  EXPECT_EQ(page.progress_reports(0).period(), "2024-01");
  list.set_page_token(page.next_page_token());
  v1::ListProgressReportsResponse rest;
  ASSERT_TRUE(store_->ListProgressReports(list, &rest).ok());
  ASSERT_EQ(rest.progress_reports_size(), 1);
  EXPECT_TRUE(rest.progress_reports(0).correction());
  EXPECT_TRUE(rest.next_page_token().empty());
  list.set_parent("projects/nope");
  list.clear_page_token();
  EXPECT_EQ(store_->ListProgressReports(list, &rest).code(), absl::StatusCode::kNotFound);
}

TEST_F(RenewalStoreTest, HistoryRecordsWhoChangedWhatFromWhatToWhat) {
  ASSERT_TRUE(Create(Housing("保元里片"), "baoyuanli", kHousing).ok());
  SetToday(2024, 3, 2);
  Project patch;
  patch.set_name("projects/baoyuanli");
  patch.set_display_name("保元里片收尾清零");
  patch.set_zone("汉口历史风貌区");
  ASSERT_TRUE(Update(patch, {"display_name", "zone"}, kHousing).ok());
  ASSERT_TRUE(Report("baoyuanli", "2024-03", 30, 12, 0, kHousing).ok());
  std::vector<type::v1::ResourceChange> history = History("baoyuanli");
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].method(), "CreateProject");
  EXPECT_EQ(history[1].method(), "UpdateProject");
  EXPECT_EQ(history[1].principal(), "editor@housing");
  ASSERT_EQ(history[1].field_changes_size(), 2);
  EXPECT_EQ(history[1].field_changes(0).field(), "display_name");
  EXPECT_EQ(history[1].field_changes(0).old_value(), R"({"displayName":"保元里片"})");
  EXPECT_EQ(history[1].field_changes(0).new_value(), R"({"displayName":"保元里片收尾清零"})");
  EXPECT_EQ(history[1].field_changes(1).field(), "zone");
  EXPECT_EQ(history[1].field_changes(1).old_value(), "{}");
  EXPECT_EQ(history[2].method(), "ReportProgress");
  std::vector<std::string> fields;
  for (const auto& change : history[2].field_changes()) fields.push_back(change.field());
  EXPECT_EQ(fields, (std::vector<std::string>{"achieved", "percent_complete"}));
  v1::ListProjectHistoryRequest missing;
  missing.set_parent("projects/none");
  v1::ListProjectHistoryResponse response;
  EXPECT_EQ(store_->ListHistory(missing, &response).code(), absl::StatusCode::kNotFound);
}

TEST_F(RenewalStoreTest, FiltersSelectAndHealthAgreesWithGet) {
  SetToday(2024, 1, 1);
  Project on_track = Housing("安居苑", v1::OLD_COMMUNITY_RENOVATION);
  on_track.set_sub_district("后湖街道");
  on_track.set_phase(v1::UNDER_CONSTRUCTION);
  *on_track.mutable_start_date() = MakeDate(2024, 1, 1);
  *on_track.mutable_planned_completion_date() = MakeDate(2024, 12, 31);
  ASSERT_TRUE(Create(on_track, "anjuyuan").ok());
  Project behind = on_track;
  behind.set_display_name("温馨苑");
  behind.set_sub_district("塔子湖街道");
  ASSERT_TRUE(Create(behind, "wenxinyuan").ok());
  Project village = Housing("淌湖村城中村改造", v1::URBAN_VILLAGE_REDEVELOPMENT);
  village.set_zone("汉口滨江国际商务区");
  village.set_lead_department("区征收服务中心");
  ASSERT_TRUE(Create(village, "tanghu").ok());
  SetToday(2024, 7, 1);  // half the year gone: 49.6% expected
  ASSERT_TRUE(Report("anjuyuan", "2024-06", 45, 0, 0).ok());
  ASSERT_TRUE(Report("wenxinyuan", "2024-06", 10, 0, 0).ok());
  EXPECT_EQ(Get("anjuyuan")->health(), v1::GREEN);
  EXPECT_EQ(Get("wenxinyuan")->health(), v1::RED);

  auto names = [this](const std::function<void(v1::ProjectFilter*)>& set) {
    v1::ListProjectsRequest request;
    set(request.mutable_filter());
    return ListNames(request);
  };
  using Names = std::vector<std::string>;
  EXPECT_EQ(names([](auto* f) { f->add_kinds(v1::URBAN_VILLAGE_REDEVELOPMENT); }),
            Names{"projects/tanghu"});
  EXPECT_EQ(names([](auto* f) { f->add_phases(v1::UNDER_CONSTRUCTION); }).size(), 2u);
  EXPECT_EQ(names([](auto* f) { f->add_healths(v1::RED); }), Names{"projects/wenxinyuan"});
  EXPECT_EQ(names([](auto* f) {
              f->add_healths(v1::GREEN);
              f->add_kinds(v1::OLD_COMMUNITY_RENOVATION);
            }),
            Names{"projects/anjuyuan"});
  EXPECT_EQ(names([](auto* f) { f->set_sub_district("塔子湖街道"); }),
            Names{"projects/wenxinyuan"});
  EXPECT_EQ(names([](auto* f) { f->set_zone("汉口滨江国际商务区"); }), Names{"projects/tanghu"});
  EXPECT_EQ(names([](auto* f) { f->set_lead_department("区征收服务中心"); }),
            Names{"projects/tanghu"});
  EXPECT_EQ(names([](auto* f) { f->set_display_name_contains("城中村"); }),
            Names{"projects/tanghu"});
  EXPECT_EQ(names([](auto* f) { f->set_display_name_contains("苑"); }).size(), 2u);
  // updated_since: only the two reported on at the later time.
  EXPECT_EQ(names([this](auto* f) {
              f->mutable_updated_since()->set_seconds(absl::ToUnixSeconds(now_));
            }).size(),
            2u);

  v1::ListProjectsRequest bad;
  bad.mutable_filter()->add_kinds(v1::PROJECT_KIND_UNSPECIFIED);
  v1::ListProjectsResponse response;
  EXPECT_EQ(store_->List(bad, &response).message(),
            "filter.kinds[0]: 0 is not a named value other than UNSPECIFIED");
  bad.Clear();
  bad.mutable_filter()->add_healths(static_cast<v1::Health>(9));
  EXPECT_EQ(store_->List(bad, &response).code(), absl::StatusCode::kInvalidArgument);
  bad.Clear();
  bad.set_order_by("budget desc");
  EXPECT_TRUE(absl::StartsWith(store_->List(bad, &response).message(), "order_by:"));
}

TEST_F(RenewalStoreTest, OrderingAndPagesStayCorrectWhileProjectsAreAdded) {
  const std::vector<std::string> names = {"c", "a", "e", "b", "d"};
  for (const std::string& name : names) {
    Project project = Housing(name);
    ASSERT_TRUE(Create(project, "p-" + name).ok());
  }
  v1::ListProjectsRequest by_name;
  by_name.set_order_by("display_name");
  by_name.set_page_size(2);
  v1::ListProjectsResponse first;
  ASSERT_TRUE(store_->List(by_name, &first).ok());
  ASSERT_EQ(first.projects_size(), 2);
  EXPECT_EQ(first.projects(1).display_name(), "b");
  // Added between pages: one sorts before the cursor, one after.
  ASSERT_TRUE(Create(Housing("aa"), "p-aa").ok());
  ASSERT_TRUE(Create(Housing("bb"), "p-bb").ok());
  std::vector<std::string> rest;
  v1::ListProjectsRequest next = by_name;
  next.set_page_token(first.next_page_token());
  while (!next.page_token().empty()) {
    v1::ListProjectsResponse page;
    ASSERT_TRUE(store_->List(next, &page).ok());
    for (const auto& p : page.projects()) rest.push_back(p.display_name());
    next.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(rest, (std::vector<std::string>{"bb", "c", "d", "e"}));

  v1::ListProjectsRequest descending;
  descending.set_order_by("display_name desc");
  std::vector<std::string> all = ListNames(descending, 3);
  EXPECT_EQ(all.front(), "projects/p-e");
  EXPECT_EQ(all.back(), "projects/p-a");
  EXPECT_EQ(all.size(), 7u);
  v1::ListProjectsRequest created_order;
  EXPECT_EQ(ListNames(created_order, 2).front(), "projects/p-c");

  // A token is bound to its request and cannot be altered.
  v1::ListProjectsRequest other = by_name;
  other.set_order_by("update_time");
  other.set_page_token(first.next_page_token());
  v1::ListProjectsResponse response;
  EXPECT_EQ(store_->List(other, &response).message(),
            "page_token: is not a token this list returned for the same request");
  std::string altered = first.next_page_token();
  altered[3] = altered[3] == 'A' ? 'B' : 'A';
  by_name.set_page_token(altered);
  EXPECT_EQ(store_->List(by_name, &response).code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(RenewalStoreTest, SummariesAreExactGroupedAndFiltered) {
  SetToday(2024, 6, 1);
  struct Row {
    std::string id;
    v1::ProjectKind kind;
    std::string sub_district;
    int64_t planned_yuan;
    int64_t households;
  };
  const std::vector<Row> rows = {
      {"a", v1::OLD_COMMUNITY_RENOVATION, "后湖街道", 1'234'567'890'123, 10},
      {"b", v1::OLD_COMMUNITY_RENOVATION, "塔子湖街道", 7, 20},
      {"c", v1::URBAN_VILLAGE_REDEVELOPMENT, "后湖街道", 9'000'000'000'000'000, 30},
  };
  for (const Row& row : rows) {
    Project project = Housing(row.id, row.kind);
    project.set_sub_district(row.sub_district);
    project.mutable_planned()->set_investment_yuan(row.planned_yuan);
    project.mutable_planned()->set_households(row.households);
    ASSERT_TRUE(Create(project, row.id).ok());
  }
  ASSERT_TRUE(Report("a", "2024-05", 10, 4, 99).ok());

  v1::SummarizeProjectsRequest total;
  v1::SummarizeProjectsResponse summary;
  ASSERT_TRUE(store_->Summarize(total, &summary).ok());
  ASSERT_EQ(summary.groups_size(), 1);
  EXPECT_EQ(summary.groups(0).project_count(), 3);
  EXPECT_EQ(summary.groups(0).planned().investment_yuan(), 9'001'234'567'890'130);
  EXPECT_EQ(summary.groups(0).planned().households(), 60);
  EXPECT_EQ(summary.groups(0).achieved().households(), 4);
  EXPECT_EQ(summary.groups(0).achieved().investment_yuan(), 99);
  EXPECT_EQ(FormatDate(summary.as_of()), "2024-06-01");

  v1::SummarizeProjectsRequest grouped;
  grouped.add_group_by(v1::BY_KIND);
  grouped.add_group_by(v1::BY_SUB_DISTRICT);
  summary.Clear();
  ASSERT_TRUE(store_->Summarize(grouped, &summary).ok());
  ASSERT_EQ(summary.groups_size(), 3);
  EXPECT_EQ(summary.groups(0).kind(), v1::OLD_COMMUNITY_RENOVATION);
  EXPECT_EQ(summary.groups(0).sub_district(), "后湖街道");
  EXPECT_EQ(summary.groups(0).planned().investment_yuan(), 1'234'567'890'123);
  EXPECT_EQ(summary.groups(2).kind(), v1::URBAN_VILLAGE_REDEVELOPMENT);

  v1::SummarizeProjectsRequest filtered = grouped;
  filtered.mutable_filter()->set_sub_district("塔子湖街道");
  summary.Clear();
  ASSERT_TRUE(store_->Summarize(filtered, &summary).ok());
  ASSERT_EQ(summary.groups_size(), 1);
  EXPECT_EQ(summary.groups(0).planned().investment_yuan(), 7);

  v1::SummarizeProjectsRequest by_health;
  by_health.add_group_by(v1::BY_HEALTH);
  by_health.add_group_by(v1::BY_COMPLETION_YEAR);
  summary.Clear();
  ASSERT_TRUE(store_->Summarize(by_health, &summary).ok());
  ASSERT_EQ(summary.groups_size(), 1);
  EXPECT_EQ(summary.groups(0).health(), v1::GREEN);
  EXPECT_EQ(summary.groups(0).completion_year(), 0);

  v1::SummarizeProjectsRequest twice;
  twice.add_group_by(v1::BY_KIND);
  twice.add_group_by(v1::BY_KIND);
  EXPECT_EQ(store_->Summarize(twice, &summary).message(), "group_by[1]: BY_KIND is named twice");
  v1::SummarizeProjectsRequest unspecified;
  unspecified.add_group_by(v1::PROJECT_GROUPING_UNSPECIFIED);
  EXPECT_EQ(store_->Summarize(unspecified, &summary).code(), absl::StatusCode::kInvalidArgument);

  // A sum past int64 is neither wrapped nor rounded: the write that would
  // take the district's sums there is refused, and nothing of it is kept.
  Project huge = Housing("huge");
  huge.mutable_planned()->set_investment_yuan(std::numeric_limits<int64_t>::max());
  auto refused = Create(huge, "huge");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "project.planned.investment_yuan"))
      << refused.status();
  EXPECT_EQ(Get("huge").status().code(), absl::StatusCode::kNotFound);
  summary.Clear();
  ASSERT_TRUE(store_->Summarize(total, &summary).ok());
  EXPECT_EQ(summary.groups(0).project_count(), 3);
}

// 老旧小区改造新开工 counts projects: one suspended and resumed started once.
// A completion in December keyed in on 2 January counts in December's year,
// on the day the department gives with the change.
TEST_F(RenewalStoreTest, APhaseCountsEachProjectOnceOnTheDayTheDepartmentGives) {
  SetToday(2024, 3, 1);
  ASSERT_TRUE(Create(Housing("永丰小区"), "yongfeng").ok());
  ASSERT_TRUE(SetPhase("yongfeng", v1::APPROVED).ok());
  ASSERT_TRUE(SetPhase("yongfeng", v1::UNDER_CONSTRUCTION).ok());
  SetToday(2024, 5, 1);
  ASSERT_TRUE(SetPhase("yongfeng", v1::SUSPENDED).ok());
  SetToday(2024, 7, 1);
  ASSERT_TRUE(SetPhase("yongfeng", v1::UNDER_CONSTRUCTION).ok());

  SetToday(2025, 1, 2);
  Project completed;
  completed.set_name("projects/yongfeng");
  completed.set_phase(v1::COMPLETED);
  *completed.mutable_phase_date() = MakeDate(2024, 12, 28);
  auto done = Update(completed, {"phase", "phase_date"});
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(FormatDate(done->phase_date()), "2024-12-28");
  EXPECT_EQ(FormatDate(done->actual_completion_date()), "2024-12-28");
  EXPECT_EQ(FormatDate(done->phase_history(done->phase_history_size() - 1).enter_date()),
            "2024-12-28");

  v1::SummarizeProjectsRequest request;
  *request.mutable_window_start() = MakeDate(2024, 1, 1);
  *request.mutable_window_end() = MakeDate(2024, 12, 31);
  v1::SummarizeProjectsResponse response;
  ASSERT_TRUE(store_->Summarize(request, &response).ok());
  std::map<v1::ProjectPhase, int64_t> entered;
  for (const v1::PhaseEntries& entries : response.groups(0).window_phase_entries()) {
    entered[entries.phase()] = entries.count();
  }
  EXPECT_EQ(entered[v1::UNDER_CONSTRUCTION], 1);  // entered twice, one project
  EXPECT_EQ(entered[v1::COMPLETED], 1);           // in 2024, though keyed in 2025
  *request.mutable_window_start() = MakeDate(2025, 1, 1);
  *request.mutable_window_end() = MakeDate(2025, 12, 31);
  response.Clear();
  ASSERT_TRUE(store_->Summarize(request, &response).ok());
  EXPECT_EQ(response.groups(0).window_phase_entries_size(), 0);

  // The day is checked: not in the future, not before the previous phase,
  // and given with a change of phase only.
  ASSERT_TRUE(Create(Housing("安居苑"), "anjuyuan").ok());
  Project approved;
  approved.set_name("projects/anjuyuan");
  approved.set_phase(v1::APPROVED);
  *approved.mutable_phase_date() = MakeDate(2025, 1, 3);
  EXPECT_THAT(Update(approved, {"phase", "phase_date"}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("project.phase_date")));
  *approved.mutable_phase_date() = MakeDate(2024, 12, 1);
  EXPECT_THAT(Update(approved, {"phase", "phase_date"}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("must not be before 2025-01-02, the day the project entered "
                                 "PLANNING")));
  Project redated;
  redated.set_name("projects/yongfeng");
  *redated.mutable_phase_date() = MakeDate(2024, 12, 20);
  EXPECT_THAT(Update(redated, {"phase_date"}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("is given with a change of phase")));
  EXPECT_EQ(FormatDate(Get("yongfeng")->phase_date()), "2024-12-28");
}

// A 2024 target counts what happened in 2024: reports for months of 2024
// and phases entered in 2024, whenever the projects were created.
TEST_F(RenewalStoreTest, WindowsCountEventsNotRecords) {
  SetToday(2023, 11, 1);
  ASSERT_TRUE(Create(Housing("安居苑"), "anjuyuan").ok());
  ASSERT_TRUE(SetPhase("anjuyuan", v1::APPROVED).ok());
  ASSERT_TRUE(Report("anjuyuan", "2023-10", 5, 100, 1'000'000).ok());
  SetToday(2024, 3, 1);
  ASSERT_TRUE(SetPhase("anjuyuan", v1::UNDER_CONSTRUCTION).ok());  // started in 2024
  ASSERT_TRUE(Report("anjuyuan", "2024-02", 20, 300, 4'000'000).ok());
  ASSERT_TRUE(Create(Housing("温馨苑"), "wenxinyuan").ok());
  ASSERT_TRUE(SetPhase("wenxinyuan", v1::APPROVED).ok());
  SetToday(2025, 1, 10);
  // Reported in January 2025 for December 2024: it counts for 2024.
  ASSERT_TRUE(Report("anjuyuan", "2024-12", 60, 500, 2'000'000).ok());
  ASSERT_TRUE(Report("anjuyuan", "2025-01", 70, 50, 1).ok());
  ASSERT_TRUE(SetPhase("wenxinyuan", v1::UNDER_CONSTRUCTION).ok());  // started in 2025

  v1::SummarizeProjectsRequest request;
  *request.mutable_window_start() = MakeDate(2024, 1, 1);
  *request.mutable_window_end() = MakeDate(2024, 12, 31);
  v1::SummarizeProjectsResponse response;
  ASSERT_TRUE(store_->Summarize(request, &response).ok());
  ASSERT_EQ(response.groups_size(), 1);
  const v1::ProjectGroup& total = response.groups(0);
  EXPECT_EQ(total.project_count(), 2);
  EXPECT_EQ(total.achieved().households(), 950);  // every report, whenever
  EXPECT_EQ(total.window_achieved().households(), 800);
  EXPECT_EQ(total.window_achieved().investment_yuan(), 6'000'000);
  // 2024: wenxinyuan created (PLANNING) and APPROVED; anjuyuan UNDER_CONSTRUCTION.
  ASSERT_EQ(total.window_phase_entries_size(), 3);
  EXPECT_EQ(total.window_phase_entries(0).phase(), v1::PLANNING);
  EXPECT_EQ(total.window_phase_entries(1).phase(), v1::APPROVED);
  EXPECT_EQ(total.window_phase_entries(2).phase(), v1::UNDER_CONSTRUCTION);
  EXPECT_EQ(total.window_phase_entries(2).count(), 1);

  // By month, the window's figures add up month by month: a target's trend
  // in one question.
  v1::SummarizeProjectsRequest monthly = request;
  monthly.set_window_by_month(true);
  response.Clear();
  ASSERT_TRUE(store_->Summarize(monthly, &response).ok());
  const auto& months = response.groups(0).window_months();
  ASSERT_EQ(months.size(), 3);
  EXPECT_EQ(months[0].year(), 2024);
  EXPECT_EQ(months[0].month(), 2);
  EXPECT_EQ(months[0].achieved().households(), 300);
  EXPECT_EQ(months[0].phase_entries_size(), 0);
  EXPECT_EQ(months[1].month(), 3);  // the phases entered on 1 March
  EXPECT_EQ(months[1].achieved().households(), 0);
  ASSERT_EQ(months[1].phase_entries_size(), 3);
  EXPECT_EQ(months[1].phase_entries(2).phase(), v1::UNDER_CONSTRUCTION);
  EXPECT_EQ(months[1].phase_entries(2).count(), 1);
  EXPECT_EQ(months[2].month(), 12);
  EXPECT_EQ(months[2].achieved().households(), 500);
  EXPECT_EQ(response.groups(0).window_achieved().households(), 800);
  // Without a window there are no months to give.
  v1::SummarizeProjectsRequest unwindowed;
  unwindowed.set_window_by_month(true);
  EXPECT_EQ(store_->Summarize(unwindowed, &response).code(), absl::StatusCode::kInvalidArgument);

  // Grouped and filtered, the windows follow the groups.
  request.add_group_by(v1::BY_PHASE);
  response.Clear();
  ASSERT_TRUE(store_->Summarize(request, &response).ok());
  ASSERT_EQ(response.groups_size(), 1);  // both are UNDER_CONSTRUCTION today
  EXPECT_EQ(response.groups(0).window_achieved().households(), 800);

  // Without a window nothing is windowed; a half window is refused.
  v1::SummarizeProjectsRequest plain;
  response.Clear();
  ASSERT_TRUE(store_->Summarize(plain, &response).ok());
  EXPECT_FALSE(response.groups(0).has_window_achieved());
  request.clear_window_end();
  EXPECT_EQ(store_->Summarize(request, &response).code(), absl::StatusCode::kInvalidArgument);
  *request.mutable_window_end() = MakeDate(2023, 12, 31);
  absl::Status reversed = store_->Summarize(request, &response);
  EXPECT_EQ(reversed.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(reversed.message(), "window_start: 2024-01-01 is after window_end 2023-12-31");
}

TEST_F(RenewalStoreTest, ConcurrentWritersNeitherLoseUpdatesNorBothWinAnEtag) {
  auto created = Create(Housing("并发"), "race");
  ASSERT_TRUE(created.ok());
  constexpr int kWriters = 8;
  std::atomic<int> won{0}, aborted{0};
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      Project patch;
      patch.set_name("projects/race");
      patch.set_display_name(absl::StrCat("writer ", i));
      patch.set_etag(created->etag());
      auto updated = Update(patch, {"display_name"});
      if (updated.ok()) ++won;
      if (updated.status().code() == absl::StatusCode::kAborted) ++aborted;
    });
  }
  for (auto& writer : writers) writer.join();
  EXPECT_EQ(won, 1);
  EXPECT_EQ(aborted, kWriters - 1);

  std::vector<std::thread> reporters;
  for (int i = 0; i < kWriters; ++i) {
    reporters.emplace_back([&] { EXPECT_TRUE(Report("race", "2024-02", 10, 10, 1).ok()); });
  }
  for (auto& reporter : reporters) reporter.join();
  EXPECT_EQ(Get("race")->achieved().households(), 10 * kWriters);
  EXPECT_EQ(Get("race")->achieved().investment_yuan(), kWriters);
  EXPECT_EQ(History("race").size(), 2u + kWriters);
}

TEST_F(RenewalStoreTest, LocationsFarOutsideTheDistrictAreFlaggedNotRefused) {
  Project project = Housing("远处的项目");
  project.mutable_location()->set_latitude(39.9);
  project.mutable_location()->set_longitude(116.4);
  auto created = Create(project, "far");
  ASSERT_TRUE(created.ok());
  EXPECT_TRUE(created->location_outside_district());
  project.mutable_location()->set_latitude(30.62);
  project.mutable_location()->set_longitude(114.31);
  EXPECT_FALSE(Create(project, "near")->location_outside_district());
}

// The health rule is written twice, in C++ for Get (with its reasons) and
// as SQL for filters and groups: the SQL must give AssessHealth's answer for
// every combination of inputs near the rule's edges, on this engine.
TEST_F(RenewalStoreTest, HealthSqlAgreesWithAssessHealthOnEveryEdge) {
  HealthThresholds thresholds;
  thresholds.amber_lag_points = 10;
  thresholds.red_lag_points = 30;
  thresholds.red_milestone_overdue_days = 60;
  const int64_t today = 20000;
  ASSERT_THAT(db_->Exec("CREATE TABLE health_cases (id INTEGER PRIMARY KEY, phase INTEGER, "
                        "start_day INTEGER, end_day INTEGER, percent INTEGER, "
                        "open_milestone_day INTEGER, at_risk INTEGER)"),
              IsOk());
  std::vector<HealthInputs> cases;
  const std::vector<std::optional<int64_t>> starts = {std::nullopt, today - 100, today,
                                                      today + 5};
  const std::vector<std::optional<int64_t>> ends = {std::nullopt, today - 100, today - 1, today,
                                                    today + 1, today + 100};
  const std::vector<std::optional<int64_t>> milestones = {std::nullopt, today - 61, today - 60,
                                                          today - 1, today, today + 1};
  for (int phase = 0; phase <= v1::CANCELLED; ++phase) {
    for (const auto& start : starts) {
      for (const auto& end : ends) {
        for (int percent : {0, 20, 39, 40, 49, 50, 60, 61, 100}) {
          for (const auto& milestone : milestones) {
            for (bool at_risk : {false, true}) {
              HealthInputs inputs;
              inputs.phase = static_cast<v1::ProjectPhase>(phase);
              inputs.start_day = start;
              inputs.planned_completion_day = end;
              inputs.percent_complete = percent;
              inputs.earliest_open_milestone_day = milestone;
              inputs.at_risk = at_risk;
              cases.push_back(inputs);
            }
          }
        }
      }
    }
  }
  ASSERT_THAT(db_->InTransaction([&]() -> absl::Status {
    for (size_t i = 0; i < cases.size(); ++i) {
      const HealthInputs& c = cases[i];
      auto insert = db_->Prepare("INSERT INTO health_cases VALUES (?, ?, ?, ?, ?, ?, ?)");
      if (!insert.ok()) return insert.status();
      Bind(&*insert, 1,
           {static_cast<int64_t>(i), int64_t{c.phase}, c.start_day.value_or(kNoDay),
            c.planned_completion_day.value_or(kNoDay), int64_t{c.percent_complete},
            c.earliest_open_milestone_day.value_or(kNoDay), int64_t{c.at_risk}});
      if (absl::Status run = insert->Run(); !run.ok()) return run;
    }
    return absl::OkStatus();
  }),
              IsOk());
  auto select = db_->Prepare(
      absl::StrCat("SELECT id, ", HealthSql(today, thresholds), " FROM health_cases ORDER BY id"));
  ASSERT_THAT(select.status(), IsOk());
  size_t checked = 0;
  while (*select->Step()) {
    const HealthInputs& c = cases[select->ColumnInt64(0)];
    ASSERT_EQ(select->ColumnInt64(1), AssessHealth(c, today, thresholds).health)
        << "phase " << c.phase << " start " << c.start_day.value_or(-1) << " end "
        << c.planned_completion_day.value_or(-1) << " percent " << c.percent_complete
        << " milestone " << c.earliest_open_milestone_day.value_or(-1) << " at_risk "
        << c.at_risk;
    ++checked;
  }
  EXPECT_EQ(checked, cases.size());
}

// Summaries within the rollups' dimensions, with no window or one that
// starts a year, read the rollups, kept in step by every write; the same
// question asked so that it must read the projects (updated_since at the
// epoch selects them all) gives the same answer after creates, updates,
// phase changes (a suspension and resumption among them), reports, deletes
// and undeletes, and after a database from before the rollups (schema
// version 2) or before the window rollups (version 6) fills them on opening.
TEST_F(RenewalStoreTest, TheSummaryRollupAgreesWithTheProjectsAfterEveryKindOfWrite) {
  SetToday(2024, 3, 1);
  const std::vector<std::string> sub_districts = {"后湖街道", "塔子湖街道", "丹水池街道"};
  const std::vector<v1::ProjectKind> kinds = {v1::OLD_COMMUNITY_RENOVATION,
                                              v1::URBAN_VILLAGE_REDEVELOPMENT,
                                              v1::DILAPIDATED_HOUSING_RENOVATION};
  for (int i = 0; i < 24; ++i) {
    Project project = Housing(absl::StrCat("p", i), kinds[i % kinds.size()]);
    project.set_sub_district(sub_districts[i % sub_districts.size()]);
    project.set_zone(i % 2 == 0 ? "沿江" : "后湖");
    project.mutable_planned()->set_households(10 + i);
    project.mutable_planned()->set_investment_yuan(1'000'000 * (i + 1));
    ASSERT_TRUE(Create(project, absl::StrCat("p", i)).ok());
  }
  for (int i = 0; i < 24; i += 3) ASSERT_TRUE(SetPhase(absl::StrCat("p", i), v1::APPROVED).ok());
  for (int i = 0; i < 24; i += 4) {
    ASSERT_TRUE(Report(absl::StrCat("p", i), "2024-02", 30, 3, 500).ok());
  }
  SetToday(2024, 4, 10);
  for (int i = 0; i < 24; i += 6) {
    ASSERT_THAT(SetPhase(absl::StrCat("p", i), v1::UNDER_CONSTRUCTION), IsOk());
    ASSERT_THAT(Report(absl::StrCat("p", i), "2024-04", 50, 2, 700), IsOk());
  }
  SetToday(2024, 5, 20);
  for (int i = 0; i < 24; i += 12) {  // suspended and resumed: entered twice
    ASSERT_THAT(SetPhase(absl::StrCat("p", i), v1::SUSPENDED), IsOk());
    ASSERT_THAT(SetPhase(absl::StrCat("p", i), v1::UNDER_CONSTRUCTION), IsOk());
  }
  for (int i = 1; i < 24; i += 5) {
    Project patch;
    patch.set_name(absl::StrCat("projects/p", i));
    patch.set_sub_district("新的街道");
    ASSERT_TRUE(Update(patch, {"sub_district"}).ok());
  }
  for (int i = 2; i < 24; i += 6) {
    v1::DeleteProjectRequest remove;
    remove.set_name(absl::StrCat("projects/p", i));
    ASSERT_TRUE(store_->Delete(kAdmin, remove).ok());
  }
  v1::UndeleteProjectRequest restore;
  restore.set_name("projects/p2");
  ASSERT_TRUE(store_->Undelete(kAdmin, restore).ok());

  auto summarize = [&](v1::SummarizeProjectsRequest request, bool from_rows) {
    if (from_rows) request.mutable_filter()->mutable_updated_since()->set_seconds(0);
    v1::SummarizeProjectsResponse response;
    EXPECT_TRUE(store_->Summarize(request, &response).ok());
    return response.DebugString();
  };
  std::vector<v1::SummarizeProjectsRequest> questions(5);
  questions[1].add_group_by(v1::BY_KIND);
  questions[1].add_group_by(v1::BY_PHASE);
  questions[2].add_group_by(v1::BY_SUB_DISTRICT);
  questions[2].mutable_filter()->add_kinds(v1::OLD_COMMUNITY_RENOVATION);
  questions[3].add_group_by(v1::BY_ZONE);
  questions[3].add_group_by(v1::BY_COMPLETION_YEAR);
  questions[3].add_group_by(v1::BY_LEAD_DEPARTMENT);
  questions[4].mutable_filter()->set_sub_district("新的街道");
  questions[4].mutable_filter()->add_phases(v1::PLANNING);
  // Windows as the targets ask them: from the start of the year through a
  // day (partial months read by day), by month, by sub-district and kind;
  // the whole year filtered by pipe kind; one that does not start a year.
  auto window = [](v1::SummarizeProjectsRequest* question, absl::CivilDay first,
                   absl::CivilDay last) {
    *question->mutable_window_start() = FromCivilDay(first);
    *question->mutable_window_end() = FromCivilDay(last);
  };
  questions.resize(8);
  window(&questions[5], absl::CivilDay(2024, 1, 1), absl::CivilDay(2024, 5, 20));
  questions[5].set_window_by_month(true);
  questions[5].add_group_by(v1::BY_SUB_DISTRICT);
  questions[5].add_group_by(v1::BY_KIND);
  window(&questions[6], absl::CivilDay(2024, 1, 1), absl::CivilDay(2024, 12, 31));
  questions[6].mutable_filter()->add_pipe_kinds(v1::POWER);
  window(&questions[7], absl::CivilDay(2024, 4, 1), absl::CivilDay(2024, 5, 31));
  questions[7].set_window_by_month(true);
  auto all_agree = [&] {
    for (const v1::SummarizeProjectsRequest& question : questions) {
      EXPECT_EQ(summarize(question, false), summarize(question, true)) << question.DebugString();
    }
  };
  all_agree();
  // Projects p0 and p12, suspended and resumed, count once each.
  v1::SummarizeProjectsRequest year;
  window(&year, absl::CivilDay(2024, 1, 1), absl::CivilDay(2024, 12, 31));
  EXPECT_TRUE(absl::StrContains(summarize(year, false),
                                "window_phase_entries {\n    phase: UNDER_CONSTRUCTION\n    count: 4\n"))
      << summarize(year, false);
  // A project laying power ducts, found by its pipe kind.
  Project power;
  power.set_name("projects/p1");
  power.set_pipe_kind(v1::POWER);
  ASSERT_THAT(Update(power, {"pipe_kind"}).status(), IsOk());
  v1::SummarizeProjectsRequest ducts;
  ducts.mutable_filter()->add_pipe_kinds(v1::POWER);
  EXPECT_TRUE(absl::StrContains(summarize(ducts, false), "project_count: 1\n"))
      << summarize(ducts, false);
  all_agree();
  // It survives a reopen; a database made before the window rollups gets
  // them filled from its projects (schema version 7), and one made before
  // any rollup the kinds too (version 6).
  for (const char* table : {"project_rollups", "project_report_rollups", "project_entry_rollups"}) {
    ASSERT_THAT(db_->Exec(absl::StrCat("DROP TABLE ", table)), IsOk());
  }
  ASSERT_THAT(db_->SetSchemaVersion(6), IsOk());
  Open();
  all_agree();
  for (const char* table : {"project_rollups", "project_report_rollups", "project_entry_rollups"}) {
    ASSERT_THAT(db_->Exec(absl::StrCat("DROP TABLE ", table)), IsOk());
  }
  for (const char* column : {"pipe_kind", "road_kind"}) {  // v6's
    ASSERT_THAT(db_->Exec(absl::StrCat("ALTER TABLE projects DROP COLUMN ", column)), IsOk());
  }
  ASSERT_THAT(db_->SetSchemaVersion(2), IsOk());
  Open();
  all_agree();
  EXPECT_NE(summarize(questions[1], false), summarize(v1::SummarizeProjectsRequest(), false));
  EXPECT_TRUE(absl::StrContains(summarize(ducts, false), "project_count: 1\n"))
      << summarize(ducts, false);
}

TEST_F(RenewalStoreTest, ABatchCreatesEveryProjectOrNone) {
  auto batch_of = [&](const std::vector<std::pair<std::string, std::string>>& ids_and_names,
                      const std::string& request_prefix = "") {
    v1::BatchCreateProjectsRequest batch;
    for (const auto& [id, name] : ids_and_names) {
      v1::CreateProjectRequest* one = batch.add_requests();
      *one->mutable_project() = Housing(name);
      one->set_project_id(id);
      if (!request_prefix.empty()) one->set_request_id(request_prefix + id);
    }
    return batch;
  };
  v1::BatchCreateProjectsResponse made;
  ASSERT_THAT(store_->BatchCreate(kAdmin, batch_of({{"b1", "一"}, {"b2", "二"}, {"b3", "三"}}, "r-"),
                                  &made),
              IsOk());
  ASSERT_EQ(made.projects_size(), 3);
  EXPECT_EQ(made.projects(1).name(), "projects/b2");
  EXPECT_EQ(made.projects(1).health(), v1::GREEN);
  // Repeated request_ids give what the first batch made, and make nothing.
  v1::BatchCreateProjectsResponse again;
  ASSERT_THAT(store_->BatchCreate(kAdmin, batch_of({{"b1", "一"}, {"b2", "二"}}, "r-"), &again),
              IsOk());
  EXPECT_EQ(again.projects(0).etag(), made.projects(0).etag());

  // One refused create refuses the batch, named by its place, and keeps
  // nothing of the others.
  v1::BatchCreateProjectsRequest invalid = batch_of({{"c1", "四"}, {"c2", ""}});
  v1::BatchCreateProjectsResponse none;
  EXPECT_THAT(store_->BatchCreate(kAdmin, invalid, &none),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("requests[1].project.")));
  EXPECT_THAT(store_->BatchCreate(kAdmin, batch_of({{"c1", "四"}, {"b3", "五"}}), &none),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("requests[1].")));
  EXPECT_THAT(store_->BatchCreate(kAdmin, batch_of({{"c1", "四"}, {"c1", "六"}}), &none),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("requests[1].")));
  EXPECT_EQ(Get("c1").status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(store_->BatchCreate(kTransport, batch_of({{"c1", "四"}}), &none),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("requests[0].")));
  EXPECT_THAT(store_->BatchCreate(kAdmin, v1::BatchCreateProjectsRequest(), &none),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("requests: must hold 1 to 1000")));
  EXPECT_EQ(none.projects_size(), 0);

  v1::SummarizeProjectsRequest total;
  v1::SummarizeProjectsResponse summary;
  ASSERT_THAT(store_->Summarize(total, &summary), IsOk());
  EXPECT_EQ(summary.groups(0).project_count(), 3);
}

}  // namespace
}  // namespace jiangan::renewal
