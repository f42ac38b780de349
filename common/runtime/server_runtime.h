// What every server of the system does the same way: gRPC health checking,
// server reflection, per-RPC metrics and logs, an admin HTTP port with
// /healthz and /metrics, and a graceful drain on SIGTERM.
#ifndef JIANGAN_COMMON_RUNTIME_SERVER_RUNTIME_H_
#define JIANGAN_COMMON_RUNTIME_SERVER_RUNTIME_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/http/http_server.h"
#include "common/runtime/keepalive.h"
#include "common/runtime/metrics.h"

namespace jiangan {

struct ServerOptions {
  std::string component;         // e.g. "renewal"; names logs
  std::string grpc_address;      // e.g. "0.0.0.0:50051"; port 0 picks one
  // The HTTP port: /healthz, /metrics and whatever the server adds. Its
  // host and port are overridden by http_host and http_port.
  HttpServerOptions http;
  std::string http_host = "0.0.0.0";
  int http_port = 0;             // 0 picks one
  // On SIGTERM the server first reports NOT_SERVING for `drain_notice`,
  // still answering, so that clients watching its health (the gateway) and
  // Kubernetes move their calls elsewhere; then it stops accepting calls
  // and gives in-flight ones up to `drain_timeout`.
  absl::Duration drain_notice = absl::Seconds(1);
  absl::Duration drain_timeout = absl::Seconds(20);
  // Largest gRPC message received or sent; a larger one fails the call with
  // RESOURCE_EXHAUSTED.
  int max_message_bytes = 4 << 20;
  absl::Duration slow_rpc = absl::Milliseconds(500);
  // The pings this server's clients may send (the system's clients use the
  // same policy: common/runtime/keepalive.h).
  KeepalivePolicy keepalive;
};

// Call it first in main(), before any thread exists. Blocks SIGTERM and
// SIGINT, so that every thread inherits the mask and the signals reach only
// WaitForShutdownSignal. Turns off Abseil's mutex deadlock detection: Debian
// builds Abseil without NDEBUG, so every absl::Mutex lock (gRPC's own
// included) would otherwise update one global lock graph; profiled, that was
// a tenth of the gateway's time under load.
void PrepareServerProcess();

class ServerRuntime {
 public:
  explicit ServerRuntime(ServerOptions options);
  ~ServerRuntime();

  Metrics* metrics() { return &metrics_; }

  // Starts the gRPC server with `services` (not owned; they must outlive this
  // runtime), then the HTTP server. HTTP paths other than /healthz and
  // /metrics go to the handler `make_http_handler` returns, when given (it is
  // called once gRPC serves, so that the handler may call this server
  // through InProcessChannel), else 404.
  absl::Status Start(const std::vector<grpc::Service*>& services,
                     std::function<HttpHandler()> make_http_handler = nullptr);

  int grpc_port() const { return grpc_port_; }
  // A channel to this server's own services that stays in the process (no
  // socket, no port): the gateway's HTTP face calls its gRPC API through it.
  // Valid after Start.
  std::shared_ptr<grpc::Channel> InProcessChannel() const {
    return server_->InProcessChannel(grpc::ChannelArguments());
  }
  int http_port() const { return http_ ? http_->port() : 0; }

  // Blocks until SIGTERM or SIGINT, then drains: reports NOT_SERVING, stops
  // accepting RPCs, lets in-flight ones finish (up to the drain timeout) and
  // stops the HTTP server.
  void WaitForShutdownSignalAndDrain();

 private:
  void ServeHttp(HttpRequest request, HttpReply reply) const;

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
