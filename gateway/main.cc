// The gateway: the one entry to Jiang'an Portfolio. Serves every service's
// gRPC API on one port (forwarding to the services and caching reads in
// Redis), and HTTP/JSON for internal tools. An edge only: it knows no
// service's domain; what it caches is declared in the protos.
#include <memory>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/runtime/api_catalog.h"
#include "common/runtime/executor.h"
#include "common/base/hmac.h"
#include "common/identity/identity.h"
#include "common/base/logging.h"
#include "gateway/redis_client.h"
#include "common/runtime/server_runtime.h"
#include "gateway/authenticator.h"
#include "gateway/backends.h"
#include "gateway/dashboard_pages.h"
#include "gateway/forwarder.h"
#include "gateway/forwarding_service.h"
#include "gateway/http_json_api.h"
#include "gateway/invalidation_subscriber.h"
#include "gateway/near_cache.h"
#include "gateway/http_routes.h"
#include "gateway/rate_limiter.h"
#include "gateway/response_cache.h"

ABSL_FLAG(std::string, host, "0.0.0.0", "Address to listen on for gRPC and HTTP.");
ABSL_FLAG(int, grpc_port, 50050, "gRPC port for department clients.");
ABSL_FLAG(int, http_port, 8080, "HTTP port: the dashboard (/), JSON API, /healthz, /metrics.");
// Each address is a gRPC target; a name that resolves to several replicas
// (dns:///renewal-headless:50051) is balanced round-robin.
ABSL_FLAG(std::string, renewal_address, "localhost:50051",
          "Renewal service: host:port, dns:///name:port or ipv4:a:port,b:port.");
ABSL_FLAG(std::string, investment_address, "localhost:50052", "Investment service.");
ABSL_FLAG(std::string, facilities_address, "localhost:50053", "Facilities service.");
ABSL_FLAG(std::string, targets_address, "localhost:50054",
          "Targets service (the district's targets, jiangan.portfolio.v1, and their reported "
          "values, jiangan.target_values.v1).");
ABSL_FLAG(std::string, supervision_address, "localhost:50055",
          "Supervision service (督办 tickets).");
ABSL_FLAG(int, backend_channels, 2, "HTTP/2 connections to each service.");
ABSL_FLAG(std::string, redis_address, "localhost:6380",
          "Redis host:port for the read cache; empty turns caching off.");
ABSL_FLAG(absl::Duration, cache_ttl, absl::Minutes(5), "How long a cached read lives.");
ABSL_FLAG(absl::Duration, redis_timeout, absl::Milliseconds(50),
          "Connect and command timeout for Redis.");
ABSL_FLAG(int, cache_workers, 8, "Threads that talk to Redis.");
ABSL_FLAG(int64_t, near_cache_entries, 100000,
          "Cached responses also kept in process, in front of Redis (kept coherent across "
          "gateway replicas through Redis pub/sub); 0 turns the near cache off.");
ABSL_FLAG(absl::Duration, near_cache_ttl, absl::Seconds(30),
          "How long a response stays in the near cache at most.");
ABSL_FLAG(absl::Duration, default_deadline, absl::Seconds(30),
          "Deadline for forwarded calls whose caller set none.");
ABSL_FLAG(absl::Duration, drain_notice, absl::Seconds(1),
          "How long after SIGTERM the server reports NOT_SERVING but still answers, so that "
          "clients move their calls to other replicas before it stops accepting them.");
ABSL_FLAG(absl::Duration, drain_timeout, absl::Seconds(20),
          "How long in-flight RPCs may run after SIGTERM.");
ABSL_FLAG(int, http_threads, 2, "Event loops (threads) serving HTTP connections.");
ABSL_FLAG(int64_t, http_max_body_bytes, 4 << 20,
          "Largest HTTP request body accepted; larger ones get 413.");
ABSL_FLAG(absl::Duration, http_request_timeout, absl::Seconds(30),
          "An HTTP request must arrive whole within this; an HTTP/1.1 connection may idle "
          "this long between requests.");
