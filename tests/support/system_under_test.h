// The whole system on free loopback ports: a real redis-server, the five
// service binaries and the gateway binary, each with its data in a fresh
// temporary directory.
#ifndef JIANGAN_TESTS_SUPPORT_SYSTEM_UNDER_TEST_H_
#define JIANGAN_TESTS_SUPPORT_SYSTEM_UNDER_TEST_H_

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tests/support/child_process.h"
#include "tests/support/credentials.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_database.h"

namespace jiangan::testing {

struct Endpoint {
  int grpc_port = 0;
  int http_port = 0;
  std::unique_ptr<ChildProcess> process;
  // How it was started, so that it can be started again alike; restart N
  // logs to log_path + ".N".
  std::vector<std::string> argv;
  std::string log_path;
  int restarts = 0;
};

struct SystemOptions {
  // More gateway flags, e.g. "--rate_limit_per_second=1".
  std::vector<std::string> gateway_flags;
  // Copies of the renewal service on its one database; the gateway balances
  // over them all.
  int renewal_replicas = 1;
  // More supervision flags, e.g. "--rules_interval=1s", and copies of the
  // supervision service on its one database.
  std::vector<std::string> supervision_flags;
  int supervision_replicas = 1;
};

// The x-jiangan-cache header ("hit" or "miss") a finished call through the
// gateway got; "" when there was none.
std::string CacheHeader(const grpc::ClientContext& context);

class SystemUnderTest {
 public:
  // Starts everything and waits until each server accepts connections.
  absl::Status Start(const SystemOptions& options);
  // The same with one replica of each service and `extra_gateway_flags`.
  absl::Status Start(const std::vector<std::string>& extra_gateway_flags = {});
  // Starts `endpoint`'s server again, with the same flags and ports, once its
  // process has ended; waits until it accepts connections.
  absl::Status Restart(Endpoint* endpoint);

  RedisServer& redis() { return redis_; }
  const TestCredentials& credentials() const { return credentials_; }
  Endpoint& gateway() { return gateway_; }
  const Endpoint& gateway() const { return gateway_; }
  // "renewal", "investment", "facilities", "targets" or "supervision".
  Endpoint& service(const std::string& name) { return services_.at(name); }
  // Replica `index` of renewal; replica 0 is service("renewal").
  Endpoint& renewal_replica(int index);
  // Replica `index` of `name` ("renewal" or "supervision"); replica 0 is
  // service(name).
  Endpoint& replica(const std::string& name, int index);
  std::shared_ptr<grpc::Channel> GatewayChannel() const;
  // A context for a call through the gateway as `caller` (one of
  // TestCredentials' callers; "" sends no token), with a 10-second deadline.
  std::unique_ptr<grpc::ClientContext> CallAs(const std::string& caller) const;
  // Where `service` keeps its data, on the engine under test.
  const TestDatabase& database(const std::string& service) const;

 private:
  absl::Status StartServer(const std::string& binary, const std::string& name,
                           std::vector<std::string> flags, Endpoint* endpoint);
  // Runs endpoint->argv, logging to `log_path`, and waits for the server's
  // `serving` log line, taking the ports it names; false if the process
  // ended first or never said it serves.
  absl::StatusOr<bool> Launch(Endpoint* endpoint, const std::string& log_path);

  std::string dir_;
  std::map<std::string, TestDatabase> databases_;
  TestCredentials credentials_;
  RedisServer redis_;
  std::map<std::string, Endpoint> services_;
  Endpoint gateway_;
};

}  // namespace jiangan::testing

#endif  // JIANGAN_TESTS_SUPPORT_SYSTEM_UNDER_TEST_H_
