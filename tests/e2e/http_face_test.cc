// The gateway's HTTP face as a tool or a browser meets it: the OpenAPI
// document and every path it lists, thousands of idle connections, HTTP/2,
// and its limits: rate, message and body size.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "common/base/status.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "jiangan/renewal/v1/renewal.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"
#include "tests/support/status_matchers.h"
#include "tests/support/system_under_test.h"

namespace jiangan {
namespace {

using jiangan::testing::HttpRequestTo;
using jiangan::testing::IsOkAndHolds;
using jiangan::testing::HttpResult;

class HttpFaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::Status started = system_.Start();
    ASSERT_TRUE(started.ok()) << started;
  }

  absl::StatusOr<HttpResult> Http(const std::string& method, const std::string& target,
                                  const std::string& body = "") const {
    return HttpRequestTo(system_.gateway().http_port, method, target, body,
                         system_.credentials().Bearer("admin"));
  }

  testing::SystemUnderTest system_;
};

// "/v1/{name=projects/*}:undelete" with a record of each collection made
// beforehand -> "/v1/projects/openapi-1:undelete".
std::string Concrete(std::string path) {
  for (;;) {
    const size_t open = path.find('{');
    if (open == std::string::npos) return path;
    const size_t close = path.find('}', open);
    std::string pattern = path.substr(open + 1, close - open - 1);
    pattern = pattern.substr(pattern.find('=') + 1);
    const std::string id = absl::StartsWith(pattern, "targets/") ? "expropriation-signed"
                                                                  : "openapi-1";
    path.replace(open, close - open + 1, absl::StrReplaceAll(pattern, {{"*", id}}));
  }
}

TEST_F(HttpFaceTest, ServesTheOpenApiDocumentAndEveryPathItListsAnswers) {
  auto document = HttpRequestTo(system_.gateway().http_port, "GET", "/openapi.json");
  ASSERT_TRUE(document.ok()) << document.status();
  ASSERT_EQ(document->status, 200);
  EXPECT_EQ(document->content_type, "application/json");
  google::protobuf::Struct openapi;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(document->body, &openapi).ok());
  EXPECT_EQ(openapi.fields().at("swagger").string_value(), "2.0");
  const auto& paths = openapi.fields().at("paths").struct_value().fields();
  ASSERT_GE(paths.size(), 30u);

  // One record in each collection, for the paths that name one.
  for (const auto& [collection, id_param, body] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"projects", "project_id", R"({"displayName":"接口文档测试项目","kind":"OTHER"})"},
           {"leads", "lead_id", R"({"displayName":"接口文档测试线索","industry":"OTHER_INDUSTRY","channel":"FUND",)"
            R"("fund":"江岸产业发展基金"})"},
           {"facilities", "facility_id",
            R"({"displayName":"接口文档测试设施","kind":"HOSPITAL","ownerDepartment":"区卫生健康委员会"})"},
           {"tickets", "ticket_id",
            R"({"title":"接口文档测试督办单","subject":{"matter":"接口文档测试"},"demand":"测试",)"
            R"("assigneeDepartment":"区住房和城市更新局","deadline":{"year":2099,"month":1,"day":5}})"},
           {"rules", "rule_id",
            R"({"displayName":"接口文档测试规则","condition":"PROJECT_RED","timeLimitWorkingDays":5,)"
            R"("demand":"测试","issuerDepartment":"区委督查室"})"},
           {"subscriptions", "subscription_id",
            R"({"displayName":"接口文档测试订阅","department":"区住房和城市更新局",)"
            R"("email":{"to":["test@jiangan.gov.cn"]}})"}}) {
    auto created = Http("POST", absl::StrCat("/v1/", collection, "?", id_param, "=openapi-1"), body);
    ASSERT_TRUE(created.ok());
    ASSERT_EQ(created->status, 200) << collection << ": " << created->body;
  }

  // Reads first, deletes last, so that every path finds its record.
  std::vector<std::pair<std::string, std::string>> operations;  // method, target
  for (const auto& [path, item] : paths) {
    for (const auto& [operation, unused] : item.struct_value().fields()) {
      operations.emplace_back(absl::AsciiStrToUpper(operation), Concrete(path));
    }
  }
  auto rank = [](const std::string& method) {
    return method == "GET" ? 0 : method == "DELETE" ? 2 : 1;
  };
  std::stable_sort(operations.begin(), operations.end(), [&rank](const auto& a, const auto& b) {
    return rank(a.first) < rank(b.first);
  });
  for (const auto& [method, target] : operations) {
    const bool has_body = method == "POST" || method == "PATCH";
    auto answer = Http(method, target, has_body ? "{}" : "");
    ASSERT_TRUE(answer.ok()) << method << " " << target << ": " << answer.status();
    // Answered by the method: a result, or the method's own verdict on an
    // empty request; never "no route" or "not served".
    EXPECT_EQ(answer->content_type.find("text/plain"), std::string::npos) << target;
    EXPECT_FALSE(absl::StrContains(answer->body, "no route")) << method << " " << target;
    EXPECT_FALSE(absl::StrContains(answer->body, "is not served on")) << method << " " << target;
    EXPECT_NE(answer->status, 501) << method << " " << target << ": " << answer->body;
    if (method == "GET" && answer->status != 200) {
      EXPECT_EQ(answer->status, 400) << method << " " << target << ": " << answer->body;
    }
  }
  EXPECT_GE(operations.size(), 69u);  // every method, ReportCoverage twice
}

