#include "common/runtime/server_runtime.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <signal.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/base/logging.h"
#include "common/runtime/keepalive.h"
#include "common/runtime/rpc_observer.h"

namespace jiangan {
void PrepareServerProcess() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

ServerRuntime::ServerRuntime(ServerOptions options) : options_(std::move(options)) {
  SetLogComponent(options_.component);
}

ServerRuntime::~ServerRuntime() {
  if (http_) http_->Stop();
  if (server_) server_->Shutdown(absl::ToChronoTime(absl::Now()));
}

absl::Status ServerRuntime::Start(const std::vector<grpc::Service*>& services,
                                  std::function<HttpHandler()> make_http_handler) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.grpc_address, grpc::InsecureServerCredentials(),
                           &grpc_port_);
  // gRPC sets SO_REUSEPORT by default: another process could then share our
  // port and answer half of our callers. Refuse the port instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  ApplyServerKeepalive(options_.keepalive, &builder);
  for (grpc::Service* service : services) builder.RegisterService(service);
  builder.SetMaxReceiveMessageSize(options_.max_message_bytes);
  builder.SetMaxSendMessageSize(options_.max_message_bytes);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<RpcObserverFactory>(&metrics_, options_.slow_rpc));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || grpc_port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve gRPC on ", options_.grpc_address));
  }
  server_->GetHealthCheckService()->SetServingStatus(true);

  if (make_http_handler) http_handler_ = make_http_handler();
  HttpServerOptions http_options = options_.http;
  http_options.host = options_.http_host;
  http_options.port = options_.http_port;
  auto http = HttpServer::Start(http_options, [this](HttpRequest request, HttpReply reply) {
    ServeHttp(std::move(request), std::move(reply));
  });
  if (!http.ok()) return http.status();
  http_ = *std::move(http);
  Log(LogLevel::kInfo, "serving",
      {{"grpc_port", absl::StrCat(grpc_port_)}, {"http_port", absl::StrCat(http_->port())}});
  return absl::OkStatus();
}

void ServerRuntime::ServeHttp(HttpRequest request, HttpReply reply) const {
  if (request.path == "/healthz") {
    std::move(reply)(draining_.load() ? HttpResponse{503, "text/plain", "draining\n"}
                                      : HttpResponse{200, "text/plain", "ok\n"});
  } else if (request.path == "/metrics") {
    std::move(reply)({200, "text/plain; version=0.0.4", metrics_.RenderPrometheus()});
  } else if (http_handler_) {
    http_handler_(std::move(request), std::move(reply));
  } else {
    std::move(reply)({404, "text/plain", "not found\n"});
  }
}

void ServerRuntime::WaitForShutdownSignalAndDrain() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int signal_number = 0;
  sigwait(&set, &signal_number);
  Log(LogLevel::kInfo, "draining", {{"signal", absl::StrCat(signal_number)}});
  draining_.store(true);
  server_->GetHealthCheckService()->SetServingStatus(false);
  absl::SleepFor(options_.drain_notice);
  // In-flight RPCs finish; new ones are refused; past the deadline the rest
  // are cancelled.
  server_->Shutdown(absl::ToChronoTime(absl::Now() + options_.drain_timeout));
  http_->Stop();
  Log(LogLevel::kInfo, "stopped");
}

}  // namespace jiangan