ABSL_FLAG(std::string, principals_path, "",
          "Who may call: a jiangan.gateway.v1.PrincipalsFile in JSON. Required.");
ABSL_FLAG(double, rate_limit_per_second, 1000,
          "Calls a second each caller (principal) may make through this gateway; 0 turns "
          "limits off. Over it: RESOURCE_EXHAUSTED (HTTP 429) with a retry delay.");
ABSL_FLAG(double, rate_limit_burst, 2000, "Calls a caller may make at once, above its rate.");
ABSL_FLAG(int64_t, grpc_max_message_bytes, 4 << 20,
          "Largest gRPC message the gateway accepts or forwards (RESOURCE_EXHAUSTED above).");
ABSL_FLAG(std::string, identity_key_file, "",
          "Key (32+ bytes) the gateway signs callers' identities with for the services. "
          "Required; the services hold the same key.");

namespace {

using jiangan::LogLevel;

int Fail(const absl::Status& status) {
  jiangan::Log(LogLevel::kError, "startup_failed", {{"error", status.ToString()}});
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  jiangan::PrepareServerProcess();
  absl::SetProgramUsageMessage("Jiang'an Portfolio gateway");
  absl::ParseCommandLine(argc, argv);
  jiangan::SetLogComponent("gateway");

  if (absl::GetFlag(FLAGS_principals_path).empty()) {
    return Fail(absl::InvalidArgumentError("--principals_path: is required"));
  }
  auto authenticator =
      jiangan::gateway::Authenticator::FromFile(absl::GetFlag(FLAGS_principals_path));
  if (!authenticator.ok()) return Fail(authenticator.status());
  if (absl::GetFlag(FLAGS_identity_key_file).empty()) {
    return Fail(absl::InvalidArgumentError("--identity_key_file: is required"));
  }
  auto identity_key = jiangan::ReadKeyFile(absl::GetFlag(FLAGS_identity_key_file));
  if (!identity_key.ok()) return Fail(identity_key.status());
  const jiangan::IdentitySigner signer(*identity_key);

  const jiangan::ApiCatalog& apis = jiangan::Apis();
  const auto* renewal = apis.renewal;
  const auto* investment = apis.investment;
  const auto* facilities = apis.facilities;
  const auto* target_values = apis.target_values;
  const auto* portfolio = apis.portfolio;
  const auto* supervision = apis.supervision;

  jiangan::gateway::Backends backends;
  const int channels = absl::GetFlag(FLAGS_backend_channels);
  const int max_message_bytes = static_cast<int>(absl::GetFlag(FLAGS_grpc_max_message_bytes));
  backends.Add(renewal->full_name(), absl::GetFlag(FLAGS_renewal_address), channels,
               max_message_bytes);
  backends.Add(investment->full_name(), absl::GetFlag(FLAGS_investment_address), channels,
               max_message_bytes);
  backends.Add(facilities->full_name(), absl::GetFlag(FLAGS_facilities_address), channels,
               max_message_bytes);
  // The targets service serves both of its APIs on one port.
  for (const auto* targets : {target_values, portfolio}) {
    backends.Add(targets->full_name(), absl::GetFlag(FLAGS_targets_address), channels,
                 max_message_bytes);
  }

  backends.Add(supervision->full_name(), absl::GetFlag(FLAGS_supervision_address), channels,
               max_message_bytes);

  jiangan::ServerOptions options;
  options.component = "gateway";
  options.grpc_address =
      absl::StrCat(absl::GetFlag(FLAGS_host), ":", absl::GetFlag(FLAGS_grpc_port));
  options.http_host = absl::GetFlag(FLAGS_host);
  options.http_port = absl::GetFlag(FLAGS_http_port);
  options.http.threads = absl::GetFlag(FLAGS_http_threads);
  options.http.max_body_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_http_max_body_bytes));
  options.http.request_timeout = absl::GetFlag(FLAGS_http_request_timeout);
  options.drain_notice = absl::GetFlag(FLAGS_drain_notice);
  options.drain_timeout = absl::GetFlag(FLAGS_drain_timeout);
  options.max_message_bytes = max_message_bytes;
  jiangan::ServerRuntime runtime(options);

  std::unique_ptr<jiangan::RedisPool> redis;
  jiangan::Executor cache_executor(absl::GetFlag(FLAGS_cache_workers), 8192);
  std::unique_ptr<jiangan::gateway::ResponseCache> cache;
  std::unique_ptr<jiangan::gateway::NearCache> near_cache;
  std::unique_ptr<jiangan::gateway::InvalidationSubscriber> invalidations;
  if (const std::string address = absl::GetFlag(FLAGS_redis_address); !address.empty()) {
    std::pair<std::string, std::string> host_port =
        absl::StrSplit(address, absl::MaxSplits(':', 1));
    int port = 0;
    if (!absl::SimpleAtoi(host_port.second, &port)) {
      return Fail(absl::InvalidArgumentError(
          absl::StrCat("--redis_address: \"", address, "\" is not host:port")));
    }
    redis = std::make_unique<jiangan::RedisPool>(host_port.first, port,
                                                 absl::GetFlag(FLAGS_redis_timeout));
    if (const int64_t entries = absl::GetFlag(FLAGS_near_cache_entries); entries > 0) {
      near_cache = std::make_unique<jiangan::gateway::NearCache>(
          static_cast<size_t>(entries), absl::GetFlag(FLAGS_near_cache_ttl));
      invalidations = std::make_unique<jiangan::gateway::InvalidationSubscriber>(
          // A pong a second late under load costs a flush, not a stale read.
          host_port.first, port, std::max(absl::GetFlag(FLAGS_redis_timeout), absl::Seconds(1)),
          near_cache.get(),
          runtime.metrics());
    }
    cache = std::make_unique<jiangan::gateway::ResponseCache>(
        redis.get(), &cache_executor, runtime.metrics(), absl::GetFlag(FLAGS_cache_ttl),
        near_cache.get());
  }
  const jiangan::gateway::RateLimiter callers(authenticator->get(),
                                              absl::GetFlag(FLAGS_rate_limit_per_second),
                                              absl::GetFlag(FLAGS_rate_limit_burst));
  jiangan::gateway::Forwarder forwarder(&callers, &signer, &backends, cache.get(),
                                        absl::GetFlag(FLAGS_default_deadline));
  jiangan::gateway::ForwardingService renewal_api(renewal, &forwarder);
  jiangan::gateway::ForwardingService investment_api(investment, &forwarder);
  jiangan::gateway::ForwardingService facilities_api(facilities, &forwarder);
  jiangan::gateway::ForwardingService target_values_api(target_values, &forwarder);
  jiangan::gateway::ForwardingService portfolio_api(portfolio, &forwarder);
  jiangan::gateway::ForwardingService supervision_api(supervision, &forwarder);

  absl::StatusOr<jiangan::gateway::HttpRoutes> routes =
      jiangan::gateway::HttpRoutes::FromServices(apis.All());
  if (!routes.ok()) return Fail(routes.status());
  // The JSON API calls the gateway's own gRPC services in process; the
  // runtime makes its HTTP handler once they serve.
  std::unique_ptr<jiangan::gateway::HttpJsonApi> json_api;
  absl::Status started = runtime.Start(
      {&renewal_api, &investment_api, &facilities_api, &target_values_api, &portfolio_api,
       &supervision_api},
      [&runtime, &json_api, &routes]() -> jiangan::HttpHandler {
        json_api = std::make_unique<jiangan::gateway::HttpJsonApi>(runtime.InProcessChannel(),
                                                                   *std::move(routes));
        return [api = json_api.get()](jiangan::HttpRequest request, jiangan::HttpReply reply) {
          // The leaders' dashboard is the gateway's HTTP root.
          if (!absl::StartsWith(request.path, "/v1/")) {
            if (auto page = jiangan::gateway::ServeDashboard(request)) {
              std::move(reply)(*std::move(page));
              return;
            }
          }
          api->Handle(request, std::move(reply));
        };
      });
  if (!started.ok()) return Fail(started);

  runtime.WaitForShutdownSignalAndDrain();
  cache_executor.Shutdown();
  return 0;
}
