#include "gateway/method_plan.h"

#include "common/runtime/api_catalog.h"
#include "gtest/gtest.h"
#include "absl/strings/str_cat.h"
#include "jiangan/portfolio/v1/portfolio.pb.h"
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

}

TEST(MethodPlanTest, AGetIsCachedUnderItsNameAndNothingElseIsWithoutADeclaration) {
  const MethodPlan get = PlanMethod(FindApiMethod("jiangan.renewal.v1.RenewalService/GetProject"));
  renewal::v1::GetProjectRequest request;
  request.set_name("projects/b");
  const Identity viewer{"v", "区统计局", Role::kViewer};
  const absl::CivilDay day(2024, 6, 30);
  auto slot = CacheSlotOf(get, request, request.SerializeAsString(), viewer, day);
  ASSERT_TRUE(slot.has_value());
  EXPECT_EQ(slot->name, "projects/b");
  EXPECT_FALSE(CacheSlotOf(get, renewal::v1::GetProjectRequest(), "", viewer, day).has_value());
  const MethodPlan list =
      PlanMethod(FindApiMethod("jiangan.renewal.v1.RenewalService/ListProjects"));
  EXPECT_FALSE(CacheSlotOf(list, renewal::v1::ListProjectsRequest(), "", viewer, day).has_value());
}

TEST(MethodPlanTest, DeclaredAnswersAreCachedPerRequestAndDayAndDroppedByDeclaredWrites) {
  // The targets' answers are declared in portfolio.proto; no gateway code
  // names them.
  for (const char* method :
       {"GetTarget", "ListTargets", "ListTargetContributions", "ExportTargets"}) {
    const MethodPlan plan =
        PlanMethod(FindApiMethod(absl::StrCat("jiangan.portfolio.v1.PortfolioService/", method)));
    EXPECT_EQ(plan.kind, MethodPlan::Kind::kCachedAnswer) << method;
    EXPECT_EQ(plan.answer_group, "targets") << method;
    EXPECT_TRUE(plan.daily_answers) << method;
  }
  const MethodPlan list =
      PlanMethod(FindApiMethod("jiangan.portfolio.v1.PortfolioService/ListTargets"));
  const Identity viewer{"v", "区统计局", Role::kViewer};
  portfolio::v1::ListTargetsRequest all, red;
  red.mutable_filter()->add_healths(portfolio::v1::RED);
  auto slot = [&](const portfolio::v1::ListTargetsRequest& request, absl::CivilDay day) {
    return CacheSlotOf(list, request, request.SerializeAsString(), viewer, day).value();
  };
  const absl::CivilDay day(2024, 6, 30);
  EXPECT_EQ(slot(all, day).name, "targets");
  EXPECT_EQ(slot(red, day).name, "targets");
  EXPECT_EQ(slot(all, day).view, slot(all, day).view);
  EXPECT_NE(slot(all, day).view, slot(red, day).view);
  EXPECT_NE(slot(all, day).view, slot(all, day + 1).view);  // the pace moves daily

  // Every write of a service whose records move targets drops the group; a
  // read drops nothing.
  for (const char* write :
       {"jiangan.renewal.v1.RenewalService/ReportProgress",
        "jiangan.investment.v1.InvestmentService/RecordFunds",
        "jiangan.facilities.v1.FacilitiesService/RecordCapacity",
        "jiangan.target_values.v1.TargetValuesService/RecordTargetValue"}) {
    EXPECT_EQ(PlanMethod(FindApiMethod(write)).invalidated_groups,
              std::vector<std::string>{"targets"})
        << write;
  }
  EXPECT_TRUE(PlanMethod(FindApiMethod("jiangan.renewal.v1.RenewalService/ListProjects"))
                  .invalidated_groups.empty());
}

TEST(MethodPlanTest, AnAnswerNamingWhatWasUnreachableIsPartial) {
  portfolio::v1::ListTargetsResponse page;
  page.add_targets()->set_name("targets/a");
  EXPECT_FALSE(IsPartial(page));
  page.add_unreachable("facilities");
  EXPECT_TRUE(IsPartial(page));
  EXPECT_FALSE(IsPartial(renewal::v1::Project()));
}

}  // namespace
}  // namespace jiangan::gateway
