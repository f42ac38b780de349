// The system's clients and servers agree on keepalive: a client pinging by
// the policy keeps its connection to a server of the system, where a server
// on gRPC's defaults answers the same pings with GOAWAY (too_many_pings),
// failing the calls open on that connection.
#include "common/runtime/keepalive.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "common/runtime/server_runtime.h"
#include "common/runtime/service_client.h"
#include "gtest/gtest.h"

namespace jiangan {
namespace {

// Pings every half second, so that a few seconds show what minutes would.
KeepalivePolicy Quick() {
  KeepalivePolicy policy;
  policy.ping_interval = absl::Milliseconds(500);
  policy.ping_timeout = absl::Seconds(2);
  return policy;
}

// Whether a client of `policy` connected to `port` keeps its connection
// READY for `idle`, pinging all along.
bool StaysConnected(int port, absl::Duration idle) {
  ServiceChannelOptions options;
  options.keepalive = Quick();
  auto channel = OpenServiceChannel(absl::StrCat("127.0.0.1:", port), options);
  EXPECT_TRUE(channel->WaitForConnected(absl::ToChronoTime(absl::Now() + absl::Seconds(5))));
  const absl::Time end = absl::Now() + idle;
  // Any change from READY (GOAWAY makes it IDLE) ends the wait early.
  return !channel->WaitForStateChange(GRPC_CHANNEL_READY, absl::ToChronoTime(end));
}

TEST(KeepaliveTest, AServerOfTheSystemAcceptsItsClientsPings) {
  ServerOptions options;
  options.component = "keepalive-test";
  options.grpc_address = "127.0.0.1:0";
  options.http_host = "127.0.0.1";
  options.keepalive = Quick();
  ServerRuntime runtime(options);
  ASSERT_TRUE(runtime.Start({}).ok());
  EXPECT_TRUE(StaysConnected(runtime.grpc_port(), absl::Seconds(4)));
}

// The control: the same client against gRPC's defaults is cut off, so the
// test above would see it.
TEST(KeepaliveTest, AServerOnGrpcDefaultsCutsTheSameClientOff) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  EXPECT_FALSE(StaysConnected(port, absl::Seconds(4)));
  server->Shutdown(absl::ToChronoTime(absl::Now()));
}

}  // namespace
}  // namespace jiangan
