#include "common/runtime/server_runtime.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/http/http_server.h"
#include "gtest/gtest.h"
#include "tests/support/http_client.h"
#include "tests/support/status_matchers.h"

namespace jiangan {
namespace {

using jiangan::testing::HttpRequestTo;
using jiangan::testing::StatusIs;

absl::StatusOr<std::unique_ptr<HttpServer>> StartAnswering(int port, int threads) {
  HttpServerOptions options;
  options.host = "127.0.0.1";
  options.port = port;
  options.threads = threads;
  return HttpServer::Start(options, Immediately([](const HttpRequest&) {
    return HttpResponse{404, "text/plain", "another process\n"};
  }));
}

// Two servers on one port would share its callers between them: a test's
// gateway once reached another test's HTTP face instead of its service.
TEST(PortOwnershipTest, AnHttpPortInUseIsRefused) {
  auto first = StartAnswering(0, 2);
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = StartAnswering((*first)->port(), 2);
  EXPECT_THAT(second.status(), StatusIs(absl::StatusCode::kUnavailable));
  // Every loop of the first still answers on the one socket.
  for (int i = 0; i < 8; ++i) {
    auto answer = HttpRequestTo((*first)->port(), "GET", "/");
    ASSERT_TRUE(answer.ok()) << answer.status();
    EXPECT_EQ(answer->status, 404);
  }
}

TEST(PortOwnershipTest, AGrpcPortInUseIsRefused) {
  auto taken = StartAnswering(0, 1);
  ASSERT_TRUE(taken.ok()) << taken.status();
  ServerOptions options;
  options.component = "port-test";
  options.grpc_address = absl::StrCat("127.0.0.1:", (*taken)->port());
  options.http_host = "127.0.0.1";
  ServerRuntime runtime(options);
  EXPECT_THAT(runtime.Start({}), StatusIs(absl::StatusCode::kUnavailable));
}

TEST(PortOwnershipTest, AnHttpServerCannotTakeAGrpcPort) {
  ServerOptions options;
  options.component = "port-test";
  options.grpc_address = "127.0.0.1:0";
  options.http_host = "127.0.0.1";
  ServerRuntime runtime(options);
  ASSERT_TRUE(runtime.Start({}).ok());
  EXPECT_THAT(StartAnswering(runtime.grpc_port(), 1).status(),
              StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace jiangan
