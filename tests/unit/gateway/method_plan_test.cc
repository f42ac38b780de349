#include "gateway/method_plan.h"

#include "common/runtime/api_catalog.h"
#include "gtest/gtest.h"
#include "jiangan/renewal/v1/renewal.pb.h"

namespace jiangan::gateway {
namespace {

MethodPlan::Kind KindOfMethod(const std::string& method) {
  const MethodPlan::Kind kind = PlanMethod(FindApiMethod(method)).kind;
  EXPECT_EQ(kind, KindOf(FindApiMethod(method))) << method;
  return kind;
}

TEST(MethodPlanTest, ClassifiesEveryMethodByAipConvention) {
  EXPECT_EQ(KindOfMethod("jiangan.renewal.v1.RenewalService/GetProject"),
            MethodPlan::Kind::kCachedRead);
  EXPECT_EQ(KindOfMethod("jiangan.renewal.v1.RenewalService/ListProjects"), MethodPlan::Kind::kRead);
  EXPECT_EQ(KindOfMethod("jiangan.renewal.v1.RenewalService/CreateProject"),
            MethodPlan::Kind::kWrite);
  EXPECT_EQ(KindOfMethod("jiangan.investment.v1.InvestmentService/UpdateLead"),
            MethodPlan::Kind::kWrite);
  EXPECT_EQ(KindOfMethod("jiangan.facilities.v1.FacilitiesService/GetFacility"),
            MethodPlan::Kind::kCachedRead);
  EXPECT_EQ(KindOfMethod("jiangan.investment.v1.InvestmentService/FindSimilarLeads"),
            MethodPlan::Kind::kRead);
  EXPECT_EQ(KindOfMethod("jiangan.investment.v1.InvestmentService/RecordFunds"),
            MethodPlan::Kind::kWrite);
  EXPECT_EQ(KindOfMethod("jiangan.facilities.v1.FacilitiesService/SearchNearby"),
            MethodPlan::Kind::kRead);
  // Named like a write, declared without side effects: a read.
  EXPECT_EQ(KindOfMethod("jiangan.facilities.v1.FacilitiesService/ReportCoverage"),
            MethodPlan::Kind::kRead);
  EXPECT_EQ(KindOfMethod("jiangan.facilities.v1.FacilitiesService/AssessCoverage"),
            MethodPlan::Kind::kRead);
  EXPECT_EQ(KindOfMethod("jiangan.facilities.v1.FacilitiesService/RecordCapacity"),
            MethodPlan::Kind::kWrite);
  const MethodPlan plan = PlanMethod(FindApiMethod("/jiangan.renewal.v1.RenewalService/GetProject"));
  EXPECT_EQ(plan.path, "/jiangan.renewal.v1.RenewalService/GetProject");
  EXPECT_EQ(plan.service, "jiangan.renewal.v1.RenewalService");
}

TEST(MethodPlanTest, ResponsesWithPersonalInformationAreCachedPerCallerView) {
  const MethodPlan lead = PlanMethod(FindApiMethod("jiangan.investment.v1.InvestmentService/GetLead"));
  const MethodPlan project =
      PlanMethod(FindApiMethod("jiangan.renewal.v1.RenewalService/GetProject"));
  EXPECT_TRUE(lead.per_caller_view);
  EXPECT_FALSE(project.per_caller_view);
  const Identity admin{"a", "区人民政府办公室", Role::kAdmin};
  const Identity office{"b", "区投资促进局", Role::kViewer};
  const Identity office_editor{"c", "区投资促进局", Role::kEditor};
  const Identity other{"d", "区商务局", Role::kViewer};
  EXPECT_EQ(CallerView(project, admin), CallerView(project, other));  // one shared copy
  EXPECT_EQ(CallerView(lead, office), CallerView(lead, office_editor));
  EXPECT_NE(CallerView(lead, office), CallerView(lead, other));
  EXPECT_NE(CallerView(lead, admin), CallerView(lead, other));
}

TEST(MethodPlanTest, OnlyReadsAndWritesWithARequestIdMayBeRepeated) {
  const MethodPlan get = PlanMethod(FindApiMethod("jiangan.renewal.v1.RenewalService/GetProject"));
  const MethodPlan list =
      PlanMethod(FindApiMethod("jiangan.renewal.v1.RenewalService/ListProjects"));
  const MethodPlan create =
      PlanMethod(FindApiMethod("jiangan.renewal.v1.RenewalService/CreateProject"));
  const MethodPlan update =
      PlanMethod(FindApiMethod("jiangan.renewal.v1.RenewalService/UpdateProject"));
  EXPECT_TRUE(MayRepeat(get, renewal::v1::GetProjectRequest()));
  EXPECT_TRUE(MayRepeat(list, renewal::v1::ListProjectsRequest()));
  renewal::v1::CreateProjectRequest request;
  EXPECT_FALSE(MayRepeat(create, request));
  request.set_request_id("7c1d");
  EXPECT_TRUE(MayRepeat(create, request));
  EXPECT_FALSE(MayRepeat(update, renewal::v1::UpdateProjectRequest()));
}

TEST(MethodPlanTest, WrittenNamesCoverRequestNestedAndResponseNames) {
  renewal::v1::UpdateProjectRequest request;
  request.mutable_project()->set_name("projects/a");
  renewal::v1::Project response;
  response.set_name("projects/a");
  EXPECT_EQ(WrittenNames(request, response), std::vector<std::string>{"projects/a"});

  renewal::v1::CreateProjectRequest create;
  create.mutable_project()->set_display_name("x");
  response.set_name("projects/new");
  EXPECT_EQ(WrittenNames(create, response), std::vector<std::string>{"projects/new"});

  renewal::v1::GetProjectRequest get;
  get.set_name("projects/b");
  EXPECT_EQ(RequestedName(get), "projects/b");
}

}  // namespace
}  // namespace jiangan::gateway
