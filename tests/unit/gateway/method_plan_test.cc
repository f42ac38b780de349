#include "gateway/method_plan.h"

#include "common/runtime/api_catalog.h"
#include "gtest/gtest.h"
#include "jiangan/renewal/v1/renewal.pb.h"

namespace jiangan::gateway {
namespace {

MethodPlan::Kind KindOf(const std::string& method) {
  return PlanMethod(FindApiMethod(method)).kind;
}

TEST(MethodPlanTest, ClassifiesEveryMethodByAipConvention) {
  EXPECT_EQ(KindOf("jiangan.renewal.v1.RenewalService/GetProject"),
            MethodPlan::Kind::kCachedRead);
  EXPECT_EQ(KindOf("jiangan.renewal.v1.RenewalService/ListProjects"), MethodPlan::Kind::kRead);
  EXPECT_EQ(KindOf("jiangan.renewal.v1.RenewalService/CreateProject"),
            MethodPlan::Kind::kWrite);
  EXPECT_EQ(KindOf("jiangan.investment.v1.InvestmentService/UpdateLead"),
            MethodPlan::Kind::kWrite);
  EXPECT_EQ(KindOf("jiangan.facilities.v1.FacilitiesService/GetFacility"),
            MethodPlan::Kind::kCachedRead);
  const MethodPlan plan = PlanMethod(FindApiMethod("/jiangan.renewal.v1.RenewalService/GetProject"));
  EXPECT_EQ(plan.path, "/jiangan.renewal.v1.RenewalService/GetProject");
  EXPECT_EQ(plan.service, "jiangan.renewal.v1.RenewalService");
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