// Opens a TCP connection to 127.0.0.1:`port` and leaves it idle.
int OpenIdle(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

TEST_F(HttpFaceTest, ANormalRequestIsAnsweredWhileThousandsOfConnectionsIdle) {
  // The full 10,000 is tests/bench/http_idle.sh; this size fits CI's limits.
  constexpr int kIdle = 2000;
  // Once before, so that the timed one is the normal, cached case.
  ASSERT_TRUE(Http("GET", "/v1/targets/expropriation-signed").ok());
  std::vector<int> idle;
  for (int i = 0; i < kIdle; ++i) {
    const int fd = OpenIdle(system_.gateway().http_port);
    ASSERT_GE(fd, 0) << "connection " << i << " refused";
    idle.push_back(fd);
  }
  const absl::Time start = absl::Now();
  auto answer = Http("GET", "/v1/targets/expropriation-signed");
  const absl::Duration took = absl::Now() - start;
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->status, 200) << answer->body;
  std::printf("a request with %d idle connections open took %s\n", kIdle,
              absl::FormatDuration(took).c_str());
  for (int fd : idle) ::close(fd);
}

TEST_F(HttpFaceTest, SpeaksHttp2) {
  // curl, with HTTP/2 by prior knowledge over cleartext, as a proxy would.
  const std::string command = absl::StrCat(
      "curl -s --max-time 10 --http2-prior-knowledge -o /dev/null -w '%{http_version} %{http_code}' "
      "http://127.0.0.1:", system_.gateway().http_port, "/openapi.json");
  EXPECT_THAT(testing::CommandOutput(command), IsOkAndHolds("2 200"));
}

// A gateway with tight limits: 2 calls a second, bursts of 3, 64 KiB
// messages and bodies.
class LimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::Status started = system_.Start({"--rate_limit_per_second=2", "--rate_limit_burst=3",
                                          "--grpc_max_message_bytes=65536",
                                          "--http_max_body_bytes=65536"});
    ASSERT_TRUE(started.ok()) << started;
    renewal_ = renewal::v1::RenewalService::NewStub(system_.GatewayChannel());
  }

  grpc::Status ListProjects(const std::string& caller) {
    renewal::v1::ListProjectsRequest request;
    renewal::v1::ListProjectsResponse response;
    return renewal_->ListProjects(system_.CallAs(caller).get(), request, &response);
  }

  testing::SystemUnderTest system_;
  std::unique_ptr<renewal::v1::RenewalService::Stub> renewal_;
};

TEST_F(LimitsTest, ACallerOverItsRateIsToldWhenToComeBack) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(ListProjects("admin").ok()) << i;
  const grpc::Status refused = ListProjects("admin");
  EXPECT_EQ(refused.error_code(), grpc::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(absl::StrContains(refused.error_message(), "rate limit")) << refused.error_message();
  const std::optional<absl::Duration> delay = RetryDelayOf(refused);
  ASSERT_TRUE(delay.has_value());
  EXPECT_GT(*delay, absl::ZeroDuration());
  EXPECT_LE(*delay, absl::Milliseconds(500));

  // Over HTTP: 429 with Retry-After.
  auto http = HttpRequestTo(system_.gateway().http_port, "GET", "/v1/projects", "",
                            system_.credentials().Bearer("admin"));
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->status, 429) << http->body;
  EXPECT_EQ(http->headers["retry-after"], "1");
  EXPECT_TRUE(absl::StrContains(http->body, "RESOURCE_EXHAUSTED")) << http->body;

  // Another caller is not held back by the first.
  EXPECT_TRUE(ListProjects("viewer").ok());
}

TEST_F(LimitsTest, OversizedMessagesAreRefusedOnBothFaces) {
  renewal::v1::CreateProjectRequest request;
  request.set_project_id("big");
  request.mutable_project()->set_display_name(std::string(100 * 1024, 'x'));
  renewal::v1::Project response;
  const grpc::Status status =
      renewal_->CreateProject(system_.CallAs("admin").get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::RESOURCE_EXHAUSTED) << status.error_message();

  auto http = HttpRequestTo(system_.gateway().http_port, "POST", "/v1/projects?project_id=big",
                            std::string(100 * 1024, ' '), system_.credentials().Bearer("admin"));
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->status, 413);
}

}  // namespace
}  // namespace jiangan
