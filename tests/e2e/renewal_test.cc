// The renewal service end to end: a real redis-server and the four real
// binaries, called over real gRPC through the gateway as the district's
// departments would, and straight at the service as a forger would.
#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <functional>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/identity/identity.h"
#include "gtest/gtest.h"
#include "jiangan/renewal/v1/renewal.grpc.pb.h"
#include "tests/support/http_client.h"
#include "tests/support/system_under_test.h"

namespace jiangan {
namespace {

namespace v1 = renewal::v1;
using testing::kHousingDepartment;

class RenewalSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::Status started = system_.Start();
    ASSERT_TRUE(started.ok()) << started;
    gateway_ = v1::RenewalService::NewStub(system_.GatewayChannel());
    direct_ = v1::RenewalService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", system_.service("renewal").grpc_port),
        grpc::InsecureChannelCredentials()));
  }

  // A call through the gateway as `caller` ("admin", "viewer",
  // "housing-editor", "transport-editor"); "" sends no token.
  std::unique_ptr<grpc::ClientContext> As(const std::string& caller) const {
    return system_.CallAs(caller);
  }

  grpc::Status Create(const std::string& caller, const std::string& id, const v1::Project& project,
                      v1::Project* created) {
    v1::CreateProjectRequest request;
    request.set_project_id(id);
    *request.mutable_project() = project;
    return gateway_->CreateProject(As(caller).get(), request, created);
  }

  static v1::Project Housing(const std::string& name) {
    v1::Project project;
    project.set_display_name(name);
    project.set_kind(v1::OLD_COMMUNITY_RENOVATION);
    project.set_lead_department(kHousingDepartment);
    project.set_sub_district("后湖街道");
    return project;
  }

  // Reads through the gateway until the gateway has put the project in Redis
  // (filled in the background: allow for a loaded machine, up to 5 s).
  void WarmCache(const std::string& name) {
    for (int i = 0; i < 500; ++i) {
      v1::GetProjectRequest get;
      get.set_name(name);
      v1::Project project;
      auto context = As("viewer");
      ASSERT_TRUE(gateway_->GetProject(context.get(), get, &project).ok());
      if (testing::CacheHeader(*context) == "hit") return;
      absl::SleepFor(absl::Milliseconds(10));
    }
    FAIL() << name << " never came from the cache";
  }

  testing::SystemUnderTest system_;
  std::unique_ptr<v1::RenewalService::Stub> gateway_;
  std::unique_ptr<v1::RenewalService::Stub> direct_;
};

