// What every server of the system does the same way: gRPC health checking,
// server reflection, per-RPC metrics and logs, an admin HTTP port with
// /healthz and /metrics, and a graceful drain on SIGTERM.
#ifndef JIANGAN_COMMON_RUNTIME_SERVER_RUNTIME_H_
#define JIANGAN_COMMON_RUNTIME_SERVER_RUNTIME_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/http/http_server.h"
#include "common/runtime/metrics.h"

namespace jiangan {

struct ServerOptions {
  std::string component;         // e.g. "renewal"; names logs
  std::string grpc_address;      // e.g. "0.0.0.0:50051"; port 0 picks one
  std::string http_host = "0.0.0.0";
  int http_port = 0;             // 0 picks one
  int http_threads = 4;
  absl::Duration drain_timeout = absl::Seconds(20);
  absl::Duration slow_rpc = absl::Milliseconds(500);
};

// Blocks SIGTERM and SIGINT in the calling thread. Call it first in main(),
// before any thread exists, so that every thread inherits the mask and the
// signals reach only WaitForShutdownSignal.
void BlockShutdownSignals();

class ServerRuntime {
 public:
  explicit ServerRuntime(ServerOptions options);
  ~ServerRuntime();

  Metrics* metrics() { return &metrics_; }

  // Starts the gRPC server with `services` (not owned; they must outlive this
  // runtime) and the HTTP server. HTTP paths other than /healthz and /metrics
  // go to `http_handler` when given, else 404.
  absl::Status Start(const std::vector<grpc::Service*>& services,
                     HttpHandler http_handler = nullptr);

  int grpc_port() const { return grpc_port_; }
  int http_port() const { return http_ ? http_->port() : 0; }

  // Blocks until SIGTERM or SIGINT, then drains: reports NOT_SERVING, stops
  // accepting RPCs, lets in-flight ones finish (up to the drain timeout) and
  // stops the HTTP server.
  void WaitForShutdownSignalAndDrain();

 private:
  HttpResponse ServeAdmin(const HttpRequest& request) const;

  const ServerOptions options_;
  Metrics metrics_;
  HttpHandler http_handler_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<HttpServer> http_;
  int grpc_port_ = 0;
  std::atomic<bool> draining_{false};
};

}  // namespace jiangan

#endif  // JIANGAN_COMMON_RUNTIME_SERVER_RUNTIME_H_
