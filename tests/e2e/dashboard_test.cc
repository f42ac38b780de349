// The leaders' dashboard on the gateway's HTTP port: its files and their
// headers, and the page itself driven in headless Chromium against the
// whole running system (tests/browser/dashboard_check.py).
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/file_util.h"
#include "gtest/gtest.h"
#include "tests/support/http_client.h"
#include "tests/support/system_under_test.h"

namespace jiangan {
namespace {

class DashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::Status started = system_.Start();
    ASSERT_TRUE(started.ok()) << started;
  }

  testing::HttpResult Http(const std::string& method, const std::string& path,
                           const std::string& body = "", const std::string& caller = "admin") {
    auto result = testing::HttpRequestTo(system_.gateway().http_port, method, path, body,
                                         caller.empty() ? "" : system_.credentials().Bearer(caller));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : testing::HttpResult{};
  }

  // Runs tests/browser/dashboard_check.py against the system as a viewer;
  // with `unreachable`, checks the notice of a partial answer naming it.
  // Returns its output; a failed check fails the test.
  std::string RunDashboardCheck(const std::string& unreachable, bool supervision = false) {
    const std::string screenshots = JIANGAN_DASHBOARD_SCREENSHOTS;
    const std::string log = testing::MakeTempDir() + "/dashboard_check.log";
    std::string command = absl::StrCat(
        "python3 ", JIANGAN_SOURCE_DIR,
        "/tests/browser/dashboard_check.py --base-url http://127.0.0.1:",
        system_.gateway().http_port, " --token ",
        system_.credentials().Bearer("viewer").substr(7), " --screenshots ", screenshots);
    if (!unreachable.empty()) absl::StrAppend(&command, " --unreachable ", unreachable);
    if (supervision) {
      absl::StrAppend(&command, " --supervision ",
                      system_.credentials().Bearer("housing-editor").substr(7), " ",
                      system_.credentials().Bearer("admin").substr(7));
    }
    absl::StrAppend(&command, " > ", log, " 2>&1");
    const int status = std::system(command.c_str());
    const std::string output = ReadFileToString(log).value_or("(no output)");
    std::cout << output;
    EXPECT_EQ(status, 0) << output;
    return output;
  }

  testing::SystemUnderTest system_;
};

TEST_F(DashboardTest, ThePageIsServedFromTheGatewayAloneWithoutAToken) {
  auto page = Http("GET", "/", "", "");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_TRUE(absl::StrContains(page.body, "江岸区")) << page.body;
  EXPECT_TRUE(absl::StrContains(page.headers["content-security-policy"], "default-src 'none'"));
  EXPECT_EQ(page.headers["x-content-type-options"], "nosniff");
  auto script = Http("GET", "/dashboard.js", "", "");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(Http("GET", "/dashboard.css", "", "").status, 200);
  // The page holds no data: the API behind it still wants a token.
  EXPECT_EQ(Http("GET", "/v1/targets", "", "").status, 401);
  EXPECT_EQ(Http("POST", "/", "x", "").status, 405);
  EXPECT_EQ(Http("GET", "/secrets.txt", "", "").status, 404);
}

TEST_F(DashboardTest, ALeaderSignsInReadsTheTargetsAndDrillsDownInChromium) {
  // A project that signed a tenth of the year's target, and a car park that
  // met its target, both placed on the map.
  auto project = Http("POST", "/v1/projects?project_id=erqi",
                      R"({"displayName":"二七片区征收","kind":"EXPROPRIATION",)"
                      R"("phase":"UNDER_CONSTRUCTION","leadDepartment":"区征收服务中心",)"
                      R"("subDistrict":"二七街道","location":{"latitude":30.628,"longitude":114.318}})");
  ASSERT_EQ(project.status, 200) << project.body;
  ASSERT_EQ(Http("POST", "/v1/projects/erqi:reportProgress",
                 R"({"period":"2024-06","percentComplete":10,)"
                 R"("achieved":{"expropriationSignedSqm":"59000"}})")
                .status,
            200);
  auto lot = Http("POST", "/v1/facilities?facility_id=riverside-lot",
                  R"({"displayName":"滨江停车场","kind":"PARKING","status":"IN_SERVICE",)"
                  R"("statusDate":{"year":2024,"month":4,"day":1},)"
                  R"("ownerDepartment":"区城管执法局","subDistrict":"大智街道",)"
                  R"("location":{"latitude":30.595,"longitude":114.305}})");
  ASSERT_EQ(lot.status, 200) << lot.body;
  ASSERT_EQ(Http("POST", "/v1/facilities/riverside-lot:recordCapacity",
                 R"({"readingDate":{"year":2024,"month":5,"day":1},"capacity":"11000"})")
                .status,
            200);

  const std::string output = RunDashboardCheck("");
  EXPECT_TRUE(absl::StrContains(output, "every check passed")) << output;
}

TEST_F(DashboardTest, APageWithAServiceDownSaysWhichFiguresAreMissing) {
  ASSERT_TRUE(system_.service("investment").process->SignalAndWait(SIGKILL, absl::Seconds(5)).ok());
  const std::string output = RunDashboardCheck("招商引资");
  EXPECT_TRUE(absl::StrContains(output, "the page says which figures are missing")) << output;
  EXPECT_TRUE(absl::StrContains(output, "every check passed")) << output;
}

TEST_F(DashboardTest, ADepartmentAndALeaderWorkTicketsInChromium) {
  // Two tickets to the housing bureau: one with ten working days (GREEN),
  // one due the next working day (YELLOW). RED needs days to pass: the
  // store tests move their clock for it.
  auto signing = Http("POST", "/v1/tickets?ticket_id=signing",
                      R"({"title":"关于加快征收签约的督办单","subject":{"matter":"征收签约"},)"
                      R"("demand":"5个工作日内完成剩余签约","assigneeDepartment":"区住房和城市更新局",)"
                      R"("timeLimitWorkingDays":10})");
  ASSERT_EQ(signing.status, 200) << signing.body;
  ASSERT_EQ(Http("POST", "/v1/tickets?ticket_id=flooding",
                 R"({"title":"关于积水点整治的督办单","subject":{"matter":"积水点整治"},)"
                 R"("demand":"立即整治","assigneeDepartment":"区住房和城市更新局",)"
                 R"("timeLimitWorkingDays":1})")
                .status,
            200);
  const std::string output = RunDashboardCheck("", /*supervision=*/true);
  EXPECT_TRUE(absl::StrContains(output, "every check passed")) << output;
}

}  // namespace
}  // namespace jiangan