TEST_F(RenewalSystemTest, ADepartmentRunsAProjectThroughItsLife) {
  v1::Project project = Housing("安居苑老旧小区改造");
  project.mutable_start_date()->set_year(2024);
  project.mutable_start_date()->set_month(1);
  project.mutable_start_date()->set_day(1);
  project.mutable_planned_completion_date()->set_year(2024);
  project.mutable_planned_completion_date()->set_month(12);
  project.mutable_planned_completion_date()->set_day(31);
  project.mutable_planned()->set_households(1700);
  project.mutable_planned()->set_investment_yuan(120'000'000);
  v1::Project created;
  ASSERT_TRUE(Create("housing-editor", "anjuyuan", project, &created).ok());
  EXPECT_EQ(created.creator(), "editor@housing");

  v1::UpdateProjectRequest approve;
  approve.mutable_project()->set_name("projects/anjuyuan");
  approve.mutable_project()->set_phase(v1::APPROVED);
  approve.mutable_project()->set_etag(created.etag());
  approve.mutable_update_mask()->add_paths("phase");
  v1::Project approved;
  ASSERT_TRUE(gateway_->UpdateProject(As("housing-editor").get(), approve, &approved).ok());
  EXPECT_EQ(approved.baseline().planned().households(), 1700);

  WarmCache("projects/anjuyuan");
  // A progress report changes the project: the cached copy must go.
  v1::ReportProgressRequest report;
  report.set_parent("projects/anjuyuan");
  report.set_request_id("anjuyuan-2024-06");
  report.mutable_progress_report()->set_period("2024-06");
  report.mutable_progress_report()->set_percent_complete(40);
  report.mutable_progress_report()->mutable_achieved()->set_households(600);
  report.mutable_progress_report()->mutable_achieved()->set_investment_yuan(35'000'000);
  v1::ProgressReport reported;
  ASSERT_TRUE(gateway_->ReportProgress(As("housing-editor").get(), report, &reported).ok());
  v1::ProgressReport again;
  ASSERT_TRUE(gateway_->ReportProgress(As("housing-editor").get(), report, &again).ok());
  EXPECT_EQ(again.name(), reported.name());

  v1::GetProjectRequest get;
  get.set_name("projects/anjuyuan");
  v1::Project got;
  auto context = As("viewer");
  ASSERT_TRUE(gateway_->GetProject(context.get(), get, &got).ok());
  EXPECT_EQ(testing::CacheHeader(*context), "miss");
  EXPECT_EQ(got.achieved().households(), 600);  // counted once
  EXPECT_EQ(got.percent_complete(), 40);
  EXPECT_NE(got.health(), v1::HEALTH_UNSPECIFIED);

  v1::ListProgressReportsRequest reports;
  reports.set_parent("projects/anjuyuan");
  v1::ListProgressReportsResponse listed;
  ASSERT_TRUE(gateway_->ListProgressReports(As("viewer").get(), reports, &listed).ok());
  ASSERT_EQ(listed.progress_reports_size(), 1);
  EXPECT_EQ(listed.progress_reports(0).reporter(), "editor@housing");

  v1::ListProjectHistoryRequest history;
  history.set_parent("projects/anjuyuan");
  v1::ListProjectHistoryResponse changes;
  ASSERT_TRUE(gateway_->ListProjectHistory(As("viewer").get(), history, &changes).ok());
  ASSERT_EQ(changes.changes_size(), 3);
  EXPECT_EQ(changes.changes(1).method(), "UpdateProject");
  EXPECT_EQ(changes.changes(1).field_changes(0).new_value(), R"({"phase":"APPROVED"})");

  v1::SummarizeProjectsRequest summarize;
  summarize.add_group_by(v1::BY_SUB_DISTRICT);
  v1::SummarizeProjectsResponse summary;
  ASSERT_TRUE(gateway_->SummarizeProjects(As("viewer").get(), summarize, &summary).ok());
  ASSERT_EQ(summary.groups_size(), 1);
  EXPECT_EQ(summary.groups(0).sub_district(), "后湖街道");
  EXPECT_EQ(summary.groups(0).achieved().investment_yuan(), 35'000'000);
  EXPECT_EQ(summary.groups(0).planned().investment_yuan(), 120'000'000);

  // Soft delete through the gateway also drops the cached copy.
  WarmCache("projects/anjuyuan");
  v1::DeleteProjectRequest remove;
  remove.set_name("projects/anjuyuan");
  v1::Project removed;
  ASSERT_TRUE(gateway_->DeleteProject(As("housing-editor").get(), remove, &removed).ok());
  EXPECT_EQ(gateway_->GetProject(As("viewer").get(), get, &got).error_code(), grpc::NOT_FOUND);
  v1::UndeleteProjectRequest restore;
  restore.set_name("projects/anjuyuan");
  ASSERT_TRUE(gateway_->UndeleteProject(As("admin").get(), restore, &removed).ok());
  EXPECT_TRUE(gateway_->GetProject(As("viewer").get(), get, &got).ok());
}

TEST_F(RenewalSystemTest, RolesAndDepartmentsAreEnforced) {
  v1::Project created;
  EXPECT_EQ(Create("", "x", Housing("x"), &created).error_code(), grpc::UNAUTHENTICATED);
  grpc::ClientContext bad_token;
  bad_token.AddMetadata("authorization", "Bearer not-a-token");
  v1::CreateProjectRequest request;
  request.set_project_id("x");
  *request.mutable_project() = Housing("x");
  EXPECT_EQ(gateway_->CreateProject(&bad_token, request, &created).error_code(),
            grpc::UNAUTHENTICATED);
  grpc::Status viewer = Create("viewer", "x", Housing("x"), &created);
  EXPECT_EQ(viewer.error_code(), grpc::PERMISSION_DENIED);
  EXPECT_EQ(Create("transport-editor", "x", Housing("x"), &created).error_code(),
            grpc::PERMISSION_DENIED);
  ASSERT_TRUE(Create("housing-editor", "x", Housing("x"), &created).ok());

  v1::UpdateProjectRequest rename;
  rename.mutable_project()->set_name("projects/x");
  rename.mutable_project()->set_display_name("y");
  rename.mutable_update_mask()->add_paths("display_name");
  v1::Project updated;
  EXPECT_EQ(gateway_->UpdateProject(As("transport-editor").get(), rename, &updated).error_code(),
            grpc::PERMISSION_DENIED);
  // A client that sends its own identity headers to the gateway gets nothing
  // for it: the gateway replaces them with the token's identity.
  auto smuggler = As("viewer");
  IdentitySigner signer(system_.credentials().key());
  for (const auto& [key, value] :
       signer.Sign(system_.credentials().IdentityOf("admin"), absl::Now())) {
    smuggler->AddMetadata(key, value);
  }
  EXPECT_EQ(gateway_->UpdateProject(smuggler.get(), rename, &updated).error_code(),
            grpc::PERMISSION_DENIED);
  // Reads are anyone's who is authenticated.
  v1::GetProjectRequest get;
  get.set_name("projects/x");
  EXPECT_TRUE(gateway_->GetProject(As("transport-editor").get(), get, &updated).ok());
  EXPECT_EQ(gateway_->GetProject(As("").get(), get, &updated).error_code(),
            grpc::UNAUTHENTICATED);
}

