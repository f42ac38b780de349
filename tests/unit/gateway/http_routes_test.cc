#include "gateway/http_routes.h"

#include "common/runtime/api_catalog.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace jiangan::gateway {
namespace {

using jiangan::testing::StatusIs;
using ::testing::HasSubstr;

TEST(RouteTemplateTest, ParsesVariablesAndVerb) {
  absl::StatusOr<HttpRoute> route = ParseRouteTemplate("/v1/{project.name=projects/*}:undelete");
  ASSERT_TRUE(route.ok()) << route.status();
  EXPECT_EQ(route->segments, (std::vector<std::string>{"v1", "projects", "*"}));
  EXPECT_EQ(route->verb, "undelete");
  ASSERT_EQ(route->variables.size(), 1u);
  EXPECT_EQ(route->variables[0].field_path, (std::vector<std::string>{"project", "name"}));
  EXPECT_EQ(route->variables[0].begin, 1u);
  EXPECT_EQ(route->variables[0].end, 3u);
}

TEST(RouteTemplateTest, RefusesWhatTheGrammarDoesNot) {
  for (const char* bad : {"v1/projects", "/", "/v1//x", "/v1/{name=projects/*", "/v1/name}",
                          "/v1/{a={b}}", "/v1/{=x}", "/v1/x:", "/v1/**/x", "/v1/{name}x",
                          "/v1/{a..b}"}) {
    EXPECT_THAT(ParseRouteTemplate(bad).status(), StatusIs(absl::StatusCode::kInvalidArgument))
        << bad;
  }
}

class HttpRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<HttpRoutes> routes = HttpRoutes::FromServices(Apis().All());
    ASSERT_TRUE(routes.ok()) << routes.status();
    routes_ = *std::move(routes);
  }
  std::string MethodFor(const std::string& http_method, const std::string& path) {
    absl::StatusOr<RouteMatch> match = routes_.Match(http_method, path);
    return match.ok() ? match->route->method->name() : match.status().ToString();
  }
  HttpRoutes routes_;
};

TEST_F(HttpRoutesTest, EveryServiceMethodHasARoute) {
  for (const auto* service : Apis().All()) {
    for (int i = 0; i < service->method_count(); ++i) {
      bool routed = false;
      for (const HttpRoute& route : routes_.routes()) routed |= route.method == service->method(i);
      EXPECT_TRUE(routed) << service->method(i)->full_name();
    }
  }
}

TEST_F(HttpRoutesTest, MatchesStandardAndCustomMethodsAndChildCollections) {
  EXPECT_EQ(MethodFor("GET", "/v1/projects"), "ListProjects");
  EXPECT_EQ(MethodFor("POST", "/v1/projects"), "CreateProject");
  EXPECT_EQ(MethodFor("GET", "/v1/projects/erqi"), "GetProject");
  EXPECT_EQ(MethodFor("PATCH", "/v1/projects/erqi"), "UpdateProject");
  EXPECT_EQ(MethodFor("DELETE", "/v1/projects/erqi"), "DeleteProject");
  EXPECT_EQ(MethodFor("POST", "/v1/projects/erqi:undelete"), "UndeleteProject");
  EXPECT_EQ(MethodFor("GET", "/v1/projects:summarize"), "SummarizeProjects");
  EXPECT_EQ(MethodFor("GET", "/v1/projects/erqi/progressReports"), "ListProgressReports");
  EXPECT_EQ(MethodFor("GET", "/v1/targets/-/values"), "ListTargetValues");
  EXPECT_EQ(MethodFor("POST", "/v1/facilities:reportCoverage"), "ReportCoverage");
  EXPECT_EQ(MethodFor("GET", "/v1/facilities:reportCoverage"), "ReportCoverage");

  absl::StatusOr<RouteMatch> patch = routes_.Match("PATCH", "/v1/leads/l-1");
  ASSERT_TRUE(patch.ok());
  ASSERT_EQ(patch->bindings.size(), 1u);
  EXPECT_EQ(patch->bindings[0].first->field_path, (std::vector<std::string>{"lead", "name"}));
  EXPECT_EQ(patch->bindings[0].second, "leads/l-1");
}

TEST_F(HttpRoutesTest, SaysWhyAPathDoesNotRoute) {
  EXPECT_THAT(routes_.Match("GET", "/v1/planets").status(),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(routes_.Match("GET", "/v1/projects/").status(),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(routes_.Match("GET", "/v1/projects/a:fly").status(),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(routes_.Match("GET", "").status(), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(routes_.Match("PUT", "/v1/projects/erqi").status(),
              StatusIs(absl::StatusCode::kUnimplemented, HasSubstr("use DELETE or GET or PATCH")));
}

}  // namespace
}  // namespace jiangan::gateway