TEST_F(RenewalSystemTest, AForgedIdentitySentStraightToTheServiceIsRefused) {
  v1::CreateProjectRequest request;
  request.set_project_id("forged");
  *request.mutable_project() = Housing("伪造的项目");
  v1::Project created;
  const Identity admin = system_.credentials().IdentityOf("admin");

  auto call = [&](const std::vector<std::pair<std::string, std::string>>& metadata) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    for (const auto& [key, value] : metadata) context.AddMetadata(key, value);
    return direct_->CreateProject(&context, request, &created);
  };
  grpc::Status none = call({});
  EXPECT_EQ(none.error_code(), grpc::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StartsWith(none.error_message(), "identity: no identity was asserted"));

  // Signed with a key the forger made up.
  IdentitySigner forger("a key that is not the gateway's, though long enough");
  grpc::Status other_key = call(forger.Sign(admin, absl::Now()));
  EXPECT_EQ(other_key.error_code(), grpc::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StrContains(other_key.error_message(), "signature"));

  // A real assertion, altered to claim another role.
  IdentitySigner gateway_signer(system_.credentials().key());
  auto viewer_assertion =
      gateway_signer.Sign(system_.credentials().IdentityOf("viewer"), absl::Now());
  auto admin_assertion = gateway_signer.Sign(admin, absl::Now());
  EXPECT_EQ(call({viewer_assertion[0], admin_assertion[1]}).error_code(), grpc::UNAUTHENTICATED);
  // An old assertion replayed.
  grpc::Status replayed = call(gateway_signer.Sign(admin, absl::Now() - absl::Minutes(10)));
  EXPECT_EQ(replayed.error_code(), grpc::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StrContains(replayed.error_message(), "expired"));
  // Reads are refused too.
  grpc::ClientContext reader;
  v1::ListProjectsResponse page;
  EXPECT_EQ(direct_->ListProjects(&reader, {}, &page).error_code(), grpc::UNAUTHENTICATED);

  // Nothing was stored; a genuine assertion is accepted.
  EXPECT_TRUE(call(gateway_signer.Sign(admin, absl::Now())).ok());
  EXPECT_EQ(created.creator(), "admin@district");
}

TEST_F(RenewalSystemTest, BadInputGetsTheRightStatusNamingTheFieldAndChangesNothing) {
  v1::Project created;
  ASSERT_TRUE(Create("admin", "p", Housing("项目"), &created).ok());
  struct Case {
    std::function<grpc::Status()> call;
    grpc::StatusCode code;
    std::string message_prefix;
  };
  auto update = [this](const std::function<void(v1::UpdateProjectRequest*)>& set) {
    return [this, set] {
      v1::UpdateProjectRequest request;
      request.mutable_project()->set_name("projects/p");
      set(&request);
      v1::Project out;
      return gateway_->UpdateProject(As("admin").get(), request, &out);
    };
  };
  auto create = [this](const std::function<void(v1::Project*)>& set) {
    return [this, set] {
      v1::Project project = Housing("新项目");
      set(&project);
      v1::Project out;
      return Create("admin", "", project, &out);
    };
  };
  const std::vector<Case> cases = {
      {create([](v1::Project* p) { p->clear_display_name(); }), grpc::INVALID_ARGUMENT,
       "project.display_name:"},
      {create([](v1::Project* p) { p->set_kind(static_cast<v1::ProjectKind>(99)); }),
       grpc::INVALID_ARGUMENT, "project.kind:"},
      {create([](v1::Project* p) { p->mutable_planned()->set_households(-1); }),
       grpc::INVALID_ARGUMENT, "project.planned.households:"},
      {create([](v1::Project* p) { p->mutable_location()->set_longitude(200); }),
       grpc::INVALID_ARGUMENT, "project.location.longitude:"},
      {create([](v1::Project* p) { p->mutable_start_date()->set_year(2024); }),
       grpc::INVALID_ARGUMENT, "project.start_date:"},
      {update([](v1::UpdateProjectRequest* r) {
         r->mutable_project()->set_phase(v1::COMPLETED);
         r->mutable_update_mask()->add_paths("phase");
       }),
       grpc::FAILED_PRECONDITION, "project.phase: cannot go from PLANNING to COMPLETED"},
      {update([](v1::UpdateProjectRequest* r) {
         r->mutable_project()->set_display_name("x");
         r->mutable_project()->set_etag("stale");
         r->mutable_update_mask()->add_paths("display_name");
       }),
       grpc::ABORTED, "project.etag:"},
      {update([](v1::UpdateProjectRequest* r) { r->mutable_update_mask()->add_paths("health"); }),
       grpc::INVALID_ARGUMENT, "update_mask:"},
      {update([](v1::UpdateProjectRequest* r) {
         r->mutable_project()->set_name("projects/none");
         r->mutable_project()->set_display_name("x");
         r->mutable_update_mask()->add_paths("display_name");
       }),
       grpc::NOT_FOUND, "projects/none"},
      {[this] {
         v1::Project out;
         return Create("admin", "p", Housing("again"), &out);
       },
       grpc::ALREADY_EXISTS, "projects/p"},
      {[this] {
         v1::ReportProgressRequest request;
         request.set_parent("projects/p");
         request.mutable_progress_report()->set_period("2024/06");
         v1::ProgressReport out;
         return gateway_->ReportProgress(As("admin").get(), request, &out);
       },
       grpc::INVALID_ARGUMENT, "progress_report.period:"},
      {[this] {
         v1::ListProjectsRequest request;
         request.set_order_by("budget");
         v1::ListProjectsResponse out;
         return gateway_->ListProjects(As("admin").get(), request, &out);
       },
       grpc::INVALID_ARGUMENT, "order_by:"},
      {[this] {
         v1::SummarizeProjectsRequest request;
         request.add_group_by(static_cast<v1::ProjectGrouping>(42));
         v1::SummarizeProjectsResponse out;
         return gateway_->SummarizeProjects(As("admin").get(), request, &out);
       },
       grpc::INVALID_ARGUMENT, "group_by[0]:"},
      {[this] {
         v1::ListProjectHistoryRequest request;
         request.set_parent("leads/p");
         v1::ListProjectHistoryResponse out;
         return gateway_->ListProjectHistory(As("admin").get(), request, &out);
       },
       grpc::INVALID_ARGUMENT, "parent:"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    grpc::Status status = cases[i].call();
    EXPECT_EQ(status.error_code(), cases[i].code) << i << ": " << status.error_message();
    EXPECT_TRUE(absl::StartsWith(status.error_message(), cases[i].message_prefix) ||
                absl::StrContains(status.error_message(), cases[i].message_prefix))
        << i << ": " << status.error_message();
  }
  // Nothing of it was stored.
  v1::ListProjectsResponse page;
  ASSERT_TRUE(gateway_->ListProjects(As("admin").get(), {}, &page).ok());
  ASSERT_EQ(page.projects_size(), 1);
  EXPECT_EQ(page.projects(0).etag(), created.etag());
}

TEST_F(RenewalSystemTest, InternalToolsReachEveryMethodOverHttpJson) {
  auto http = [this](const std::string& caller, const std::string& method,
                     const std::string& target, const std::string& body = "") {
    auto result = testing::HttpRequestTo(system_.gateway().http_port, method, target, body,
                                         system_.credentials().Bearer(caller));
    EXPECT_TRUE(result.ok()) << target;
    return result.ok() ? *result : testing::HttpResult{};
  };
  auto created = http("housing-editor", "POST", "/v1/projects?project_id=wenxinyuan",
                      R"({"displayName":"温馨苑老旧小区改造","kind":"OLD_COMMUNITY_RENOVATION",)"
                      R"("leadDepartment":"区住房和城市更新局","subDistrict":"后湖街道"})");
  EXPECT_EQ(created.status, 200) << created.body;
  auto reported = http("housing-editor", "POST", "/v1/projects/wenxinyuan:reportProgress",
                       R"({"period":"2024-05","percentComplete":30,"achieved":{"households":120}})");
  EXPECT_EQ(reported.status, 200) << reported.body;
  EXPECT_TRUE(absl::StrContains(reported.body, "projects/wenxinyuan/progressReports/"));
  auto reports = http("viewer", "GET", "/v1/projects/wenxinyuan/progressReports");
  EXPECT_EQ(reports.status, 200) << reports.body;
  EXPECT_TRUE(absl::StrContains(reports.body, "\"period\":\"2024-05\"")) << reports.body;
  auto history = http("viewer", "GET", "/v1/projects/wenxinyuan/history?page_size=1");
  EXPECT_EQ(history.status, 200) << history.body;
  EXPECT_TRUE(absl::StrContains(history.body, "\"method\":\"CreateProject\"")) << history.body;
  EXPECT_TRUE(absl::StrContains(history.body, "nextPageToken")) << history.body;

  // Query parameters nest ("filter.x") and repeat (comma-separated).
  auto summary = http("viewer", "GET",
                      "/v1/projects:summarize?group_by=BY_KIND,BY_SUB_DISTRICT"
                      "&filter.kinds=OLD_COMMUNITY_RENOVATION,URBAN_VILLAGE_REDEVELOPMENT");
  EXPECT_EQ(summary.status, 200) << summary.body;
  EXPECT_TRUE(absl::StrContains(summary.body, "\"households\":\"120\"")) << summary.body;
  EXPECT_TRUE(absl::StrContains(summary.body, "\"subDistrict\":\"后湖街道\"")) << summary.body;
  auto filtered = http("viewer", "GET", "/v1/projects?filter.subDistrict=塔子湖街道");
  EXPECT_EQ(filtered.status, 200);
  EXPECT_FALSE(absl::StrContains(filtered.body, "wenxinyuan")) << filtered.body;

  EXPECT_EQ(http("viewer", "DELETE", "/v1/projects/wenxinyuan").status, 403);
  EXPECT_EQ(http("housing-editor", "DELETE", "/v1/projects/wenxinyuan").status, 200);
  auto restored = http("housing-editor", "POST", "/v1/projects/wenxinyuan:undelete");
  EXPECT_EQ(restored.status, 200) << restored.body;

  EXPECT_EQ(http("viewer", "GET", "/v1/projects:nonsense").status, 404);
  // A summary may be POSTed with its request as the body (its HTTP rule
  // says so); a write never GETs.
  auto posted = http("viewer", "POST", "/v1/projects:summarize", R"({"groupBy":["BY_KIND"]})");
  EXPECT_EQ(posted.status, 200) << posted.body;
  EXPECT_EQ(http("viewer", "GET", "/v1/projects/wenxinyuan:undelete").status, 501);
  EXPECT_EQ(http("viewer", "GET", "/v1/projects?filter.nope=1").status, 400);
  EXPECT_EQ(http("viewer", "GET", "/v1/projects/wenxinyuan/nothing").status, 404);
  auto bad_report = http("housing-editor", "POST", "/v1/projects/wenxinyuan:reportProgress",
                         R"({"period":"May","percentComplete":30})");
  EXPECT_EQ(bad_report.status, 400);
  EXPECT_TRUE(absl::StrContains(bad_report.body, "progress_report.period")) << bad_report.body;
}

TEST_F(RenewalSystemTest, TheDistrictsSeedLoadsOnceHoweverOftenItIsApplied) {
  const std::string command = absl::StrCat(
      JIANGAN_CLI, " --target=127.0.0.1:", system_.gateway().grpc_port,
      " --authorization='", system_.credentials().Bearer("admin"), "' seed ", JIANGAN_SOURCE_DIR,
      "/seed/2024/portfolio.jsonl > /dev/null");
  ASSERT_EQ(std::system(command.c_str()), 0);
  ASSERT_EQ(std::system(command.c_str()), 0);
  v1::SummarizeProjectsRequest request;
  request.add_group_by(v1::BY_ZONE);
  v1::SummarizeProjectsResponse summary;
  ASSERT_TRUE(gateway_->SummarizeProjects(As("viewer").get(), request, &summary).ok());
  std::map<std::string, int64_t> by_zone;
  int64_t total = 0, buildings = 0;
  for (const auto& group : summary.groups()) {
    by_zone[group.zone()] = group.project_count();
    total += group.project_count();
    buildings += group.planned().buildings();
  }
  EXPECT_EQ(total, 34);
  EXPECT_EQ(buildings, 9);  // the nine riverside towers
  EXPECT_EQ(by_zone["汉口历史风貌区"], 6);
  v1::GetProjectRequest get;
  get.set_name("projects/chow-tai-fook-finance-centre");
  v1::Project tower;
  ASSERT_TRUE(gateway_->GetProject(As("viewer").get(), get, &tower).ok());
  EXPECT_EQ(tower.display_name(), "周大福金融中心");
  EXPECT_EQ(tower.zone(), "汉口滨江国际商务区");
  EXPECT_TRUE(tower.has_baseline());  // created under construction
}

}  // namespace
}  // namespace jiangan
